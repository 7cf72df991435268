/**
 * Per-row losses, for the tests that compare two models on the same rows (the Diebold-Mariano promotion gate):
 * squared error for regression, log loss for classification. Each is the summand of the metric of the same name, with
 * the same clipping, so the mean of a model's row losses equals its `rmse`² / `logloss` / `multi_logloss`.
 */
import { DataError } from '../core/errors.js';
import { PROB_EPSILON, type TaskKind } from './metric/metric.js';

/** Which loss a task's rows are scored with. */
export type RowLossName = 'squared-error' | 'log-loss';

/** The loss a task is compared on. */
export function rowLossName(task: TaskKind): RowLossName {
  return task === 'regression' ? 'squared-error' : 'log-loss';
}

/**
 * The loss of every row: `predictions` in the metric layout (metric.ts: one value per row, or `width` class
 * probabilities per row for multiclass), `labels` the outcomes (class codes for classification).
 * @throws DataError when the lengths do not fit or a class code is out of range.
 */
export function rowLosses(task: TaskKind, labels: ArrayLike<number>, predictions: ArrayLike<number>, width = 1): Float64Array {
  const n = labels.length;
  const k = task === 'multiclass' ? width : 1;
  if (predictions.length !== n * k) {
    throw new DataError(`row losses: ${predictions.length} predictions for ${n} labels of width ${k}`, 'pass one prediction row per label');
  }
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const y = labels[i];
    if (task === 'regression') {
      const e = y - predictions[i];
      out[i] = e * e;
    } else if (task === 'binary') {
      const p = Math.min(1 - PROB_EPSILON, Math.max(PROB_EPSILON, predictions[i]));
      out[i] = y === 1 ? -Math.log(p) : -Math.log(1 - p);
    } else {
      if (!(Number.isInteger(y) && y >= 0 && y < k)) throw new DataError(`row losses: class ${y} of row ${i} is not in 0..${k - 1}`, 'check the labels');
      out[i] = -Math.log(Math.max(PROB_EPSILON, predictions[i * k + y]));
    }
  }
  return out;
}

/**
 * Log loss of one classified row from the probability the model gave the class that happened: -ln(max(p, 1e-15)),
 * the summand of `multi_logloss` (and of `logloss` up to its upper clip, which moves a loss by at most 1e-15).
 */
export function realisedClassLoss(probability: number): number {
  return -Math.log(Math.max(PROB_EPSILON, probability));
}
