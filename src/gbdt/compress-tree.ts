/**
 * Tree-level steps of model compression that need no data: merging sibling leaves whose values are close, and
 * rounding split thresholds (and the split gains and covers kept for importance and TreeSHAP) to a decimal grid.
 * Each returns new trees in the shared flat layout (src/gbdt/tree.ts); the input is never modified.
 */
import { DECISION_CATEGORICAL, DECISION_STRICT_F32, type Tree } from './tree.js';

type Node =
  | { leaf: true; value: number; cover: number; lo: number; hi: number }
  | { leaf: false; node: number; left: Node; right: Node };

/**
 * Merge sibling leaves bottom-up: an internal node whose children are both leaves becomes one leaf when every
 * original leaf value under it lies within `tolerance` of every other (max - min <= tolerance). The merged value is
 * the cover-weighted mean (the plain mean when both covers are 0), so each row's output changes by at most
 * `tolerance`, however many merges happen in a row. Returns the tree and the number of leaves removed.
 */
export function mergeSiblingLeaves(tree: Tree, tolerance: number): { tree: Tree; merged: number } {
  if (tree.numLeaves <= 1 || !(tolerance > 0)) return { tree, merged: 0 };
  const build = (child: number): Node => {
    if (child < 0) {
      const l = ~child;
      const v = tree.leafValue[l];
      return { leaf: true, value: v, cover: tree.leafCover[l], lo: v, hi: v };
    }
    const left = build(tree.leftChild[child]);
    const right = build(tree.rightChild[child]);
    if (left.leaf && right.leaf) {
      const lo = Math.min(left.lo, right.lo);
      const hi = Math.max(left.hi, right.hi);
      if (hi - lo <= tolerance) {
        const cover = left.cover + right.cover;
        const value = cover > 0 ? (left.value * left.cover + right.value * right.cover) / cover : (left.value + right.value) / 2;
        return { leaf: true, value, cover, lo, hi };
      }
    }
    return { leaf: false, node: child, left, right };
  };
  const root = build(0);
  const internal: number[] = [];
  const leaves: { value: number; cover: number }[] = [];
  // number internal nodes in pre-order (the root stays 0) and leaves in left-to-right order
  const children: [number, number][] = [];
  const flatten = (n: Node): number => {
    if (n.leaf) {
      leaves.push({ value: n.value, cover: n.cover });
      return ~(leaves.length - 1);
    }
    const id = internal.length;
    internal.push(n.node);
    children.push([0, 0]);
    const l = flatten(n.left);
    const r = flatten(n.right);
    children[id] = [l, r];
    return id;
  };
  flatten(root);
  const pick = <A extends Float64Array | Int32Array | Uint8Array>(src: A, make: (n: number) => A): A => {
    const out = make(internal.length);
    internal.forEach((old, i) => (out[i] = src[old]));
    return out;
  };
  const merged: Tree = {
    numLeaves: leaves.length,
    splitFeature: pick(tree.splitFeature, (n) => new Int32Array(n)),
    threshold: pick(tree.threshold, (n) => new Float64Array(n)),
    decision: pick(tree.decision, (n) => new Uint8Array(n)),
    leftChild: Int32Array.from(children, (c) => c[0]),
    rightChild: Int32Array.from(children, (c) => c[1]),
    splitGain: pick(tree.splitGain, (n) => new Float64Array(n)),
    internalCover: pick(tree.internalCover, (n) => new Float64Array(n)),
    leafCover: Float64Array.from(leaves, (l) => l.cover),
    leafValue: Float64Array.from(leaves, (l) => l.value),
    catBoundaries: tree.catBoundaries.slice(),
    catThreshold: tree.catThreshold.slice(),
  };
  return { tree: merged, merged: tree.numLeaves - leaves.length };
}

/** `v` rounded to `digits` significant decimal digits (non-finite values and 0 unchanged). */
export function roundSignificant(v: number, digits: number): number {
  return Number.isFinite(v) && v !== 0 ? Number(v.toPrecision(digits)) : v;
}

/**
 * The smallest number of `digits` significant decimal digits that is >= `v` (non-finite values and 0 unchanged).
 * A split sends `x <= threshold` left, and pulse's thresholds are bin upper bounds (often a training value itself):
 * rounding up keeps every value at or below the old threshold on its side, and only values in the small gap
 * (threshold, rounded] change side.
 */
export function roundUpSignificant(v: number, digits: number): number {
  if (!Number.isFinite(v) || v === 0) return v;
  let r = Number(v.toPrecision(digits));
  if (r < v) {
    const unit = 10 ** (Math.floor(Math.log10(Math.abs(v))) - digits + 1);
    r = Number((r + unit).toPrecision(digits));
  }
  return r >= v ? r : v;
}

/**
 * The tree with its split gains and covers (used for importance and TreeSHAP, not for prediction) rounded to
 * `digits` significant decimal digits: shorter numbers in the model file.
 */
export function roundTreeStatistics(tree: Tree, digits: number): Tree {
  const round = (a: Float64Array) => a.map((v) => roundSignificant(v, digits));
  return { ...tree, splitGain: round(tree.splitGain), internalCover: round(tree.internalCover), leafCover: round(tree.leafCover) };
}

/**
 * The tree with its numeric split thresholds rounded up to `digits` significant decimal digits (see
 * {@link roundUpSignificant}), except where `safe(feature, threshold, rounded)` says a known value would change
 * side. Categorical splits keep their threshold (an index into the bitsets), and so do XGBoost's float32 splits
 * (`fround(x) < threshold`), whose thresholds are exact float32 values. Returns the tree and the thresholds rounded.
 */
export function roundTreeThresholds(tree: Tree, digits: number, safe: (feature: number, threshold: number, rounded: number) => boolean = () => true): { tree: Tree; rounded: number } {
  const keep = DECISION_CATEGORICAL | DECISION_STRICT_F32;
  let rounded = 0;
  const threshold = tree.threshold.map((t, n) => {
    if (tree.decision[n] & keep) return t;
    const r = roundUpSignificant(t, digits);
    if (r === t || !safe(tree.splitFeature[n], t, r)) return t;
    rounded++;
    return r;
  });
  return { tree: { ...tree, threshold }, rounded };
}
