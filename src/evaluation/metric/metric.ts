/**
 * The evaluation metric interface: the one definition of every score pulse computes, shared by GBDT early stopping
 * (src/gbdt/booster.ts) and the training reports (src/evaluation/reports.ts).
 *
 * Prediction layouts (`width` = values per row):
 * - regression: one predicted value per row (`width` 1);
 * - binary: one probability of class 1 per row (`width` 1), labels 0 or 1;
 * - multiclass: `width` = K class probabilities per row, row-major (`predictions[i * K + k]`), labels 0..K-1.
 *
 * Edge cases, decided once here for every metric (`defineMetric` applies them before a metric's own formula runs):
 * - empty input (no rows): NaN. scikit-learn raises; a metric returns NaN instead so an early-stopping loop or a
 *   fold mean (which skips NaN folds) can go on, and a report shows "undefined" rather than an invented number.
 * - NaN anywhere in the labels or predictions: NaN, as SciPy's `nan_policy='propagate'` (scikit-learn raises).
 *   Without this rule a NaN prediction would count as class 0 in accuracy, as a miss in directional accuracy and
 *   would scramble the ranks of AUC and IC.
 * - Metric-specific undefined cases (constant labels for r2 and ic, one class only for auc, no nonzero label for
 *   directional accuracy) are NaN too; each metric's file says which.
 * A NaN never improves an early-stopping best value, so a metric that is NaN on every iteration keeps the first
 * iteration, exactly as a constant value does.
 */
import { DataError } from '../../core/errors.js';

/** What kind of predictions a model makes; each metric declares the kinds it scores. */
export type TaskKind = 'regression' | 'binary' | 'multiclass';

/**
 * Canonical metric names: the names the GBDT `metric` parameter accepts (LightGBM's where LightGBM has the metric)
 * and the keys of `METRICS` in ./metrics.ts.
 */
export type MetricName =
  | 'rmse'
  | 'mae'
  | 'mape'
  | 'r2'
  | 'directional_accuracy'
  | 'ic'
  | 'pearson_ic'
  | 'logloss'
  | 'multi_logloss'
  | 'auc'
  | 'accuracy'
  | 'brier';

/** One evaluation metric. */
export interface Metric {
  readonly name: MetricName;
  /** One line for the docs: the formula, units and range, and the metric's own undefined cases. */
  readonly description: string;
  /** True when larger values are better (auc, accuracy, r2, directional accuracy, ic). */
  readonly higherIsBetter: boolean;
  /** Task kinds whose prediction layout this metric scores. */
  readonly tasks: readonly TaskKind[];
  /**
   * The metric of `predictions` (`width` values per row, see the layouts above) against `labels`, with the edge
   * cases above. Throws `DataError` when `predictions.length !== labels.length * width`.
   */
  evaluate(labels: Float64Array, predictions: Float64Array, width: number): number;
}

/** What a metric file defines: everything but the shared edge-case handling. */
export interface MetricSpec extends Omit<Metric, 'evaluate'> {
  /** The formula, called only on non-empty, NaN-free input of matching length. */
  score(labels: Float64Array, predictions: Float64Array, width: number): number;
}

/**
 * Log-losses clip probabilities to at least this, so one confident miss stays finite (scikit-learn 1.2's and
 * LightGBM's 1e-15).
 */
export const PROB_EPSILON = 1e-15;

function hasNaN(values: Float64Array): boolean {
  for (let i = 0; i < values.length; i++) if (values[i] !== values[i]) return true;
  return false;
}

/** A metric from its spec, with the shared edge cases (shape check, empty input, NaN) applied before `score`. */
export function defineMetric(spec: MetricSpec): Metric {
  const { score, ...rest } = spec;
  return {
    ...rest,
    evaluate(labels, predictions, width) {
      if (predictions.length !== labels.length * width) {
        throw new DataError(`metric ${spec.name}: ${predictions.length} predictions for ${labels.length} labels of ${width} value(s) each`,
          'pass one prediction per row (one probability per class and row for multiclass)');
      }
      if (labels.length === 0 || hasNaN(labels) || hasNaN(predictions)) return NaN;
      return score(labels, predictions, width);
    },
  };
}

/**
 * The class implied by row `i` of probabilities of width `width`: P(1) > 0.5 for binary (`width` 1), else the
 * arg-max (the lowest class index on ties).
 */
export function predictedClass(predictions: Float64Array, i: number, width: number): number {
  if (width === 1) return predictions[i] > 0.5 ? 1 : 0;
  const base = i * width;
  let best = 0;
  for (let k = 1; k < width; k++) if (predictions[base + k] > predictions[base + best]) best = k;
  return best;
}
