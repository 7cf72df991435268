/**
 * The truncated normal distribution as Optuna 3.1's TPE computes it (`optuna/samplers/_tpe/_truncnorm.py`, itself
 * adapted from SciPy): log-CDF with an asymptotic series below -20, the Gaussian mass of an interval computed in
 * the left tail for accuracy, and the quantile function by 100 bisection steps on the log-CDF over [-100, 100].
 * Bounds `a`, `b` and points are in standard units ((x - loc) / scale).
 */
import { erfc, optunaErf } from './erf.js';

const SQRT2 = 2 ** 0.5;
const LOG_SQRT_2PI = Math.log(Math.sqrt(2 * Math.PI));
const DBL_EPSILON = 2.220446049250313e-16;

/** NumPy's `logaddexp`. */
export function logAddExp(x: number, y: number): number {
  if (x === y) return x + Math.LN2;
  const d = x - y;
  if (d > 0) return x + Math.log1p(Math.exp(-d));
  if (d <= 0) return y + Math.log1p(Math.exp(d));
  return x + y; // NaN
}

/** log(p - q) from log p and log q (`_log_diff`). */
function logDiff(logP: number, logQ: number): number {
  return logP + Math.log1p(-Math.exp(logQ - logP));
}

/** Standard normal CDF as Optuna's scalar `_ndtr_single` (CPython's `math.erf`/`math.erfc`). */
export function ndtrSingle(a: number): number {
  const x = a / SQRT2;
  if (x < -1 / SQRT2) return 0.5 * erfc(-x);
  if (x < 1 / SQRT2) return 0.5 + 0.5 * optunaErf(x); // |x| < 0.84375: fdlibm's erf polynomial
  return 1.0 - 0.5 * erfc(x);
}

/** Standard normal CDF as Optuna's vectorised `_ndtr` (its NumPy erf). */
export function ndtr(a: number): number {
  return 0.5 + 0.5 * optunaErf(a / SQRT2);
}

/** log of the standard normal CDF (`_log_ndtr_single`). */
export function logNdtr(a: number): number {
  if (a > 6) return -ndtrSingle(-a);
  if (a > -20) return Math.log(ndtrSingle(a));
  const logLHS = -0.5 * a ** 2 - Math.log(-a) - 0.5 * Math.log(2 * Math.PI);
  let lastTotal = 0;
  let rhs = 1;
  let numerator = 1;
  let denomFactor = 1;
  const denomCons = 1 / a ** 2;
  let sign = 1;
  let i = 0;
  while (Math.abs(lastTotal - rhs) > DBL_EPSILON) {
    i += 1;
    lastTotal = rhs;
    sign = -sign;
    denomFactor *= denomCons;
    numerator *= 2 * i - 1;
    rhs += sign * numerator * denomFactor;
  }
  return logLHS + Math.log(rhs);
}

/** log of the standard normal mass in [a, b] (`_log_gauss_mass`). */
export function logGaussMass(a: number, b: number): number {
  if (b <= 0) return logDiff(logNdtr(b), logNdtr(a));
  if (a > 0) return logDiff(logNdtr(-a), logNdtr(-b));
  // Central case: 1 - both tails, which avoids cancellation as the mass approaches 1.
  return Math.log1p(-ndtr(a) - ndtr(-b));
}

/** The x with log Φ(x) = y, by Optuna's bisection (`_ndtri_exp_single`). */
function ndtriExp(y: number): number {
  let a = -100;
  let b = 100;
  if (logNdtr(a) > y) [a, b] = [b, a];
  let m = 0;
  for (let k = 0; k < 100; k++) {
    m = (a + b) / 2;
    if (logNdtr(m) < y) a = m;
    else b = m;
  }
  return m;
}

/** Quantile q of the standard normal truncated to [a, b] (`ppf`). */
export function truncnormPpf(q: number, a: number, b: number): number {
  if (a === b) return NaN;
  if (q === 0) return a;
  if (q === 1) return b;
  if (a < 0) return ndtriExp(logAddExp(logNdtr(a), Math.log(q) + logGaussMass(a, b)));
  return -ndtriExp(logAddExp(logNdtr(-b), Math.log1p(-q) + logGaussMass(a, b)));
}

/** The standard normal log density (`_norm_logpdf`). */
export function normLogPdf(x: number): number {
  return -(x ** 2) / 2 - LOG_SQRT_2PI;
}

/**
 * Log density at standard-unit x of the normal truncated to [a, b], as Optuna 3.1's `logpdf`: -x²/2 - log √(2π)
 * - log mass. Like Optuna 3.1 it omits the -log(scale) term, so components of different widths are compared
 * without it; pulse keeps that to reproduce Optuna 3.1's choices exactly.
 */
export function truncnormLogPdf(x: number, a: number, b: number): number {
  if (a === b) return NaN;
  if (x < a || b < x) return -Infinity;
  return normLogPdf(x) - logGaussMass(a, b);
}
