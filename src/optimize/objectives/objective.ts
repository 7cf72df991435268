/**
 * The objective interface of `pulse optimize`: what a trial's value is, computed from the cross-validation folds
 * the trial has fitted so far, and which way is better. One interface and one small file per objective
 * (cv-loss.ts, cv-ic.ts, sharpe.ts, ...), registered by name in ./registry.ts.
 *
 * The same function gives the intermediate value after each fold (the objective over folds 1..k, what the pruner
 * compares between trials at step k) and the trial's value (over every fold), so the two are always in the
 * study's direction.
 */
import type { EvalMetrics } from '../../evaluation/reports.js';
import type { BacktestResult } from '../../backtest/types.js';
import type { Task } from '../../models/model.js';
import type { Direction } from '../trial.js';

/** The objectives pulse offers. */
export const OBJECTIVE_NAMES = ['cv-loss', 'cv-ic', 'sharpe', 'sortino', 'calmar', 'profit-drawdown'] as const;

/** An objective's name. */
export type ObjectiveName = (typeof OBJECTIVE_NAMES)[number];

/** One fitted cross-validation fold, as an objective reads it. */
export interface FoldOutcome {
  /** The fold's validation metrics (the metric set's report of the task). */
  readonly metrics: EvalMetrics;
  /** Forecasts (src/lifecycle/forecast.ts) of every bar row in [validFrom, validTo], validation block included. */
  readonly forecasts: Float64Array;
  readonly validFrom: number;
  readonly validTo: number;
}

/** What an objective may use besides the folds. */
export interface ObjectiveContext {
  readonly task: Task;
  /**
   * Backtest forecasts of bar rows [from, to) (one per row, NaN = no forecast) through the signal rule and the
   * backtest engine with the configured costs.
   */
  backtest(forecasts: Float64Array, from: number, to: number): BacktestResult;
}

/** Thrown by an objective whose value does not exist for a trial (no trades, ...): the trial fails with the message. */
export class ObjectiveUndefined extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ObjectiveUndefined';
  }
}

/** One objective. */
export interface StudyObjective {
  readonly name: ObjectiveName;
  readonly direction: Direction;
  /** One line for the help and the README. */
  readonly description: string;
  /**
   * Whether the value is a backtest of out-of-sample signals: such objectives need time-ordered folds
   * (walk-forward cross-validation), since purged k-fold trains on bars after the ones it validates.
   */
  readonly backtest: boolean;
  /** A reason the objective cannot score this task (e.g. IC of a classifier), or null. */
  unsupported(task: Task): string | null;
  /**
   * The objective over `folds` (at least one); `final` when they are all the trial's folds. An intermediate value
   * that is not defined yet is NaN (not reported); a final one throws {@link ObjectiveUndefined} with the reason.
   */
  value(folds: readonly FoldOutcome[], ctx: ObjectiveContext, final: boolean): number;
}
