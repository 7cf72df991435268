/**
 * Compressing a GBDT model against held-out rows: merge close sibling leaves, round split thresholds to a decimal
 * grid, store leaves as float16 or int8 with a per-tree scale, then drop trailing and individual boosting
 * iterations, each step kept only while the predictions on the held-out rows stay acceptable (loss budget,
 * largest change). The result
 * predicts through the same path as any model (its leaves hold the exactly decoded values; the pulse JSON writer
 * stores them compactly).
 */
import { mergeSiblingLeaves, roundTreeStatistics, roundTreeThresholds } from './compress-tree.js';
import { fromFloat16Bits, fromInt8Code, int8ScaleOf, LEAF_ENCODINGS, toFloat16Bits, toInt8Code, type LeafEncoding, type LeafEncodingName } from './leaf-encoding.js';
import type { GbdtModel } from './model.js';
import { transformOutput } from './objective/transform.js';
import { predictBatchSync, treesUsed } from './predict.js';
import { leafIndex, type Tree } from './tree.js';

/** What a compression may do. */
export interface GbdtCompressionSpec {
  /**
   * Sibling leaves merge when the leaf values they cover are within this share of the model's largest |leaf value|
   * (0 = no merging).
   */
  leafMerge: number;
  /** Significant decimal digits kept in split thresholds, gains and covers. */
  thresholdDigits: number;
  /** The leaf storage to try first; a coarser one that breaks the budget falls back to the next finer one. */
  leafEncoding: LeafEncodingName;
  /** Drop iterations (default true). */
  dropIterations?: boolean;
}

/**
 * Held-out rows (row-major, `numRows x numFeatures`), the loss of predictions on them (lower is better, for the
 * report) and whether predictions are acceptable (every step is kept only when they are).
 */
export interface GbdtCompressionCheck {
  X: Float64Array;
  numRows: number;
  loss: (predictions: Float64Array) => number;
  accept: (predictions: Float64Array) => boolean;
}

/** What each step did. */
export interface GbdtCompressionReport {
  iterations: { before: number; after: number; droppedTrailing: number; droppedInner: number };
  leaves: { before: number; after: number; merged: number };
  /** The absolute merge tolerance used (leafMerge x the largest |leaf value|, or a quarter or sixteenth of it); 0 when none merged. */
  leafMergeTolerance: number;
  /** Significant digits of thresholds (rounded up); null when rounding them broke the tolerances (gains and covers are rounded always). */
  thresholdDigits: number | null;
  /** Numeric thresholds rounded (the others would move a check row to the other side, or are already short). */
  thresholdsRounded: number;
  /** The leaf storage used (coarser ones tried first broke the budget). */
  leafEncoding: LeafEncodingName;
  loss: { original: number; compressed: number };
}

const countLeaves = (trees: readonly Tree[]) => trees.reduce((s, t) => s + t.numLeaves, 0);

/** Trees with their leaves rounded to `name`'s values, and the encoding that stores them exactly. */
export function quantiseLeaves(trees: readonly Tree[], name: LeafEncodingName): { trees: Tree[]; encoding: LeafEncoding | undefined } {
  if (name === 'float64') return { trees: [...trees], encoding: undefined };
  if (name === 'float16') {
    return { trees: trees.map((t) => ({ ...t, leafValue: t.leafValue.map((v) => fromFloat16Bits(toFloat16Bits(v))) })), encoding: { kind: 'float16' } };
  }
  const scales = Float64Array.from(trees, (t) => int8ScaleOf(t.leafValue));
  return {
    trees: trees.map((t, i) => ({ ...t, leafValue: t.leafValue.map((v) => fromInt8Code(toInt8Code(v, scales[i]), scales[i])) })),
    encoding: { kind: 'int8', scales },
  };
}

