/** Mean absolute error. */
import { defineMetric } from './metric.js';

/** MAE = mean(|p - y|), in label units, >= 0; lower is better (scikit-learn's `mean_absolute_error`). */
export const mae = defineMetric({
  name: 'mae',
  description: 'Mean absolute error mean(|p - y|), in label units.',
  higherIsBetter: false,
  tasks: ['regression'],
  score(labels, predictions) {
    let s = 0;
    for (let i = 0; i < labels.length; i++) s += Math.abs(predictions[i] - labels[i]);
    return s / labels.length;
  },
});
