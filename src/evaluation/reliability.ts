/** Reliability (calibration) tables of predicted probabilities. */
import { predictedClass } from './metric/metric.js';

/** One bin of a reliability table. */
export interface ReliabilityBin {
  /** Bin edges: predicted probabilities in (lower, upper] (the first bin also holds 0). */
  lower: number;
  upper: number;
  /** Mean predicted probability of the rows in the bin (NaN when empty). */
  meanPredicted: number;
  /** Observed frequency of the event in the bin (NaN when empty). */
  observedFrequency: number;
  count: number;
}

/**
 * Reliability (calibration) table over `bins` equal-width bins of [0, 1], binned as scikit-learn's
 * `calibration_curve(strategy='uniform')`. Binary (`numClass` 2, one P(1) per row): the event is y = 1 and the
 * probability is P(1). Multiclass (`numClass` probabilities per row, row-major): the probability is the top
 * class's and the event is that the top class is right (confidence calibration).
 *
 * A table, not a metric, so the metric edge-case rules do not apply: with no rows every bin is empty (count 0,
 * means NaN), and a NaN probability falls in the first bin and makes that bin's mean prediction NaN.
 */
export function reliabilityTable(y: Float64Array, prob: Float64Array, numClass = 2, bins = 10): ReliabilityBin[] {
  const width = numClass === 2 ? 1 : numClass;
  const sumP = new Float64Array(bins);
  const sumY = new Float64Array(bins);
  const count = new Float64Array(bins);
  for (let i = 0; i < y.length; i++) {
    const top = predictedClass(prob, i, width);
    const p = width === 1 ? prob[i] : prob[i * width + top];
    const event = width === 1 ? y[i] : y[i] === top ? 1 : 0;
    // bin = number of interior edges k/bins strictly below p (numpy searchsorted, side left)
    let b = 0;
    while (b < bins - 1 && (b + 1) * (1 / bins) < p) b++;
    sumP[b] += p;
    sumY[b] += event;
    count[b]++;
  }
  return Array.from({ length: bins }, (_, b) => ({
    lower: b / bins,
    upper: (b + 1) / bins,
    meanPredicted: count[b] > 0 ? sumP[b] / count[b] : NaN,
    observedFrequency: count[b] > 0 ? sumY[b] / count[b] : NaN,
    count: count[b],
  }));
}
