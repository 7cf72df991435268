/**
 * Evaluation metrics as pure named functions over labels and predictions (Float64Arrays of equal length).
 * Definitions follow scikit-learn and SciPy, against which test/train/metrics.test.ts checks them on recorded
 * values (scripts/make-train-oracles.py). Undefined values (empty input, constant inputs for a correlation, one
 * class only for AUC) are NaN rather than a misleading number.
 */
import { averageRanks, pearson } from '../core/stats.js';

/** Root mean squared error. */
export function rmse(y: Float64Array, pred: Float64Array): number {
  const n = y.length;
  if (n === 0) return NaN;
  let s = 0;
  for (let i = 0; i < n; i++) {
    const d = y[i] - pred[i];
    s += d * d;
  }
  return Math.sqrt(s / n);
}

/** Mean absolute error. */
export function mae(y: Float64Array, pred: Float64Array): number {
  const n = y.length;
  if (n === 0) return NaN;
  let s = 0;
  for (let i = 0; i < n; i++) s += Math.abs(y[i] - pred[i]);
  return s / n;
}

/**
 * Coefficient of determination 1 - SS_res / SS_tot (scikit-learn's `r2_score`): negative when worse than the
 * mean of y; NaN when y is constant (sklearn returns 0 or 1 there, which hides the degenerate case).
 */
export function r2(y: Float64Array, pred: Float64Array): number {
  const n = y.length;
  if (n === 0) return NaN;
  let mean = 0;
  for (let i = 0; i < n; i++) mean += y[i];
  mean /= n;
  let res = 0;
  let tot = 0;
  for (let i = 0; i < n; i++) {
    res += (y[i] - pred[i]) ** 2;
    tot += (y[i] - mean) ** 2;
  }
  return tot > 0 ? 1 - res / tot : NaN;
}

/**
 * Directional accuracy: the share of rows whose predicted sign matches the realised sign. Rows with a zero
 * realised return are skipped (no direction to get right); a zero prediction scores 1/2 (no call is a coin
 * flip), so the zero-return baseline scores exactly 0.5. NaN when every realised return is zero.
 */
export function directionalAccuracy(y: Float64Array, pred: Float64Array): number {
  let hits = 0;
  let count = 0;
  for (let i = 0; i < y.length; i++) {
    if (y[i] === 0) continue;
    count++;
    if (pred[i] === 0) hits += 0.5;
    else if (pred[i] > 0 === y[i] > 0) hits += 1;
  }
  return count > 0 ? hits / count : NaN;
}

export { averageRanks, pearson } from '../core/stats.js';

/**
 * Information coefficient: Spearman rank correlation of predictions and realised values (ties averaged, as
 * `scipy.stats.spearmanr`), in [-1, 1]; NaN when either side is constant.
 */
export function informationCoefficient(y: Float64Array, pred: Float64Array): number {
  return pearson(averageRanks(y), averageRanks(pred));
}

const EPS = 1e-15;

/**
 * Log loss (cross-entropy, natural log). Binary: `prob` holds P(class 1) per row. Multiclass: `prob` holds
 * `numClass` probabilities per row, row-major. Probabilities are clipped to [1e-15, 1 - 1e-15] as scikit-learn
 * does; multiclass rows are renormalised.
 */
export function logLoss(y: Float64Array, prob: Float64Array, numClass = 2): number {
  const n = y.length;
  if (n === 0) return NaN;
  let s = 0;
  if (numClass === 2) {
    for (let i = 0; i < n; i++) {
      const p = Math.min(1 - EPS, Math.max(EPS, prob[i]));
      s -= y[i] === 1 ? Math.log(p) : Math.log(1 - p);
    }
  } else {
    for (let i = 0; i < n; i++) {
      let total = 0;
      for (let k = 0; k < numClass; k++) total += Math.min(1 - EPS, Math.max(EPS, prob[i * numClass + k]));
      s -= Math.log(Math.min(1 - EPS, Math.max(EPS, prob[i * numClass + y[i]])) / total);
    }
  }
  return s / n;
}

/**
 * Area under the ROC curve of scores for the positive class (Mann-Whitney U with average ranks, so tied scores
 * count one half), in [0, 1]; NaN unless both classes occur. `positive` is the label value counted as positive.
 */
export function auc(y: Float64Array, score: Float64Array, positive = 1): number {
  const ranks = averageRanks(score);
  let nPos = 0;
  let rankSum = 0;
  for (let i = 0; i < y.length; i++) {
    if (y[i] === positive) {
      nPos++;
      rankSum += ranks[i];
    }
  }
  const nNeg = y.length - nPos;
  if (nPos === 0 || nNeg === 0) return NaN;
  return (rankSum - (nPos * (nPos + 1)) / 2) / (nPos * nNeg);
}

/**
 * Multiclass AUC: the unweighted mean over classes of one-vs-rest AUCs (scikit-learn's
 * `roc_auc_score(multi_class='ovr', average='macro')`); NaN when a class is absent.
 */
