/** Multiclass log-loss. */
import { defineMetric, PROB_EPSILON } from './metric.js';

/**
 * mean(-log p_y) in nats over row-major class probabilities, p_y floored at 1e-15 (LightGBM's `multi_logloss`);
 * lower is better.
 *
 * scikit-learn's `log_loss` also clips at 1 - 1e-15 and divides each row by its sum. pulse does neither: the
 * engine's early stopping has always used this definition (changing it could move a stopping point), and the
 * probabilities pulse scores are softmax or averaged rows that already sum to 1 up to rounding, where the two agree
 * to about 1e-16 relative (test/evaluation/metrics.test.ts checks scikit-learn's value to 12 digits).
 */
export const multiLogloss = defineMetric({
  name: 'multi_logloss',
  description: 'Multiclass log-loss mean(-log p_y) in nats, p_y floored at 1e-15 (no renormalisation of rows).',
  higherIsBetter: false,
  tasks: ['multiclass'],
  score(labels, predictions, width) {
    let s = 0;
    for (let i = 0; i < labels.length; i++) s -= Math.log(Math.max(PROB_EPSILON, predictions[i * width + labels[i]]));
    return s / labels.length;
  },
});
