/**
 * Special functions and the distribution functions built on them: log-gamma and log-beta, the regularized
 * incomplete gamma and beta functions, and the normal, chi-square and Student t distribution functions.
 *
 * Accuracy: close to double precision (relative error about 1e-14 or better) over the ranges pulse uses
 * (test/core/special-functions.test.ts checks them against SciPy to 1e-12 relative). The incomplete beta
 * loses a few digits when both shape parameters are large (above ~1e4), which no pulse statistic needs.
 *
 * Algorithms: Stirling's series with the Bernoulli correction for large arguments and the recurrence below;
 * the log-beta split of SLATEC `dlbeta` (as R's `lbeta`) so that large arguments do not cancel; the series /
 * Legendre continued fraction for the incomplete gamma, and the continued fraction for the incomplete beta
 * (both evaluated with the modified Lentz method), with the large-parameter prefactors written in terms of
 * `log1pmx` so that they do not cancel; W. J. Cody's rational approximations for the normal distribution
 * ("Rational Chebyshev approximations for the error function", Math. Comp. 1969; the form R's `pnorm` uses).
 */

/** log(sqrt(2 pi)). */
const LN_SQRT_2PI = 0.918938533204672741780329736406;
/** 1 / sqrt(2 pi). */
const INV_SQRT_2PI = 0.398942280401432677939946059934;
const EPS = 2.220446049250313e-16;
/** Smallest magnitude the Lentz iterations let a denominator reach. */
const TINY = 1e-300;
const MAX_ITERATIONS = 1_000_000;

/**
 * The Stirling-series remainder `lgamma(x) - ((x - 0.5) log x - x + log sqrt(2 pi))` for x >= 10: eight terms of
 * B_2k / (2k (2k-1) x^(2k-1)), accurate to about 1e-17 absolute there.
 */
export function stirlingCorrection(x: number): number {
  const r = 1 / x;
  const r2 = r * r;
  return (
    r *
    (1 / 12 +
      r2 * (-1 / 360 + r2 * (1 / 1260 + r2 * (-1 / 1680 + r2 * (1 / 1188 + r2 * (-691 / 360360 + r2 * (1 / 156 + r2 * (-3617 / 122400))))))))
  );
}

/**
 * log Γ(x) for x > 0 (NaN otherwise). Absolute error about 1e-15 · max(1, |log Γ(x)|); relative accuracy is lost
 * only next to the roots x = 1 and x = 2, where the value itself vanishes.
 */
export function logGamma(x: number): number {
  if (!(x > 0)) return NaN;
  if (x === Infinity) return Infinity;
  if (x >= 10) return (x - 0.5) * Math.log(x) - x + LN_SQRT_2PI + stirlingCorrection(x);
  // Γ(x) = Γ(x + k) / (x (x+1) ... (x+k-1)): shift into the range where Stirling's series is exact.
  let product = 1;
  let y = x;
  while (y < 10) {
    product *= y;
    y += 1;
  }
  return (y - 0.5) * Math.log(y) - y + LN_SQRT_2PI + stirlingCorrection(y) - Math.log(product);
}

/**
 * log B(a, b) = log Γ(a) + log Γ(b) - log Γ(a + b) for a, b > 0, split as SLATEC's `dlbeta` does so that large
 * arguments (where the three log-gammas are large and nearly cancel) keep full relative accuracy.
 */
export function logBeta(a: number, b: number): number {
  const p = Math.min(a, b);
  const q = Math.max(a, b);
  if (!(p > 0)) return p === 0 ? Infinity : NaN;
  if (p >= 10) {
    const corr = stirlingCorrection(p) + stirlingCorrection(q) - stirlingCorrection(p + q);
    return -0.5 * Math.log(q) + LN_SQRT_2PI + corr + (p - 0.5) * Math.log(p / (p + q)) + q * Math.log1p(-p / (p + q));
  }
  if (q >= 10) {
    const corr = stirlingCorrection(q) - stirlingCorrection(p + q);
    return logGamma(p) + corr + p - p * Math.log(p + q) + (q - 0.5) * Math.log1p(-p / (p + q));
  }
  return logGamma(p) + logGamma(q) - logGamma(p + q);
}

