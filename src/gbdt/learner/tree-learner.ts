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
import { InternalError } from '../../core/errors.js';
import type { BinnedDataset } from '../dataset/binned-dataset.js';
import { binThreshold } from '../dataset/bin-mapper.js';
import { DECISION_DEFAULT_LEFT, MISSING_NAN, type Tree } from '../tree.js';
import type { DataPartition } from './data-partition.js';
import { RESULT_SIZE } from './leaf-kernels.js';
import type { LeafJobRunner } from './leaf-job-runner.js';
import { leafOutput, SplitInfo, type SplitConstraints } from './split-finder.js';

/** Tree shape and split rules. */
export interface LearnerConfig extends SplitConstraints {
  /** Maximum leaves, >= 2. */
  maxLeaves: number;
  /** Maximum depth (root = depth 0 splits into depth 1); <= 0 means no limit. */
  maxDepth: number;
  /** Level-by-level growth instead of best-first. */
  depthWise: boolean;
  /** Leaves with at least this many rows are partitioned on all threads (smaller ones are not worth a round trip). */
  parallelPartitionMinRows: number;
  /** Every hessian is 1 (L2, L1, Huber, quantile): enables the histogram/partition consistency check. */
  unitHessian: boolean;
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
  /** Codes of each feature, indexed by row (views into the dataset's feature-major copy). */
  private readonly columns: (Uint8Array | Uint16Array)[];

  constructor(
    private readonly data: BinnedDataset,
    private readonly config: LearnerConfig,
    private readonly runner: LeafJobRunner,
    private readonly partition: DataPartition,
    private readonly grad: Float64Array,
    private readonly hess: Float64Array,
  ) {
    const L = config.maxLeaves;
    this.splits = Array.from({ length: L }, () => new SplitInfo());
    this.slotOf = new Int32Array(L);
    this.leafDepth = new Int32Array(L);
    this.leafParent = new Int32Array(L);
    this.leafGrad = new Float64Array(L);
    this.leafHess = new Float64Array(L);
    this.missingBin = Int32Array.from(data.mappers, (m) => m.missingBin);
    const { columns, numRows, numFeatures } = data;
    if (!columns) throw new InternalError('the tree learner needs the feature-major bin codes of the training set');
    this.columns = Array.from({ length: numFeatures }, (_, f) => columns.subarray(f * numRows, (f + 1) * numRows));
  }

