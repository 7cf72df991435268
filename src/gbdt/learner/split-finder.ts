/**
 * Best split of a leaf from its histogram. For every usable feature the value bins are scanned left to right;
 * each threshold is tried with the missing-value bin sent right and (when the leaf has missing values) sent
 * left, and one more candidate separates missing values from all others. Gains use the regularised second-order
 * objective: score(G, H) = T(G)^2 / (H + lambda_l2), T = soft-threshold by lambda_l1; gain = score(L) + score(R)
 * - score(parent), and a split needs gain > min_gain_to_split with both children meeting min_data_in_leaf and
 * min_sum_hessian_in_leaf.
 */
import { HIST_STRIDE } from './histogram.js';

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
 * Find the best split of a leaf whose histogram starts at `pool[base]`, over the features with `usable[f] = 1`.
 * `sumGrad`, `sumHess`, `count` are the leaf's totals. Writes the result into `out` (feature -1 if none).
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
  out.reset();
  const minData = Math.max(1, c.minDataInLeaf); // a child is never empty
  const minHess = c.minSumHessianInLeaf;
  if (count < 2 * minData || sumHess < 2 * minHess) return;
  const parentScore = leafScore(sumGrad, sumHess, c);
  let bestGain = c.minGainToSplit;
  const numFeatures = numBins.length;
  for (let f = 0; f < numFeatures; f++) {
    if (usable[f] === 0) continue;
    const nv = numBins[f] - 1; // value bins; bin nv holds missing values
    const fb = base + binOffset[f] * HIST_STRIDE;
    const mi = fb + nv * HIST_STRIDE;
    const gm = pool[mi];
    const hm = pool[mi + 1];
    const cm = pool[mi + 2];
    const hasMissing = cm > 0;
    let gl = 0;
    let hl = 0;
    let cl = 0;
    for (let t = 0; t < nv - 1; t++) {
      const bi = fb + t * HIST_STRIDE;
      const cb = pool[bi + 2];
      if (cb === 0) continue;
      gl += pool[bi];
      hl += pool[bi + 1];
      cl += cb;
      // missing values go right
      let cr = count - cl;
      if (cl >= minData && cr >= minData && hl >= minHess && sumHess - hl >= minHess) {
        const gain = leafScore(gl, hl, c) + leafScore(sumGrad - gl, sumHess - hl, c) - parentScore;
        if (gain > bestGain) {
          bestGain = gain;
          // without missing values in the leaf, unseen NaN at prediction time follows the larger child
          setSplit(out, f, t, !hasMissing && cl >= cr, gain, gl, hl, cl, sumGrad, sumHess, count);
        }
      }
      if (!hasMissing) continue;
      // missing values go left
      const gl2 = gl + gm;
      const hl2 = hl + hm;
      const cl2 = cl + cm;
      cr = count - cl2;
      if (cl2 >= minData && cr >= minData && hl2 >= minHess && sumHess - hl2 >= minHess) {
        const gain = leafScore(gl2, hl2, c) + leafScore(sumGrad - gl2, sumHess - hl2, c) - parentScore;
        if (gain > bestGain) {
          bestGain = gain;
          setSplit(out, f, t, true, gain, gl2, hl2, cl2, sumGrad, sumHess, count);
        }
      }
    }
    if (hasMissing) {
      // every value left, missing values right
      const glv = sumGrad - gm;
      const hlv = sumHess - hm;
      const clv = count - cm;
      if (clv >= minData && cm >= minData && hlv >= minHess && hm >= minHess && clv > 0) {
        const gain = leafScore(glv, hlv, c) + leafScore(gm, hm, c) - parentScore;
        if (gain > bestGain) {
          bestGain = gain;
          setSplit(out, f, nv - 1, false, gain, glv, hlv, clv, sumGrad, sumHess, count);
        }
      }
    }
  }
}

function setSplit(
  out: SplitInfo, f: number, t: number, defaultLeft: boolean, gain: number,
  gl: number, hl: number, cl: number, sumGrad: number, sumHess: number, count: number,
): void {
  out.feature = f;
  out.thresholdBin = t;
  out.defaultLeft = defaultLeft;
  out.gain = gain;
  out.leftGrad = gl;
  out.leftHess = hl;
  out.leftCount = cl;
  out.rightGrad = sumGrad - gl;
  out.rightHess = sumHess - hl;
  out.rightCount = count - cl;
}