/** log(1 + t) - t for t > -1, without the cancellation of the direct formula near 0. */
export function log1pmx(t: number): number {
  if (Math.abs(t) > 0.25) return Math.log1p(t) - t;
  // -t^2/2 + t^3/3 - t^4/4 + ...: at |t| <= 1/4 the terms fall below 1e-17 of the sum within ~26 terms.
  let power = t * t;
  let sum = -power / 2;
  for (let k = 3; k < 80; k++) {
    power *= -t;
    const term = power / k;
    sum -= term;
    if (Math.abs(term) <= EPS * 0.25 * Math.abs(sum)) break;
  }
  return sum;
}

/** x^a e^(-x) / Γ(a), the factor in front of both incomplete-gamma expansions. */
function gammaPrefix(a: number, x: number): number {
  if (a >= 10) {
    // a log x - x - log Γ(a) = a (log(x/a) - (x-a)/a) + log sqrt(a / 2pi) - stirling(a): no large terms cancel.
    // Near x = a the bracket is log1pmx((x-a)/a); away from it log(x/a) is taken directly, since 1 + (x-a)/a
    // would round x/a when x is much smaller than a.
    const t = (x - a) / a;
    const bracket = Math.abs(t) <= 0.25 ? log1pmx(t) : Math.log(x / a) - t;
    return Math.sqrt(a / (2 * Math.PI)) * Math.exp(a * bracket - stirlingCorrection(a));
  }
  return Math.exp(a * Math.log(x) - x - logGamma(a));
}

/** Lower and upper regularized incomplete gamma functions P(a, x) and Q(a, x) = 1 - P(a, x). */
export interface GammaTails {
  lower: number;
  upper: number;
}

/** P(a, x) and Q(a, x) together, for a > 0 and x >= 0 (NaN outside). */
export function regularizedGamma(a: number, x: number): GammaTails {
  if (!(a > 0) || !(x >= 0)) return { lower: NaN, upper: NaN };
  if (x === 0) return { lower: 0, upper: 1 };
  if (x === Infinity) return { lower: 1, upper: 0 };
  if (x < a + 1) {
    // Series: P = x^a e^-x / Γ(a+1) · Σ x^n / ((a+1)...(a+n)).
    let term = 1;
    let sum = 1;
    let ap = a;
    for (let i = 0; i < MAX_ITERATIONS; i++) {
      ap += 1;
      term *= x / ap;
      sum += term;
      if (term < sum * EPS) break;
    }
    const lower = Math.min(1, (gammaPrefix(a, x) / a) * sum);
    return { lower, upper: 1 - lower };
  }
  // Legendre's continued fraction for Q, modified Lentz.
  let b = x + 1 - a;
  let c = 1 / TINY;
  let d = 1 / b;
  let h = d;
  for (let i = 1; i < MAX_ITERATIONS; i++) {
    const an = -i * (i - a);
    b += 2;
    d = an * d + b;
    if (Math.abs(d) < TINY) d = TINY;
    c = b + an / c;
    if (Math.abs(c) < TINY) c = TINY;
    d = 1 / d;
    const delta = d * c;
    h *= delta;
    if (Math.abs(delta - 1) < EPS) break;
  }
  const upper = Math.min(1, gammaPrefix(a, x) * h);
  return { lower: 1 - upper, upper };
}

/** The regularized lower incomplete gamma function P(a, x) (SciPy `gammainc`). */
export function regularizedGammaP(a: number, x: number): number {
  return regularizedGamma(a, x).lower;
}

/** The regularized upper incomplete gamma function Q(a, x) (SciPy `gammaincc`). */
export function regularizedGammaQ(a: number, x: number): number {
  return regularizedGamma(a, x).upper;
}

/** Lower and upper tails I_x(a, b) and 1 - I_x(a, b) of the regularized incomplete beta function. */
export interface BetaTails {
  lower: number;
  upper: number;
}

/** log(x), taking it from log1p(-(1 - x)) when x is near 1 and its complement is known exactly. */
function logOf(x: number, oneMinusX: number): number {
  return x < 0.5 ? Math.log(x) : Math.log1p(-oneMinusX);
}

