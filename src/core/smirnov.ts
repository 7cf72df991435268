/**
 * The one-sided Kolmogorov-Smirnov (Smirnov) distribution: `smirnovSf(n, x)` = P(D+_n > x) for a sample of size n,
 * the exact Birnbaum-Tingey sum
 *
 *     P(D+_n > x) = x · Σ_{v=0}^{floor(n(1-x))} C(n, v) (x + v/n)^(v-1) (1 - x - v/n)^(n-v)
 *
 * evaluated as SciPy's `scipy.special.smirnov` (Cephes `kolmogorov.c` by P. van Mulbregt, arXiv:1802.06966) does:
 * the bases x + v/n and 1 - x - v/n carried to double-double precision (a power of order n amplifies their rounding
 * n-fold), the powers and the binomial coefficient kept as mantissa and binary exponent (they leave the double
 * range long before n = 10^6), the sum accumulated in double-double and stopped once the remaining terms cannot
 * change it, and the short alternating upper sum used instead when x is tiny. Above n = 10^6 it uses the same
 * closed-form approximation as SciPy. pulse needs it for the two-sided KS distribution (`kolmogorovSf`).
 *
 * The double-double steps are Knuth's TwoSum and Dekker's TwoProduct written out on scalars: the sum has up to n
 * terms and allocating a pair per operation made it several times slower than SciPy.
 */

const DBL_EPSILON = 2.220446049250313e-16;
/** Cephes MINLOG: log of the smallest subnormal double (exp of anything below is 0). */
const MINLOG = -7.451332191019412076235e2;
/** Above this n the exact sum takes too long; SciPy switches to an approximation. */
const SMIRNOV_MAX_COMPUTE_N = 1_000_000;
/** Exponent bound that keeps a power's mantissa and low part normal. */
const MAX_EXPONENT = 960;
const SPLITTER = 134217729; // 2^27 + 1, Dekker's split

// The "registers" the helpers below write their results to: slots of a typed array, so that storing a double
// allocates nothing (a module-level `let` holding a double is boxed on every write).
const R = new Float64Array(3);
const HI = 0;
const LO = 1;
const EXP = 2;

/** R[HI] + R[LO] = a + b exactly (TwoSum). */
function twoSum(a: number, b: number): void {
  const s = a + b;
  const bb = s - a;
  R[LO] = a - (s - bb) + (b - bb);
  R[HI] = s;
}

/** R[HI] + R[LO] = a + b for |a| >= |b| (FastTwoSum). */
function quickTwoSum(a: number, b: number): void {
  const s = a + b;
  R[LO] = b - (s - a);
  R[HI] = s;
}

/** R[HI] + R[LO] = a · b exactly (TwoProduct with Dekker's split). */
function twoProd(a: number, b: number): void {
  const p = a * b;
  let t = SPLITTER * a;
  const ah = t - (t - a);
  const al = a - ah;
  t = SPLITTER * b;
  const bh = t - (t - b);
  const bl = b - bh;
  R[LO] = ah * bh - p + ah * bl + al * bh + al * bl;
  R[HI] = p;
}

/** R[HI] + R[LO] = a / b to double-double precision, for doubles a and b. */
function divNumbers(a: number, b: number): void {
  const q1 = a / b;
  twoProd(q1, b);
  const ph = R[HI];
  const pl = R[LO];
  twoSum(a, -ph);
  const q2 = (R[HI] + (R[LO] - pl)) / b;
  quickTwoSum(q1, q2);
}

/** R[HI] + R[LO] = (hi + lo) · (bHi + bLo). */
function ddMul(hi: number, lo: number, bHi: number, bLo: number): void {
  twoProd(hi, bHi);
  quickTwoSum(R[HI], R[LO] + (hi * bLo + lo * bHi));
}

/** R[HI] + R[LO] = (hi + lo) + b for a double b. */
function ddAddNumber(hi: number, lo: number, b: number): void {
  twoSum(hi, b);
  quickTwoSum(R[HI], R[LO] + lo);
}

const F64 = new Float64Array(1);
const U32 = new Uint32Array(F64.buffer);
const HIGH_WORD = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1 ? 1 : 0;

/** The exponent e of C's frexp (x = m · 2^e, 0.5 <= |m| < 1) for a finite nonzero x. */
function frexpExponent(x: number): number {
  if (Math.abs(x) < 2.2250738585072014e-308) return frexpExponent(x * 18014398509481984) - 54; // subnormal
  F64[0] = x;
  return ((U32[HIGH_WORD] >>> 20) & 0x7ff) - 1022;
}

/** 2^k for k in [-1000, 1000], tabulated once (Math.pow is the slowest step of the term loop otherwise). */
const POW2 = Float64Array.from({ length: 2001 }, (_, i) => 2 ** (i - 1000));

