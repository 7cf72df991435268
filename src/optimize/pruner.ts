/**
 * The pruner interface: after a trial reports an intermediate value, decide whether to stop it early. Optuna's
 * `BasePruner.prune(study, trial)`; one implementation per file (median.ts, hyperband.ts).
 */
import type { Direction, Trial } from './trial.js';

/** What a pruner sees. */
export interface PruneContext {
  readonly studyName: string;
  readonly direction: Direction;
  /** The trial being judged (running, with its intermediate values so far). */
  readonly trial: Trial;
  /** Every trial of the study, the judged one included, in number order. */
  readonly trials: readonly Trial[];
  /** Record a number on the judged trial (successive halving's rung values). */
  setAttr(key: string, value: number): Promise<void>;
}

/** Decides whether to stop a trial. */
export interface Pruner {
  readonly name: PrunerName;
  prune(context: PruneContext): Promise<boolean>;
}

/** The pruners pulse offers. */
export type PrunerName = 'median' | 'hyperband';
