/** Directional accuracy of return forecasts. */
import { defineMetric } from './metric.js';

/**
 * Share of rows whose predicted sign matches the realised sign, in [0, 1]; higher is better. Rows with a zero label
 * are skipped (no direction to get right); a zero prediction scores 1/2 (no call is a coin flip), so the zero-return
 * baseline scores exactly 0.5. NaN when every label is zero. No scikit-learn counterpart.
 */
export const directionalAccuracy = defineMetric({
  name: 'directional_accuracy',
  description: 'Share of rows whose predicted sign matches the label\'s; zero labels skipped, zero predictions score 1/2; NaN when every label is zero.',
  higherIsBetter: true,
  tasks: ['regression'],
  score(labels, predictions) {
    let hits = 0;
    let count = 0;
    for (let i = 0; i < labels.length; i++) {
      if (labels[i] === 0) continue;
      count++;
      if (predictions[i] === 0) hits += 0.5;
      else if (predictions[i] > 0 === labels[i] > 0) hits += 1;
    }
    return count > 0 ? hits / count : NaN;
  },
});
