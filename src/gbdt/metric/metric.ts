/**
 * The evaluation metric interface. Metrics read labels and transformed predictions (values for regression,
 * probabilities for binary, row-major `numRows x numClass` probabilities for multiclass) and declare their
 * direction, so early stopping knows whether a larger value is an improvement.
 */
import type { TaskKind } from '../objective/objective.js';
import type { MetricName } from '../params.js';

/** One evaluation metric. */
export interface Metric {
  readonly name: MetricName;
  /** True when larger values are better (auc, accuracy, r2). */
  readonly higherIsBetter: boolean;
  /** Objective kinds whose predictions this metric can score. */
  readonly kinds: readonly TaskKind[];
  /** The metric over `labels.length` rows; `numClass` is the prediction width per row. */
  evaluate(labels: Float64Array, predictions: Float64Array, numClass: number): number;
}

/** Probabilities are clipped to [EPS, 1 - EPS] inside log-losses so one confident miss stays finite. */
export const PROB_EPSILON = 1e-15;
