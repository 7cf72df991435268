/** Pearson information coefficient. */
import { pearson } from '../../core/stats.js';
import { defineMetric } from './metric.js';

/**
 * Pearson correlation of predictions and labels (`scipy.stats.pearsonr`), in [-1, 1]; higher is better. Qlib's
 * "IC" (its "Rank IC" is pulse's `ic`, the Spearman correlation): sensitive to the size of the forecasts, not only
 * their order. NaN for fewer than two rows or when either side is constant (SciPy also returns NaN there).
 */
export const pearsonIc = defineMetric({
  name: 'pearson_ic',
  description: 'Pearson information coefficient: linear correlation of predictions and labels, in [-1, 1]; NaN for fewer than 2 rows or a constant side.',
  higherIsBetter: true,
  tasks: ['regression'],
  score(labels, predictions) {
    return pearson(labels, predictions);
  },
});
