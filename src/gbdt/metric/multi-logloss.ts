/** Multiclass log-loss. */
import { PROB_EPSILON, type Metric } from './metric.js';

/** mean(-log p_y) in nats over row-major class probabilities, p clipped at 1e-15; lower is better. */
export const multiLogloss: Metric = {
  name: 'multi_logloss',
  higherIsBetter: false,
  kinds: ['multiclass'],
  evaluate(labels, predictions, numClass) {
    let s = 0;
    for (let i = 0; i < labels.length; i++) s -= Math.log(Math.max(PROB_EPSILON, predictions[i * numClass + labels[i]]));
    return s / labels.length;
  },
};