/** The continued fraction of I_x(a, b) (Numerical Recipes' `betacf` recurrence), modified Lentz. */
function betaContinuedFraction(a: number, b: number, x: number, y: number): number {
  const qab = a + b;
  const qap = a + 1;
  const qam = a - 1;
  let c = 1;
  // 1 - (a+b)x/(a+1) = (1 - b + (a+b)y)/(a+1): for x near 1 the second form does not cancel.
  let d = x > 0.5 ? (1 - b + qab * y) / qap : 1 - (qab * x) / qap;
  if (Math.abs(d) < TINY) d = TINY;
  d = 1 / d;
  let h = d;
  for (let m = 1; m < MAX_ITERATIONS; m++) {
    const m2 = 2 * m;
    let aa = (m * (b - m) * x) / ((qam + m2) * (a + m2));
    d = 1 + aa * d;
    if (Math.abs(d) < TINY) d = TINY;
    c = 1 + aa / c;
    if (Math.abs(c) < TINY) c = TINY;
    d = 1 / d;
    h *= d * c;
    aa = (-(a + m) * (qab + m) * x) / ((a + m2) * (qap + m2));
    d = 1 + aa * d;
    if (Math.abs(d) < TINY) d = TINY;
    c = 1 + aa / c;
    if (Math.abs(c) < TINY) c = TINY;
    d = 1 / d;
    const delta = d * c;
    h *= delta;
    if (Math.abs(delta - 1) < EPS) break;
  }
  return h;
}

/**
 * The regularized incomplete beta function I_x(a, b) and its complement, for a, b > 0 and 0 <= x <= 1.
 * Pass `y = 1 - x` when it is known more precisely than `1 - x` rounds (e.g. `df / (df + t^2)`): the tail that
 * is small is then computed directly, never as 1 minus something close to 1.
 */
export function regularizedBeta(x: number, a: number, b: number, y: number = 1 - x): BetaTails {
  if (!(a > 0) || !(b > 0) || !(x >= 0) || !(y >= 0)) return { lower: NaN, upper: NaN };
  if (x === 0) return { lower: 0, upper: 1 };
  if (y === 0) return { lower: 1, upper: 0 };
  const logX = logOf(x, y);
  const logY = logOf(y, x);
  const lbeta = logBeta(a, b);
  if (x < (a + 1) / (a + b + 2)) {
    const lower = Math.min(1, (Math.exp(a * logX + b * logY - lbeta) / a) * betaContinuedFraction(a, b, x, y));
    return { lower, upper: 1 - lower };
  }
  const upper = Math.min(1, (Math.exp(a * logX + b * logY - lbeta) / b) * betaContinuedFraction(b, a, y, x));
  return { lower: 1 - upper, upper };
}

// Cody's coefficients: |x| <= 0.67448975, 0.674... < |x| <= sqrt(32), and the asymptotic range beyond.
const NA = [2.2352520354606839287, 161.02823106855587881, 1067.6894854603709582, 18154.981253343561249, 0.065682337918207449113];
const NB = [47.20258190468824187, 976.09855173777669322, 10260.932208618978205, 45507.789335026729956];
const NC = [
  0.39894151208813466764, 8.8831497943883759412, 93.506656132177855979, 597.27027639480026226, 2494.5375852903726711,
  6848.1904505362823326, 11602.651437647350124, 9842.7148383839780218, 1.0765576773720192317e-8,
];
const ND = [
  22.266688044328115691, 235.38790178262499861, 1519.377599407554805, 6485.558298266760755, 18615.571640885098091,
  34900.952721145977266, 38912.003286093271411, 19685.429676859990727,
];
const NP = [0.21589853405795699, 0.1274011611602473639, 0.022235277870649807, 0.001421619193227893466, 2.9112874951168792e-5, 0.02307344176494017303];
const NQ = [1.28426009614491121, 0.468238212480865118, 0.0659881378689285515, 0.00378239633202758244, 7.29751555083966205e-5];

