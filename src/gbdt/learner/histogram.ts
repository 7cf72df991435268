/**
 * Gradient histograms. A leaf's histogram holds, for every feature and bin, the sum of gradients, the sum of
 * hessians and the row count, interleaved as 3 float64 per bin: `hist[base + 3 * (binOffset[f] + b) + {0,1,2}]`.
 * Histograms live in a pool of slots (one per live leaf) so a child's histogram can be derived from its parent's
 * by subtraction.
 */

/** Float64 values per histogram bin: gradient sum, hessian sum, count. */
export const HIST_STRIDE = 3;

/**
 * Fill the histogram of features `[featStart, featEnd)` over rows `rows[begin..end)` into `hist` at `histBase`.
 * Bin codes are row-major (`bins[row * numFeatures + f]`), gradients and hessians are read at `gradOffset + row`.
 *
 * This is the engine's hot loop, and it is also shipped verbatim (through `Function.prototype.toString`) to the
 * histogram worker threads, so it must stay self-contained: no imports, no closures, no helper calls, plain
 * typed-array arithmetic only. Results do not depend on how features are split between threads because every
 * bin is summed by one thread in row order.
 */
export function buildHistogramKernel(
  bins: Uint8Array | Uint16Array,
  numFeatures: number,
  featStart: number,
  featEnd: number,
  binOffset: Int32Array,
  rows: Uint32Array,
  begin: number,
  end: number,
  grad: Float64Array,
  hess: Float64Array,
  gradOffset: number,
  hist: Float64Array,
  histBase: number,
): void {
  const lo = histBase + binOffset[featStart] * 3;
  const hi = histBase + binOffset[featEnd] * 3;
  hist.fill(0, lo, hi);
  const width = featEnd - featStart;
  if (width <= 0) return;
  // per-feature base offsets into the histogram, relative to the slot
  const offsets = new Int32Array(width);
  for (let k = 0; k < width; k++) offsets[k] = histBase + binOffset[featStart + k] * 3;
  for (let i = begin; i < end; i++) {
    const r = rows[i];
    const g = grad[gradOffset + r];
    const h = hess[gradOffset + r];
    const rowBase = r * numFeatures + featStart;
    for (let k = 0; k < width; k++) {
      const idx = offsets[k] + bins[rowBase + k] * 3;
      hist[idx] += g;
      hist[idx + 1] += h;
      hist[idx + 2] += 1;
    }
  }
}

/** `hist[larger] = hist[parent] - hist[smaller]` over `length` values, in place on the parent's slot. */
export function subtractHistogram(pool: Float64Array, parentBase: number, smallerBase: number, length: number): void {
  for (let i = 0; i < length; i++) pool[parentBase + i] -= pool[smallerBase + i];
}

/**
 * Builds leaf histograms into a slot pool. The serial implementation runs the kernel on the calling thread;
 * `parallel/histogram-pool.ts` splits the features across worker threads with identical results.
 */
export interface HistogramBuilder {
  /** The slot pool: `numSlots x totalBins x HIST_STRIDE` float64. */
  readonly pool: Float64Array;
  /** Values per slot (`totalBins * HIST_STRIDE`). */
  readonly slotSize: number;
  /** Threads doing the work, including the calling one. */
  readonly numThreads: number;
  /** Fill slot `slot` from rows `rows[begin..end)` with gradients/hessians at `gradOffset`. */
  build(begin: number, end: number, slot: number, gradOffset: number): void;
  /** Release worker threads (idempotent). */
  close(): void;
}

/** Shared inputs of a histogram builder. */
export interface HistogramInputs {
  bins: Uint8Array | Uint16Array;
  numFeatures: number;
  binOffset: Int32Array;
  /** Row indices of the data partition (the builder reads the current leaf ranges from it). */
  rows: Uint32Array;
  grad: Float64Array;
  hess: Float64Array;
  numSlots: number;
}

/** Single-threaded builder. */
export function createSerialHistogramBuilder(inputs: HistogramInputs): HistogramBuilder {
  const { bins, numFeatures, binOffset, rows, grad, hess } = inputs;
  const slotSize = binOffset[numFeatures] * HIST_STRIDE;
  const pool = new Float64Array(slotSize * inputs.numSlots);
  return {
    pool,
    slotSize,
    numThreads: 1,
    build(begin, end, slot, gradOffset) {
      buildHistogramKernel(bins, numFeatures, 0, numFeatures, binOffset, rows, begin, end, grad, hess, gradOffset, pool, slot * slotSize);
    },
    close() {},
  };
}
