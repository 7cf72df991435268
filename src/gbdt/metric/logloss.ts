/** Binary log-loss. */
import { PROB_EPSILON, type Metric } from './metric.js';

/** mean(-y log p - (1 - y) log(1 - p)) in nats, p clipped to [1e-15, 1 - 1e-15]; lower is better. */
export const logloss: Metric = {
  name: 'logloss',
  higherIsBetter: false,
  kinds: ['binary'],
  evaluate(labels, predictions) {
    let s = 0;
    for (let i = 0; i < labels.length; i++) {
      const p = Math.min(1 - PROB_EPSILON, Math.max(PROB_EPSILON, predictions[i]));
      s -= labels[i] > 0.5 ? Math.log(p) : Math.log(1 - p);
    }
    return s / labels.length;
  },
};
