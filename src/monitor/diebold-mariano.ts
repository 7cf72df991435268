/**
 * The Diebold-Mariano test of equal predictive accuracy, computed exactly as R's `forecast::dm.test` (forecast 8.20)
 * computes it, for the promotion gate (is the candidate model's loss lower than the champion's?):
 *
 * 1. the loss differential d_t = |e1_t|^power - |e2_t|^power, n = length(d);
 * 2. its autocovariances γ_0..γ_{h-1} (R's `acf(type = "covariance")`: demeaned, divided by n);
 * 3. the variance of the mean: `acf` estimator (γ_0 + 2 Σ γ_k) / n, or `bartlett` (γ_0 + 2 Σ (1 - k/h) γ_k) / n;
 * 4. DM = mean(d) / sqrt(variance), times the Harvey-Leybourne-Newbold small-sample factor
 *    sqrt((n + 1 - 2h + h(h - 1)/n) / n);
 * 5. p-value from Student's t with n - 1 degrees of freedom: two-sided 2 P(T <= -|DM|), `less` P(T <= DM)
 *    (forecast 1 more accurate), `greater` P(T > DM) (forecast 2 more accurate).
 *
 * When the variance is not positive R warns and redoes the test with h = 1 (`varianceFallback`); when it is still
 * zero at h = 1 (a constant differential) R stops with "Variance of DM statistic is zero": here that is a result
 * with `status: 'zero-variance'` and null statistic and p-value, not an exception.
 *
 * Losses: `dm.test(e1, e2, power)` raises errors to `power` (2 = squared error). For any non-negative loss pass the
 * losses themselves with power 1, which gives the same differential: squared error as (y - ŷ)² with power 1 equals
 * the errors y - ŷ with power 2; log loss -[y ln p + (1 - y) ln(1 - p)] per row with power 1.
 * `dieboldMarianoOnLosses` does that.
 */
import { DataError, UsageError } from '../core/errors.js';
import { studentTCdf, studentTSf } from '../core/special-functions.js';

/** The alternative hypothesis, as R names it. */
export type DmAlternative = 'two.sided' | 'less' | 'greater';

/** The variance estimator of the mean differential. */
export type DmVarianceEstimator = 'acf' | 'bartlett';

/** Options of the Diebold-Mariano test. */
export interface DieboldMarianoOptions {
  /** Forecast horizon h >= 1 (default 1): autocovariances up to lag h - 1 enter the variance. */
  horizon?: number;
  /** Default `two.sided`. */
  alternative?: DmAlternative;
  /** Default `acf` (R's default). */
  varianceEstimator?: DmVarianceEstimator;
  /** Power of the absolute errors in the loss (R's `power`, default 2 = squared error). */
  power?: number;
}

interface DieboldMarianoCommon {
  /** The horizon the returned numbers use (1 after a variance fallback). */
  horizon: number;
  /** The horizon that was asked for. */
  requestedHorizon: number;
  /** Number of loss differentials. */
  n: number;
  alternative: DmAlternative;
  varianceEstimator: DmVarianceEstimator;
  power: number;
  /** mean(d): negative when forecast 1 has the lower loss. */
  meanDifferential: number;
  /** True when the variance at the requested horizon was not positive and h = 1 was used instead (R's warning). */
  varianceFallback: boolean;
}

/** A completed test. */
export interface DieboldMarianoTest extends DieboldMarianoCommon {
  status: 'ok';
  /** The DM statistic with the Harvey-Leybourne-Newbold correction. */
  statistic: number;
  pValue: number;
  /** The estimated variance of mean(d) that was used. */
  variance: number;
}

/** The differential is constant: the statistic is undefined (R stops with "Variance of DM statistic is zero"). */
export interface DieboldMarianoZeroVariance extends DieboldMarianoCommon {
  status: 'zero-variance';
  statistic: null;
  pValue: null;
  variance: 0;
  message: string;
}

/** Result of the Diebold-Mariano test. */
export type DieboldMarianoResult = DieboldMarianoTest | DieboldMarianoZeroVariance;

/** Mean with Neumaier-compensated summation (R's `mean` accumulates in long double and corrects once). */
function mean(x: Float64Array): number {
  let sum = 0;
  let c = 0;
  for (let i = 0; i < x.length; i++) {
    const t = sum + x[i];
    c += Math.abs(sum) >= Math.abs(x[i]) ? sum - t + x[i] : x[i] - t + sum;
    sum = t;
  }
  return (sum + c) / x.length;
}

