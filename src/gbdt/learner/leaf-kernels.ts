/**
 * The learner's hot loops, written as plain self-contained functions over typed arrays: histogram construction,
 * histogram subtraction, best-split search, `runLeafJob`, which chains them for one split of the tree over a
 * contiguous range of features, and the chunked row partition. The calling thread runs them directly; the worker threads of
 * `parallel/leaf-job-pool.ts` run the very same functions, shipped as source text (`Function.prototype.toString`),
 * so they must not use imports, module constants, closures or any function outside this file's `LEAF_KERNELS`.
 *
 * Histogram layout: 2 float64 per bin (gradient sum, hessian sum) at `slotBase + 2 * (binOffset[f] + b)`; the last
 * bin of every feature holds missing values. Row counts are not accumulated (a third read-modify-write per row and
 * feature costs ~30% of the hot loop): as in LightGBM, a bin's count is its hessian sum times the leaf's
 * count / hessian ratio, which is exact for the constant-hessian objectives (L2, L1, Huber, quantile) and an
 * estimate for log-losses, used only for `min_data_in_leaf` and to skip empty bins.
 *
 * Job layout (`job`, Float64Array; indices are fixed):
 *  0 begin, 1 end        rows[begin..end) of the child whose histogram is built
 *  2 buildSlot           slot receiving that histogram
 *  3 parentSlot          slot of the parent histogram, turned into the sibling's by subtraction; -1 for none
 *  4 gradOffset          gradients/hessians are read at gradOffset + row
 *  5..8 built child:     needSplit (0/1), sumGrad, sumHess, count
 *  9..12 sibling child:  needSplit (0/1), sumGrad, sumHess, count
 *  13 lambdaL1, 14 lambdaL2, 15 minGainToSplit, 16 minDataInLeaf, 17 minSumHessianInLeaf
 *  18 kind: 0 leaf job (above), 1 partition (see `partitionChunkKernel`: 19 feature, 20 thresholdBin,
 *     21 missingBin, 22 defaultLeft)
 *
 * Result layout (`results`, Float64Array, `RESULT_SIZE` values per child and thread, built child first):
 *  0 feature (-1 when none), 1 thresholdBin, 2 defaultLeft (0/1), 3 gain, 4 leftGrad, 5 leftHess
 */

import type { HistogramKernel } from '../kernels/memory.js';

/** Values per job. */
export const JOB_SIZE = 23;
/** Values per split result. */
export const RESULT_SIZE = 6;

/**
 * Fill the histogram of features [featStart, featEnd) over rows[begin..end) into `hist` at `histBase`. Two rows are
 * processed per step (fewer loop and bounds-check overheads); every bin still receives its rows in row order.
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
  hist.fill(0, histBase + binOffset[featStart] * 2, histBase + binOffset[featEnd] * 2);
  const width = featEnd - featStart;
  if (width <= 0) return;
  const offsets = new Int32Array(width);
  for (let k = 0; k < width; k++) offsets[k] = histBase + binOffset[featStart + k] * 2;
  let i = begin;
  for (; i + 1 < end; i += 2) {
    const r0 = rows[i];
    const r1 = rows[i + 1];
    const g0 = grad[gradOffset + r0];
    const h0 = hess[gradOffset + r0];
    const g1 = grad[gradOffset + r1];
    const h1 = hess[gradOffset + r1];
    const base0 = r0 * numFeatures + featStart;
    const base1 = r1 * numFeatures + featStart;
    for (let k = 0; k < width; k++) {
      const o = offsets[k];
      const a = o + bins[base0 + k] * 2;
      hist[a] += g0;
      hist[a + 1] += h0;
      const b = o + bins[base1 + k] * 2;
      hist[b] += g1;
      hist[b + 1] += h1;
    }
  }
  if (i < end) {
    const r = rows[i];
    const g = grad[gradOffset + r];
    const h = hess[gradOffset + r];
    const base = r * numFeatures + featStart;
    for (let k = 0; k < width; k++) {
      const a = offsets[k] + bins[base + k] * 2;
      hist[a] += g;
      hist[a + 1] += h;
    }
  }
}

/** hist[parentBase + i] -= hist[childBase + i] for i in [from, to): the parent's slot becomes the sibling's. */
export function subtractHistogramKernel(hist: Float64Array, parentBase: number, childBase: number, from: number, to: number): void {
  for (let i = from; i < to; i++) hist[parentBase + i] -= hist[childBase + i];
}

/**
 * Best split of one leaf over features [featStart, featEnd) with `usable[f] = 1`; writes a result record at
 * `out[outBase]`. Gain = score(L) + score(R) - score(parent), score(G, H) = T(G)^2 / (H + l2 + 1e-15), T the L1
 * soft-threshold; a split needs gain > minGain and both children with >= max(1, minData) rows and >= minHess
 * hessian. Ties keep the lowest feature and threshold, so the result does not depend on how features are split
 * between threads.
 */
