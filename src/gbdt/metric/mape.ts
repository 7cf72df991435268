/** Mean absolute percentage error. */
import type { Metric } from './metric.js';

/**
 * MAPE = mean(|p - y| / max(1, |y|)) as a fraction (0.05 = 5%), with LightGBM's floor of 1 on the denominator so
 * labels near zero do not explode it; lower is better.
 */
export const mape: Metric = {
  name: 'mape',
  higherIsBetter: false,
  kinds: ['regression'],
  evaluate(labels, predictions) {
    let s = 0;
    for (let i = 0; i < labels.length; i++) s += Math.abs(predictions[i] - labels[i]) / Math.max(1, Math.abs(labels[i]));
    return s / labels.length;
  },
};
