/**
 * Single-pass O(n) rolling-window kernels over Float64Arrays.
 *
 * Conventions shared by every kernel:
 * - `src` is valid from row `start` on (rows before it are ignored, typically a warm-up of NaN).
 * - A window of `n` rows ending at row i covers rows `[i - n + 1, i]`; the first full window ends at
 *   `start + n - 1`, and every output row before that is NaN.
 * - Running sums are recomputed from scratch on a fixed schedule of absolute row indices (every
 *   {@link RECOMPUTE_EVERY} rows, counted from row 0), never relative to the end of the series, so a value at
 *   row t is bit-identical whatever rows after t contain. Between recomputations, sums are kept on values
 *   shifted by a recent sample (the shifted-data algorithm), which keeps variances of price-level series free
 *   of catastrophic cancellation.
 */
import { nanArray } from '../types.js';

/** Rows between from-scratch recomputations of running sums (absolute row indices divisible by it; a power of 2). */
export const RECOMPUTE_EVERY = 256;
const RECOMPUTE_MASK = RECOMPUTE_EVERY - 1;

/** True on the rows where running sums are recomputed from scratch. */
export function isRecomputeRow(i: number): boolean {
  return (i & RECOMPUTE_MASK) === 0;
}

/** Rolling sum over `n` rows, times `scale` (1 by default). Rows before `start + n - 1` are NaN. */
export function rollingSum(src: Float64Array, n: number, start = 0, scale = 1): Float64Array {
  const len = src.length;
  const first = start + n - 1;
  const out = nanArray(len, first);
  let i = first;
  while (i < len) {
    // from scratch at the first full window and on each recomputation row ...
    let s = 0;
    for (let j = i - n + 1; j <= i; j++) s += src[j];
    out[i] = s * scale;
    // ... then slide up to the next one, in a loop with no per-row test (about 3x faster than testing each row)
    const end = Math.min(len, (i | RECOMPUTE_MASK) + 1);
    for (i++; i < end; i++) {
      s += src[i] - src[i - n];
      out[i] = s * scale;
    }
  }
  return out;
}

/** Simple moving average over `n` rows (same units as `src`). */
export function sma(src: Float64Array, n: number, start = 0): Float64Array {
  return rollingSum(src, n, start, 1 / n);
}

/**
 * Exponential moving average with smoothing `alpha`, seeded with the simple mean of the first `n` valid
 * values (TA-Lib's convention). With `alpha = 2 / (n + 1)` it is the EMA; with `alpha = 1 / n`, Wilder's.
 */
export function expSmooth(src: Float64Array, n: number, alpha: number, start = 0): Float64Array {
  const len = src.length;
  const first = start + n - 1;
  const out = nanArray(len, first);
  if (first >= len) return out;
  const v = seedMean(src, start, first, n);
  out[first] = v;
  smoothAfter(src, first, v, alpha, out, false);
  return out;
}

/**
 * EMA_fast(src) - EMA_slow(src), each EMA exactly as `ema(src, n)`, so the difference equals the two EMA columns'
 * difference bit for bit; NaN before row max(fast, slow) - 1. One output column and no intermediate: the slow EMA
 * is subtracted in place from the fast one.
 */
export function emaDifference(src: Float64Array, fast: number, slow: number): Float64Array {
  const out = ema(src, fast);
  const len = src.length;
  const first = slow - 1;
  if (first < len) {
    const v = seedMean(src, 0, first, slow);
    out[first] -= v;
    smoothAfter(src, first, v, 2 / (slow + 1), out, true);
  }
  out.fill(NaN, 0, Math.min(Math.max(fast, slow) - 1, len));
  return out;
}

/**
 * The smoother's rows after `first` (whose value is `v`) into `out`, or subtracted from `out` when `subtract`.
 *
 * Four rows per step, from the value v before them: row k is beta^(k+1) v + p_k, where p_k is the smoothed sum of
 * the block's own inputs (p_k = beta p_(k-1) + alpha x_k). Only v -> beta^4 v + p_3 is on the dependency chain
 * (one multiply-add per four rows instead of one per row); the p_k of the next block are computed while it runs.
 * This differs from the row-by-row recurrence by a few ulps, which do not accumulate (beta < 1 damps them). Blocks
 * start at row first + 1 whatever the length, and the last, partial block uses the same expressions, so a row's
 * value never depends on how many rows follow it.
 */
