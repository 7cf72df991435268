/**
 * The in-memory tree ensemble shared by training, prediction, SHAP and every model format (pulse JSON,
 * LightGBM text, XGBoost JSON). Trees are flat typed arrays in LightGBM's layout:
 *
 * - internal nodes are numbered 0..numLeaves-2, leaves 0..numLeaves-1;
 * - a child index >= 0 is an internal node, a child index < 0 is the leaf `~child`;
 * - a tree with a single leaf has no internal nodes and predicts `leafValue[0]`.
 *
 * `decision[node]` packs LightGBM's decision_type bits plus one pulse bit:
 * - bit 0 (`DECISION_CATEGORICAL`): categorical split; `threshold` is an index into `catBoundaries`, and
 *   categories whose bit is set in `catThreshold[catBoundaries[i] .. catBoundaries[i+1])` go LEFT. Values are
 *   truncated to integer categories; negative categories go right (XGBoost nodes: any value < 0); NaN goes right too, except on nodes that also carry `DECISION_STRICT_F32` (imported from XGBoost),
 *   where NaN follows `DECISION_DEFAULT_LEFT` as XGBoost sends missing values to the node's default child.
 * - bit 1 (`DECISION_DEFAULT_LEFT`): missing values go left.
 * - bits 2-3 (missing type): 0 none (NaN is treated as 0), 1 zero (0 and NaN are missing), 2 NaN.
 * - bit 4 (`DECISION_STRICT_F32`): XGBoost semantics: left when `fround(x) < threshold`
 *   (otherwise LightGBM's `x <= threshold` in double).
 */
export interface Tree {
  numLeaves: number;
  splitFeature: Int32Array;
  threshold: Float64Array;
  decision: Uint8Array;
  leftChild: Int32Array;
  rightChild: Int32Array;
  /** Split gain per internal node (for importance). */
  splitGain: Float64Array;
  /** Sum of hessians (or row counts) reaching each internal node and leaf: the "cover" TreeSHAP needs. */
  internalCover: Float64Array;
  leafCover: Float64Array;
  leafValue: Float64Array;
  /** Offsets into `catThreshold` per categorical split (length = number of categorical splits + 1). */
  catBoundaries: Int32Array;
  /** Bitset words (32 categories each) of the categorical splits. */
  catThreshold: Uint32Array;
}

export const DECISION_CATEGORICAL = 1;
export const DECISION_DEFAULT_LEFT = 2;
export const MISSING_NONE = 0;
export const MISSING_ZERO = 1;
export const MISSING_NAN = 2;
export const DECISION_STRICT_F32 = 16;

/** LightGBM's kZeroThreshold: |x| below this counts as zero for MISSING_ZERO splits. */
export const ZERO_THRESHOLD = 1e-35;

/** The missing type (MISSING_NONE | MISSING_ZERO | MISSING_NAN) packed in a decision byte. */
export function missingTypeOf(decision: number): number {
  return (decision >> 2) & 3;
}

/**
 * A trained or imported ensemble. Raw score for class k of a row:
 * `baseScore[k] + sum over trees t with t % numTreePerIteration == k of treeWeight[t] * leaf(t, row)`,
 * divided by the number of iterations when `averageOutput` (random-forest mode).
 */
export interface Ensemble {
  trees: Tree[];
  /** Trees per boosting iteration: 1 for regression/binary, the number of classes for multiclass. */
  numTreePerIteration: number;
  /** Per-class constant added to the raw score (XGBoost's base_score in margin space; 0 for LightGBM). */
  baseScore: Float64Array;
  /** Per-tree multiplier (XGBoost DART weight_drop); undefined means all 1. */
  treeWeight?: Float64Array;
  averageOutput: boolean;
  numFeatures: number;
}

/** Follow one row (raw feature values, NaN = missing) down a tree and return the leaf index. */
export function leafIndex(tree: Tree, row: ArrayLike<number>): number {
  if (tree.numLeaves <= 1) return 0;
  let node = 0;
  while (node >= 0) {
    node = decide(tree, node, row[tree.splitFeature[node]]) ? tree.leftChild[node] : tree.rightChild[node];
  }
  return ~node;
}

/** True when value `x` goes to the left child of internal node `node`. */
export function decide(tree: Tree, node: number, x: number): boolean {
  const d = tree.decision[node];
  if (d & DECISION_CATEGORICAL) {
    if (Number.isNaN(x)) return (d & DECISION_STRICT_F32) !== 0 && (d & DECISION_DEFAULT_LEFT) !== 0;
    // LightGBM truncates first (so -1 < x < 0 is category 0); XGBoost refuses any negative value.
    if (d & DECISION_STRICT_F32 ? x < 0 : x <= -1) return false;
    const cat = Math.trunc(x);
    const i = tree.threshold[node];
    const start = tree.catBoundaries[i];
    const words = tree.catBoundaries[i + 1] - start;
    if (cat >= words * 32) return false; // also keeps `>>> 5` below from wrapping huge values
    const w = cat >>> 5;
    return (tree.catThreshold[start + w] & (1 << (cat & 31))) !== 0;
  }
  const missing = missingTypeOf(d);
  if (d & DECISION_STRICT_F32) {
    if (Number.isNaN(x)) return (d & DECISION_DEFAULT_LEFT) !== 0;
    return Math.fround(x) < tree.threshold[node];
  }
  if (Number.isNaN(x) && missing !== MISSING_NAN) x = 0;
  if ((missing === MISSING_ZERO && Math.abs(x) <= ZERO_THRESHOLD) || (missing === MISSING_NAN && Number.isNaN(x))) {
    return (d & DECISION_DEFAULT_LEFT) !== 0;
  }
  return x <= tree.threshold[node];
}

/** Raw (untransformed) scores of one row, one per class. Reference implementation; batch paths must agree with it. */
export function predictRawRow(model: Ensemble, row: ArrayLike<number>, out = new Float64Array(model.numTreePerIteration)): Float64Array {
  const k = model.numTreePerIteration;
  for (let c = 0; c < k; c++) out[c] = 0;
  const { trees, treeWeight } = model;
  for (let t = 0; t < trees.length; t++) {
    const v = trees[t].leafValue[leafIndex(trees[t], row)];
    out[t % k] += treeWeight ? treeWeight[t] * v : v;
  }
  if (model.averageOutput) {
    const iterations = Math.max(1, trees.length / k);
    for (let c = 0; c < k; c++) out[c] /= iterations;
  }
  for (let c = 0; c < k; c++) out[c] += model.baseScore[c];
  return out;
}
