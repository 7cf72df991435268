/**
 * The binned training matrix: per-feature quantile bins found on a seeded row sample, and the bin code of every
 * row and feature stored row-major (`bins[row * numFeatures + f]`) in a `Uint8Array` when every feature has at
 * most 256 bins (value bins plus the missing bin), a `Uint16Array` otherwise. Row-major codes let one pass over a
 * leaf's rows fill the histograms of all features. The row-major codes are placed by a `BufferAllocator`: on a
 * SharedArrayBuffer so histogram workers read them without copies, or in the WebAssembly kernels' memory.
 */
import { Rng } from '../../core/rng.js';
import { heapAllocator, type BufferAllocator } from '../kernels/memory.js';
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

/** Whether codes of these mappers need 16 bits (some feature has more than 256 bins, missing bin included). */
export function needsWideCodes(mappers: readonly BinMapper[]): boolean {
  return mappers.some((m) => m.missingBin + 1 > 256);
}

function allocCodes(wide: boolean, length: number, alloc: BufferAllocator): BinCodes {
  return wide ? alloc.u16(length) : alloc.u8(length);
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

/** Find the bins of every feature and encode the whole matrix (with its feature-major copy). */
export function buildBinnedDataset(matrix: FeatureMatrix, options: BinningOptions): BinnedDataset {
  return encodeWithMappers(matrix, findMappers(matrix, options), heapAllocator(options.shared), true);
}

/** Find the bins of every feature on the seeded row sample (`options.shared` is not used). */
export function findMappers(matrix: FeatureMatrix, options: Omit<BinningOptions, 'shared'>): BinMapper[] {
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
  return mappers;
}

/**
 * Encode a matrix (training or validation) with existing mappers, into the same layout as the training codes.
 * The row-major codes come from `alloc`; `withColumns` also keeps the feature-major copy (on the heap, shared
 * when `alloc` is).
 */
export function encodeWithMappers(
  matrix: FeatureMatrix, mappers: readonly BinMapper[], alloc: BufferAllocator, withColumns = false,
): BinnedDataset {
  const { numRows, numFeatures } = matrix;
  const numBins = new Int32Array(numFeatures);
  const binOffset = new Int32Array(numFeatures + 1);
  for (let f = 0; f < numFeatures; f++) {
    numBins[f] = mappers[f].missingBin + 1;
    binOffset[f + 1] = binOffset[f] + numBins[f];
  }
  const wide = needsWideCodes(mappers);
  const bins = allocCodes(wide, numRows * numFeatures, alloc);
  const columns = withColumns ? allocCodes(wide, numRows * numFeatures, heapAllocator(alloc.shared)) : null;
  const col = new Float64Array(numRows);
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