/** x · 2^e without overflow or underflow of the power of two itself. */
function ldexp(x: number, e: number): number {
  let r = x;
  let k = e;
  while (k > 1000) {
    r *= POW2[2000];
    k -= 1000;
  }
  while (k < -1000) {
    r *= POW2[0];
    k += 1000;
  }
  return r * POW2[k + 1000];
}

/** frexp of a double-double: R[HI] + R[LO] is its mantissa (high part in [0.5, 1) in magnitude), R[EXP] its exponent. */
function ddFrexp(hi: number, lo: number): void {
  if (hi === 0 || !Number.isFinite(hi)) {
    R[HI] = hi;
    R[LO] = lo;
    R[EXP] = 0;
    return;
  }
  let e = frexpExponent(hi);
  let man = ldexp(hi, -e);
  let manLo = ldexp(lo, -e);
  // hi = ±0.5 with a low part of the opposite sign lies below 0.5 in magnitude: renormalize.
  if (Math.abs(man) === 0.5 && man * manLo < 0) {
    man *= 2;
    manLo *= 2;
    e -= 1;
  }
  R[HI] = man;
  R[LO] = manLo;
  R[EXP] = e;
}

/** (hi + lo)^m for m >= 1 as a double: pow of the high part, corrected for the low part. */
function powCorrected(hi: number, lo: number, m: number): number {
  const ans = hi ** m;
  const r = lo / hi;
  let adj = m * r;
  if (Math.abs(adj) > 1e-8) {
    // (1 + r)^m - 1: two Taylor terms when small, else through the logarithm.
    adj = Math.abs(adj) < 1e-4 ? adj + m * r * (((m - 1) / 2) * r) : Math.expm1(m * Math.log1p(r));
  }
  return ans + ans * adj;
}

/** Mirrors Cephes' `nextPowerOf2` helper literally (it rounds x up by one unit in the last place). */
function nextPowerOf2(x: number): number {
  const q = ldexp(x, 1 - 53);
  let l = Math.abs(q + x);
  if (l === 0) l = Math.abs(x);
  else if (Math.trunc(l) === l) l = Math.trunc(l);
  return l;
}

/**
 * (hi + lo)^m as R[HI] · 2^R[EXP] (R[HI] in [0.5, 1)), for m >= 0. When the power of the mantissa would underflow below
 * 2^-960, m is split into chunks whose powers stay in range: y^m = (y^c)^q · y^r.
 */
function powScaled(hi: number, lo: number, m: number): void {
  if (m === 0) {
    R[HI] = 1;
    R[LO] = 0;
    R[EXP] = 0;
    return;
  }
  ddFrexp(hi, lo);
  const yHi = R[HI];
  const yLo = R[LO];
  const yE = R[EXP];
  if (m === 1) {
    R[HI] = yHi + yLo;
    return;
  }
  let maxExpt = MAX_EXPONENT;
  if ((m * (yHi - 1)) / yHi < -MAX_EXPONENT * Math.LN2) {
    const lg2y = Math.log(yHi) / Math.LN2;
    if (m * lg2y <= -MAX_EXPONENT) maxExpt = Math.trunc(nextPowerOf2(-MAX_EXPONENT / lg2y + 1) / 2);
  }
  if (m <= maxExpt) {
    const p = powCorrected(yHi, yLo, m);
    const e = frexpExponent(p);
    R[HI] = ldexp(p, -e);
    R[EXP] = e + m * yE;
    return;
  }
  const q = Math.trunc(m / maxExpt);
  const r = m % maxExpt;
  powScaled(yHi, yLo, r);
  const y2r = R[HI];
  const y2rE = R[EXP];
  powScaled(yHi, yLo, maxExpt);
  const y2mE = R[EXP];
  powScaled(R[HI], 0, q);
  const y2mq = R[HI];
  const y2mqE = R[EXP];
  const p = y2r * y2mq;
  const e = frexpExponent(p);
  R[HI] = ldexp(p, -e);
  R[EXP] = e + y2mqE + y2mE * q + y2rE + m * yE;
}

/** (a + b)^m for doubles, with a + b formed exactly (the first and last terms of the sums). */
function powOfSum(a: number, b: number, m: number): number {
  twoSum(a, b);
  return powCorrected(R[HI], R[LO], m);
}

