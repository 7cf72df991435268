/** Area under the ROC curve. */
import { averageRanks } from '../../core/stats.js';
import { defineMetric } from './metric.js';

/**
 * ROC AUC of `scores` for the rows labelled `positive`, by the rank-sum (Mann-Whitney U) formula with average
 * ranks, so a tied positive/negative pair counts one half; NaN unless both the positive and some other label occur.
 * Exact: ranks are half-integers, whose sums are exact in doubles.
 */
export function rocAuc(labels: Float64Array, scores: Float64Array, positive: number): number {
  const ranks = averageRanks(scores);
  let nPos = 0;
  let rankSum = 0;
  for (let i = 0; i < labels.length; i++) {
    if (labels[i] === positive) {
      nPos++;
      rankSum += ranks[i];
    }
  }
  const nNeg = labels.length - nPos;
  if (nPos === 0 || nNeg === 0) return NaN;
  return (rankSum - (nPos * (nPos + 1)) / 2) / (nPos * nNeg);
}

/**
 * ROC AUC in [0, 1], 0.5 is chance; higher is better. Binary: AUC of P(class 1) (scikit-learn's `roc_auc_score`).
 * Multiclass: the unweighted mean of the one-vs-rest AUCs of each class's probability (`roc_auc_score(multi_class=
 * 'ovr', average='macro')`). NaN when a class is absent (one class only in binary): scikit-learn raises there, and
 * the engine used to return 0.5, which early stopping treats the same way (the labels, and so the value, are fixed
 * across iterations).
 */
export const auc = defineMetric({
  name: 'auc',
  description: 'ROC AUC by the rank-sum formula (ties count 1/2), one-vs-rest macro mean for multiclass; NaN when a class is absent.',
  higherIsBetter: true,
  tasks: ['binary', 'multiclass'],
  score(labels, predictions, width) {
    if (width === 1) return rocAuc(labels, predictions, 1);
    const n = labels.length;
    const column = new Float64Array(n);
    let s = 0;
    for (let k = 0; k < width; k++) {
      for (let i = 0; i < n; i++) column[i] = predictions[i * width + k];
      s += rocAuc(labels, column, k);
    }
    return s / width;
  },
});
