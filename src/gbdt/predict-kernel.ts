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
  /**
   * Node kind: 0 = numerical, right when `x > cut`, NaN left; 1 = numerical, right when `x > cut` or NaN;
   * 2 = anything else (categorical, zero-as-missing, infinite XGBoost threshold), decided from `decision` and
   * `threshold` exactly as `decide()` in tree.ts.
   */
  kind: Uint8Array;
  /** Children of node n at `2n` (left) and `2n + 1` (right), so kind 0/1 nodes pick a child without branching. */
  children: Int32Array;
  /** The `<=` cut of kind 0/1 nodes (an XGBoost float32 `<` threshold is converted to its exact `<=` equivalent). */
  cut: Float64Array;
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
  /** 1 when every node is of kind 0 or 1, so the WebAssembly kernel (kernels/predict.wat) can score the forest. */
  numericalOnly: number;
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
  const kind = F.kind;
  const children = F.children;
  const cut = F.cut;
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
  // Rows go through the forest in blocks, tree by tree, so each tree stays hot for the whole block (measured
  // fastest around 4096 rows). Every row still sums its trees in order 0..numTrees-1, so results do not depend
  // on the block size.
  const block = 4096;
  for (let r0 = rowStart; r0 < rowEnd; r0 += block) {
    const r1 = Math.min(rowEnd, r0 + block);
    for (let r = r0; r < r1; r++) for (let c = 0; c < k; c++) out[r * k + c] = float32 ? base[c] : 0;
    let c = 0;
    for (let t = 0; t < numTrees; t++) {
      const root = roots[t];
      for (let r = r0; r < r1; r++) {
        const xo = r * numFeatures;
        let node = root;
        while (node >= 0) {
          const kd = kind[node];
          let x = X[xo + feature[node]];
          if (kd < 2) {
            // Branch-free child choice: the comparison bits index the children pair.
            node = children[2 * node + ((x > cut[node] ? 1 : 0) | (kd & (x !== x ? 1 : 0)))];
            continue;
          }
          const d = decision[node];
          let goLeft: boolean;
          if ((d & 1) === 0) {
            if ((d & 16) !== 0) {
              // XGBoost numerical split: float32 strict less-than, missing to the default child.
              goLeft = x !== x ? (d & 2) !== 0 : fround(x) < threshold[node];
            } else {
              // LightGBM numerical split (bit 1 default left, bits 2-3 missing type: 0 none, 1 zero, 2 NaN).
              const missing = (d >> 2) & 3;
              if (x !== x && missing !== 2) x = 0;
              if ((missing === 1 && x >= -1e-35 && x <= 1e-35) || (missing === 2 && x !== x)) goLeft = (d & 2) !== 0;
              else goLeft = x <= threshold[node];
            }
          } else if (x !== x) {
            goLeft = (d & 16) !== 0 && (d & 2) !== 0;
          } else if ((d & 16) !== 0 ? x < 0 : x <= -1) {
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
        const o = r * k + c;
        if (float32) out[o] = fround(out[o] + leafValue[~node]);
        else out[o] += leafValue[~node];
      }
      if (++c === k) c = 0;
    }
    if (!float32) {
      for (let r = r0; r < r1; r++) {
        for (let cc = 0; cc < k; cc++) {
          if (divisor !== 1) out[r * k + cc] /= divisor;
          out[r * k + cc] += base[cc];
        }
      }
    }
  }
}

/**
 * The `<=` cut equivalent to an XGBoost float32 split `fround(x) < t` for a finite float32 `t`: the largest
 * double `m` with `x <= m` exactly when `fround(x) < t` (the midpoint between `t` and the float32 below it, or
 * the double just below that midpoint when the midpoint itself rounds up to `t`).
 */
export function strictF32ToLessEqual(t: number): number {
  const f32 = new Float32Array([t]);
  const bits = new Int32Array(f32.buffer);
  if (t > 0) bits[0] -= 1;
  else if (t < 0) bits[0] += 1;
  else f32[0] = -1.401298464324817e-45;
  const mid = (f32[0] + t) / 2;
  if (Math.fround(mid) < t) return mid;
  const f64 = new Float64Array([mid]);
  const b64 = new BigInt64Array(f64.buffer);
  b64[0] += mid > 0 ? -1n : 1n;
  return f64[0];
}

/**
 * A batch laid out in one WebAssembly memory for the kernel of kernels/predict.wat (every `*Ptr` is a byte
 * address; see the layout there). Threads claim blocks of `block` rows from the shared counter at `counterPtr`
 * until none is left, so a slow or late thread simply takes fewer blocks; each block's rows are scored whole by
 * one thread, so the result does not depend on who scored what.
 */
export interface WasmBatch {
  memory: WebAssembly.Memory;
  module: WebAssembly.Module;
  rootsPtr: number;
  leavesPtr: number;
  basePtr: number;
  XPtr: number;
  rowBytes: number;
  /** 1 when X holds float64 values, 0 for float32. */
  xF64: number;
  outPtr: number;
  numTrees: number;
  numClass: number;
  numRows: number;
  float32: number;
  divisor: number;
  block: number;
  /** Two int32 counters: blocks claimed, then blocks finished. */
  counterPtr: number;
  /** Scratch of thread `slot` starts at `scratchPtr + slot * 8 * block`. */
  scratchPtr: number;
}

type WasmPredict = (
  roots: number, leaves: number, base: number, X: number, rowBytes: number, xF64: number, out: number,
  numTrees: number, numClass: number, r0: number, r1: number, scratch: number, float32: number, divisor: number,
) => void;

/**
 * Score blocks of `batch` in the calling thread (thread `slot`) until every block is claimed; returns whether
 * every block is finished (false while other threads still score theirs). Self-contained like predictRowsKernel:
 * worker threads run its source text. Each call instantiates the kernel over the batch's memory; the compiled
 * code is the module's, shared by every instance, and one call per block lets V8 move the kernel to its
 * optimising tier after the first blocks.
 */
export function runWasmBatch(batch: WasmBatch, slot: number): boolean {
  const instance = new WebAssembly.Instance(batch.module, { env: { memory: batch.memory } });
  const predict = instance.exports.predict as WasmPredict;
  const counters = new Int32Array(batch.memory.buffer, batch.counterPtr, 2);
  const scratch = batch.scratchPtr + slot * 8 * batch.block;
  const blocks = Math.ceil(batch.numRows / batch.block);
  for (let b = Atomics.add(counters, 0, 1); b < blocks; b = Atomics.add(counters, 0, 1)) {
    const r0 = b * batch.block;
    const r1 = Math.min(batch.numRows, r0 + batch.block);
    predict(
      batch.rootsPtr, batch.leavesPtr, batch.basePtr, batch.XPtr, batch.rowBytes, batch.xF64, batch.outPtr,
      batch.numTrees, batch.numClass, r0, r1, scratch, batch.float32, batch.divisor,
    );
    Atomics.add(counters, 1, 1);
  }
  return Atomics.load(counters, 1) === blocks;
}
