/** Brier score. */
import { defineMetric } from './metric.js';

/**
 * Mean squared error of probabilities; lower is better. Binary: mean (P(1) - y)^2 in [0, 1] (scikit-learn's
 * `brier_score_loss`). Multiclass: mean over rows of the sum over classes of (p_k - [y = k])^2, in [0, 2] (the
 * original Brier definition; scikit-learn 1.2 has no multiclass Brier score).
 */
export const brier = defineMetric({
  name: 'brier',
  description: 'Brier score: mean squared error of the probabilities (binary: (P(1) - y)^2; multiclass: summed over classes).',
  higherIsBetter: false,
  tasks: ['binary', 'multiclass'],
  score(labels, predictions, width) {
    const n = labels.length;
    let s = 0;
    for (let i = 0; i < n; i++) {
      if (width === 1) s += (predictions[i] - labels[i]) ** 2;
      else for (let k = 0; k < width; k++) s += (predictions[i * width + k] - (labels[i] === k ? 1 : 0)) ** 2;
    }
    return s / n;
  },
});
