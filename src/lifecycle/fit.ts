/**
 * Fitting a model of a family: the one training function behind `pulse train` (each cross-validation fold and the
 * final fit, src/train/run.ts) and walk-forward retraining (every segment, in any worker thread,
 * src/backtest/walk-forward.ts). Both get the same parameters for a label horizon (`trainingParams`: e.g. the
 * ensemble purges its inner folds by the horizon), the same early stopping and the same seeds-in, model-out contract.
 */
import type { Pace } from '../core/async.js';
import { DataError } from '../core/errors.js';
import type { FeatureColumns, FitProgress, FitReport, Model, ModelFamily, Task } from '../models/model.js';
import { createModel, familyTraits, trainingParams } from '../models/registry.js';

/** What is fitted: a family for a task and label horizon, with the user's parameters. */
export interface FitSpec {
  family: ModelFamily;
  task: Task;
  /** 1 for regression, 2 for binary, the number of classes for multiclass. */
  numClass: number;
  params: Readonly<Record<string, unknown>>;
  /** Label horizon in bars (horizon-dependent parameters are filled from it). */
  horizon: number;
}

/** How one fit runs. */
export interface FitRun {
  seed: number;
  /** Early-stopping rows (families with the `earlyStopping` trait use them; the others ignore them). */
  valid?: { X: FeatureColumns; y: Float64Array };
  /** Boosting families: exactly this many iterations, no early stopping. */
  iterations?: number;
  onProgress?: (progress: FitProgress) => void;
  pace?: Pace;
}

/** An unfitted model of the spec; `UsageError` for bad parameters or a task the family does not support. */
export function newModel(spec: FitSpec): Model {
  return createModel(spec.family, { task: spec.task, numClass: spec.numClass, params: trainingParams(spec.family, spec.params, spec.horizon) });
}

/** Fit a new model of the spec on `X`, `y` (see the module note). */
export async function fitModel(spec: FitSpec, X: FeatureColumns, y: Float64Array, run: FitRun): Promise<{ model: Model; report: FitReport }> {
  const model = newModel(spec);
  const report = await model.fit(X, y, { seed: run.seed, valid: run.valid, iterations: run.iterations, onProgress: run.onProgress, pace: run.pace });
  return { model, report };
}

/** Share of a window's rows held out to pick the boosting iteration count (see {@link fitWindow}). */
export const EARLY_STOPPING_SHARE = 0.2;

/** Fewest rows the early-stopping fit of a window may use; smaller windows keep the family's own schedule. */
export const MIN_EARLY_STOPPING_ROWS = 30;

/**
 * Fit on one window of time-ordered rows that has no separate validation rows (a walk-forward segment). A family
 * with early stopping picks its iteration count as training does: a fit on the older rows with the newest
 * {@link EARLY_STOPPING_SHARE} (after a purge gap of `horizon` rows) as the early-stopping set; the model is then
 * fitted on all rows with that many iterations. Other families, and windows too small to split, fit once.
 */
export async function fitWindow(spec: FitSpec, X: FeatureColumns, y: Float64Array, seed: number, pace?: Pace): Promise<Model> {
  const iterations = familyTraits(spec.family).earlyStopping ? await bestIterations(spec, X, y, seed, pace) : undefined;
  return (await fitModel(spec, X, y, { seed, iterations, pace })).model;
}

async function bestIterations(spec: FitSpec, X: FeatureColumns, y: Float64Array, seed: number, pace?: Pace): Promise<number | undefined> {
  const n = X.numRows;
  const nValid = Math.max(10, Math.floor(n * EARLY_STOPPING_SHARE));
  const nFit = n - nValid - spec.horizon;
  if (nFit < MIN_EARLY_STOPPING_ROWS) return undefined;
  const rows = (start: number, end: number): FeatureColumns => ({ columns: X.columns.map((c) => c.subarray(start, end)), names: X.names, numRows: end - start });
  const { report } = await fitModel(spec, rows(0, nFit), y.subarray(0, nFit), { seed, valid: { X: rows(n - nValid, n), y: y.subarray(n - nValid) }, pace });
  return report.bestIteration === null ? undefined : Math.max(1, report.bestIteration);
}

/** Class values (sorted distinct finite labels) and the labels re-encoded as class indices (NaN kept). */
export function encodeClasses(y: Float64Array, task: Task): { classValues: number[]; encoded: Float64Array } {
  if (task === 'regression') return { classValues: [], encoded: y };
  const distinct = [...new Set(Array.from(y).filter((v) => Number.isFinite(v)))].sort((a, b) => a - b);
  const ok = task === 'binary' ? distinct.length === 2 : distinct.length >= 3;
  if (!ok) {
    throw new DataError(`the ${task} task needs ${task === 'binary' ? 'exactly 2' : 'at least 3'} label classes, the labels have ${distinct.length} (${distinct.join(', ')})`,
      task === 'binary' ? 'use a binary target (e.g. direction with classes binary) or the multiclass task' : 'use the binary task for two classes');
  }
  const index = new Map(distinct.map((v, i) => [v, i]));
  const encoded = y.map((v) => (Number.isFinite(v) ? index.get(v)! : NaN));
  return { classValues: distinct, encoded };
}

