/** Binary log-loss. */
import { defineMetric, PROB_EPSILON } from './metric.js';

/**
 * mean(-y log p - (1 - y) log(1 - p)) in nats with p = P(class 1) clipped to [1e-15, 1 - 1e-15] (scikit-learn 1.2's
 * `log_loss`, LightGBM's `binary_logloss`); lower is better. Defined with one class only (scikit-learn needs
 * `labels=` there): the labels 0 and 1 are known.
 */
export const logloss = defineMetric({
  name: 'logloss',
  description: 'Binary log-loss mean(-y log p - (1 - y) log(1 - p)) in nats, p clipped to [1e-15, 1 - 1e-15].',
  higherIsBetter: false,
  tasks: ['binary'],
  score(labels, predictions) {
    let s = 0;
    for (let i = 0; i < labels.length; i++) {
      const p = Math.min(1 - PROB_EPSILON, Math.max(PROB_EPSILON, predictions[i]));
      s -= labels[i] === 1 ? Math.log(p) : Math.log(1 - p);
    }
    return s / labels.length;
  },
});
