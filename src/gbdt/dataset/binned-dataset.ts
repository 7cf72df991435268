/**
 * The binned training matrix: per-feature quantile bins found on a seeded row sample, and the bin code of every
 * row and feature stored row-major (`bins[row * numFeatures + f]`) in a `Uint8Array` when every feature has at
 * most 256 bins (value bins plus the missing bin), a `Uint16Array` otherwise. Row-major codes let one pass over a
 * leaf's rows fill the histograms of all features. The storage can live on a SharedArrayBuffer so histogram
 * workers read it without copies.
 */
import { Rng } from '../../core/rng.js';
import { findBins, type BinMapper } from './bin-mapper.js';
import type { FeatureMatrix } from './feature-matrix.js';

/** Bin codes of a matrix, row-major. */
export type BinCodes = Uint8Array | Uint16Array;

/** A binned matrix and the layout of its histograms. */
export interface BinnedDataset {
  readonly numRows: number;
  readonly numFeatures: number;
  /** Row-major bin codes, `numRows x numFeatures`. */
  readonly bins: BinCodes;
  /**
   * Feature-major copy of the codes (`columns[f * numRows + row]`), kept for the training set only: partitioning
   * a leaf reads one feature of many rows, which is a cache miss per row in the row-major layout.
   */
  readonly columns: BinCodes | null;
  readonly mappers: readonly BinMapper[];
  /** Bins per feature including the missing bin. */
  readonly numBins: Int32Array;
  /** Offset of each feature's first bin in a histogram; `binOffset[numFeatures]` is the total bin count. */
  readonly binOffset: Int32Array;
  readonly totalBins: number;
}

/** Options for `buildBinnedDataset`. */
export interface BinningOptions {
  /** Maximum value bins per feature, >= 2. */
  maxBin: number;
  /** Rows sampled to find the bounds; every row is used when numRows is not larger. */
  sampleCount: number;
  /** Seed of the row sample. */
  seed: number;
  /** Allocate the codes on a SharedArrayBuffer (for worker threads). */
  shared: boolean;
}

function allocCodes(wide: boolean, length: number, shared: boolean): BinCodes {
  const bytes = length * (wide ? 2 : 1);
  const buffer = shared ? new SharedArrayBuffer(bytes) : new ArrayBuffer(bytes);
  return wide ? new Uint16Array(buffer) : new Uint8Array(buffer);
}

/** Sorted sample of `k` distinct row indices out of `n` (all rows when k >= n). */
function sampleRows(n: number, k: number, rng: Rng): Uint32Array {
  if (k >= n) return Uint32Array.from({ length: n }, (_, i) => i);
  // selection sampling (Knuth's algorithm S): one pass, sorted output, exactly k rows
  const out = new Uint32Array(k);
  let chosen = 0;
  for (let i = 0; i < n && chosen < k; i++) {
    if ((n - i) * rng.next() < k - chosen) out[chosen++] = i;
  }
  return out;
}

/** Find the bins of every feature and encode the whole matrix. */
export function buildBinnedDataset(matrix: FeatureMatrix, options: BinningOptions): BinnedDataset {
  const { numRows, numFeatures } = matrix;
  const rng = new Rng(options.seed).fork(0x62696e73); // "bins"
  const sample = sampleRows(numRows, options.sampleCount, rng);
  const column = new Float64Array(numRows);
  const sampleValues = new Float64Array(sample.length);
  const mappers: BinMapper[] = [];
  for (let f = 0; f < numFeatures; f++) {
    matrix.readColumn(f, column);
    let hasMissing = false;
    for (let i = 0; i < numRows; i++) {
      if (Number.isNaN(column[i])) {
        hasMissing = true;
        break;
      }
    }
    for (let i = 0; i < sample.length; i++) sampleValues[i] = column[sample[i]];
    mappers.push(findBins(sampleValues, options.maxBin, hasMissing));
  }
  return encodeWithMappers(matrix, mappers, options.shared, column, true);
}

/**
 * Encode a matrix (training or validation) with existing mappers, into the same layout as the training codes.
 * `column` is optional scratch space of at least numRows values; `withColumns` also keeps the feature-major copy.
 */
export function encodeWithMappers(
  matrix: FeatureMatrix, mappers: readonly BinMapper[], shared: boolean, column?: Float64Array, withColumns = false,
): BinnedDataset {
  const { numRows, numFeatures } = matrix;
  const numBins = new Int32Array(numFeatures);
  const binOffset = new Int32Array(numFeatures + 1);
  let wide = false;
  for (let f = 0; f < numFeatures; f++) {
    numBins[f] = mappers[f].missingBin + 1;
    binOffset[f + 1] = binOffset[f] + numBins[f];
    if (numBins[f] > 256) wide = true;
  }
  const bins = allocCodes(wide, numRows * numFeatures, shared);
  const columns = withColumns ? allocCodes(wide, numRows * numFeatures, shared) : null;
  const col = column ?? new Float64Array(numRows);
  for (let f = 0; f < numFeatures; f++) {
    matrix.readColumn(f, col);
    encodeColumn(mappers[f], col, numRows, bins, f, numFeatures);
    if (columns) {
      for (let i = 0, j = f; i < numRows; i++, j += numFeatures) columns[f * numRows + i] = bins[j];
    }
  }
  return { numRows, numFeatures, bins, columns, mappers, numBins, binOffset, totalBins: binOffset[numFeatures] };
}

function encodeColumn(mapper: BinMapper, col: Float64Array, numRows: number, bins: BinCodes, f: number, stride: number): void {
  const ub = mapper.upperBounds;
  const last = ub.length - 1;
  const missing = mapper.missingBin;
  for (let i = 0, j = f; i < numRows; i++, j += stride) {
    const x = col[i];
    if (x !== x) {
      bins[j] = missing;
      continue;
    }
    let lo = 0;
    let hi = last;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (x <= ub[mid]) hi = mid;
      else lo = mid + 1;
    }
    bins[j] = lo;
  }
}

