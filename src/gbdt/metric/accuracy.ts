/** Classification accuracy. */
import type { Metric } from './metric.js';

/**
 * Share of rows whose predicted class equals the label, in [0, 1]: p > 0.5 for binary, the arg-max class
 * (lowest index on ties) for multiclass. Higher is better.
 */
export const accuracy: Metric = {
  name: 'accuracy',
  higherIsBetter: true,
  kinds: ['binary', 'multiclass'],
  evaluate(labels, predictions, numClass) {
    const n = labels.length;
    let hits = 0;
    for (let i = 0; i < n; i++) {
      let cls: number;
      if (numClass === 1) cls = predictions[i] > 0.5 ? 1 : 0;
      else {
        cls = 0;
        const base = i * numClass;
        for (let k = 1; k < numClass; k++) if (predictions[base + k] > predictions[base + cls]) cls = k;
      }
      if (cls === labels[i]) hits++;
    }
    return hits / n;
  },
};
