/** Root mean squared error. */
import type { Metric } from './metric.js';

/** RMSE = sqrt(mean((p - y)^2)), in label units; lower is better. */
export const rmse: Metric = {
  name: 'rmse',
  higherIsBetter: false,
  kinds: ['regression'],
  evaluate(labels, predictions) {
    let s = 0;
    for (let i = 0; i < labels.length; i++) s += (predictions[i] - labels[i]) ** 2;
    return Math.sqrt(s / labels.length);
  },
};