/** Both tails of the standard normal: `lower` = P(Z <= x), `upper` = P(Z > x), each to full relative precision. */
export function normalTails(x: number): { lower: number; upper: number } {
  if (Number.isNaN(x)) return { lower: NaN, upper: NaN };
  const y = Math.abs(x);
  if (y <= 0.67448975) {
    let xnum = 0;
    let xden = 0;
    if (y > EPS * 0.5) {
      const xsq = x * x;
      xnum = NA[4] * xsq;
      xden = xsq;
      for (let i = 0; i < 3; i++) {
        xnum = (xnum + NA[i]) * xsq;
        xden = (xden + NB[i]) * xsq;
      }
    }
    const temp = (x * (xnum + NA[3])) / (xden + NB[3]);
    return { lower: 0.5 + temp, upper: 0.5 - temp };
  }
  let small: number; // the tail on the side of x's sign that is below 1/2
  if (y <= 5.656854249492380195206754896838) {
    let xnum = NC[8] * y;
    let xden = y;
    for (let i = 0; i < 7; i++) {
      xnum = (xnum + NC[i]) * y;
      xden = (xden + ND[i]) * y;
    }
    small = expHalfSquare(y) * ((xnum + NC[7]) / (xden + ND[7]));
  } else if (y < 37.5193) {
    const xsq = 1 / (x * x);
    let xnum = NP[5] * xsq;
    let xden = xsq;
    for (let i = 0; i < 4; i++) {
      xnum = (xnum + NP[i]) * xsq;
      xden = (xden + NQ[i]) * xsq;
    }
    const temp = (xsq * (xnum + NP[4])) / (xden + NQ[4]);
    small = expHalfSquare(y) * ((INV_SQRT_2PI - temp) / y);
  } else {
    small = 0;
  }
  return x > 0 ? { lower: 1 - small, upper: small } : { lower: small, upper: 1 - small };
}

/** exp(-y^2 / 2) with y^2 split into an exactly representable part and a small rest (Cody's trick). */
function expHalfSquare(y: number): number {
  const ysq = Math.trunc(y * 16) / 16;
  const del = (y - ysq) * (y + ysq);
  return Math.exp(-ysq * ysq * 0.5) * Math.exp(-del * 0.5);
}

/** The standard normal distribution function Φ(x) = P(Z <= x). */
export function normalCdf(x: number): number {
  return normalTails(x).lower;
}

/** The standard normal survival function 1 - Φ(x) = P(Z > x), accurate in the far upper tail. */
export function normalSf(x: number): number {
  return normalTails(x).upper;
}

/** The chi-square survival function P(X > x) with `df` > 0 degrees of freedom (SciPy `chi2.sf`, `chdtrc`). */
export function chiSquareSf(x: number, df: number): number {
  if (!(df > 0) || Number.isNaN(x)) return NaN;
  if (x <= 0) return 1;
  return regularizedGammaQ(df / 2, x / 2);
}

/**
 * The Student t distribution function P(T <= t) with `df` > 0 degrees of freedom (R `pt`, SciPy `stdtr`),
 * computed as R's `pt` does: P(|T| > |t|) = I_{df/(df+t^2)}(df/2, 1/2), halved and reflected. Relative error about
 * 1e-13 up to 5000 degrees of freedom; in the tails of larger df (1e5 - 1e6) about 1e-11, because the continued
 * fraction then runs next to its switch point (R and SciPy use TOMS 708's asymptotic expansions there).
 */
export function studentTCdf(t: number, df: number): number {
  if (Number.isNaN(t) || !(df > 0)) return NaN;
  if (!Number.isFinite(t)) return t < 0 ? 0 : 1;
  if (df === Infinity) return normalCdf(t);
  const nx = 1 + (t / df) * t;
  let twoSided: number; // P(|T| > |t|)
  if (nx > 1e100) {
    // t^2 overflows relative to df: the leading term of the beta integral (Abramowitz & Stegun 26.5.4).
    twoSided = Math.exp(-0.5 * df * (2 * Math.log(Math.abs(t)) - Math.log(df)) - logBeta(0.5 * df, 0.5) - Math.log(0.5 * df));
  } else {
    const tt = t * t;
    twoSided = regularizedBeta(df / (df + tt), df / 2, 0.5, tt / (df + tt)).lower;
  }
  const half = twoSided / 2;
  return t > 0 ? 1 - half : half;
}

/** The Student t survival function P(T > t) = P(T <= -t). */
export function studentTSf(t: number, df: number): number {
  return studentTCdf(-t, df);
}
