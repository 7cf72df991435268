/**
 * Split bookkeeping and the regularised leaf objective. The search itself is `findBestSplitKernel`
 * (leaf-kernels.ts): for every usable feature the value bins are scanned left to right; each threshold is tried
 * with the missing-value bin sent right and (when the leaf has missing values) sent left, and one more candidate separates missing values from all others. Gains use the regularised second-order
 * objective: score(G, H) = T(G)^2 / (H + lambda_l2), T = soft-threshold by lambda_l1; gain = score(L) + score(R)
 * - score(parent), and a split needs gain > min_gain_to_split with both children meeting min_data_in_leaf and
 * min_sum_hessian_in_leaf.
 */
import { findBestSplitKernel, RESULT_SIZE } from './leaf-kernels.js';

/** Guards divisions by an empty hessian sum (as LightGBM's kEpsilon). */
export const HESSIAN_EPSILON = 1e-15;

/** Constraints and regularisation used by split finding and leaf values. */
export interface SplitConstraints {
  lambdaL1: number;
  lambdaL2: number;
  minGainToSplit: number;
  minDataInLeaf: number;
  minSumHessianInLeaf: number;
}

/** The best split found for one leaf (mutable, reused per leaf: no allocation in the search). */
export class SplitInfo {
  /** Feature index, or -1 when the leaf cannot be split. */
  feature = -1;
  /** Value bins `0..thresholdBin` go left. */
  thresholdBin = 0;
  defaultLeft = false;
  gain = 0;
  leftGrad = 0;
  leftHess = 0;
  leftCount = 0;
  rightGrad = 0;
  rightHess = 0;
  rightCount = 0;

  reset(): void {
    this.feature = -1;
    this.gain = 0;
  }

  /**
   * Copy a kernel result record (see leaf-kernels.ts) for a leaf with these totals. Child row counts are the
   * kernel's hessian-based estimates until the partition replaces them with the exact ones.
   */
  setFromRecord(r: Float64Array, at: number, sumGrad: number, sumHess: number, count: number): void {
    this.feature = r[at];
    if (this.feature < 0) {
      this.gain = 0;
      return;
    }
    this.thresholdBin = r[at + 1];
    this.defaultLeft = r[at + 2] === 1;
    this.gain = r[at + 3];
    this.leftGrad = r[at + 4];
    this.leftHess = r[at + 5];
    this.leftCount = sumHess > 0 ? Math.round((this.leftHess * count) / sumHess) : 0;
    this.rightGrad = sumGrad - this.leftGrad;
    this.rightHess = sumHess - this.leftHess;
    this.rightCount = count - this.leftCount;
  }
}

/** Soft-threshold of a gradient sum by the L1 penalty. */
function thresholdL1(g: number, l1: number): number {
  if (l1 <= 0) return g;
  const a = Math.abs(g) - l1;
  return a > 0 ? (g > 0 ? a : -a) : 0;
}

/** The regularised score of a leaf with these sums (twice the loss reduction of its optimal value). */
export function leafScore(g: number, h: number, c: SplitConstraints): number {
  const t = thresholdL1(g, c.lambdaL1);
  return (t * t) / (h + c.lambdaL2 + HESSIAN_EPSILON);
}

/** The optimal (unshrunk) value of a leaf with these sums: -T(G) / (H + lambda_l2). */
export function leafOutput(g: number, h: number, c: SplitConstraints): number {
  return -thresholdL1(g, c.lambdaL1) / (h + c.lambdaL2 + HESSIAN_EPSILON);
}

/**
 * Find the best split of a leaf whose histogram starts at `pool[base]`, over the features with `usable[f] = 1`
 * (a whole-leaf convenience over `findBestSplitKernel`). `sumGrad`, `sumHess`, `count` are the leaf's totals.
 * Writes the result into `out` (feature -1 if none).
 */
export function findBestSplit(
  pool: Float64Array,
  base: number,
  numBins: Int32Array,
  binOffset: Int32Array,
  usable: Uint8Array,
  sumGrad: number,
  sumHess: number,
  count: number,
  c: SplitConstraints,
  out: SplitInfo,
): void {
  const record = new Float64Array(RESULT_SIZE);
  findBestSplitKernel(pool, base, numBins, binOffset, usable, 0, numBins.length, sumGrad, sumHess, count,
    c.lambdaL1, c.lambdaL2, c.minGainToSplit, c.minDataInLeaf, c.minSumHessianInLeaf, record, 0);
  out.setFromRecord(record, 0, sumGrad, sumHess, count);
}