export function findBestSplitKernel(
  hist: Float64Array,
  histBase: number,
  numBins: Int32Array,
  binOffset: Int32Array,
  usable: Uint8Array,
  featStart: number,
  featEnd: number,
  sumGrad: number,
  sumHess: number,
  count: number,
  l1: number,
  l2: number,
  minGain: number,
  minDataParam: number,
  minHess: number,
  out: Float64Array,
  outBase: number,
): void {
  out[outBase] = -1;
  out[outBase + 3] = 0;
  const minData = minDataParam > 1 ? minDataParam : 1;
  if (count < 2 * minData || sumHess < 2 * minHess || !(sumHess > 0)) return;
  const cntFactor = count / sumHess;
  const eps = 1e-15;
  let tp = sumGrad;
  if (l1 > 0) tp = Math.abs(sumGrad) > l1 ? (sumGrad > 0 ? sumGrad - l1 : sumGrad + l1) : 0;
  const parentScore = (tp * tp) / (sumHess + l2 + eps);
  let bestGain = minGain;
  for (let f = featStart; f < featEnd; f++) {
    if (usable[f] === 0) continue;
    const nv = numBins[f] - 1;
    const fb = histBase + binOffset[f] * 2;
    const mi = fb + nv * 2;
    const gm = hist[mi];
    const hm = hist[mi + 1];
    const cm = hm * cntFactor;
    const hasMissing = hm > 0;
    let gl = 0;
    let hl = 0;
    let cl = 0;
    for (let t = 0; t < nv; t++) {
      const bi = fb + t * 2;
      const hb = hist[bi + 1];
      // the last value bin only forms a split (all values | missing) when there are missing values
      if (t === nv - 1) {
        if (!hasMissing) break;
        gl = sumGrad - gm;
        hl = sumHess - hm;
        cl = count - cm;
      } else {
        if (hb === 0) continue;
        gl += hist[bi];
        hl += hb;
        cl = hl * cntFactor;
      }
      // candidate 1: missing values go right
      let cr = count - cl;
      if (cl >= minData && cr >= minData && hl >= minHess && sumHess - hl >= minHess) {
        let a = gl;
        let b = sumGrad - gl;
        if (l1 > 0) {
          a = Math.abs(a) > l1 ? (a > 0 ? a - l1 : a + l1) : 0;
          b = Math.abs(b) > l1 ? (b > 0 ? b - l1 : b + l1) : 0;
        }
        // gain > bestGain, compared without divisions: a²/dl + b²/dr > bestGain + parentScore
        const dl = hl + l2 + eps;
        const dr = sumHess - hl + l2 + eps;
        const gain = a * a * dr + b * b * dl > (bestGain + parentScore) * (dl * dr) ? (a * a) / dl + (b * b) / dr - parentScore : bestGain;
        if (gain > bestGain) {
          bestGain = gain;
          out[outBase] = f;
          out[outBase + 1] = t;
          // without missing values in the leaf, unseen NaN at prediction time follows the larger child
          out[outBase + 2] = !hasMissing && cl >= cr ? 1 : 0;
          out[outBase + 3] = gain;
          out[outBase + 4] = gl;
          out[outBase + 5] = hl;
        }
      }
      if (!hasMissing || t === nv - 1) continue;
      // candidate 2: missing values go left
      const gl2 = gl + gm;
      const hl2 = hl + hm;
      const cl2 = cl + cm;
      cr = count - cl2;
      if (cl2 >= minData && cr >= minData && hl2 >= minHess && sumHess - hl2 >= minHess) {
        let a = gl2;
        let b = sumGrad - gl2;
        if (l1 > 0) {
          a = Math.abs(a) > l1 ? (a > 0 ? a - l1 : a + l1) : 0;
          b = Math.abs(b) > l1 ? (b > 0 ? b - l1 : b + l1) : 0;
        }
        const dl = hl2 + l2 + eps;
        const dr = sumHess - hl2 + l2 + eps;
        const gain = a * a * dr + b * b * dl > (bestGain + parentScore) * (dl * dr) ? (a * a) / dl + (b * b) / dr - parentScore : bestGain;
        if (gain > bestGain) {
          bestGain = gain;
          out[outBase] = f;
          out[outBase + 1] = t;
          out[outBase + 2] = 1;
          out[outBase + 3] = gain;
          out[outBase + 4] = gl2;
          out[outBase + 5] = hl2;
        }
      }
    }
  }
}

