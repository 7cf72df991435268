/** Coefficient of determination. */
import type { Metric } from './metric.js';

/** R^2 = 1 - SS_res / SS_tot (1 is perfect, 0 is the mean predictor; 0 when labels are constant); higher is better. */
export const r2: Metric = {
  name: 'r2',
  higherIsBetter: true,
  kinds: ['regression'],
  evaluate(labels, predictions) {
    const n = labels.length;
    let m = 0;
    for (let i = 0; i < n; i++) m += labels[i];
    m /= n;
    let res = 0;
    let tot = 0;
    for (let i = 0; i < n; i++) {
      res += (labels[i] - predictions[i]) ** 2;
      tot += (labels[i] - m) ** 2;
    }
    return tot > 0 ? 1 - res / tot : 0;
  },
};
