/**
 * The two-sided two-sample Kolmogorov-Smirnov test, computed as SciPy 1.10's `scipy.stats.ks_2samp(reference,
 * current, alternative="two-sided", method="auto")` does, so that its statistic and p-value agree with SciPy to
 * about 1e-12 relative (test/monitor/drift/ks-two-sample.test.ts checks 1e-9 on committed SciPy fixtures):
 *
 * - D = max |F_ref(x) - F_cur(x)| over all observed x, each ECDF counting values <= x (ties are handled exactly).
 * - If both samples have at most 10,000 values, the exact null distribution is tried: D is rounded to the lattice
 *   h / lcm(n1, n2) (SciPy reports this rounded D), and P(D >= h / lcm) comes from Hodges' lattice-path count:
 *   the closed form for n1 = n2, else the "inside" recursion computing 1 - p directly (Viehmann 2021,
 *   arXiv:2102.08037). A result outside [0, 1] counts as a failure and falls back, as in SciPy.
 * - Otherwise (or after a failed exact attempt) the p-value is `kstwo.sf(D, round(n1 n2 / (n1 + n2)))`, the
 *   one-sample two-sided distribution at the effective size (see `kolmogorovSf`).
 *
 * Inputs must be free of NaN (the drift tests leave NaN rows out and report how many; see `finiteValues`).
 */
import { kolmogorovSf } from '../../core/kolmogorov.js';
import { sortedCopy } from '../../core/sort-float64.js';

/** Largest sample size for which the exact distribution is attempted (SciPy's `MAX_AUTO_N`). */
export const KS_MAX_EXACT_N = 10_000;

/** Result of `ksTwoSample`. */
export interface KsTwoSampleResult {
  /** The KS statistic D in [0, 1] (on the exact path, rounded to the lattice h / lcm(n1, n2) as SciPy reports it). */
  statistic: number;
  /** Two-sided p-value P(D_null >= D). */
  pValue: number;
  /** Which distribution gave the p-value. */
  method: 'exact' | 'asymptotic';
  /** True when the exact computation was attempted but failed (SciPy warns and uses the asymptotic one). */
  exactFailed: boolean;
}

/** Greatest common divisor of two positive integers. */
function gcd(a: number, b: number): number {
  let x = a;
  let y = b;
  while (y) [x, y] = [y, x % y];
  return x;
}

/** numpy's `np.round`: to nearest, ties to even. */
export function roundHalfEven(x: number): number {
  const r = Math.round(x);
  return r - x === 0.5 && r % 2 !== 0 ? r - 1 : r;
}

/**
 * D = sup |F1 - F2| for two ascending-sorted samples, with each difference formed as SciPy forms it
 * (i1/n1 - i2/n2 in floating point) so that D is bit-identical.
 */
export function ksStatisticSorted(a: Float64Array, b: Float64Array): number {
  const n1 = a.length;
  const n2 = b.length;
  let i1 = 0;
  let i2 = 0;
  let maxS = -Infinity; // max of F1 - F2
  let minS = Infinity; // min of F1 - F2
  while (i1 < n1 || i2 < n2) {
    // The next observed value; both ECDFs are evaluated after every value equal to it.
    const v = i2 >= n2 || (i1 < n1 && a[i1] <= b[i2]) ? a[i1] : b[i2];
    while (i1 < n1 && a[i1] <= v) i1++;
    while (i2 < n2 && b[i2] <= v) i2++;
    const diff = i1 / n1 - i2 / n2;
    if (diff > maxS) maxS = diff;
    if (diff < minS) minS = diff;
  }
  const minD = Math.min(Math.max(-minS, 0), 1);
  return minD > maxS ? minD : maxS;
}

/** P(D_{n,n} >= h/n) for equal sample sizes: Hodges' alternating series, Horner-like so that it does not cancel. */
function probOutsideSquare(n: number, h: number): number {
  let p = 0;
  for (let k = Math.floor(n / h); k >= 0; k--) {
    let p1 = 1;
    for (let j = 0; j < h; j++) p1 = ((n - k * h - j) * p1) / (n + k * h + j + 1);
    p = p1 * (1 - p);
  }
  return 2 * p;
}

