/** Coefficient of determination. */
import { defineMetric } from './metric.js';

/**
 * R^2 = 1 - SS_res / SS_tot (scikit-learn's `r2_score`): 1 is perfect, 0 is the mean of the labels, negative is
 * worse than that; higher is better.
 *
 * Constant labels (SS_tot = 0) give NaN. The ratio is 0/0 or x/0 there; scikit-learn's default (`force_finite`)
 * replaces it by 1 for perfect predictions and 0 otherwise, its `force_finite=False` by NaN or -Infinity. pulse
 * returns NaN in both cases: 0 would read as "as good as the mean" and enter fold means as a real score, while the
 * question has no answer on such a fold (NaN folds are skipped by the fold mean). The engine used to return 0 here;
 * early stopping is unchanged by the switch, because the value is then the same on every iteration (the labels do
 * not change) and neither a constant 0 nor a constant NaN ever improves on the first iteration.
 */
export const r2 = defineMetric({
  name: 'r2',
  description: 'Coefficient of determination 1 - SS_res / SS_tot (1 perfect, 0 the label mean); NaN when the labels are constant.',
  higherIsBetter: true,
  tasks: ['regression'],
  score(labels, predictions) {
    const n = labels.length;
    let mean = 0;
    for (let i = 0; i < n; i++) mean += labels[i];
    mean /= n;
    let res = 0;
    let tot = 0;
    for (let i = 0; i < n; i++) {
      res += (labels[i] - predictions[i]) ** 2;
      tot += (labels[i] - mean) ** 2;
    }
    return tot > 0 ? 1 - res / tot : NaN;
  },
});
