/**
 * The two-sided one-sample Kolmogorov-Smirnov distribution: `kolmogorovSf(n, d)` = P(D_n >= d), equal to SciPy's
 * `scipy.stats.kstwo.sf(d, n)` (SciPy 1.10 `_ksstats.kolmogn` with `cdf=False`). The two-sample KS test uses it for
 * large samples, with n = round(n1 n2 / (n1 + n2)).
 *
 * As in SciPy, Simard & L'Ecuyer's (2011) choice between methods decides which formula runs:
 * - Ruben-Gambino closed forms for n d <= 1 and n d >= n - 1;
 * - 2 · smirnov(n, d) (the one-sided distribution, exact in the upper tail) when d >= 0.5, or n d^2 >= 2.2 for n > 140,
 *   or n d^2 > 4 for n <= 140;
 * - Durbin's matrix algorithm in the Marsaglia-Tsang-Wang form (a power of a (2k-1)^2 matrix with rescaling) for
 *   n <= 140 and n d^2 <= 0.754693, or n <= 100000 and n d^1.5 <= 1.4;
 * - Pomeranz's recursion for n <= 140 and n d^2 <= 4;
 * - the Pelz-Good asymptotic series otherwise.
 * The survival function is 1 - CDF except where `smirnov` gives it directly.
 */
import { smirnovSf } from './smirnov.js';

const E128 = 2 ** 128;
const EM128 = 2 ** -128;
const LOG_2PI = Math.log(2 * Math.PI);
const SQRT2PI = Math.sqrt(2 * Math.PI);
const SQRT3 = Math.sqrt(3);
const PI_SQUARED = Math.PI ** 2;
const PI_FOUR = Math.PI ** 4;
const PI_SIX = Math.PI ** 6;
/** B_2j / (2j (2j-1)) for j = 8 .. 1: Stirling's series for log(n!) (highest order first). */
const STIRLING_COEFFS = [
  -2.955065359477124183e-2, 6.4102564102564102564e-3, -1.9175269175269175269e-3, 8.4175084175084175084e-4,
  -5.952380952380952381e-4, 7.9365079365079365079e-4, -2.7777777777777777778e-3, 8.3333333333333333333e-2,
];

function clip01(p: number): number {
  return p < 0 ? 0 : p > 1 ? 1 : p;
}

/** x · 2^e in steps, so that neither the power nor an intermediate product leaves the double range early. */
function scaleByPowerOfTwo(x: number, e: number): number {
  let r = x;
  let k = e;
  while (k > 1000) {
    r *= 2 ** 1000;
    k -= 1000;
  }
  while (k < -1000) {
    r *= 2 ** -1000;
    k += 1000;
  }
  return r * 2 ** k;
}

/** log(n! / n^n) by Stirling's series with n log n taken out up front (no cancellation). */
function logFactorialOverPower(n: number): number {
  const rn = 1 / n;
  let poly = 0;
  for (const c of STIRLING_COEFFS) poly = poly * (rn / n) + c;
  return Math.log(n) / 2 - n + LOG_2PI / 2 + rn * poly;
}

/** C = A · B for m x m row-major matrices. */
function matMul(a: Float64Array, b: Float64Array, m: number): Float64Array<ArrayBuffer> {
  const c = new Float64Array(m * m);
  for (let i = 0; i < m; i++) {
    const row = i * m;
    for (let k = 0; k < m; k++) {
      const aik = a[row + k];
      if (aik === 0) continue;
      const bRow = k * m;
      for (let j = 0; j < m; j++) c[row + j] += aik * b[bRow + j];
    }
  }
  return c;
}

/**
 * P(D_n <= d) by Durbin's matrix algorithm in the Marsaglia-Tsang-Wang form: with d = (k - h)/n, the (k, k) entry of
 * H^n · n!/n^n for a (2k-1)^2 matrix H, with H's powers and the factorial scaled by 2^±128 to stay in range.
 */
