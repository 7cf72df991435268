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

/** Find the bins of every feature and encode the whole matrix as a training set. */
export function buildBinnedDataset(matrix: FeatureMatrix, options: BinningOptions): BinnedDataset {
  return encodeWithMappers(matrix, findMappers(matrix, options), heapAllocator(options.shared), true);
}

/**
 * Find the bins of every feature on the seeded row sample (`options.shared` is not used). `hasMissing` reflects
 * the sample only; encoding the training set (`encodeWithMappers(..., true)`) sets it from every row.
 */
export function findMappers(matrix: FeatureMatrix, options: Omit<BinningOptions, 'shared'>): BinMapper[] {
  const rng = new Rng(options.seed).fork(0x62696e73); // "bins"
  const sample = sampleRows(matrix.numRows, options.sampleCount, rng);
  const values = new Float64Array(sample.length);
  const mappers: BinMapper[] = [];
  for (let f = 0; f < matrix.numFeatures; f++) {
    matrix.gather(f, sample, values);
    mappers.push(findBins(values, options.maxBin, values.some(Number.isNaN)));
  }
  return mappers;
}

/**
 * Encode a matrix with existing mappers, into the same layout as the training codes. The row-major codes come
 * from `alloc`. A `training` set also gets the feature-major copy (on the heap, shared when `alloc` is), and its
 * mappers record whether the feature has missing values in any row (validation sets keep the training mappers).
 */
export function encodeWithMappers(
  matrix: FeatureMatrix, mappers: readonly BinMapper[], alloc: BufferAllocator, training = false,
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
  const columns = training ? allocCodes(wide, numRows * numFeatures, heapAllocator(alloc.shared)) : null;
  const col = new Float64Array(numRows);
  const encoded: BinMapper[] = [];
  for (let f = 0; f < numFeatures; f++) {
    matrix.readColumn(f, col);
    const m = mappers[f];
    const sawMissing = encodeColumn(m, col, numRows, bins, f, numFeatures, columns ? columns.subarray(f * numRows, (f + 1) * numRows) : null);
    encoded.push(!training || m.hasMissing === sawMissing ? m : { ...m, hasMissing: sawMissing, isTrivial: m.upperBounds.length === 1 && !sawMissing });
  }
  return { numRows, numFeatures, bins, columns, mappers: encoded, numBins, binOffset, totalBins: binOffset[numFeatures] };
}

/** Cells of the lookup that narrows each value's bin search (see `encodeColumn`). */
const CELLS = 4096;

/**
 * Write the bin codes of one feature: row-major into `bins` (stride `stride` from `f`) and, when given,
 * contiguously into `columnOut`; returns whether any value was missing. A value's bin is the number of upper bounds below it. Rather than a binary search
 * over all bounds per value, the range [first bound, last finite bound] is cut into `CELLS` equal cells; since
 * the cell of a value is a non-decreasing function of it, a value in cell c has more than the bounds of cells
 * < c below it and none of the bounds of cells > c, so the search runs over the (usually one or two) bounds of
 * its own cell. The result is exactly the full binary search's.
 */
function encodeColumn(
  mapper: BinMapper, col: Float64Array, numRows: number, bins: BinCodes, f: number, stride: number, columnOut: BinCodes | null,
): boolean {
  const ub = mapper.upperBounds;
  const last = ub.length - 1; // ub[last] is +Infinity
  const missing = mapper.missingBin;
  const lo0 = last > 0 ? ub[0] : 0;
  const span = last > 1 ? ub[last - 1] - lo0 : 0;
  const scale = span > 0 && Number.isFinite(CELLS / span) ? CELLS / span : 0;
  // start[c] = bounds (among ub[0..last-1]) in cells < c
  const start = new Int32Array(CELLS + 1);
  for (let b = 0; b < last; b++) start[cellOf(ub[b], lo0, scale) + 1]++;
  for (let c = 0; c < CELLS; c++) start[c + 1] += start[c];
  let sawMissing = false;
  for (let i = 0, j = f; i < numRows; i++, j += stride) {
    const x = col[i];
    let bin: number;
    if (x !== x) {
      bin = missing;
      sawMissing = true;
    } else {
      const c = cellOf(x, lo0, scale);
      let lo = start[c];
      let hi = start[c + 1];
      while (lo < hi) {
        const mid = (lo + hi) >>> 1;
        if (x <= ub[mid]) hi = mid;
        else lo = mid + 1;
      }
      bin = lo;
    }
    bins[j] = bin;
    if (columnOut !== null) columnOut[i] = bin;
  }
  return sawMissing;
}

/** The cell of a (non-NaN) value: floor((x - lo0) * scale) clamped to [0, CELLS - 1]; non-decreasing in x. */
function cellOf(x: number, lo0: number, scale: number): number {
  const c = (x - lo0) * scale;
  return c >= 1 ? (c < CELLS ? c | 0 : CELLS - 1) : 0;
}
