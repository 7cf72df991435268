/**
 * Grows one regression tree on gradients and hessians (the learner never sees labels or the loss). Leaves are
 * split best-first (`leafwise`, LightGBM) or level by level (`depthwise`, XGBoost), up to `maxLeaves` leaves and
 * `maxDepth` levels. Each split partitions the leaf's rows in place, builds the histogram of the smaller child
 * and derives the larger child's by subtraction from the parent's.
 *
 * Trees come out in LightGBM's layout (tree.ts): internal node `k` is the k-th split; splitting leaf `l` keeps
 * the left child as leaf `l` and makes the right child the new leaf `numLeaves`. Thresholds are raw feature
 * values (`x <= threshold` goes left), missing values (NaN) follow the learned default direction, covers are
 * hessian sums and leaf values are unshrunk optimal values.
 */
import type { BinnedDataset } from '../dataset/binned-dataset.js';
import { binThreshold } from '../dataset/bin-mapper.js';
import { DECISION_DEFAULT_LEFT, MISSING_NAN, type Tree } from '../tree.js';
import type { DataPartition } from './data-partition.js';
import { HIST_STRIDE, subtractHistogram, type HistogramBuilder } from './histogram.js';
import { findBestSplit, leafOutput, SplitInfo, type SplitConstraints } from './split-finder.js';

/** Tree shape and split rules. */
export interface LearnerConfig extends SplitConstraints {
  /** Maximum leaves, >= 2. */
  maxLeaves: number;
  /** Maximum depth (root = depth 0 splits into depth 1); <= 0 means no limit. */
  maxDepth: number;
  /** Level-by-level growth instead of best-first. */
  depthWise: boolean;
}

/** A grown tree plus the bin thresholds needed to route binned rows through it. */
export interface GrownTree {
  tree: Tree;
  /** Per internal node: value bins `<= splitBin` go left. */
  splitBin: Int32Array;
}

/** Grows trees for one binned dataset; reuses all its buffers across trees. */
export class TreeLearner {
  private readonly splits: SplitInfo[];
  private readonly slotOf: Int32Array;
  private readonly leafDepth: Int32Array;
  private readonly leafParent: Int32Array;
  private readonly leafGrad: Float64Array;
  private readonly leafHess: Float64Array;
  private readonly missingBin: Int32Array;

  constructor(
    private readonly data: BinnedDataset,
    private readonly config: LearnerConfig,
    private readonly histograms: HistogramBuilder,
    private readonly partition: DataPartition,
  ) {
    const L = config.maxLeaves;
    this.splits = Array.from({ length: L }, () => new SplitInfo());
    this.slotOf = new Int32Array(L);
    this.leafDepth = new Int32Array(L);
    this.leafParent = new Int32Array(L);
    this.leafGrad = new Float64Array(L);
    this.leafHess = new Float64Array(L);
    this.missingBin = Int32Array.from(data.mappers, (m) => m.missingBin);
  }