function smoothAfter(src: Float64Array, first: number, v: number, alpha: number, out: Float64Array, subtract: boolean): void {
  const len = src.length;
  const a = alpha;
  const b = 1 - alpha;
  const b2 = b * b;
  const b3 = b2 * b;
  const b4 = b2 * b2;
  let i = first + 1;
  for (; i + 3 < len; i += 4) {
    const p0 = a * src[i];
    const p1 = b * p0 + a * src[i + 1];
    const p2 = b * p1 + a * src[i + 2];
    const p3 = b * p2 + a * src[i + 3];
    const s0 = b * v + p0;
    const s1 = b2 * v + p1;
    const s2 = b3 * v + p2;
    v = b4 * v + p3;
    if (subtract) {
      out[i] -= s0;
      out[i + 1] -= s1;
      out[i + 2] -= s2;
      out[i + 3] -= v;
    } else {
      out[i] = s0;
      out[i + 1] = s1;
      out[i + 2] = s2;
      out[i + 3] = v;
    }
  }
  // the partial last block: its first 1-3 rows by the same expressions
  let p = 0;
  let bk = 1;
  for (let k = 0; i + k < len; k++) {
    p = k === 0 ? a * src[i] : b * p + a * src[i + k];
    bk *= b;
    const s = bk * v + p;
    if (subtract) out[i + k] -= s;
    else out[i + k] = s;
  }
}

/** The simple mean of src[start..first] (n values): the seed of the exponential smoothers. */
function seedMean(src: Float64Array, start: number, first: number, n: number): number {
  let s = 0;
  for (let j = start; j <= first; j++) s += src[j];
  return s / n;
}

/** EMA with alpha = 2/(n+1), seeded with the SMA of the first `n` values. */
export function ema(src: Float64Array, n: number, start = 0): Float64Array {
  return expSmooth(src, n, 2 / (n + 1), start);
}

/**
 * Wilder smoothing (alpha = 1/n) seeded with the SMA of the first `n` values, in TA-Lib's form
 * `(prev * (n - 1) + x) / n` (the division done as a multiplication by 1/n, off by at most an ulp per step).
 */
export function wilder(src: Float64Array, n: number, start = 0): Float64Array {
  const len = src.length;
  const first = start + n - 1;
  const out = nanArray(len, first);
  if (first >= len) return out;
  let v = seedMean(src, start, first, n);
  out[first] = v;
  const m = n - 1;
  const inv = 1 / n;
  for (let i = first + 1; i < len; i++) {
    v = (v * m + src[i]) * inv;
    out[i] = v;
  }
  return out;
}

/** Linearly weighted moving average: weights 1 (oldest) .. n (newest), divided by n(n+1)/2. */
export function wma(src: Float64Array, n: number, start = 0): Float64Array {
  const len = src.length;
  const first = start + n - 1;
  const out = nanArray(len, first);
  if (first >= len) return out;
  const inv = 2 / (n * (n + 1));
  let s = 0; // plain sum of the window
  let w = 0; // weighted sum of the window
  for (let i = first; i < len; i++) {
    if (i === first || (i & RECOMPUTE_MASK) === 0) {
      s = 0;
      w = 0;
      for (let j = i - n + 1, k = 1; j <= i; j++, k++) {
        s += src[j];
        w += k * src[j];
      }
    } else {
      w += n * src[i] - s;
      s += src[i] - src[i - n];
    }
    out[i] = w * inv;
  }
  return out;
}

/**
 * Rolling variance over `n` rows with `ddof` delta degrees of freedom (0: population, 1: sample), via shifted
 * running sums recomputed on the fixed schedule. Exactly 0 for constant input; never negative.
 */
export function rollingVariance(src: Float64Array, n: number, ddof: 0 | 1, start = 0): Float64Array {
  return dispersion(src, n, ddof, start, 'variance');
}

/** Rolling standard deviation (square root of {@link rollingVariance}, taken in the same pass). */
export function rollingStd(src: Float64Array, n: number, ddof: 0 | 1, start = 0): Float64Array {
  return dispersion(src, n, ddof, start, 'std');
}