function durbinMatrixCdf(n: number, d: number): number {
  if (d >= 1) return 1;
  const nd = n * d;
  if (nd <= 0.5) return 0;
  const k = Math.ceil(nd);
  const h = k - nd;
  const m = 2 * k - 1;
  const v = new Float64Array(m);
  const w = new Float64Array(m);
  let fac = 1;
  for (let j = 1; j <= m; j++) {
    v[j - 1] = 1 - h ** j;
    w[j - 1] = fac;
    fac /= j;
    v[j - 1] *= fac;
  }
  const tt = Math.max(2 * h - 1, 0) ** m - 2 * h ** m;
  v[m - 1] = (1 + tt) * fac;
  let hm: Float64Array<ArrayBuffer> = new Float64Array(m * m);
  for (let i = 1; i < m; i++) for (let r = i - 1; r < m; r++) hm[r * m + i] = w[r - i + 1];
  for (let r = 0; r < m; r++) hm[r * m] = v[r];
  for (let c = 0; c < m; c++) hm[(m - 1) * m + c] = v[m - 1 - c];

  let power: Float64Array<ArrayBuffer> = new Float64Array(m * m);
  for (let i = 0; i < m; i++) power[i * m + i] = 1;
  let exponent = 0; // power holds H^(...) · 2^-exponent
  let hExponent = 0; // hm holds H^(2^i) · 2^-hExponent
  for (let nn = n; nn > 0; nn = Math.floor(nn / 2)) {
    if (nn % 2) {
      power = matMul(power, hm, m);
      exponent += hExponent;
    }
    hm = matMul(hm, hm, m);
    hExponent *= 2;
    if (Math.abs(hm[(k - 1) * m + (k - 1)]) > E128) {
      for (let i = 0; i < hm.length; i++) hm[i] /= E128;
      hExponent += 128;
    }
  }
  let p = power[(k - 1) * m + (k - 1)];
  for (let i = 1; i <= n; i++) {
    p = (i * p) / n;
    if (Math.abs(p) < EM128) {
      p *= E128;
      exponent -= 128;
    }
  }
  return clip01(scaleByPowerOfTwo(p, exponent));
}

/** The bounds j1, j2 of the nonzero entries of row i in Pomeranz's recursion. */
function pomeranzBounds(i: number, n: number, ll: number, ceilf: number, roundf: number): [number, number] {
  let j1: number;
  let j2: number;
  if (i === 0) {
    j1 = -ll - ceilf - 1;
    j2 = ll + ceilf - 1;
  } else {
    const half = Math.floor((i + 1) / 2);
    if ((i + 1) % 2 === 0) {
      if (half === n + 1) {
        j1 = n - ll - ceilf - 1;
        j2 = n + ll + ceilf - 1;
      } else {
        j1 = half - 1 - ll - roundf - 1;
        j2 = half + ll - 1 + ceilf - 1;
      }
    } else {
      j1 = half - 1 - ll - 1;
      j2 = half + ll + roundf - 1;
    }
  }
  return [Math.max(j1 + 2, 0), Math.min(j2, n)];
}

/**
 * P(D_n <= d) by Pomeranz's recursion (1974): 2n + 1 rows, each the convolution of the previous row with
 * (almost) Poisson probabilities of one of three rates; only a sliding window of each row is nonzero.
 */
