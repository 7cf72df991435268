/**
 * The prediction kernel: raw scores of a range of rows over a compiled (flattened) forest. It is the single
 * traversal used in-thread and by the worker pool, so results are identical whatever the thread count.
 *
 * The kernel must stay self-contained: the worker pool ships its source text (`Function.prototype.toString`) to
 * `worker_threads` workers, which works the same for the TypeScript run by vitest and the JavaScript in dist/.
 * So it may use only its arguments and JavaScript globals (no imports, no module constants, no inner functions).
 */

/**
 * All trees of an ensemble in one set of typed arrays. Node `n` of every tree lives at a global index; a child
 * `>= 0` is a global internal node and a child `< 0` is the global leaf `~child`. `roots[t]` is the root of tree
 * `t` (or `~leaf` for a single-leaf tree). Categorical thresholds index the global `catBoundaries`.
 */
export interface CompiledForest {
  /** Number of raw outputs per row (trees per iteration). */
  numClass: number;
  /** Number of trees used (a whole number of iterations). */
  numTrees: number;
  numFeatures: number;
  roots: Int32Array;
  feature: Int32Array;
  threshold: Float64Array;
  decision: Uint8Array;
  left: Int32Array;
  right: Int32Array;
  /** Leaf values with the tree weight already applied (float32-rounded in float32 mode). */
  leafValue: Float64Array;
  catBoundaries: Int32Array;
  catThreshold: Uint32Array;
  /** Per-class base score, added last in float64 mode and first in float32 mode. */
  baseScore: Float64Array;
  /** Divisor applied to the tree sum before the base score (iterations in random-forest mode, else 1). */
  divisor: number;
  /** 1 to accumulate in float32 from the base score like XGBoost, 0 for LightGBM's float64 sum. */
  float32: number;
}

/**
 * Raw scores of rows `[rowStart, rowEnd)` of the row-major matrix `X` (`numFeatures` columns, NaN = missing)
 * into `out` (`numClass` values per row, at the row's own offset). Node decisions follow `decide()` in tree.ts.
 */
export function predictRowsKernel(
  F: CompiledForest,
  X: ArrayLike<number>,
  numFeatures: number,
  rowStart: number,
  rowEnd: number,
  out: Float64Array,
): void {
  const k = F.numClass;
  const numTrees = F.numTrees;
  const roots = F.roots;
  const feature = F.feature;
  const threshold = F.threshold;
  const decision = F.decision;
  const left = F.left;
  const right = F.right;
  const leafValue = F.leafValue;
  const catBoundaries = F.catBoundaries;
  const catThreshold = F.catThreshold;
  const base = F.baseScore;
  const float32 = F.float32 === 1;
  const divisor = F.divisor;
  const fround = Math.fround;
  for (let r = rowStart; r < rowEnd; r++) {
    const xo = r * numFeatures;
    const oo = r * k;
    for (let c = 0; c < k; c++) out[oo + c] = float32 ? base[c] : 0;
    let c = 0;
    for (let t = 0; t < numTrees; t++) {
      let node = roots[t];
      while (node >= 0) {
        let x = X[xo + feature[node]];
        const d = decision[node];
        let goLeft: boolean;
        if ((d & 17) === 0) {
          // LightGBM numerical split (bits: 2 default left, 3-4 missing type).
          const missing = (d >> 2) & 3;
          if (x !== x && missing !== 2) x = 0;
          if ((missing === 1 && x >= -1e-35 && x <= 1e-35) || (missing === 2 && x !== x)) goLeft = (d & 2) !== 0;
          else goLeft = x <= threshold[node];
        } else if ((d & 1) === 0) {
          // XGBoost numerical split: float32 strict less-than, missing to the default child.
          goLeft = x !== x ? (d & 2) !== 0 : fround(x) < threshold[node];
        } else if (x !== x) {
          goLeft = (d & 16) !== 0 && (d & 2) !== 0;
        } else if (x < 0) {
          goLeft = false;
        } else {
          const cat = Math.trunc(x);
          const i = threshold[node];
          const start = catBoundaries[i];
          const words = catBoundaries[i + 1] - start;
          goLeft = cat < words * 32 && (catThreshold[start + (cat >>> 5)] & (1 << (cat & 31))) !== 0;
        }
        node = goLeft ? left[node] : right[node];
      }
      const v = leafValue[~node];
      if (float32) out[oo + c] = fround(out[oo + c] + v);
      else out[oo + c] += v;
      if (++c === k) c = 0;
    }
    if (!float32) {
      for (let cc = 0; cc < k; cc++) {
        if (divisor !== 1) out[oo + cc] /= divisor;
        out[oo + cc] += base[cc];
      }
    }
  }
}
