/** Area under the ROC curve. */
import type { Metric } from './metric.js';

/**
 * ROC AUC by the rank-sum (Mann-Whitney) formula with average ranks for tied predictions, in [0, 1]; 0.5 is
 * chance. Defined as 0.5 when only one class is present. Higher is better.
 */
export const auc: Metric = {
  name: 'auc',
  higherIsBetter: true,
  kinds: ['binary'],
  evaluate(labels, predictions) {
    const n = labels.length;
    const order = new Uint32Array(n);
    for (let i = 0; i < n; i++) order[i] = i;
    order.sort((a, b) => predictions[a] - predictions[b]);
    let rankSumPos = 0;
    let pos = 0;
    let i = 0;
    while (i < n) {
      let j = i;
      while (j + 1 < n && predictions[order[j + 1]] === predictions[order[i]]) j++;
      const avgRank = (i + j) / 2 + 1;
      for (let k = i; k <= j; k++) {
        if (labels[order[k]] > 0.5) {
          rankSumPos += avgRank;
          pos++;
        }
      }
      i = j + 1;
    }
    const neg = n - pos;
    if (pos === 0 || neg === 0) return 0.5;
    return (rankSumPos - (pos * (pos + 1)) / 2) / (pos * neg);
  },
};