/** Sum of each iteration's raw contribution per row (`numRows x k`, tree weights applied). */
function iterationContributions(model: GbdtModel, X: Float64Array, numRows: number): Float64Array[] {
  const { trees, numTreePerIteration: k, treeWeight, numFeatures } = model.ensemble;
  const out: Float64Array[] = [];
  for (let it = 0; it < trees.length / k; it++) {
    const c = new Float64Array(numRows * k);
    for (let j = 0; j < k; j++) {
      const t = it * k + j;
      const tree = trees[t];
      const w = treeWeight ? treeWeight[t] : 1;
      for (let r = 0; r < numRows; r++) c[r * k + j] = w * tree.leafValue[leafIndex(tree, X.subarray(r * numFeatures, (r + 1) * numFeatures))];
    }
    out.push(c);
  }
  return out;
}

function withTrees(model: GbdtModel, trees: Tree[], keep: readonly number[], encoding: LeafEncoding | undefined): GbdtModel {
  const k = model.ensemble.numTreePerIteration;
  const picked = keep.flatMap((it) => Array.from({ length: k }, (_, j) => it * k + j));
  const w = model.ensemble.treeWeight;
  const { leafEncoding: _old, ...rest } = model;
  return {
    ...rest,
    ensemble: { ...model.ensemble, trees: picked.map((t) => trees[t]), treeWeight: w ? Float64Array.from(picked, (t) => w[t]) : undefined },
    bestIteration: null,
    ...(encoding ? { leafEncoding: encoding.kind === 'int8' ? { kind: 'int8', scales: Float64Array.from(picked, (t) => encoding.scales[t]) } : encoding } : {}),
  };
}

/**
 * Compress `model` (see the module note) so that its predictions on the check rows stay acceptable. Only the iterations prediction uses are kept (early stopping's best).
 */
