/** Information coefficient (Spearman rank correlation). */
import { averageRanks, pearson } from '../../core/stats.js';
import { defineMetric } from './metric.js';

/**
 * Spearman rank correlation of predictions and labels, ties averaged (`scipy.stats.spearmanr`), in [-1, 1]; higher
 * is better. NaN for fewer than two rows or when either side is constant (SciPy also returns NaN there).
 */
export const informationCoefficient = defineMetric({
  name: 'ic',
  description: 'Information coefficient: Spearman rank correlation of predictions and labels (ties averaged), in [-1, 1]; NaN for fewer than 2 rows or a constant side.',
  higherIsBetter: true,
  tasks: ['regression'],
  score(labels, predictions) {
    return pearson(averageRanks(labels), averageRanks(predictions));
  },
});
