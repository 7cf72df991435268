/**
 * Column-major feature frames: selecting rows (zero-copy views for contiguous ranges, typed gathers otherwise)
 * and converting to the row-major layout the GBDT predictor reads.
 */
import type { FeatureColumns } from './model.js';

/** True when `rows` is strictly consecutive (`rows[i] = rows[0] + i`). */
export function isContiguous(rows: Uint32Array): boolean {
  const n = rows.length;
  return n === 0 || rows[n - 1] - rows[0] === n - 1;
}

/**
 * The frame restricted to `rows` (ascending positions). Contiguous rows give subarray views (no copy); other
 * selections gather each column into a new Float64Array.
 */
export function selectRows(X: FeatureColumns, rows: Uint32Array): FeatureColumns {
  const n = rows.length;
  if (isContiguous(rows)) {
    const start = n === 0 ? 0 : rows[0];
    return { columns: X.columns.map((c) => c.subarray(start, start + n)), numRows: n, names: X.names };
  }
  const columns = X.columns.map((c) => {
    const out = new Float64Array(n);
    for (let i = 0; i < n; i++) out[i] = c[rows[i]];
    return out;
  });
  return { columns, numRows: n, names: X.names };
}

/** Values of `y` at `rows`, as a new Float64Array. */
export function selectValues(y: ArrayLike<number>, rows: Uint32Array): Float64Array {
  const out = new Float64Array(rows.length);
  for (let i = 0; i < rows.length; i++) out[i] = y[rows[i]];
  return out;
}

/** The frame as one row-major `numRows x numFeatures` Float64Array (NaN kept). */
export function toRowMajor(X: FeatureColumns): Float64Array {
  const p = X.columns.length;
  const n = X.numRows;
  const out = new Float64Array(n * p);
  for (let f = 0; f < p; f++) {
    const c = X.columns[f];
    for (let i = 0, j = f; i < n; i++, j += p) out[j] = c[i];
  }
  return out;
}

/** A frame of extra columns (e.g. base-model predictions) with generated names `prefix0..`. */
export function frameOf(columns: Float64Array[], names: readonly string[]): FeatureColumns {
  return { columns, numRows: columns.length > 0 ? columns[0].length : 0, names };
}
