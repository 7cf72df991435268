/**
 * The feature-matrix edge of the GBDT engine: accepts row-major typed arrays or one array per feature,
 * validates the shape once, and gives the binning code a single strided column reader.
 */
import type { Hash } from 'node:crypto';
import { DataError } from '../../core/errors.js';

/** One array per feature, each `numRows` long (NaN = missing). */
export type FeatureColumns = ReadonlyArray<Float64Array | Float32Array | ArrayLike<number>>;

/** Features as a row-major `numRows x numFeatures` typed array or as one array per feature. NaN marks missing. */
export type FeatureInput = Float64Array | Float32Array | FeatureColumns;

/** A validated feature matrix of either layout. */
export interface FeatureMatrix {
  readonly numRows: number;
  readonly numFeatures: number;
  /** Copy feature `f` of every row into `out` (length >= numRows). */
  readColumn(f: number, out: Float64Array): void;
  /** Copy feature `f` of rows `rows[0..]` into `out` (same length as `rows`). */
  gather(f: number, rows: Uint32Array, out: Float64Array): void;
  /** Value of feature `f` in row `row` (for the rare per-row paths; hot loops use `readColumn`). */
  get(row: number, f: number): number;
  /**
   * Feed the matrix into a hash: the bytes as given (tagged with their type) for typed row-major input, column by
   * column as float64 for column input. The same values in another layout hash differently.
   */
  updateHash(hash: Hash): void;
}

function isTyped(x: unknown): x is Float64Array | Float32Array {
  return x instanceof Float64Array || x instanceof Float32Array;
}

/**
 * Wrap and validate features. `what` names the input in errors (e.g. "training features", "validation set 1").
 * Throws `DataError` when the array length does not match `numRows x numFeatures`.
 */
export function toFeatureMatrix(features: FeatureInput, numRows: number, numFeatures: number, what: string): FeatureMatrix {
  if (isTyped(features)) {
    if (features.length !== numRows * numFeatures) {
      throw new DataError(
        `${what}: ${features.length} values do not form ${numRows} rows x ${numFeatures} features (expected ${numRows * numFeatures})`,
        'pass a row-major array of numRows x numFeatures values, or one array per feature',
      );
    }
    const data = features;
    return {
      numRows,
      numFeatures,
      readColumn(f, out) {
        for (let i = 0, j = f; i < numRows; i++, j += numFeatures) out[i] = data[j];
      },
      gather(f, rows, out) {
        for (let k = 0; k < rows.length; k++) out[k] = data[rows[k] * numFeatures + f];
      },
      get: (row, f) => data[row * numFeatures + f],
      updateHash(hash) {
        hash.update(data instanceof Float32Array ? 'f32-rows' : 'f64-rows');
        hash.update(new Uint8Array(data.buffer, data.byteOffset, data.byteLength));
      },
    };
  }
  if (!Array.isArray(features) || features.length !== numFeatures) {
    throw new DataError(
      `${what}: got ${Array.isArray(features) ? features.length : 'no'} feature columns, expected ${numFeatures}`,
      'pass one array per feature, in the order of featureNames',
    );
  }
  const cols = features as FeatureColumns;
  for (let f = 0; f < numFeatures; f++) {
    if (cols[f].length !== numRows) {
      throw new DataError(`${what}: feature column ${f} has ${cols[f].length} values, expected ${numRows}`, 'every feature column needs one value per row');
    }
  }
  return {
    numRows,
    numFeatures,
    readColumn(f, out) {
      const c = cols[f];
      for (let i = 0; i < numRows; i++) out[i] = c[i];
    },
    gather(f, rows, out) {
      const c = cols[f];
      for (let k = 0; k < rows.length; k++) out[k] = c[rows[k]];
    },
    get: (row, f) => cols[f][row],
    updateHash(hash) {
      hash.update('f64-columns');
      const col = new Float64Array(numRows);
      for (let f = 0; f < numFeatures; f++) {
        this.readColumn(f, col);
        hash.update(new Uint8Array(col.buffer));
      }
    },
  };
}

/** Copy labels into a Float64Array and check they are finite, naming the first bad row. */
export function toLabels(labels: ArrayLike<number>, numRows: number, what: string): Float64Array {
  if (labels.length !== numRows) {
    throw new DataError(`${what}: ${labels.length} labels for ${numRows} rows`, 'pass exactly one label per row');
  }
  const out = new Float64Array(numRows);
  for (let i = 0; i < numRows; i++) {
    const y = labels[i];
    if (!Number.isFinite(y)) {
      throw new DataError(`${what}: label of row ${i} is ${y}; labels must be finite numbers`, 'drop or fill rows whose label is NaN or infinite before training');
    }
    out[i] = y;
  }
  return out;
}