/** One-sided KS survival function P(D+_n > x) for an integer n >= 1 and 0 <= x <= 1 (NaN outside). */
export function smirnovSf(n: number, x: number): number {
  if (!(n > 0 && Number.isInteger(n) && x >= 0 && x <= 1)) return NaN;
  if (n === 1) return 1 - x;
  if (x === 0) return 1;
  if (x === 1) return 0;

  // floor(n x) and its remainder alpha, exactly (n x is formed as a double-double).
  twoProd(n, x);
  const nxHi = R[HI];
  const nxLo = R[LO];
  let floorHi = Math.floor(nxHi);
  let floorLo = 0;
  if (floorHi === nxHi) {
    quickTwoSum(floorHi, Math.floor(nxLo));
    floorHi = R[HI];
    floorLo = R[LO];
  }
  twoSum(nxHi, -floorHi);
  quickTwoSum(R[HI], R[LO] + (nxLo - floorLo));
  let alpha = R[HI];
  let nxFloor = Math.round(floorHi + floorLo);
  if (alpha === 1) {
    nxFloor += 1;
    alpha = 0;
  }
  let n1mxFloor = n - nxFloor - (alpha === 0 ? 0 : 1);
  let n1mxCeil = n - nxFloor;
  if (alpha === 0) {
    // The last term vanishes exactly; leave it out of both sums.
    n1mxFloor -= 1;
    n1mxCeil += 1;
  }

  if (nxFloor === 0 || (nxFloor === 1 && alpha === 0)) {
    // x <= 1/n: the upper sum has a single term.
    return clip01(1 - x * powOfSum(1, x, n - 1));
  }
  if (-2 * n * x * x < MINLOG) return 0;
  if (nxFloor >= n - 1) return clip01(powOfSum(1, -x, n));
  if (n > SMIRNOV_MAX_COMPUTE_N) {
    // p ~ exp(-(6nx + 1)^2 / 18n), SciPy's approximation for very large n.
    const logp = -((6 * n * x + 1) ** 2) / 18 / n;
    return logp < -Math.LN2 ? Math.exp(logp) : 1 + Math.expm1(logp);
  }

  // The upper sum (from v = n down) is short when x is tiny, but its terms alternate in sign and grow: use it only
  // when it has at most three terms.
  const nUpperTerms = n - n1mxCeil + 1;
  const useUpperSum = (nUpperTerms <= 1 && x < 0.5) || (n >= 10 && nUpperTerms <= 3 && x <= 0.5 / Math.sqrt(n));
  const start = useUpperSum ? n : 0;
  const step = useUpperSum ? -1 : 1;
  const nTerms = useUpperSum ? n - n1mxCeil + 1 : n1mxFloor + 1;
  let sumHi: number;
  let sumLo: number;
  if (useUpperSum) {
    twoSum(1, x);
    sumHi = powCorrected(R[HI], R[LO], n - 1); // v = n: (1 + x)^(n-1)
    sumLo = 0;
  } else {
    twoSum(1, -x);
    const first = powCorrected(R[HI], R[LO], n); // v = 0: (1 - x)^n / x
    divNumbers(first, x);
    sumHi = R[HI];
    sumLo = R[LO];
  }

  // C(n, j) as a double-double mantissa cHi + cLo and a binary exponent cExp; it starts at C(n, 1) = n.
  ddFrexp(n, 0);
  let cHi = R[HI];
  let cLo = R[LO];
  let cExp = R[EXP];
  const vmid = Math.trunc(n / 2);
  for (let j = 1; j < nTerms; j++) {
    const v = start + j * step;
    // A_v = C(n, v) (1 - x - v/n)^(n-v) (x + v/n)^(v-1), each base to double-double precision.
    divNumbers(n - v, n);
    ddAddNumber(R[HI], R[LO], -x);
    powScaled(R[HI], R[LO], n - v);
    const t2 = R[HI];
    const t2E = R[EXP];
    divNumbers(v, n);
    ddAddNumber(R[HI], R[LO], x);
    powScaled(R[HI], R[LO], v - 1);
    const term = ldexp(R[HI] * t2 * (cHi + cLo), cExp + R[EXP] + t2E);
    if (Number.isFinite(term) && term !== 0) {
      ddAddNumber(sumHi, sumLo, term);
      sumHi = R[HI];
      sumLo = R[LO];
    }
    if (term !== 0) {
      // Stop once even nTerms - j more terms of this size could not move the sum.
      if (4 * (nTerms - j) * Math.abs(term) < DBL_EPSILON * (sumHi + sumLo) && j !== nTerms - 1) break;
    } else if (j > vmid) {
      break;
    }
    // C(n, j + 1) = C(n, j) (n - j) / (j + 1)
    divNumbers(n - j, j + 1);
    ddMul(cHi, cLo, R[HI], R[LO]);
    ddFrexp(R[HI], R[LO]);
    cHi = R[HI];
    cLo = R[LO];
    cExp += R[EXP];
  }
  twoProd(x, sumHi);
  const prob = R[HI] + (R[LO] + x * sumLo);
  return clip01(step < 0 ? 1 - prob : prob);
}

function clip01(p: number): number {
  return p < 0 ? 0 : p > 1 ? 1 : p;
}