/**
 * P(D_{m,n} >= h / lcm(m, n)) for unequal sizes: the share of lattice paths from (0, 0) to (m, n) that leave the band
 * |x/m - y/n| < h / lcm, by the "inside" recursion carried as 1 - p on a sliding window of one column.
 */
function probOutsideBand(m0: number, n0: number, g: number, h: number): number {
  const m = Math.max(m0, n0);
  const n = Math.min(m0, n0);
  const mg = m / g;
  const ng = n / g;
  let minj = 0;
  let maxj = Math.min(Math.ceil(h / mg), n + 1);
  let curlen = maxj - minj;
  const lenA = Math.min(2 * maxj + 2, n + 1);
  const a = new Float64Array(lenA).fill(1);
  a.fill(0, minj, maxj);
  for (let i = 1; i <= m; i++) {
    const lastminj = minj;
    const lastlen = curlen;
    minj = Math.min(Math.max(Math.floor((ng * i - h) / mg) + 1, 0), n);
    maxj = Math.min(Math.ceil((ng * i + h) / mg), n + 1);
    if (maxj <= minj) return 1;
    let val = minj === 0 ? 0 : 1;
    for (let jj = 0; jj < maxj - minj; jj++) {
      const j = jj + minj;
      val = (a[jj + minj - lastminj] * i + val * j) / (i + j);
      a[jj] = val;
    }
    curlen = maxj - minj;
    // Cells that left the window are outside the band: probability 1 of having left it.
    if (lastlen > curlen) a.fill(1, maxj - minj, maxj - minj + (lastlen - curlen));
  }
  return a[maxj - minj - 1];
}

/**
 * The two-sided two-sample KS test on two ascending-sorted, NaN-free samples (each non-empty). Use `ksTwoSample`
 * for unsorted input.
 */
export function ksTwoSampleSorted(a: Float64Array, b: Float64Array): KsTwoSampleResult {
  const n1 = a.length;
  const n2 = b.length;
  let d = ksStatisticSorted(a, b);
  let exactFailed = false;
  if (Math.max(n1, n2) <= KS_MAX_EXACT_N) {
    const g = gcd(n1, n2);
    const lcm = (n1 / g) * n2;
    const h = roundHalfEven(d * lcm);
    d = h / lcm;
    if (h === 0) return { statistic: d, pValue: 1, method: 'exact', exactFailed: false };
    const prob = n1 === n2 ? probOutsideSquare(n1, h) : probOutsideBand(n1, n2, g, h);
    if (prob >= 0 && prob <= 1) return { statistic: d, pValue: prob, method: 'exact', exactFailed: false };
    exactFailed = true;
  }
  const m = Math.max(n1, n2);
  const n = Math.min(n1, n2);
  const en = (m * n) / (m + n);
  const p = kolmogorovSf(roundHalfEven(en), d);
  return { statistic: d, pValue: Math.min(Math.max(p, 0), 1), method: 'asymptotic', exactFailed };
}

// Sorted copies are written to these buffers, grown on demand and reused: a drift check runs the test on many
// features, and fresh copies each time left hundreds of megabytes for the collector.
let sortedReference = new Float64Array(0);
let sortedCurrent = new Float64Array(0);

/** The two-sided two-sample KS test (SciPy `ks_2samp`, method "auto") on NaN-free, non-empty samples. */
export function ksTwoSample(reference: Float64Array, current: Float64Array): KsTwoSampleResult {
  if (sortedReference.length < reference.length) sortedReference = new Float64Array(reference.length);
  if (sortedCurrent.length < current.length) sortedCurrent = new Float64Array(current.length);
  return ksTwoSampleSorted(sortedCopy(reference, sortedReference), sortedCopy(current, sortedCurrent));
}
