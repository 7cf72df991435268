/**
 * The model interface every `pulse train` family implements: fit on a column-major feature frame, predict,
 * serialise to a strict JSON document and describe itself. Families are registered in `MODEL_REGISTRY`
 * (registry.ts), a typed `Record<ModelFamily, ModelFactory>`; nothing else switches on the family name.
 *
 * Label conventions: regression labels are any finite numbers; classification labels are class indices
 * `0..numClass-1` (binary: 0/1). `predict` returns, per row, the predicted value (regression), the probability
 * of class 1 (binary) or `numClass` class probabilities row-major (multiclass).
 */

import type { Pace } from '../core/async.js';

/** Model families `pulse train --model` accepts. */
export type ModelFamily = 'lightgbm' | 'xgboost' | 'rf' | 'ridge' | 'logistic' | 'naive' | 'ensemble';

/** Every model family, in the order shown in help and docs. */
export const MODEL_FAMILIES: readonly ModelFamily[] = ['lightgbm', 'xgboost', 'rf', 'ridge', 'logistic', 'naive', 'ensemble'];

/** What a model predicts: a number, the probability of class 1, or one probability per class. */
export type Task = 'regression' | 'binary' | 'multiclass';

/** Every task. */
export const TASKS: readonly Task[] = ['regression', 'binary', 'multiclass'];

/**
 * Features in column-major layout: `columns[f][row]`, one Float64Array of `numRows` values per feature, NaN =
 * missing. Columns may be views (subarrays) of larger arrays; models never write to them.
 */
export interface FeatureColumns {
  readonly columns: readonly Float64Array[];
  readonly numRows: number;
  /** Feature names, parallel to `columns`, unique. */
  readonly names: readonly string[];
}

/** Progress of a fit: one event per boosting iteration or solver step. */
export interface FitProgress {
  /** What is being fitted (e.g. `gbdt`, `ridge`, `ensemble:meta`). */
  stage: string;
  /** 1-based step just finished. */
  step: number;
  /** Steps planned (an upper bound when early stopping may end sooner). */
  total: number;
}

/** Options of `Model.fit`. */
export interface FitOptions {
  /** Validation rows for early stopping (GBDT families); other families ignore it. Never used for fitting. */
  valid?: { X: FeatureColumns; y: Float64Array };
  /** Seed of every random draw of the fit (bagging, feature sampling, inner folds). */
  seed: number;
  /** Called after each iteration or solver step. */
  onProgress?: (progress: FitProgress) => void;
  /**
   * Boosting families: train exactly this many iterations with no early stopping (the final fit after
   * cross-validation uses the folds' best iterations). Other families ignore it.
   */
  iterations?: number;
  /** Awaited between iterations or solver steps: a safe point to yield and to stop (src/core/async.ts). */
  pace?: Pace;
}

/** What a fit reports besides the fitted state. */
export interface FitReport {
  /** Boosting iterations kept (early stopping's best, else all trained); null for families without iterations. */
  bestIteration: number | null;
  /** Iterations or solver steps run; null when the family has none (closed-form ridge, naive). */
  iterations: number | null;
}

/** Feature importance, normalised to sum to 1 (all zeros when the model uses no feature). */
export interface ImportanceEntry {
  feature: string;
  /** Share of the model's total importance, in [0, 1]. */
  importance: number;
}

/** A human- and machine-readable summary of a fitted model. */
export interface ModelDescription {
  family: ModelFamily;
  task: Task;
  numClass: number;
  /** The resolved parameters (defaults filled in), as stored in the model document. */
  params: Record<string, number | string | boolean>;
  /**
   * Feature importance where the family has one: split gain share (GBDT), |standardised coefficient| share
   * (ridge, logistic), meta-weighted base importance (ensemble); null for naive.
   */
  featureImportance: ImportanceEntry[] | null;
  /** Family-specific facts (e.g. intercept, base rate, best iteration). */
  details: Record<string, number | string | boolean | null>;
}

/** `format` marker of serialised models. */
export const MODEL_DOCUMENT_FORMAT = 'pulse-model';
/** Current version of the model document; readers refuse newer versions. */
export const MODEL_DOCUMENT_VERSION = 1;

/** A serialised model: a versioned envelope around the family's own state. */
export interface ModelDocument {
  format: typeof MODEL_DOCUMENT_FORMAT;
  formatVersion: number;
  family: ModelFamily;
  task: Task;
  numClass: number;
  featureNames: string[];
  params: Record<string, number | string | boolean>;
  seed: number;
  /** Family-specific fitted state, read back by the family's strict `fromJSON`. */
  state: Record<string, unknown>;
}

/** A fitted (or fittable) model. */
export interface Model {
  readonly family: ModelFamily;
  readonly task: Task;
  /** Classes (2 for binary, 1 for regression). */
  readonly numClass: number;
  /**
   * Fit on `X` and `y` (one finite label per row: class indices for classification). Throws `DataError` for
   * bad shapes or labels. Deterministic for `options.seed`.
   */
  fit(X: FeatureColumns, y: Float64Array, options: FitOptions): Promise<FitReport>;
  /** Predictions for every row of `X` (see the module note for the layout); throws when not fitted. */
  predict(X: FeatureColumns): Float64Array;
  /** The model as a JSON-safe document (throws when not fitted). */
  toJSON(): ModelDocument;
  /** Summary of the fitted model (throws when not fitted). */
  describe(): ModelDescription;
}

/** Output values per row of `predict` for a task. */
export function outputWidth(task: Task, numClass: number): number {
  return task === 'multiclass' ? numClass : 1;
}
