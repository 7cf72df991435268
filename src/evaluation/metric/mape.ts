/** Mean absolute percentage error. */
import { defineMetric } from './metric.js';

/**
 * MAPE = mean(|p - y| / max(1, |y|)) as a fraction (0.05 = 5%); lower is better. The denominator's floor of 1 is
 * LightGBM's, not scikit-learn's (`mean_absolute_percentage_error` floors |y| at machine epsilon): labels near zero,
 * as returns are, would otherwise dominate the mean. The engine's `metric=mape` has always meant LightGBM's.
 */
export const mape = defineMetric({
  name: 'mape',
  description: 'Mean absolute percentage error mean(|p - y| / max(1, |y|)) as a fraction, with LightGBM\'s floor of 1 on the denominator.',
  higherIsBetter: false,
  tasks: ['regression'],
  score(labels, predictions) {
    let s = 0;
    for (let i = 0; i < labels.length; i++) s += Math.abs(predictions[i] - labels[i]) / Math.max(1, Math.abs(labels[i]));
    return s / labels.length;
  },
});