function dispersion(src: Float64Array, n: number, ddof: 0 | 1, start: number, output: 'variance' | 'std'): Float64Array {
  const len = src.length;
  const first = start + n - 1;
  const out = nanArray(len, first);
  if (first >= len || n - ddof <= 0) return out.fill(NaN);
  const root = output === 'std';
  let shift = 0;
  let s1 = 0;
  let s2 = 0;
  let changes = 0; // consecutive pairs inside the window that differ (exact)
  const inv = 1 / n;
  const dofInv = 1 / (n - ddof);
  let i = first;
  while (i < len) {
    // from scratch at the first full window and on each recomputation row ...
    shift = src[i];
    s1 = 0;
    s2 = 0;
    changes = 0;
    for (let j = i - n + 1; j <= i; j++) {
      const d = src[j] - shift;
      s1 += d;
      s2 += d * d;
      if (j > i - n + 1 && src[j] !== src[j - 1]) changes++;
    }
    // ... then slide up to the next one, with no per-row test of the schedule
    const end = Math.min(len, (i | RECOMPUTE_MASK) + 1);
    for (;;) {
      // a constant window has exactly zero variance, whatever residue the running sums carry
      const v = changes === 0 ? 0 : (s2 - s1 * s1 * inv) * dofInv;
      out[i] = v > 0 ? (root ? Math.sqrt(v) : v) : 0;
      if (++i >= end) break;
      const a = src[i] - shift;
      const b = src[i - n] - shift;
      s1 += a - b;
      s2 += a * a - b * b;
      if (src[i] !== src[i - 1]) changes++;
      if (src[i - n + 1] !== src[i - n]) changes--;
    }
  }
  return out;
}

/**
 * For each full window of `n` rows, how many consecutive pairs inside it differ (exact integers; 0 means the
 * window is constant). Rows in warm-up hold -1.
 */
export function windowChanges(src: Float64Array, n: number, start = 0): Int32Array {
  const len = src.length;
  const out = new Int32Array(len).fill(-1);
  let count = 0;
  for (let i = start + 1; i < len; i++) {
    if (src[i] !== src[i - 1]) count++;
    // the pair (i-n, i-n+1) left the window that now starts at i-n+1
    const j = i - n + 1;
    if (j > start && src[j] !== src[j - 1]) count--;
    if (i >= start + n - 1) out[i] = count;
  }
  if (n === 1) for (let i = start; i < len; i++) out[i] = 0;
  return out;
}

/**
 * Index of the rolling maximum (`max = true`) or minimum over `n` rows (as a double; NaN in warm-up), via a
 * monotonic deque (amortised O(1) per row). On ties the most recent row wins (TA-Lib's Aroon convention).
 */
export function rollingArgExtreme(src: Float64Array, n: number, max: boolean, start = 0): Float64Array {
  return rollingExtreme(src, n, max, start, true);
}

/** Rolling maximum over `n` rows (van Herk / Gil-Werman blocks: about three comparisons per row). */
export function rollingMax(src: Float64Array, n: number, start = 0): Float64Array {
  return blockExtreme(src, n, start, true);
}

/** Rolling minimum over `n` rows (van Herk / Gil-Werman blocks). */
export function rollingMin(src: Float64Array, n: number, start = 0): Float64Array {
  return blockExtreme(src, n, start, false);
}

/**
 * Rolling extreme by the van Herk / Gil-Werman method: rows are cut into blocks of `n` (aligned at `start`). The
 * window ending at a block's last row is the block itself; a window ending inside the next block is the max of
 * the suffix of this block from the window's start and the prefix of the next block up to the window's end. Both
 * only cover rows of the window, so each value depends on rows <= its own only, and max/min are exact, so the
 * result equals the deque's. One pass per block: suffix maxima from its end, then the next block's prefix.
 */