  /**
   * Grow a tree on the rows currently in the partition (leaf 0), with gradients and hessians read at
   * `grad[gradOffset + row]`, splitting only features with `usable[f] = 1`.
   */
  grow(gradOffset: number, usable: Uint8Array): GrownTree {
    const { data, config, histograms, partition, splits, slotOf, leafDepth, leafParent, leafGrad, leafHess } = this;
    const { pool, slotSize } = histograms;
    const maxLeaves = config.maxLeaves;
    const n = maxLeaves - 1;
    const splitFeature = new Int32Array(n);
    const splitBin = new Int32Array(n);
    const threshold = new Float64Array(n);
    const decision = new Uint8Array(n);
    const leftChild = new Int32Array(n);
    const rightChild = new Int32Array(n);
    const splitGain = new Float64Array(n);
    const internalCover = new Float64Array(n);

    // root
    for (let l = 0; l < maxLeaves; l++) slotOf[l] = l;
    leafDepth[0] = 0;
    leafParent[0] = -1;
    const rootCount = partition.leafCount[0];
    histograms.build(0, rootCount, 0, gradOffset);
    let g0 = 0;
    let h0 = 0;
    const f0 = data.binOffset[0] * HIST_STRIDE;
    const f0End = data.binOffset[1] * HIST_STRIDE;
    for (let i = f0; i < f0End; i += HIST_STRIDE) {
      g0 += pool[i];
      h0 += pool[i + 1];
    }
    leafGrad[0] = g0;
    leafHess[0] = h0;
    this.findSplit(0, rootCount, usable);

    let numLeaves = 1;
    while (numLeaves < maxLeaves) {
      const leaf = this.pickLeaf(numLeaves);
      if (leaf < 0) break;
      const s = splits[leaf];
      const node = numLeaves - 1;
      const right = numLeaves;
      // record the split
      splitFeature[node] = s.feature;
      splitBin[node] = s.thresholdBin;
      threshold[node] = binThreshold(data.mappers[s.feature], s.thresholdBin);
      decision[node] = (MISSING_NAN << 2) | (s.defaultLeft ? DECISION_DEFAULT_LEFT : 0);
      splitGain[node] = s.gain;
      internalCover[node] = leafHess[leaf];
      leftChild[node] = ~leaf;
      rightChild[node] = ~right;
      const parent = leafParent[leaf];
      if (parent >= 0) {
        if (leftChild[parent] === ~leaf) leftChild[parent] = node;
        else rightChild[parent] = node;
      }
      leafParent[leaf] = node;
      leafParent[right] = node;
      const depth = leafDepth[leaf] + 1;
      leafDepth[leaf] = depth;
      leafDepth[right] = depth;
      leafGrad[leaf] = s.leftGrad;
      leafHess[leaf] = s.leftHess;
      leafGrad[right] = s.rightGrad;
      leafHess[right] = s.rightHess;
      const leftCount = s.leftCount;
      const rightCount = s.rightCount;
      const f = s.feature;
      partition.split(leaf, right, data.bins, data.numFeatures, f, s.thresholdBin, this.missingBin[f], s.defaultLeft);
      numLeaves++;

      // histograms: build the smaller child, derive the larger from the parent's slot
      const canGrow = numLeaves < maxLeaves && (config.maxDepth <= 0 || depth < config.maxDepth);
      const needLeft = canGrow && this.splittable(leftCount, s.leftHess);
      const needRight = canGrow && this.splittable(rightCount, s.rightHess);
      const parentSlot = slotOf[leaf];
      const freeSlot = right; // leaves 0..right-1 own slots 0..right-1 in some order, so slot `right` is free
      if (needLeft || needRight) {
        const leftSmaller = leftCount <= rightCount;
        const small = leftSmaller ? leaf : right;
        const needLarge = leftSmaller ? needRight : needLeft;
        histograms.build(partition.leafBegin[small], partition.leafBegin[small] + partition.leafCount[small], freeSlot, gradOffset);
        if (needLarge) subtractHistogram(pool, parentSlot * slotSize, freeSlot * slotSize, slotSize);
        if (leftSmaller) {
          slotOf[leaf] = freeSlot;
          slotOf[right] = parentSlot;
        } else {
          slotOf[leaf] = parentSlot;
          slotOf[right] = freeSlot;
        }
      } else {
        slotOf[right] = freeSlot;
      }
      if (needLeft) this.findSplit(leaf, leftCount, usable);
      else splits[leaf].reset();
      if (needRight) this.findSplit(right, rightCount, usable);
      else splits[right].reset();
    }

    const leafValue = new Float64Array(numLeaves);
    const leafCover = new Float64Array(numLeaves);
    for (let l = 0; l < numLeaves; l++) {
      leafValue[l] = leafOutput(leafGrad[l], leafHess[l], config);
      leafCover[l] = leafHess[l];
    }
    const m = numLeaves - 1;
    const tree: Tree = {
      numLeaves,
      splitFeature: splitFeature.slice(0, m),
      threshold: threshold.slice(0, m),
      decision: decision.slice(0, m),
      leftChild: leftChild.slice(0, m),
      rightChild: rightChild.slice(0, m),
      splitGain: splitGain.slice(0, m),
      internalCover: internalCover.slice(0, m),
      leafCover,
      leafValue,
      catBoundaries: new Int32Array(1),
      catThreshold: new Uint32Array(0),
    };
    return { tree, splitBin: splitBin.slice(0, m) };
  }

  private splittable(count: number, hess: number): boolean {
    const c = this.config;
    return count >= 2 * Math.max(1, c.minDataInLeaf) && hess >= 2 * c.minSumHessianInLeaf;
  }

  private findSplit(leaf: number, count: number, usable: Uint8Array): void {
    const { data, histograms } = this;
    findBestSplit(histograms.pool, this.slotOf[leaf] * histograms.slotSize, data.numBins, data.binOffset, usable,
      this.leafGrad[leaf], this.leafHess[leaf], count, this.config, this.splits[leaf]);
  }

  /** The next leaf to split: best gain (leaf-wise) or shallowest then best gain (depth-wise); -1 if none. */
  private pickLeaf(numLeaves: number): number {
    let best = -1;
    let bestGain = 0;
    let bestDepth = Infinity;
    const depthWise = this.config.depthWise;
    for (let l = 0; l < numLeaves; l++) {
      const s = this.splits[l];
      if (s.feature < 0) continue;
      const d = this.leafDepth[l];
      if (depthWise) {
        if (d < bestDepth || (d === bestDepth && s.gain > bestGain)) {
          best = l;
          bestGain = s.gain;
          bestDepth = d;
        }
      } else if (s.gain > bestGain) {
        best = l;
        bestGain = s.gain;
      }
    }
    return best;
  }
}

/**
 * The leaf reached by binned row `row` in a grown tree (bin-space twin of `leafIndex` in tree.ts; both agree
 * because every threshold is a bin upper bound).
 */
export function binnedLeafIndex(
  tree: Tree, splitBin: Int32Array, bins: Uint8Array | Uint16Array, numFeatures: number, missingBin: Int32Array, row: number,
): number {
  if (tree.numLeaves <= 1) return 0;
  const base = row * numFeatures;
  const { splitFeature, decision, leftChild, rightChild } = tree;
  let node = 0;
  while (node >= 0) {
    const f = splitFeature[node];
    const b = bins[base + f];
    const left = b === missingBin[f] ? (decision[node] & DECISION_DEFAULT_LEFT) !== 0 : b <= splitBin[node];
    node = left ? leftChild[node] : rightChild[node];
  }
  return ~node;
}
