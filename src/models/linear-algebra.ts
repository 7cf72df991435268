/**
 * The numerical core of the linear families: median imputation and standardisation of a column-major frame
 * (streamed in small row-major blocks, so no standardised copy of the data is ever held), Gram matrices, and a
 * Cholesky solver for the small symmetric positive-definite systems ridge and Newton steps produce.
 */
import { selectKth } from '../core/stats.js';
import { DataError } from '../core/errors.js';
import type { FeatureColumns } from './model.js';

/** Per-feature imputation and scaling learned on training rows. */
export interface Standardizer {
  /** Training median of each feature (NaN replaced by it); 0 for a feature with no finite value. */
  median: Float64Array;
  /** Mean after imputation. */
  mean: Float64Array;
  /** Population standard deviation after imputation; 0 marks a constant feature, which is then ignored. */
  scale: Float64Array;
  /**
   * Standardised values are clamped to [-clip, clip] (Infinity: no clamp). Market features have fat tails and
   * drifting levels; clamping keeps one extreme bar from dominating a linear fit or a forecast.
   */
  clip: number;
}

/** Rows per block when streaming standardised values. */
export const BLOCK_ROWS = 512;

/** Median of the finite values of `values` (mean of the two middle ones for an even count); NaN when none. */
export function medianOf(values: ArrayLike<number>, scratch = new Float64Array(values.length)): number {
  let n = 0;
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (v === v) scratch[n++] = v;
  }
  if (n === 0) return NaN;
  const upper = selectKth(scratch, n, n >>> 1);
  if (n % 2 === 1) return upper;
  // after selecting index n/2, the lower middle is the largest value left of it
  let lower = -Infinity;
  for (let i = 0; i < n >>> 1; i++) if (scratch[i] > lower) lower = scratch[i];
  return (lower + upper) / 2;
}

/**
 * Learn medians, means and scales of every feature of `X` (NaN = missing; infinities are refused); `clip` as in
 * `Standardizer` (0 or Infinity: none).
 */
export function fitStandardizer(X: FeatureColumns, clip = Infinity): Standardizer {
  const p = X.columns.length;
  const n = X.numRows;
  const median = new Float64Array(p);
  const mean = new Float64Array(p);
  const scale = new Float64Array(p);
  const scratch = new Float64Array(n);
  for (let f = 0; f < p; f++) {
    const c = X.columns[f];
    for (let i = 0; i < n; i++) {
      if (c[i] === Infinity || c[i] === -Infinity) {
        throw new DataError(`feature ${X.names[f]} is infinite in row ${i}`, 'replace infinities with NaN (missing) or finite values before training');
      }
    }
    const m = medianOf(c, scratch);
    median[f] = Number.isNaN(m) ? 0 : m;
    let sum = 0;
    for (let i = 0; i < n; i++) {
      const v = c[i];
      sum += v === v ? v : median[f];
    }
    const mu = n > 0 ? sum / n : 0;
    let ss = 0;
    for (let i = 0; i < n; i++) {
      const v = c[i];
      const d = (v === v ? v : median[f]) - mu;
      ss += d * d;
    }
    mean[f] = mu;
    const sd = n > 0 ? Math.sqrt(ss / n) : 0;
    // a spread below 1e-12 of the level is rounding noise: treat the feature as constant
    scale[f] = sd > 1e-12 * Math.max(1, Math.abs(mu)) ? sd : 0;
  }
  return { median, mean, scale, clip: clip > 0 ? clip : Infinity };
}

/**
 * Write rows `[start, start + count)` of `X`, imputed, standardised and clamped, into `block` (row-major, `p`
 * values per row; constant features give 0).
 */
export function standardizeBlock(X: FeatureColumns, s: Standardizer, start: number, count: number, block: Float64Array): void {
  const p = X.columns.length;
  for (let f = 0; f < p; f++) {
    const c = X.columns[f];
    const med = s.median[f];
    const mu = s.mean[f];
    const inv = s.scale[f] > 0 ? 1 / s.scale[f] : 0;
    const hi = s.clip;
    const lo = -hi;
    for (let r = 0, j = f; r < count; r++, j += p) {
      const v = c[start + r];
      const z = ((v === v ? v : med) - mu) * inv;
      block[j] = z > hi ? hi : z < lo ? lo : z;
    }
  }
}

