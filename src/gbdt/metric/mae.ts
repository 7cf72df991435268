/** Mean absolute error. */
import type { Metric } from './metric.js';

/** MAE = mean(|p - y|), in label units; lower is better. */
export const mae: Metric = {
  name: 'mae',
  higherIsBetter: false,
  kinds: ['regression'],
  evaluate(labels, predictions) {
    let s = 0;
    for (let i = 0; i < labels.length; i++) s += Math.abs(predictions[i] - labels[i]);
    return s / labels.length;
  },
};