function pomeranzCdf(n: number, x: number): number {
  const t = n * x;
  const ll = Math.floor(t);
  const f = t - ll;
  const g = Math.min(f, 1 - f);
  const ceilf = f > 0 ? 1 : 0;
  const roundf = f > 0.5 ? 1 : 0;
  const npwrs = 2 * (ll + 1);
  const gpower = new Float64Array(npwrs);
  const twogpower = new Float64Array(npwrs);
  const onem2gpower = new Float64Array(npwrs);
  gpower[0] = twogpower[0] = onem2gpower[0] = 1;
  const gOverN = g / n;
  const twoGOverN = (2 * g) / n;
  const oneMinusTwoGOverN = (1 - 2 * g) / n;
  for (let m = 1; m < npwrs; m++) {
    gpower[m] = (gpower[m - 1] * gOverN) / m;
    twogpower[m] = (twogpower[m - 1] * twoGOverN) / m;
    onem2gpower[m] = (onem2gpower[m - 1] * oneMinusTwoGOverN) / m;
  }
  let v0 = new Float64Array(npwrs);
  let v1 = new Float64Array(npwrs);
  v1[0] = 1;
  let v0s = 0;
  let v1s = 0;
  let exponent = 0;
  let [j1, j2] = pomeranzBounds(0, n, ll, ceilf, roundf);
  for (let i = 1; i < 2 * n + 2; i++) {
    const k1 = j1;
    [v0, v1] = [v1, v0];
    [v0s, v1s] = [v1s, v0s];
    v1.fill(0);
    [j1, j2] = pomeranzBounds(i, n, ll, ceilf, roundf);
    const pwrs = i === 1 || i === 2 * n + 1 ? gpower : i % 2 ? twogpower : onem2gpower;
    const ln2 = j2 - k1 + 1;
    if (ln2 > 0) {
      // The full convolution of v0[k1 - v0s ..][0, ln2) with pwrs[0, ln2), entries [j1 - k1, j1 - k1 + j2 - j1 + 1).
      const aStart = k1 - v0s;
      const aLen = Math.max(0, Math.min(ln2, npwrs - aStart));
      const pLen = Math.min(ln2, npwrs);
      const convStart = j1 - k1;
      const convLen = j2 - j1 + 1;
      let max = 0;
      for (let o = 0; o < convLen; o++) {
        const idx = convStart + o; // index into the full convolution
        let s = 0;
        const lo = Math.max(0, idx - (pLen - 1));
        const hi = Math.min(idx, aLen - 1);
        for (let a = lo; a <= hi; a++) s += v0[aStart + a] * pwrs[idx - a];
        v1[o] = s;
        if (s > max) max = s;
      }
      if (max > 0 && max < EM128) {
        for (let o = 0; o < npwrs; o++) v1[o] *= E128;
        exponent -= 128;
      }
      v1s = v0s + j1 - k1;
    }
  }
  let ans = v1[n - v1s];
  for (let m = 1; m <= n; m++) {
    if (Math.abs(ans) > E128) {
      ans *= EM128;
      exponent += 128;
    }
    ans *= m;
  }
  return clip01(scaleByPowerOfTwo(ans, exponent));
}

/**
 * P(D_n <= x) by the Pelz-Good (1976) series: the Li-Chien / Korolyuk expansion K0 + K1/√n + K2/n + K3/n^1.5 in
 * z = x √n, each K transformed with Jacobi theta identities so that it converges for small z.
 */
