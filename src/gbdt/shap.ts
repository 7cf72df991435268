/**
 * Model explanations: exact path-dependent TreeSHAP (Lundberg, Erion & Lee, "Consistent Individualized Feature
 * Attribution for Tree Ensembles", Algorithm 2) and split/gain feature importance.
 *
 * TreeSHAP uses each node's cover (hessian sum for XGBoost and pulse, data count for LightGBM) as the background
 * distribution, exactly as XGBoost's `pred_contribs` and LightGBM's `pred_contrib` do. For every row and class it
 * returns `numFeatures + 1` values: one per feature plus the bias (expected value of the model, base score
 * included). They sum to the raw (margin) prediction.
 */
import { DataError, ModelFormatError } from '../core/errors.js';
import type { GbdtModel } from './model.js';
import { treesUsed } from './predict.js';
import { decide, type Ensemble, type Tree } from './tree.js';

/** Per-tree data TreeSHAP needs: depth (for the path buffers) and the cover-weighted mean value of the root. */
interface TreeShapInfo {
  maxDepth: number;
  expectedValue: number;
}

const infoCache = new WeakMap<Tree, TreeShapInfo>();

function treeInfo(tree: Tree, where: string): TreeShapInfo {
  const cached = infoCache.get(tree);
  if (cached) return cached;
  let maxDepth = 0;
  let expectedValue = tree.leafValue[0];
  if (tree.numLeaves > 1) {
    const meanOf = (child: number, depth: number): number => {
      if (child < 0) {
        if (depth > maxDepth) maxDepth = depth;
        return tree.leafValue[~child];
      }
      const cover = tree.internalCover[child];
      if (!(cover > 0)) {
        throw new ModelFormatError(`${where}: node ${child} has cover ${cover}; TreeSHAP needs positive node covers`, 'the model file lacks node statistics (sum_hessian / internal_count); re-save it with them');
      }
      const l = tree.leftChild[child];
      const r = tree.rightChild[child];
      const lc = l >= 0 ? tree.internalCover[l] : tree.leafCover[~l];
      const rc = r >= 0 ? tree.internalCover[r] : tree.leafCover[~r];
      return (meanOf(l, depth + 1) * lc + meanOf(r, depth + 1) * rc) / cover;
    };
    expectedValue = meanOf(0, 0);
  }
  const info = { maxDepth, expectedValue };
  infoCache.set(tree, info);
  return info;
}

/** Path buffers for one tree, sized for its depth: one path segment per recursion level, as in the paper. */
interface PathBuffers {
  feature: Int32Array;
  zero: Float64Array;
  one: Float64Array;
  weight: Float64Array;
}

function allocatePaths(maxDepth: number): PathBuffers {
  const size = ((maxDepth + 2) * (maxDepth + 3)) / 2;
  return { feature: new Int32Array(size), zero: new Float64Array(size), one: new Float64Array(size), weight: new Float64Array(size) };
}

function extendPath(p: PathBuffers, at: number, depth: number, zero: number, one: number, feature: number): void {
  p.feature[at + depth] = feature;
  p.zero[at + depth] = zero;
  p.one[at + depth] = one;
  p.weight[at + depth] = depth === 0 ? 1 : 0;
  for (let i = depth - 1; i >= 0; i--) {
    p.weight[at + i + 1] += (one * p.weight[at + i] * (i + 1)) / (depth + 1);
    p.weight[at + i] = (zero * p.weight[at + i] * (depth - i)) / (depth + 1);
  }
}

function unwindPath(p: PathBuffers, at: number, depth: number, index: number): void {
  const one = p.one[at + index];
  const zero = p.zero[at + index];
  let next = p.weight[at + depth];
  for (let i = depth - 1; i >= 0; i--) {
    if (one !== 0) {
      const tmp = p.weight[at + i];
      p.weight[at + i] = (next * (depth + 1)) / ((i + 1) * one);
      next = tmp - (p.weight[at + i] * zero * (depth - i)) / (depth + 1);
    } else {
      p.weight[at + i] = (p.weight[at + i] * (depth + 1)) / (zero * (depth - i));
    }
  }
  for (let i = index; i < depth; i++) {
    p.feature[at + i] = p.feature[at + i + 1];
    p.zero[at + i] = p.zero[at + i + 1];
    p.one[at + i] = p.one[at + i + 1];
  }
}

function unwoundPathSum(p: PathBuffers, at: number, depth: number, index: number): number {
  const one = p.one[at + index];
  const zero = p.zero[at + index];
  let next = p.weight[at + depth];
  let total = 0;
  for (let i = depth - 1; i >= 0; i--) {
    if (one !== 0) {
      const tmp = (next * (depth + 1)) / ((i + 1) * one);
      total += tmp;
      next = p.weight[at + i] - tmp * zero * ((depth - i) / (depth + 1));
    } else {
      total += p.weight[at + i] / zero / ((depth - i) / (depth + 1));
    }
  }
  return total;
}

/**
 * Recursive TreeSHAP over one tree. `node` is an internal node (>= 0) or a leaf (`~leaf`); `at` is the offset of
 * the parent's path segment, copied to the next segment before extending it.
 */