export function compressGbdt(model: GbdtModel, check: GbdtCompressionCheck, spec: GbdtCompressionSpec): { model: GbdtModel; report: GbdtCompressionReport } {
  const { X, numRows, loss, accept } = check;
  const k = model.ensemble.numTreePerIteration;
  const used = model.ensemble.trees.slice(0, treesUsed(model));
  const base = withTrees(model, model.ensemble.trees, Array.from({ length: used.length / k }, (_, i) => i), undefined);
  const original = loss(predictBatchSync(model, X, numRows));

  let maxLeaf = 0;
  for (const t of used) for (const v of t.leafValue) maxLeaf = Math.max(maxLeaf, Math.abs(v));
  // split gains and covers do not change predictions: they are always rounded
  const rounded = used.map((t) => roundTreeStatistics(t, spec.thresholdDigits));
  const all = Array.from({ length: used.length / k }, (_, i) => i);
  const within = (trees: Tree[], encoding: LeafEncoding | undefined) => accept(predictBatchSync(withTrees(base, trees, all, encoding), X, numRows));
  // merging, then threshold rounding, each kept only when the predictions stay acceptable
  // (merging at the level's tolerance, else at a quarter and a sixteenth of it)
  let merged = 0;
  let mergeTol = 0;
  let shaped = rounded;
  for (let tol = spec.leafMerge * maxLeaf, tries = 0; tol > 0 && tries < 3; tol /= 4, tries++) {
    const results = rounded.map((t) => mergeSiblingLeaves(t, tol));
    const count = results.reduce((s, r) => s + r.merged, 0);
    if (count === 0) break;
    const trees = results.map((r) => r.tree);
    if (within(trees, undefined)) {
      shaped = trees;
      merged = count;
      mergeTol = tol;
      break;
    }
  }
  // a threshold is rounded only when no check-row value of its feature lies in the gap it opens
  const sorted = Array.from({ length: model.ensemble.numFeatures }, (_, f) => {
    const values = new Float64Array(numRows);
    for (let r = 0; r < numRows; r++) values[r] = X[r * model.ensemble.numFeatures + f];
    return values.sort();
  });
  const safe = (f: number, t: number, r: number) => {
    const v = sorted[f];
    let lo = 0;
    let hi = v.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (v[mid] <= t) lo = mid + 1;
      else hi = mid;
    }
    return lo === v.length || !(v[lo] <= r); // the first value above t is above the rounded threshold (or NaN)
  };
  let thresholdDigits: number | null = spec.thresholdDigits;
  const roundedThresholds = shaped.map((t) => roundTreeThresholds(t, spec.thresholdDigits, safe));
  let thresholdsRounded = roundedThresholds.reduce((s, r) => s + r.rounded, 0);
  if (within(roundedThresholds.map((r) => r.tree), undefined)) {
    shaped = roundedThresholds.map((r) => r.tree);
  } else {
    thresholdDigits = null;
    thresholdsRounded = 0;
  }
  // the coarsest leaf storage, from the requested one towards float64, that keeps the predictions acceptable
  let chosen = quantiseLeaves(shaped, 'float64');
  let encodingName: LeafEncodingName = 'float64';
  for (let e = LEAF_ENCODINGS.indexOf(spec.leafEncoding); e > 0; e--) {
    const q = quantiseLeaves(shaped, LEAF_ENCODINGS[e]);
    if (within(q.trees, q.encoding)) {
      chosen = q;
      encodingName = LEAF_ENCODINGS[e];
      break;
    }
  }
  const candidate = withTrees(base, chosen.trees, all, chosen.encoding);

  // drop iterations: trailing ones first, then the least contributing ones, while the predictions stay acceptable
  const contrib = iterationContributions(candidate, X, numRows);
  const iterations = contrib.length;
  const kept = new Uint8Array(iterations).fill(1);
  const sum = new Float64Array(numRows * k);
  for (const c of contrib) for (let i = 0; i < sum.length; i++) sum[i] += c[i];
  const raw = new Float64Array(numRows * k);
  const float32 = model.origin === 'xgboost';
  let keptCount = iterations;
  const acceptWithout = (it: number): boolean => {
    const n = keptCount - 1;
    const c = contrib[it];
    for (let r = 0; r < numRows; r++) {
      for (let j = 0; j < k; j++) {
        const i = r * k + j;
        const s = sum[i] - c[i];
        raw[i] = (model.ensemble.averageOutput ? s / Math.max(1, n) : s) + model.ensemble.baseScore[j];
      }
    }
    return accept(transformOutput(model.objective, raw, numRows, undefined, float32));
  };
  const drop = (it: number) => {
    const c = contrib[it];
    for (let i = 0; i < sum.length; i++) sum[i] -= c[i];
    kept[it] = 0;
    keptCount--;
  };
  let droppedTrailing = 0;
  const dropping = spec.dropIterations !== false;
  for (let it = iterations - 1; dropping && it > 0 && acceptWithout(it); it--) {
    drop(it);
    droppedTrailing++;
  }
  const strength = contrib.map((c, it) => ({ it, mean: c.reduce((s, v) => s + Math.abs(v), 0) / Math.max(1, c.length) }));
  strength.sort((a, b) => a.mean - b.mean || a.it - b.it);
  let droppedInner = 0;
  for (const { it } of strength) {
    if (!dropping || !kept[it] || keptCount <= 1) continue;
    if (acceptWithout(it)) {
      drop(it);
      droppedInner++;
    }
  }
  const keep = all.filter((it) => kept[it]);
  const result = withTrees(base, chosen.trees, keep, chosen.encoding);
  const predictions = predictBatchSync(result, X, numRows);
  if (keep.length < iterations && !accept(predictions)) {
    // the incremental sums above add in another order than prediction: on a rounding-level disagreement at the
    // budget's edge, keep every iteration rather than return a model outside the tolerances
    return compressGbdt(model, check, { ...spec, dropIterations: false });
  }
  const compressed = loss(predictions);
  return {
    model: result,
    report: {
      iterations: { before: iterations, after: keep.length, droppedTrailing, droppedInner },
      leaves: { before: countLeaves(used), after: countLeaves(result.ensemble.trees), merged },
      leafMergeTolerance: mergeTol,
      thresholdDigits,
      thresholdsRounded,
      leafEncoding: encodingName,
      loss: { original, compressed },
    },
  };
}