  /**
   * Grow a tree on the rows currently in the partition (leaf 0), with gradients and hessians read at
   * `grad[gradOffset + row]`, splitting only features with `usable[f] = 1`.
   */
  grow(gradOffset: number, usable: Uint8Array): GrownTree {
    const { data, config, runner, partition, splits, slotOf, leafDepth, leafParent, leafGrad, leafHess } = this;
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
    runner.usable.set(usable);
    const job = runner.job;
    job[4] = gradOffset;
    job[13] = config.lambdaL1;
    job[14] = config.lambdaL2;
    job[15] = config.minGainToSplit;
    job[16] = config.minDataInLeaf;
    job[17] = config.minSumHessianInLeaf;

    // root: totals straight from the rows, then its histogram and best split
    for (let l = 0; l < maxLeaves; l++) slotOf[l] = l;
    leafDepth[0] = 0;
    leafParent[0] = -1;
    const rootCount = partition.leafCount[0];
    const rows = partition.indices;
    const { grad, hess } = this;
    let g0 = 0;
    let h0 = 0;
    for (let i = 0; i < rootCount; i++) {
      const r = gradOffset + rows[i];
      g0 += grad[r];
      h0 += hess[r];
    }
    leafGrad[0] = g0;
    leafHess[0] = h0;
    const rootSplittable = (config.maxDepth <= 0 || config.maxDepth >= 1) && this.splittable(rootCount, h0);
    if (rootSplittable) {
      this.setJob(0, rootCount, 0, -1, 0, true, rootCount, -1, false, 0);
      runner.run();
      this.reduce(0, 0, rootCount);
    } else {
      splits[0].reset();
    }

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
      const f = s.feature;
      const leftCount = partition.leafCount[leaf] >= config.parallelPartitionMinRows && runner.numThreads > 1
        ? this.partitionInParallel(leaf, right, f, s.thresholdBin, s.defaultLeft)
        : partition.split(leaf, right, this.columns[f], s.thresholdBin, this.missingBin[f], s.defaultLeft);
      const rightCount = partition.leafCount[right];
      // With unit hessians the histogram's hessian sums are exact row counts: a disagreement with the partition
      // would mean corrupted histograms, which must never pass silently into a model.
      if (config.unitHessian && leftCount !== s.leftCount) {
        throw new InternalError(`histogram and partition disagree at split ${node} (${s.leftCount} vs ${leftCount} rows on the left)`);
      }
      numLeaves++;

      // build the smaller child's histogram, derive the larger one's from the parent slot, search both
      const canGrow = numLeaves < maxLeaves && (config.maxDepth <= 0 || depth < config.maxDepth);
      const needLeft = canGrow && this.splittable(leftCount, s.leftHess);
      const needRight = canGrow && this.splittable(rightCount, s.rightHess);
      const parentSlot = slotOf[leaf];
      const freeSlot = right; // leaves 0..right-1 own slots 0..right-1 in some order, so slot `right` is free
      const leftSmaller = leftCount <= rightCount;
      const small = leftSmaller ? leaf : right;
      const large = leftSmaller ? right : leaf;
      const needSmall = leftSmaller ? needLeft : needRight;
      const needLarge = leftSmaller ? needRight : needLeft;
      slotOf[small] = freeSlot;
      slotOf[large] = parentSlot;
      splits[leaf].reset();
      splits[right].reset();
      if (needSmall || needLarge) {
        const b = partition.leafBegin[small];
        this.setJob(b, b + partition.leafCount[small], freeSlot, needLarge ? parentSlot : -1, small, needSmall,
          partition.leafCount[small], large, needLarge, partition.leafCount[large]);
        runner.run();
        if (needSmall) this.reduce(0, small, partition.leafCount[small]);
        if (needLarge) this.reduce(1, large, partition.leafCount[large]);
      }
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

  /**
   * Partition `leaf` on the worker threads (ordered row chunks, concatenated in order: the same stable result as
   * `DataPartition.split`). Returns the number of rows kept on the left.
   */
  private partitionInParallel(leaf: number, right: number, feature: number, thresholdBin: number, defaultLeft: boolean): number {
    const { runner, partition } = this;
    const { job, results, leftOut, rightOut, numThreads } = runner;
    const begin = partition.leafBegin[leaf];
    const count = partition.leafCount[leaf];
    const end = begin + count;
    job[18] = 1;
    job[0] = begin;
    job[1] = end;
    job[19] = feature;
    job[20] = thresholdBin;
    job[21] = this.missingBin[feature];
    job[22] = defaultLeft ? 1 : 0;
    runner.run();
    job[18] = 0;
    const rows = partition.indices;
    const chunk = Math.ceil(count / numThreads);
    let pos = begin;
    for (let t = 0; t < numThreads; t++) {
      const from = begin + t * chunk;
      if (from >= end) break;
      const nl = results[t * 2 * RESULT_SIZE];
      rows.set(leftOut.subarray(from, from + nl), pos);
      pos += nl;
    }
    const leftCount = pos - begin;
    for (let t = 0; t < numThreads; t++) {
      const from = begin + t * chunk;
      if (from >= end) break;
      const nr = Math.min(end, from + chunk) - from - results[t * 2 * RESULT_SIZE];
      rows.set(rightOut.subarray(from, from + nr), pos);
      pos += nr;
    }
    partition.leafCount[leaf] = leftCount;
    partition.leafBegin[right] = begin + leftCount;
    partition.leafCount[right] = count - leftCount;
    return leftCount;
  }

  /** Describe the next job: build `leafA`'s histogram into `buildSlot`, optionally derive `leafB`'s from `parentSlot`. */
  private setJob(
    begin: number, end: number, buildSlot: number, parentSlot: number,
    leafA: number, needA: boolean, countA: number, leafB: number, needB: boolean, countB: number,
  ): void {
    const job = this.runner.job;
    job[0] = begin;
    job[1] = end;
    job[2] = buildSlot;
    job[3] = parentSlot;
    job[5] = needA ? 1 : 0;
    job[6] = this.leafGrad[leafA];
    job[7] = this.leafHess[leafA];
    job[8] = countA;
    job[9] = needB ? 1 : 0;
    if (leafB >= 0) {
      job[10] = this.leafGrad[leafB];
      job[11] = this.leafHess[leafB];
      job[12] = countB;
    }
  }

  /** Reduce the per-thread results of child `which` (0 built, 1 sibling) in feature order into `splits[leaf]`. */
  private reduce(which: number, leaf: number, count: number): void {
    const { results, numThreads } = this.runner;
    let best = -1;
    let bestGain = -Infinity;
    for (let t = 0; t < numThreads; t++) {
      const at = (t * 2 + which) * RESULT_SIZE;
      if (results[at] >= 0 && results[at + 3] > bestGain) {
        best = at;
        bestGain = results[at + 3];
      }
    }
    if (best < 0) this.splits[leaf].reset();
    else this.splits[leaf].setFromRecord(results, best, this.leafGrad[leaf], this.leafHess[leaf], count);
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
