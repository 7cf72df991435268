/**
 * The training objective interface. An objective turns labels and current raw scores into per-row gradients and
 * hessians (all the tree learner sees), gives the initial score and names the output transform of the model
 * (transform.ts owns the transforms themselves).
 *
 * Layouts: raw scores are row-major `numRows x numClass` (`scores[i * K + k]`); gradients and hessians are
 * class-major (`grad[k * numRows + i]`) so the trees of class k read one contiguous block.
 */
import type { MetricName, TaskKind } from '../../evaluation/metric/metric.js';
import type { ObjectiveSpec } from '../model.js';
import type { GbdtParams, TrainObjectiveName } from '../params.js';

/** One training objective. */
export interface Objective {
  readonly name: TrainObjectiveName;
  readonly kind: TaskKind;
  /** Raw scores (and trees) per row and iteration: the number of classes for multiclass, else 1. */
  readonly numClass: number;
  /** Metric evaluated on validation sets when the user names none. */
  readonly defaultMetric: MetricName;
  /** Whether `hess` is the exact second derivative of `loss` (false for the constant pseudo-hessians of L1, Huber, quantile). */
  readonly exactHessian: boolean;
  /** Whether every hessian is exactly 1, so hessian sums are row counts (lets the learner verify its histograms). */
  readonly unitHessian: boolean;
  /**
   * Throw a `DataError` naming the first label this objective cannot use (`what` names the data set). With
   * `training`, also require every class a classifier needs (validation sets may hold one class).
   */
  checkLabels(labels: Float64Array, what: string, training: boolean): void;
  /** Initial raw score per class (the constant model minimising the loss). */
  initScore(labels: Float64Array): Float64Array;
  /** Fill gradients and hessians (class-major) from labels and row-major scores. */
  gradients(labels: Float64Array, scores: Float64Array, grad: Float64Array, hess: Float64Array): void;
  /** Loss of row `i` at the row-major scores (for tests and diagnostics). */
  loss(labels: Float64Array, scores: Float64Array, i: number): number;
  /**
   * Optional refit of a leaf after the tree is grown (L1, quantile): the value minimising the loss over the rows
   * `rows[begin..end)` of the leaf, for class 0, given the scores before this tree. `scratch` holds >= end-begin values.
   */
  renewLeaf?(labels: Float64Array, scores: Float64Array, rows: Uint32Array, begin: number, end: number, scratch: Float64Array): number;
  /** The objective as stored in the model (drives the output transform). */
  spec(): ObjectiveSpec;
}

/** Builds an objective from resolved parameters. */
export type ObjectiveFactory = (params: GbdtParams) => Objective;

/** Mean of the labels. */
export function mean(labels: Float64Array): number {
  let s = 0;
  for (let i = 0; i < labels.length; i++) s += labels[i];
  return s / labels.length;
}

/**
 * The alpha-quantile of `values[0..n)` with linear interpolation between order statistics (sorts in place).
 * `alpha` in [0, 1].
 */
export function quantileInPlace(values: Float64Array, n: number, alpha: number): number {
  if (n <= 0) return 0;
  const v = values.subarray(0, n);
  v.sort();
  const pos = alpha * (n - 1);
  const lo = Math.floor(pos);
  const hi = Math.min(n - 1, lo + 1);
  return v[lo] + (v[hi] - v[lo]) * (pos - lo);
}

/** Quantile of the residuals label - score over the rows of one leaf. */
export function residualQuantile(
  labels: Float64Array, scores: Float64Array, rows: Uint32Array, begin: number, end: number, scratch: Float64Array, alpha: number,
): number {
  const n = end - begin;
  for (let i = 0; i < n; i++) {
    const r = rows[begin + i];
    scratch[i] = labels[r] - scores[r];
  }
  return quantileInPlace(scratch, n, alpha);
}