function pelzGoodCdf(n: number, x: number): number {
  if (x <= 0) return 0;
  if (x >= 1) return 1;
  const z = Math.sqrt(n) * x;
  const zsquared = z ** 2;
  const zthree = z ** 3;
  const zfour = z ** 4;
  const zsix = z ** 6;
  const qlog = -PI_SQUARED / 8 / zsquared;
  if (qlog < -708) return 0;
  let q = Math.exp(qlog);
  const k1a = -zsquared;
  const k1b = PI_SQUARED / 4;
  const k2a = 6 * zsix + 2 * zfour;
  const k2b = ((2 * zfour - 5 * zsquared) * PI_SQUARED) / 4;
  const k2c = (PI_FOUR * (1 - 2 * zsquared)) / 16;
  const k3d = (PI_SIX * (5 - 30 * zsquared)) / 64;
  const k3c = (PI_FOUR * (-60 * zsquared + 212 * zfour)) / 16;
  const k3b = (PI_SQUARED * (135 * zfour - 96 * zsix)) / 4;
  const k3a = -30 * zsix - 90 * z ** 8;
  const kk = [0, 0, 0, 0];
  const maxk = Math.ceil((16 * z) / Math.PI);
  // Horner in q^8k over odd m = 2k - 1.
  for (let k = maxk; k > 0; k--) {
    const m = 2 * k - 1;
    const msquared = m ** 2;
    const mfour = m ** 4;
    const msix = m ** 6;
    const qpower = q ** (8 * k);
    kk[0] = kk[0] * qpower + 1;
    kk[1] = kk[1] * qpower + (k1a + k1b * msquared);
    kk[2] = kk[2] * qpower + (k2a + k2b * msquared + k2c * mfour);
    kk[3] = kk[3] * qpower + (k3a + k3b * msquared + k3c * mfour + k3d * msix);
  }
  const divisors = [z, 6 * zfour, 72 * z ** 7, 6480 * z ** 10];
  for (let i = 0; i < 4; i++) kk[i] = (kk[i] * q * SQRT2PI) / divisors[i];
  // The other sums, over all integers k: K2 gets (pi^2 k^2) q^(k^2), K3 gets (3 pi^2 k^2 z^2 - pi^4 k^4) q^(k^2).
  q = Math.exp(-PI_SQUARED / 2 / zsquared);
  const sqrt3z = SQRT3 * z;
  let k2extra = 0;
  let k3extra = 0;
  for (let k = maxk; k > 0; k--) {
    const ksquared = k * k;
    const qpwer = q ** ksquared;
    const kspi = Math.PI * k;
    k2extra += ksquared * qpwer;
    k3extra += (sqrt3z + kspi) * (sqrt3z - kspi) * ksquared * qpwer;
  }
  kk[2] += k2extra * ((PI_SQUARED * SQRT2PI) / (-36 * zthree));
  kk[3] += k3extra * ((PI_SQUARED * SQRT2PI) / (216 * zsix));
  for (let i = 1; i < 4; i++) kk[i] /= n ** (i / 2);
  return kk[0] + kk[1] + kk[2] + kk[3];
}

/**
 * P(D_n >= d) for the two-sided one-sample KS statistic D_n with sample size n (an integer >= 1): SciPy's
 * `kstwo.sf(d, n)`. Returns 1 for d <= 0.5/n (the lower end of the support) and 0 for d >= 1; NaN for a bad n or d.
 */
export function kolmogorovSf(n: number, d: number): number {
  if (!(n >= 1 && Number.isInteger(n)) || Number.isNaN(d)) return NaN;
  if (d <= 0.5 / n) return 1;
  if (d >= 1) return 0;
  const t = n * d;
  if (t <= 1) {
    // Ruben-Gambino: P(D_n <= d) = n!/n^n (2t - 1)^n for 1/2n <= d <= 1/n.
    if (t <= 0.5) return 1;
    let prob: number;
    if (n <= 140) {
      prob = 1;
      for (let i = 1; i <= n; i++) prob *= i * (1 / n) * (2 * t - 1);
    } else {
      prob = Math.exp(logFactorialOverPower(n) + n * Math.log(2 * t - 1));
    }
    return clip01(1 - prob);
  }
  if (t >= n - 1) return clip01(2 * (1 - d) ** n); // Ruben-Gambino: P(D_n >= d) = 2 (1 - d)^n near the top
  if (d >= 0.5) return clip01(2 * smirnovSf(n, d)); // D+ and D- cannot both exceed 1/2
  const nxsquared = t * d;
  if (n <= 140) {
    if (nxsquared <= 0.754693) return clip01(1 - durbinMatrixCdf(n, d));
    if (nxsquared <= 4) return clip01(1 - pomeranzCdf(n, d));
    return clip01(2 * smirnovSf(n, d)); // Miller's approximation, exact to double precision this far out
  }
  if (nxsquared >= 370) return 0;
  if (nxsquared >= 2.2) return clip01(2 * smirnovSf(n, d));
  const cdf = n <= 100000 && n * d ** 1.5 <= 1.4 ? durbinMatrixCdf(n, d) : pelzGoodCdf(n, d);
  return clip01(1 - cdf);
}
