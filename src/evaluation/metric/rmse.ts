/** Root mean squared error. */
import { defineMetric } from './metric.js';

/**
 * RMSE = sqrt(mean((p - y)^2)), in label units, >= 0; lower is better (the square root of scikit-learn's
 * `mean_squared_error`).
 */
export const rmse = defineMetric({
  name: 'rmse',
  description: 'Root mean squared error sqrt(mean((p - y)^2)), in label units.',
  higherIsBetter: false,
  tasks: ['regression'],
  score(labels, predictions) {
    // (p - y)^2 summed in row order: the engine's early stopping compares these values bit for bit across versions
    let s = 0;
    for (let i = 0; i < labels.length; i++) s += (predictions[i] - labels[i]) ** 2;
    return Math.sqrt(s / labels.length);
  },
});