function blockExtreme(src: Float64Array, n: number, start: number, max: boolean): Float64Array {
  const len = src.length;
  const out = nanArray(len, start + n - 1);
  // minima are maxima of the negated values (negation is exact)
  const sign = max ? 1 : -1;
  const suffix = new Float64Array(n); // suffix maxima of the current block
  for (let b = start; b + n - 1 < len; b += n) {
    let m = sign * src[b + n - 1];
    suffix[n - 1] = m;
    for (let k = n - 2; k >= 0; k--) {
      m = Math.max(m, sign * src[b + k]);
      suffix[k] = m;
    }
    out[b + n - 1] = sign * m;
    // windows ending at rows next .. next + n - 2: suffix of this block from rel r + 1, prefix of the next to rel r
    const next = b + n;
    const count = Math.min(n - 1, len - next);
    let prefix = -Infinity;
    for (let r = 0; r < count; r++) {
      prefix = Math.max(prefix, sign * src[next + r]);
      out[next + r] = sign * Math.max(suffix[r + 1], prefix);
    }
  }
  return out;
}

function rollingExtreme(src: Float64Array, n: number, max: boolean, start: number, index: boolean): Float64Array {
  const len = src.length;
  const first = start + n - 1;
  const out = nanArray(len, first);
  let cap = 1;
  while (cap < n + 1) cap <<= 1;
  const mask = cap - 1;
  const dq = new Int32Array(cap);
  let head = 0; // ring position of the front
  let tail = 0; // ring position one past the back
  const sign = max ? 1 : -1;
  for (let i = start; i < len; i++) {
    const x = sign * src[i];
    // drop from the back every row the new one dominates (ties too: the newest wins)
    while (tail !== head && sign * src[dq[(tail - 1) & mask]] <= x) tail = (tail - 1) & mask;
    dq[tail] = i;
    tail = (tail + 1) & mask;
    // drop from the front the row that left the window
    if (dq[head] <= i - n) head = (head + 1) & mask;
    if (i >= first) out[i] = index ? dq[head] : src[dq[head]];
  }
  return out;
}

/**
 * Rolling Pearson correlation (`kind = 'corr'`), covariance divided by the variance of `y` (`'beta'`), or
 * population covariance (`'cov'`) of two aligned columns over `n` rows, via shifted running sums on the fixed
 * recomputation schedule. A zero-variance window gives 0 (no linear relation can be measured).
 */
export function rollingCo(
  x: Float64Array,
  y: Float64Array,
  n: number,
  kind: 'corr' | 'beta' | 'cov',
  start = 0,
): Float64Array {
  const len = x.length;
  const first = start + n - 1;
  const out = nanArray(len, first);
  if (first >= len) return out;
  let kx = 0;
  let ky = 0;
  let sx = 0;
  let sy = 0;
  let sxx = 0;
  let syy = 0;
  let sxy = 0;
  const inv = 1 / n;
  let cx = 0; // consecutive pairs inside the window that differ, per column (exact)
  let cy = 0;
  for (let i = first; i < len; i++) {
    if (i === first || (i & RECOMPUTE_MASK) === 0) {
      kx = x[i];
      ky = y[i];
      sx = sy = sxx = syy = sxy = 0;
      cx = cy = 0;
      for (let j = i - n + 1; j <= i; j++) {
        const a = x[j] - kx;
        const b = y[j] - ky;
        sx += a;
        sy += b;
        sxx += a * a;
        syy += b * b;
        sxy += a * b;
        if (j > i - n + 1) {
          if (x[j] !== x[j - 1]) cx++;
          if (y[j] !== y[j - 1]) cy++;
        }
      }
    } else {
      if (x[i] !== x[i - 1]) cx++;
      if (x[i - n + 1] !== x[i - n]) cx--;
      if (y[i] !== y[i - 1]) cy++;
      if (y[i - n + 1] !== y[i - n]) cy--;
      const a = x[i] - kx;
      const b = y[i] - ky;
      const ao = x[i - n] - kx;
      const bo = y[i - n] - ky;
      sx += a - ao;
      sy += b - bo;
      sxx += a * a - ao * ao;
      syy += b * b - bo * bo;
      sxy += a * b - ao * bo;
    }
    // a constant column has no (co)variance, whatever residue the running sums carry
    const xConst = cx === 0;
    const yConst = cy === 0;
    const cov = xConst || yConst ? 0 : (sxy - sx * sy * inv) * inv;
    if (kind === 'cov') {
      out[i] = cov;
      continue;
    }
    const vy = yConst ? 0 : (syy - sy * sy * inv) * inv;
    if (kind === 'beta') {
      out[i] = vy > 0 ? cov / vy : 0;
      continue;
    }
    const vx = xConst ? 0 : (sxx - sx * sx * inv) * inv;
    const d = vx * vy;
    if (!(vx > 0 && vy > 0 && d > 0)) {
      out[i] = 0;
      continue;
    }
    const r = cov / Math.sqrt(d);
    out[i] = r > 1 ? 1 : r < -1 ? -1 : r;
  }
  return out;
}