/**
 * Weighted Gram matrix `sum_i w_i z_i z_i^T` (p x p, row-major, full), `sum_i w_i z_i t_i` and `sum_i w_i z_i` of
 * the standardised rows, with `w = 1` when `weights` is omitted. `target` may be omitted (then `zt` is all zeros).
 */
export function gram(X: FeatureColumns, s: Standardizer, weights?: Float64Array, target?: Float64Array): { zz: Float64Array; zt: Float64Array; zsum: Float64Array } {
  const p = X.columns.length;
  const n = X.numRows;
  const zz = new Float64Array(p * p);
  const zt = new Float64Array(p);
  const zsum = new Float64Array(p);
  const block = new Float64Array(BLOCK_ROWS * p);
  for (let start = 0; start < n; start += BLOCK_ROWS) {
    const count = Math.min(BLOCK_ROWS, n - start);
    standardizeBlock(X, s, start, count, block);
    for (let r = 0; r < count; r++) {
      const w = weights ? weights[start + r] : 1;
      if (w === 0) continue;
      const o = r * p;
      const wt = target ? target[start + r] * w : 0;
      for (let a = 0; a < p; a++) {
        const za = block[o + a];
        if (za === 0) continue;
        zt[a] += za * wt;
        zsum[a] += za * w;
        const wza = za * w;
        const row = a * p;
        for (let b = a; b < p; b++) zz[row + b] += wza * block[o + b];
      }
    }
  }
  for (let a = 0; a < p; a++) for (let b = 0; b < a; b++) zz[a * p + b] = zz[b * p + a];
  return { zz, zt, zsum };
}

/**
 * Solve `A x = b` for a symmetric positive-definite `A` (m x m, row-major; not modified) by Cholesky. Returns null
 * when `A` is not numerically positive definite.
 */
export function choleskySolve(A: Float64Array, b: Float64Array, m: number): Float64Array | null {
  const L = new Float64Array(m * m);
  for (let i = 0; i < m; i++) {
    for (let j = 0; j <= i; j++) {
      let sum = A[i * m + j];
      for (let k = 0; k < j; k++) sum -= L[i * m + k] * L[j * m + k];
      if (i === j) {
        if (!(sum > 1e-300)) return null;
        L[i * m + i] = Math.sqrt(sum);
      } else {
        L[i * m + j] = sum / L[j * m + j];
      }
    }
  }
  const x = new Float64Array(m);
  for (let i = 0; i < m; i++) {
    let sum = b[i];
    for (let k = 0; k < i; k++) sum -= L[i * m + k] * x[k];
    x[i] = sum / L[i * m + i];
  }
  for (let i = m - 1; i >= 0; i--) {
    let sum = x[i];
    for (let k = i + 1; k < m; k++) sum -= L[k * m + i] * x[k];
    x[i] = sum / L[i * m + i];
  }
  return x;
}

/**
 * Linear scores `intercept[k] + sum_f z_f coef[k*p + f]` for every row and each of `width` outputs, row-major
 * (`numRows x width`), computed on the standardised rows.
 */
export function linearScores(X: FeatureColumns, s: Standardizer, coef: Float64Array, intercept: Float64Array, width: number): Float64Array {
  const p = X.columns.length;
  const n = X.numRows;
  const out = new Float64Array(n * width);
  const block = new Float64Array(BLOCK_ROWS * p);
  for (let start = 0; start < n; start += BLOCK_ROWS) {
    const count = Math.min(BLOCK_ROWS, n - start);
    standardizeBlock(X, s, start, count, block);
    for (let r = 0; r < count; r++) {
      const o = r * p;
      for (let k = 0; k < width; k++) {
        let sum = intercept[k];
        const co = k * p;
        for (let f = 0; f < p; f++) sum += block[o + f] * coef[co + f];
        out[(start + r) * width + k] = sum;
      }
    }
  }
  return out;
}
