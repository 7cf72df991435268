/**
 * Trials as a study records them: Optuna's `FrozenTrial` reduced to what pulse's samplers, pruners and reports read.
 */
import type { Params } from './space.js';

/** A trial's state: Optuna's RUNNING, COMPLETE, PRUNED and FAIL (pulse never waits on queued trials). */
export type TrialState = 'running' | 'complete' | 'pruned' | 'failed';

/** Whether smaller or larger objective values are better. */
export type Direction = 'minimize' | 'maximize';

/** One reported intermediate value (a CV fold's loss, a boosting round's metric). */
export interface Intermediate {
  readonly step: number;
  readonly value: number;
}

/** A trial of a study. */
export interface Trial {
  /** 0, 1, 2, ... in the order the study asked for them, without gaps or duplicates. */
  readonly number: number;
  readonly state: TrialState;
  readonly params: Params;
  /** A complete trial's objective value; a pruned trial's last intermediate value when finite (as Optuna); else null. */
  readonly value: number | null;
  /** Intermediate values in increasing step order (one per step). */
  readonly intermediate: readonly Intermediate[];
  /** Epoch milliseconds. */
  readonly startedAt: number;
  readonly finishedAt: number | null;
  /** Why a failed trial failed (an error message, or "process died while running"). */
  readonly failReason: string | null;
  /**
   * Numbers pruners and the study keep per trial (Optuna's system attrs): e.g. successive halving's `completed_rung_0`,
   * the sampler streams' positions after the trial's sampling (`sampler_draws`, `sampler_startup_draws`).
   */
  readonly attrs: Readonly<Record<string, number>>;
}

/** The last reported intermediate value (largest step), as Optuna's `max(trial.intermediate_values.items())`. */
export function lastIntermediate(trial: Trial): Intermediate | undefined {
  return trial.intermediate.length === 0 ? undefined : trial.intermediate[trial.intermediate.length - 1];
}

/** The best complete trial for a direction (the earliest among equals), or undefined. */
export function bestTrial(trials: readonly Trial[], direction: Direction): Trial | undefined {
  let best: Trial | undefined;
  for (const t of trials) {
    if (t.state !== 'complete' || t.value === null || Number.isNaN(t.value)) continue;
    if (!best || (direction === 'minimize' ? t.value < best.value! : t.value > best.value!)) best = t;
  }
  return best;
}