function recurse(
  tree: Tree,
  row: ArrayLike<number>,
  phi: Float64Array,
  phiOffset: number,
  scale: number,
  p: PathBuffers,
  node: number,
  parentAt: number,
  depth: number,
  zero: number,
  one: number,
  feature: number,
): void {
  const at = parentAt + depth;
  // Copy the parent's path into this level's segment (short: plain loops beat copyWithin calls).
  const { feature: pf, zero: pz, one: po, weight: pw } = p;
  for (let i = 0; i < depth; i++) {
    pf[at + i] = pf[parentAt + i];
    pz[at + i] = pz[parentAt + i];
    po[at + i] = po[parentAt + i];
    pw[at + i] = pw[parentAt + i];
  }
  extendPath(p, at, depth, zero, one, feature);
  if (node < 0) {
    const value = tree.leafValue[~node] * scale;
    for (let i = 1; i <= depth; i++) {
      const w = unwoundPathSum(p, at, depth, i);
      phi[phiOffset + p.feature[at + i]] += w * (p.one[at + i] - p.zero[at + i]) * value;
    }
    return;
  }
  const split = tree.splitFeature[node];
  const goLeft = decide(tree, node, row[split]);
  const hot = goLeft ? tree.leftChild[node] : tree.rightChild[node];
  const cold = goLeft ? tree.rightChild[node] : tree.leftChild[node];
  const cover = tree.internalCover[node];
  const hotZero = (hot >= 0 ? tree.internalCover[hot] : tree.leafCover[~hot]) / cover;
  const coldZero = (cold >= 0 ? tree.internalCover[cold] : tree.leafCover[~cold]) / cover;
  let incomingZero = 1;
  let incomingOne = 1;
  // A feature already on the path: undo its earlier split so the feature appears once.
  let index = 0;
  while (index <= depth && p.feature[at + index] !== split) index++;
  let d = depth;
  if (index <= depth) {
    incomingZero = p.zero[at + index];
    incomingOne = p.one[at + index];
    unwindPath(p, at, d, index);
    d -= 1;
  }
  recurse(tree, row, phi, phiOffset, scale, p, hot, at, d + 1, hotZero * incomingZero, incomingOne, split);
  recurse(tree, row, phi, phiOffset, scale, p, cold, at, d + 1, coldZero * incomingZero, 0, split);
}

/** Options of `treeShap`. */
export interface TreeShapOptions {
  /** Use only the first `iterations` boosting iterations (default as in prediction: `bestIteration` or all). */
  iterations?: number;
}

/**
 * Exact path-dependent TreeSHAP contributions of `numRows` rows (`X` row-major, `numFeatures` columns, NaN =
 * missing). Returns `numRows x numClass x (numFeatures + 1)` values: for row r and class c, the contribution of
 * feature j is at `(r * numClass + c) * (numFeatures + 1) + j` and the bias at `... + numFeatures`. Contributions are
 * in margin (raw score) space and sum to the raw prediction.
 *
 * @throws DataError when `X` does not hold `numRows` rows of the model's feature count.
 * @throws ModelFormatError when the model has no node covers.
 */
export function treeShap(model: GbdtModel, X: ArrayLike<number>, numRows: number, options: TreeShapOptions = {}): Float64Array {
  const { ensemble } = model;
  const nf = ensemble.numFeatures;
  if (X.length !== numRows * nf) {
    throw new DataError(`the feature matrix has ${X.length} values for ${numRows} rows, but the model expects ${nf} features per row`, `pass a row-major matrix of ${nf} columns`);
  }
  const k = ensemble.numTreePerIteration;
  const numTrees = treesUsed(model, options.iterations);
  const width = nf + 1;
  const out = new Float64Array(numRows * k * width);
  const iterations = numTrees / k;
  const infos = ensemble.trees.slice(0, numTrees).map((t, i) => treeInfo(t, `tree ${i}`));
  const buffers = allocatePaths(infos.reduce((m, info) => Math.max(m, info.maxDepth), 0));
  for (let r = 0; r < numRows; r++) {
    const row = Array.prototype.slice.call(X, r * nf, (r + 1) * nf) as number[];
    for (let t = 0; t < numTrees; t++) {
      const tree = ensemble.trees[t];
      const c = t % k;
      const offset = (r * k + c) * width;
      const scale = (ensemble.treeWeight ? ensemble.treeWeight[t] : 1) / (ensemble.averageOutput ? iterations : 1);
      out[offset + nf] += infos[t].expectedValue * scale;
      if (tree.numLeaves > 1) recurse(tree, row, out, offset, scale, buffers, 0, 0, 0, 1, 1, -1);
    }
    for (let c = 0; c < k; c++) out[(r * k + c) * width + nf] += ensemble.baseScore[c];
  }
  return out;
}

/** Feature importance of an ensemble, one value per feature. */
export interface FeatureImportance {
  /** Number of splits on each feature (XGBoost's "weight"). */
  splits: Float64Array;
  /** Total split gain of each feature (LightGBM's and XGBoost's "total_gain"). */
  gain: Float64Array;
}

/**
 * Split-count and total-gain importance over the first `numTrees` trees (default all), for trained and
 * imported models alike.
 */
export function featureImportance(ensemble: Ensemble, numTrees = ensemble.trees.length): FeatureImportance {
  const splits = new Float64Array(ensemble.numFeatures);
  const gain = new Float64Array(ensemble.numFeatures);
  for (let t = 0; t < Math.min(numTrees, ensemble.trees.length); t++) {
    const tree = ensemble.trees[t];
    for (let n = 0; n < tree.numLeaves - 1; n++) {
      splits[tree.splitFeature[n]] += 1;
      gain[tree.splitFeature[n]] += tree.splitGain[n];
    }
  }
  return { splits, gain };
}