/** The shared arrays every kernel reads (the same object shape on the calling thread and in workers). */
export interface KernelContext {
  bins: Uint8Array | Uint16Array;
  numFeatures: number;
  numRows: number;
  binOffset: Int32Array;
  numBins: Int32Array;
  usable: Uint8Array;
  /** Row indices of the data partition. */
  rows: Uint32Array;
  grad: Float64Array;
  hess: Float64Array;
  /** Histogram slot pool. */
  hist: Float64Array;
  slotSize: number;
  /** Feature-major codes (`columns[f * numRows + row]`), for partitioning. */
  columns: Uint8Array | Uint16Array;
  /** Scratch for partitioning: left and right rows of each thread's chunk, at the chunk's offset. */
  leftOut: Uint32Array;
  rightOut: Uint32Array;
  /**
   * The WebAssembly histogram kernel of this thread (kernels/histogram.wat) when `bins`, `rows`, `grad`, `hess`,
   * `binOffset` and `hist` live in its memory; null to use `buildHistogramKernel`. Both give identical histograms.
   */
  histWasm: HistogramKernel | null;
}

/**
 * One split's work over features [featStart, featEnd): build the histogram of the job's child, derive the
 * sibling's from the parent's slot when asked, then search the best split of each child that needs one. Writes two
 * result records (built child, sibling) at `results[resultBase]`.
 */
export function runLeafJob(ctx: KernelContext, featStart: number, featEnd: number, job: Float64Array, results: Float64Array, resultBase: number): void {
  const { hist, slotSize, binOffset, numBins, usable } = ctx;
  const buildBase = job[2] * slotSize;
  const parentSlot = job[3];
  results[resultBase] = -1;
  results[resultBase + 6] = -1;
  if (ctx.histWasm !== null) {
    // typed arrays in the kernel's memory: byteOffset is the address
    hist.fill(0, buildBase + binOffset[featStart] * 2, buildBase + binOffset[featEnd] * 2);
    ctx.histWasm(ctx.bins.byteOffset, ctx.numFeatures, featStart, featEnd, binOffset.byteOffset, ctx.rows.byteOffset, job[0], job[1],
      ctx.grad.byteOffset + job[4] * 8, ctx.hess.byteOffset + job[4] * 8, hist.byteOffset + buildBase * 8);
  } else {
    buildHistogramKernel(ctx.bins, ctx.numFeatures, featStart, featEnd, binOffset, ctx.rows, job[0], job[1], ctx.grad, ctx.hess, job[4], hist, buildBase);
  }
  if (parentSlot >= 0) {
    subtractHistogramKernel(hist, parentSlot * slotSize, buildBase, binOffset[featStart] * 2, binOffset[featEnd] * 2);
  }
  if (job[5] === 1) {
    findBestSplitKernel(hist, buildBase, numBins, binOffset, usable, featStart, featEnd, job[6], job[7], job[8],
      job[13], job[14], job[15], job[16], job[17], results, resultBase);
  }
  if (job[9] === 1 && parentSlot >= 0) {
    findBestSplitKernel(hist, parentSlot * slotSize, numBins, binOffset, usable, featStart, featEnd, job[10], job[11], job[12],
      job[13], job[14], job[15], job[16], job[17], results, resultBase + 6);
  }
}

/**
 * This thread's share of partitioning rows[begin..end) on one feature (job: 0 begin, 1 end, 19 feature,
 * 20 thresholdBin, 21 missingBin, 22 defaultLeft): the range is cut into `numThreads` equal chunks; chunk `thread`
 * writes its left rows to `leftOut` and right rows to `rightOut` from the chunk's start, in row order, and its left
 * count to `results[resultBase]`. Concatenating the chunks in order gives the serial stable partition.
 */
export function partitionChunkKernel(ctx: KernelContext, thread: number, numThreads: number, job: Float64Array, results: Float64Array, resultBase: number): void {
  const begin = job[0];
  const end = job[1];
  const chunk = Math.ceil((end - begin) / numThreads);
  const from = begin + thread * chunk;
  const to = Math.min(end, from + chunk);
  const colBase = job[19] * ctx.numRows;
  const threshold = job[20];
  const missing = job[21];
  const defaultLeft = job[22] === 1;
  const { rows, columns, leftOut, rightOut } = ctx;
  let nl = from;
  let nr = from;
  for (let i = from; i < to; i++) {
    const r = rows[i];
    const b = columns[colBase + r];
    if (b === missing ? defaultLeft : b <= threshold) leftOut[nl++] = r;
    else rightOut[nr++] = r;
  }
  results[resultBase] = to > from ? nl - from : 0;
}

/** Run one job (job[18]: 0 leaf job, 1 partition) as thread `thread` of `numThreads`, owning features [featStart, featEnd). */
export function runJob(
  ctx: KernelContext, featStart: number, featEnd: number, thread: number, numThreads: number, job: Float64Array, results: Float64Array, resultBase: number,
): void {
  if (job[18] === 1) partitionChunkKernel(ctx, thread, numThreads, job, results, resultBase);
  else runLeafJob(ctx, featStart, featEnd, job, results, resultBase);
}

/** Source text of every kernel, for worker threads (see the file comment). */
export function leafKernelSource(): string {
  return [buildHistogramKernel, subtractHistogramKernel, findBestSplitKernel, runLeafJob, partitionChunkKernel, runJob]
    .map((fn) => fn.toString())
    .join('\n');
}