export function aucOneVsRest(y: Float64Array, prob: Float64Array, numClass: number): number {
  const n = y.length;
  const col = new Float64Array(n);
  let s = 0;
  for (let k = 0; k < numClass; k++) {
    for (let i = 0; i < n; i++) col[i] = prob[i * numClass + k];
    s += auc(y, col, k);
  }
  return s / numClass;
}

/** Accuracy of the implied class: P(1) > 0.5 (binary) or the arg-max (multiclass, first on ties). */
export function accuracy(y: Float64Array, prob: Float64Array, numClass = 2): number {
  const n = y.length;
  if (n === 0) return NaN;
  let hits = 0;
  for (let i = 0; i < n; i++) if (predictedClass(prob, i, numClass) === y[i]) hits++;
  return hits / n;
}

/** The class implied by row `i` of probabilities. */
export function predictedClass(prob: Float64Array, i: number, numClass: number): number {
  if (numClass === 2) return prob[i] > 0.5 ? 1 : 0;
  let best = 0;
  for (let k = 1; k < numClass; k++) if (prob[i * numClass + k] > prob[i * numClass + best]) best = k;
  return best;
}

/**
 * Brier score: mean squared error of probabilities. Binary: mean (P(1) - y)^2 (scikit-learn's
 * `brier_score_loss`). Multiclass: mean over rows of the sum over classes of (p_k - [y = k])^2.
 */
export function brier(y: Float64Array, prob: Float64Array, numClass = 2): number {
  const n = y.length;
  if (n === 0) return NaN;
  let s = 0;
  for (let i = 0; i < n; i++) {
    if (numClass === 2) s += (prob[i] - y[i]) ** 2;
    else for (let k = 0; k < numClass; k++) s += (prob[i * numClass + k] - (y[i] === k ? 1 : 0)) ** 2;
  }
  return s / n;
}

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
 * `calibration_curve(strategy='uniform')`. Binary: the event is y = 1 and the probability is P(1). Multiclass:
 * the probability is the top class's and the event is that the top class is right (confidence calibration).
 */
export function reliabilityTable(y: Float64Array, prob: Float64Array, numClass = 2, bins = 10): ReliabilityBin[] {
  const sumP = new Float64Array(bins);
  const sumY = new Float64Array(bins);
  const count = new Float64Array(bins);
  for (let i = 0; i < y.length; i++) {
    const top = predictedClass(prob, i, numClass);
    const p = numClass === 2 ? prob[i] : prob[i * numClass + top];
    const event = numClass === 2 ? y[i] : y[i] === top ? 1 : 0;
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

/** Regression metrics of one evaluation. */
export interface RegressionMetrics {
  rows: number;
  rmse: number;
  mae: number;
  r2: number;
  directionalAccuracy: number;
  /** Spearman information coefficient. */
  ic: number;
}

/** Classification metrics of one evaluation. */
export interface ClassificationMetrics {
  rows: number;
  logLoss: number;
  auc: number;
  accuracy: number;
  brier: number;
  reliability: ReliabilityBin[];
}

/** Metrics of one evaluation, by task kind. */
export type EvalMetrics = RegressionMetrics | ClassificationMetrics;

/** Every regression metric of `pred` against `y`. */
export function regressionMetrics(y: Float64Array, pred: Float64Array): RegressionMetrics {
  return {
    rows: y.length, rmse: rmse(y, pred), mae: mae(y, pred), r2: r2(y, pred),
    directionalAccuracy: directionalAccuracy(y, pred), ic: informationCoefficient(y, pred),
  };
}

/** Every classification metric of probabilities `prob` against class indices `y`. */
export function classificationMetrics(y: Float64Array, prob: Float64Array, numClass: number): ClassificationMetrics {
  return {
    rows: y.length, logLoss: logLoss(y, prob, numClass),
    auc: numClass === 2 ? auc(y, prob) : aucOneVsRest(y, prob, numClass),
    accuracy: accuracy(y, prob, numClass), brier: brier(y, prob, numClass), reliability: reliabilityTable(y, prob, numClass),
  };
}

/**
 * Mean of each scalar metric over folds (NaN folds skipped; NaN when every fold is NaN). Row counts are summed;
 * a reliability table is not averaged (it is kept per fold and on the test tail).
 */
export function meanMetrics<T extends EvalMetrics>(folds: readonly T[]): Record<string, number> {
  const out: Record<string, number> = {};
  if (folds.length === 0) return out;
  for (const key of Object.keys(folds[0]) as (keyof T & string)[]) {
    const values = folds.map((f) => f[key]).filter((v): v is T[keyof T & string] & number => typeof v === 'number');
    if (values.length !== folds.length) continue;
    if (key === 'rows') {
      out[key] = values.reduce((a, b) => a + b, 0);
      continue;
    }
    const finite = values.filter((v) => !Number.isNaN(v));
    out[key] = finite.length > 0 ? finite.reduce((a, b) => a + b, 0) / finite.length : NaN;
  }
  return out;
}