/** R's `acf(x, lag.max, type = "covariance")`: γ_k = Σ_{i < n-k} (x_{i+k} - x̄)(x_i - x̄) / n for k = 0..lagMax. */
export function autocovariances(x: Float64Array, lagMax: number): Float64Array {
  const n = x.length;
  const m = mean(x);
  const centred = x.map((v) => v - m);
  const out = new Float64Array(lagMax + 1);
  for (let lag = 0; lag <= lagMax; lag++) {
    let sum = 0;
    for (let i = 0; i < n - lag; i++) sum += centred[i + lag] * centred[i];
    out[lag] = sum / n;
  }
  return out;
}

/** |e|^power as R evaluates it (x * x for 2, x itself for 1). */
function absPower(e: number, power: number): number {
  const a = Math.abs(e);
  return power === 2 ? a * a : power === 1 ? a : a ** power;
}

/** The variance of mean(d) at horizon h by the chosen estimator. */
function differentialVariance(d: Float64Array, h: number, estimator: DmVarianceEstimator): number {
  const cov = autocovariances(d, h - 1);
  let sum = cov[0];
  for (let k = 1; k < h; k++) sum += estimator === 'acf' ? 2 * cov[k] : 2 * (1 - k / h) * cov[k];
  return sum / d.length;
}

/**
 * The Diebold-Mariano test on two forecasts' errors (R's `dm.test(e1, e2, alternative, h, power, varestimator)`).
 * Both series must be finite, of equal length n >= 2, with n > h.
 */
export function dieboldMariano(e1: ArrayLike<number>, e2: ArrayLike<number>, options: DieboldMarianoOptions = {}): DieboldMarianoResult {
  const requestedHorizon = options.horizon ?? 1;
  const alternative = options.alternative ?? 'two.sided';
  const varianceEstimator = options.varianceEstimator ?? 'acf';
  const power = options.power ?? 2;
  if (!Number.isInteger(requestedHorizon) || requestedHorizon < 1) {
    throw new UsageError(`Diebold-Mariano horizon must be an integer >= 1, got ${requestedHorizon}`);
  }
  if (!(power > 0)) throw new UsageError(`Diebold-Mariano loss power must be positive, got ${power}`);
  if (e1.length !== e2.length) {
    throw new DataError(`Diebold-Mariano test: the two forecasts have ${e1.length} and ${e2.length} errors`, 'compare both forecasts on the same rows');
  }
  const n = e1.length;
  if (n < 2 || n <= requestedHorizon) {
    throw new DataError(
      `Diebold-Mariano test needs more than max(1, h) = ${Math.max(1, requestedHorizon)} loss differentials, got ${n}`,
      'evaluate both forecasts on a longer window',
    );
  }
  const d = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    d[i] = absPower(e1[i], power) - absPower(e2[i], power);
    if (!Number.isFinite(d[i])) {
      throw new DataError(
        `Diebold-Mariano test: the loss differential at row ${i} is not finite (errors ${e1[i]} and ${e2[i]})`,
        'leave rows where either forecast is missing out of both series',
      );
    }
  }
  const meanDifferential = mean(d);
  const common = { requestedHorizon, n, alternative, varianceEstimator, power, meanDifferential };

  let h = requestedHorizon;
  let variance = differentialVariance(d, h, varianceEstimator);
  let varianceFallback = false;
  if (!(variance > 0) && h > 1) {
    // R: "Variance is negative. Try varestimator = bartlett. Proceeding with horizon h=1."
    h = 1;
    varianceFallback = true;
    variance = differentialVariance(d, h, varianceEstimator);
  }
  if (!(variance > 0)) {
    return {
      ...common,
      status: 'zero-variance',
      horizon: h,
      varianceFallback,
      statistic: null,
      pValue: null,
      variance: 0,
      message: 'the loss differential is constant, so the variance of the Diebold-Mariano statistic is zero',
    };
  }
  const hln = Math.sqrt((n + 1 - 2 * h + (h / n) * (h - 1)) / n);
  const statistic = (meanDifferential / Math.sqrt(variance)) * hln;
  const df = n - 1;
  const pValue =
    alternative === 'two.sided' ? 2 * studentTCdf(-Math.abs(statistic), df) : alternative === 'less' ? studentTCdf(statistic, df) : studentTSf(statistic, df);
  return { ...common, status: 'ok', horizon: h, varianceFallback, statistic, pValue, variance };
}

/**
 * The Diebold-Mariano test on two forecasts' per-row losses (non-negative: squared error, absolute error, log loss):
 * `dm.test(loss1, loss2, power = 1)`. A negative statistic means forecast 1 has the lower loss.
 */
export function dieboldMarianoOnLosses(
  loss1: ArrayLike<number>,
  loss2: ArrayLike<number>,
  options: Omit<DieboldMarianoOptions, 'power'> = {},
): DieboldMarianoResult {
  return dieboldMariano(loss1, loss2, { ...options, power: 1 });
}
