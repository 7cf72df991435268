/** Classification accuracy. */
import { defineMetric, predictedClass } from './metric.js';

/**
 * Share of rows whose predicted class equals the label, in [0, 1]: P(1) > 0.5 for binary, the arg-max class (lowest
 * index on ties) for multiclass (scikit-learn's `accuracy_score` of those classes); higher is better.
 */
export const accuracy = defineMetric({
  name: 'accuracy',
  description: 'Share of rows whose predicted class (P(1) > 0.5, or the arg-max, lowest index on ties) equals the label.',
  higherIsBetter: true,
  tasks: ['binary', 'multiclass'],
  score(labels, predictions, width) {
    let hits = 0;
    for (let i = 0; i < labels.length; i++) if (predictedClass(predictions, i, width) === labels[i]) hits++;
    return hits / labels.length;
  },
});