/**
 * Rolling standardised third (`skew`) or excess fourth (`kurt`) moment over `n` rows, population form
 * (`m3 / m2^1.5`, `m4 / m2^2 - 3`); see {@link rollingSkewKurt}, which gives both from one pass.
 */
export function rollingShape(src: Float64Array, n: number, kind: 'skew' | 'kurt', start = 0): Float64Array {
  return rollingSkewKurt(src, n, start)[kind];
}

/**
 * Rolling skewness and excess kurtosis over `n` rows (population moments) from one pass over shifted power sums
 * on the fixed recomputation schedule. A constant window (exact count), or one whose variance is at rounding
 * level of its second moment, gives 0 for both.
 */
export function rollingSkewKurt(src: Float64Array, n: number, start = 0): { skew: Float64Array; kurt: Float64Array } {
  const len = src.length;
  const first = start + n - 1;
  const skew = nanArray(len, first);
  const kurt = nanArray(len, first);
  if (first >= len) return { skew, kurt };
  let k = 0;
  let s1 = 0;
  let s2 = 0;
  let s3 = 0;
  let s4 = 0;
  const inv = 1 / n;
  let changes = 0; // consecutive pairs inside the window that differ (exact)
  for (let i = first; i < len; i++) {
    if (i === first || (i & RECOMPUTE_MASK) === 0) {
      k = src[i];
      s1 = s2 = s3 = s4 = 0;
      changes = 0;
      for (let j = i - n + 1; j <= i; j++) {
        if (j > i - n + 1 && src[j] !== src[j - 1]) changes++;
        const d = src[j] - k;
        const d2 = d * d;
        s1 += d;
        s2 += d2;
        s3 += d2 * d;
        s4 += d2 * d2;
      }
    } else {
      if (src[i] !== src[i - 1]) changes++;
      if (src[i - n + 1] !== src[i - n]) changes--;
      const a = src[i] - k;
      const b = src[i - n] - k;
      const a2 = a * a;
      const b2 = b * b;
      s1 += a - b;
      s2 += a2 - b2;
      s3 += a2 * a - b2 * b;
      s4 += a2 * a2 - b2 * b2;
    }
    const mu = s1 * inv;
    const e2 = s2 * inv;
    const e3 = s3 * inv;
    const m2 = e2 - mu * mu;
    if (changes === 0 || !(m2 > 1e-14 * e2)) {
      skew[i] = 0;
      kurt[i] = 0;
      continue;
    }
    const e4 = s4 * inv;
    const mu2 = mu * mu;
    const m3 = e3 - 3 * mu * e2 + 2 * mu2 * mu;
    const m4 = e4 - 4 * mu * e3 + 6 * mu2 * e2 - 3 * mu2 * mu2;
    skew[i] = m3 / (m2 * Math.sqrt(m2));
    kurt[i] = m4 / (m2 * m2) - 3;
  }
  return { skew, kurt };
}

/**
 * Number of rows with a value > 0 in each window of `n` rows (exact integer arithmetic), e.g. to tell an
 * empty-volume window from a running sum's rounding residue. Rows in warm-up hold -1.
 */
export function rollingCountPositive(src: Float64Array, n: number, start = 0): Int32Array {
  const len = src.length;
  const out = new Int32Array(len).fill(-1);
  let count = 0;
  for (let i = start; i < len; i++) {
    if (src[i] > 0) count++;
    if (i - n >= start && src[i - n] > 0) count--;
    if (i >= start + n - 1) out[i] = count;
  }
  return out;
}
