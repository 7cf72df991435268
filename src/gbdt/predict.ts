/**
 * Fast prediction for GBDT models: the ensemble is flattened once into typed arrays (cached per ensemble) and
 * rows are scored by a single kernel (predict-kernel.ts), in-thread or over a worker pool for large batches.
 *
 * Arithmetic follows the library the model came from: pulse and LightGBM models sum leaf values in float64
 * exactly as `predictRawRow` in tree.ts (bit-identical); XGBoost imports accumulate in float32 from the base
 * margin, as XGBoost itself does, so their predictions match XGBoost's to the float32 ulp.
 */
import { DataError, ModelFormatError, UsageError } from '../core/errors.js';
import type { GbdtModel } from './model.js';
import { outputWidthOf, rawWidthOf, transformOutput } from './objective/transform.js';
import { arenaBytes, KernelArena, predictModule } from './kernels/memory.js';
import { type CompiledForest, predictRowsKernel, runWasmBatch, strictF32ToLessEqual, type WasmBatch } from './predict-kernel.js';
import { poolAvailable, runInWorker, runWasmInWorker } from './predict-pool.js';
import { DECISION_CATEGORICAL, DECISION_DEFAULT_LEFT, DECISION_STRICT_F32, type Ensemble, MISSING_NAN, MISSING_ZERO, missingTypeOf } from './tree.js';
import { availableParallelism } from 'node:os';

export type { CompiledForest } from './predict-kernel.js';
export { shutdownPredictionPool } from './predict-pool.js';

/** Options of batch and single-row prediction. */
export interface PredictOptions {
  /** Return raw scores (margins) instead of transformed outputs (probabilities, means, class index). */
  raw?: boolean;
  /**
   * Use only the first `iterations` boosting iterations (each has one tree per class). Default: the model's
   * `bestIteration` when set, otherwise all trees. Values above the number of iterations use all trees.
   */
  iterations?: number;
}

/** Options of batch prediction. */
export interface PredictBatchOptions extends PredictOptions {
  /**
   * Threads for `predictBatch`: 1 (default) predicts in-thread, 0 uses every core, n > 1 uses up to n. Results
   * are identical whatever the value. Small batches (under 4096 rows per thread) stay in-thread.
   */
  threads?: number;
}

/** Rows below which a thread is not worth its messaging cost. */
const MIN_ROWS_PER_THREAD = 4096;
/** Batches below this many rows are scored by the JavaScript kernel (no WebAssembly memory to set up). */
const WASM_MIN_ROWS = 64;
/** Rows per block a thread claims in the WebAssembly kernel (its scratch, 8 bytes a row, stays in L1). */
const WASM_BLOCK = 1024;
/**
 * In-thread batches up to this many bytes reuse one memory: making a WebAssembly memory costs more than scoring
 * a few hundred rows. Larger batches get their own, released with them.
 */
const REUSED_ARENA_BYTES = 8 << 20;
let reusedArena: KernelArena | null = null;

const cache = new WeakMap<Ensemble, Map<string, CompiledForest>>();

function allocate<T extends Int32Array | Float64Array | Uint8Array | Uint32Array>(
  Ctor: { new (b: ArrayBufferLike): T; readonly BYTES_PER_ELEMENT: number },
  length: number,
  shared: boolean,
): T {
  const bytes = Math.max(1, length) * Ctor.BYTES_PER_ELEMENT;
  const view = new Ctor(shared ? new SharedArrayBuffer(bytes) : new ArrayBuffer(bytes));
  return (length === view.length ? view : view.subarray(0, length)) as T;
}

/** Resolve the number of trees used for `iterations` (see `PredictOptions.iterations`). */
export function treesUsed(model: GbdtModel, iterations?: number): number {
  const { trees, numTreePerIteration: k } = model.ensemble;
  const total = trees.length / k;
  let n = iterations ?? model.bestIteration ?? total;
  if (!Number.isInteger(n) || n < 1) {
    throw new UsageError(`iterations must be a positive integer, got ${n}`, 'omit it to use every tree, or pass 1..' + total);
  }
  if (n > total) n = total;
  return n * k;
}

/**
 * Flatten the first `numTrees` trees of a model into one `CompiledForest`. `shared` backs every array by a
 * SharedArrayBuffer so worker threads can read it without copies. Results are cached per ensemble, so an
 * ensemble must not be mutated after it was first used for prediction (appending trees is detected).
 */
export function compileForest(model: GbdtModel, numTrees = treesUsed(model), shared = false): CompiledForest {
  const ensemble = model.ensemble;
  const float32 = model.origin === 'xgboost' && !ensemble.averageOutput ? 1 : 0;
  const key = `${numTrees}/${ensemble.trees.length}/${float32}/${shared ? 1 : 0}`;
  let perEnsemble = cache.get(ensemble);
  const hit = perEnsemble?.get(key);
  if (hit) return hit;
  const k = ensemble.numTreePerIteration;
  const rawWidth = rawWidthOf(model.objective);
  if (rawWidth !== k) {
    throw new ModelFormatError(
      `the objective ${model.objective.name} has ${rawWidth} outputs but the ensemble has ${k} trees per iteration`,
      'the model file is inconsistent; re-export it',
    );
  }
  let nodes = 0;
  let leaves = 0;
  let cats = 0;
  let catWords = 0;
  for (let t = 0; t < numTrees; t++) {
    const tree = ensemble.trees[t];
    nodes += tree.numLeaves - 1;
    leaves += tree.numLeaves;
    cats += tree.catBoundaries.length - 1;
    catWords += tree.catThreshold.length;
  }
  const F: CompiledForest = {
    numClass: k,
    numTrees,
    numFeatures: ensemble.numFeatures,
    roots: allocate(Int32Array, numTrees, shared),
    feature: allocate(Int32Array, nodes, shared),
    kind: allocate(Uint8Array, nodes, shared),
    children: allocate(Int32Array, 2 * nodes, shared),
    cut: allocate(Float64Array, nodes, shared),
    threshold: allocate(Float64Array, nodes, shared),
    decision: allocate(Uint8Array, nodes, shared),
    left: allocate(Int32Array, nodes, shared),
    right: allocate(Int32Array, nodes, shared),
    leafValue: allocate(Float64Array, leaves, shared),
    catBoundaries: allocate(Int32Array, cats + 1, shared),
    catThreshold: allocate(Uint32Array, catWords, shared),
    baseScore: allocate(Float64Array, k, shared),
    divisor: ensemble.averageOutput ? Math.max(1, numTrees / k) : 1,
    float32,
    numericalOnly: 1,
  };
  let nodeBase = 0;
  let leafBase = 0;
  let catBase = 0;
  let wordBase = 0;
  const weights = ensemble.treeWeight;
  const fround = Math.fround;
  for (let t = 0; t < numTrees; t++) {
    const tree = ensemble.trees[t];
    const numInternal = tree.numLeaves - 1;
    F.roots[t] = numInternal > 0 ? nodeBase : ~leafBase;
    const relink = (child: number) => (child >= 0 ? child + nodeBase : ~(~child + leafBase));
    for (let n = 0; n < numInternal; n++) {
      const g = nodeBase + n;
      F.feature[g] = tree.splitFeature[n];
      F.decision[g] = tree.decision[n];
      F.threshold[g] = tree.decision[n] & 1 ? tree.threshold[n] + catBase : tree.threshold[n];
      compileNode(F, g, tree.decision[n], tree.threshold[n]);
      if (F.kind[g] > 1) F.numericalOnly = 0;
      F.left[g] = relink(tree.leftChild[n]);
      F.right[g] = relink(tree.rightChild[n]);
      F.children[2 * g] = F.left[g];
      F.children[2 * g + 1] = F.right[g];
    }
    const w = weights ? weights[t] : 1;
    for (let l = 0; l < tree.numLeaves; l++) {
      const v = tree.leafValue[l];
      // Same products as predictRawRow (w * v) in float64; XGBoost multiplies float32 weight and leaf in float32.
      F.leafValue[leafBase + l] = float32 ? fround(fround(w) * fround(v)) : weights ? w * v : v;
    }
    const cb = tree.catBoundaries;
    for (let i = 1; i < cb.length; i++) F.catBoundaries[catBase + i] = cb[i] + wordBase;
    F.catThreshold.set(tree.catThreshold, wordBase);
    nodeBase += numInternal;
    leafBase += tree.numLeaves;
    catBase += cb.length - 1;
    wordBase += tree.catThreshold.length;
  }
  for (let c = 0; c < k; c++) F.baseScore[c] = float32 ? fround(ensemble.baseScore[c]) : ensemble.baseScore[c];
  if (!perEnsemble) {
    perEnsemble = new Map();
    cache.set(ensemble, perEnsemble);
  }
  // Keep a few variants per ensemble (e.g. all trees, best iteration, shared copy); evict the oldest, so that
  // scoring every iteration count in turn does not hold every prefix of the forest.
  if (perEnsemble.size >= 4) perEnsemble.delete(perEnsemble.keys().next().value as string);
  perEnsemble.set(key, F);
  return F;
}

/**
 * Classify a node for the kernel's fast paths: every numerical split except zero-as-missing becomes one `<=`
 * comparison whose NaN direction is fixed by the comparison's sense (NaN fails both `<=` and `>`).
 */
function compileNode(F: CompiledForest, g: number, d: number, t: number): void {
  F.kind[g] = 2;
  if (d & DECISION_CATEGORICAL) return;
  const nanLeft = (d & DECISION_DEFAULT_LEFT) !== 0;
  if (d & DECISION_STRICT_F32) {
    if (!Number.isFinite(t)) return;
    F.cut[g] = strictF32ToLessEqual(t);
    F.kind[g] = nanLeft ? 0 : 1;
    return;
  }
  const missing = missingTypeOf(d);
  if (missing === MISSING_ZERO) return;
  F.cut[g] = t;
  // Missing type none treats NaN as 0; type NaN sends it to the default child.
  F.kind[g] = (missing === MISSING_NAN ? nanLeft : 0 <= t) ? 0 : 1;
}

function checkMatrix(model: GbdtModel, X: ArrayLike<number>, numRows: number): void {
  const nf = model.ensemble.numFeatures;
  if (!Number.isInteger(numRows) || numRows < 0) throw new UsageError(`numRows must be a non-negative integer, got ${numRows}`);
  if (X.length !== numRows * nf) {
    const perRow = numRows > 0 ? ` (${+(X.length / numRows).toFixed(3)} per row)` : '';
    throw new DataError(
      `the feature matrix has ${X.length} values for ${numRows} rows${perRow}, but the model expects ${nf} features per row`,
      `pass a row-major matrix of ${nf} columns in the model's feature order: ${model.featureNames.slice(0, 8).join(', ')}${nf > 8 ? ', ...' : ''}`,
    );
  }
}

function finish(model: GbdtModel, raw: Float64Array, numRows: number, options: PredictOptions): Float64Array {
  if (options.raw) return raw;
  const width = outputWidthOf(model.objective);
  const float32 = model.origin === 'xgboost' && !model.ensemble.averageOutput;
  return transformOutput(model.objective, raw, numRows, width === rawWidthOf(model.objective) ? raw : undefined, float32);
}

/**
 * The batch laid out for the WebAssembly kernel with scratch for `threads` threads, and its score array; null when
 * the forest has splits other than numerical ones, the batch is small, or WebAssembly (or that much memory) is
 * unavailable: callers then use the JavaScript kernel. A single-thread batch may be laid out in the reused memory,
 * so it must be scored before the next batch is laid out.
 */
function wasmBatch(F: CompiledForest, X: ArrayLike<number>, numRows: number, threads: number): { batch: WasmBatch; out: Float64Array } | null {
  // Node addresses must fit an int32 and feature offsets 30 bits: true for any forest and row width in practice.
  const fits = 24 * F.feature.length < 2 ** 31 && F.numFeatures * 8 < 2 ** 30;
  const module = F.numericalOnly === 1 && fits && numRows >= WASM_MIN_ROWS ? predictModule() : null;
  if (!module) return null;
  const nodes = F.feature.length;
  const k = F.numClass;
  const xF64 = X instanceof Float32Array ? 0 : 1;
  const elementBytes = xF64 ? 8 : 4;
  const block = Math.min(WASM_BLOCK, numRows);
  const sizes = [24 * nodes, 4 * F.numTrees, 8 * F.leafValue.length, 8 * k, X.length * elementBytes, 8 * numRows * k, 8 * block * threads, 8];
  const bytes = arenaBytes(sizes);
  let arena: KernelArena | null;
  if (threads === 1 && bytes <= REUSED_ARENA_BYTES) {
    if (!reusedArena) reusedArena = KernelArena.create(REUSED_ARENA_BYTES, module);
    arena = reusedArena;
    arena?.reset();
  } else {
    arena = KernelArena.create(bytes, module);
  }
  if (!arena) return null;
  // 24-byte node records (see predict.wat); the records come first, so their addresses fit an int32.
  const records = arena.f64(3 * nodes);
  const ints = new Int32Array(records.buffer, records.byteOffset, 6 * nodes);
  const address = (child: number) => (child < 0 ? child : records.byteOffset + 24 * child);
  for (let n = 0; n < nodes; n++) {
    records[3 * n] = F.cut[n];
    ints[6 * n + 2] = ((F.feature[n] * elementBytes) << 1) | F.kind[n];
    ints[6 * n + 3] = address(F.children[2 * n]);
    ints[6 * n + 4] = address(F.children[2 * n + 1]);
  }
  const roots = arena.i32(F.numTrees);
  for (let t = 0; t < F.numTrees; t++) roots[t] = address(F.roots[t]);
  const leaves = arena.f64(F.leafValue.length);
  leaves.set(F.leafValue);
  const base = arena.f64(k);
  base.set(F.baseScore);
  const x = xF64 ? arena.f64(X.length) : arena.f32(X.length);
  x.set(X);
  const out = arena.f64(numRows * k);
  const scratch = arena.u8(8 * block * threads);
  const counters = arena.i32(2);
  counters.fill(0);
  const batch: WasmBatch = {
    memory: arena.memory, module, rootsPtr: roots.byteOffset, leavesPtr: leaves.byteOffset,
    basePtr: base.byteOffset, XPtr: x.byteOffset, rowBytes: F.numFeatures * elementBytes, xF64, outPtr: out.byteOffset,
    numTrees: F.numTrees, numClass: k, numRows, float32: F.float32, divisor: F.divisor, block,
    counterPtr: counters.byteOffset, scratchPtr: scratch.byteOffset,
  };
  return { batch, out };
}

/**
 * Predict a batch in the calling thread. `X` is row-major, `numRows x numFeatures`, NaN = missing. Returns
 * `numRows x width` values: raw scores (width = classes) with `raw`, otherwise the transformed outputs (width =
 * classes, or 1 for XGBoost `multi:softmax`).
 *
 * @throws DataError when `X` does not hold `numRows` rows of the model's feature count.
 */
export function predictBatchSync(model: GbdtModel, X: ArrayLike<number>, numRows: number, options: PredictOptions = {}): Float64Array {
  checkMatrix(model, X, numRows);
  const F = compileForest(model, treesUsed(model, options.iterations));
  const wasm = wasmBatch(F, X, numRows, 1);
  let raw: Float64Array;
  if (wasm) {
    runWasmBatch(wasm.batch, 0);
    raw = wasm.out.slice();
  } else {
    raw = new Float64Array(numRows * F.numClass);
    predictRowsKernel(F, X, F.numFeatures, 0, numRows, raw);
  }
  return finish(model, raw, numRows, options);
}

/**
 * Predict a batch, over worker threads when `threads` allows and the batch is large (see
 * `PredictBatchOptions.threads`); falls back to the calling thread when workers are unavailable. Same layout
 * and results as `predictBatchSync`, whatever the thread count.
 */
export async function predictBatch(model: GbdtModel, X: ArrayLike<number>, numRows: number, options: PredictBatchOptions = {}): Promise<Float64Array> {
  const requested = options.threads ?? 1;
  if (!Number.isInteger(requested) || requested < 0) throw new UsageError(`threads must be a non-negative integer, got ${requested}`, 'use 0 for every core, 1 for in-thread');
  const threads = Math.min(requested === 0 ? availableParallelism() : requested, Math.floor(numRows / MIN_ROWS_PER_THREAD));
  if (threads <= 1 || !poolAvailable()) return predictBatchSync(model, X, numRows, options);
  checkMatrix(model, X, numRows);
  const numTrees = treesUsed(model, options.iterations);
  const wasm = wasmBatch(compileForest(model, numTrees), X, numRows, threads);
  try {
    const raw = wasm ? await scoreWasmInThreads(wasm.batch, wasm.out, threads) : await scoreJsInThreads(compileForest(model, numTrees, true), X, numRows, threads);
    return finish(model, raw, numRows, options);
  } catch {
    // A worker failed (crash or refused eval); the pool is now marked unavailable. Redo the batch in-thread.
    return predictBatchSync(model, X, numRows, options);
  }
}

/** Score a WebAssembly batch on the calling thread and `threads - 1` workers, which claim blocks as they come. */
async function scoreWasmInThreads(batch: WasmBatch, out: Float64Array, threads: number): Promise<Float64Array> {
  const jobs: Promise<void>[] = [];
  for (let slot = 1; slot < threads; slot++) jobs.push(runWasmInWorker(slot - 1, batch, slot));
  if (runWasmBatch(batch, 0)) {
    // Every block is scored (workers still starting up will find none left): do not wait for their replies.
    for (const job of jobs) job.catch(() => {});
  } else {
    await Promise.all(jobs);
  }
  return out.slice();
}

/** Score with the JavaScript kernel: the calling thread takes the first chunk of rows, `threads - 1` workers the rest. */
async function scoreJsInThreads(F: CompiledForest, X: ArrayLike<number>, numRows: number, threads: number): Promise<Float64Array> {
  const nf = F.numFeatures;
  let shared: Float64Array | Float32Array;
  if ((X instanceof Float64Array || X instanceof Float32Array) && X.buffer instanceof SharedArrayBuffer) {
    shared = X;
  } else {
    shared = allocate(Float64Array, X.length, true);
    shared.set(X);
  }
  const raw = allocate(Float64Array, numRows * F.numClass, true);
  const chunk = Math.ceil(numRows / threads);
  const jobs: Promise<void>[] = [];
  for (let i = 1; i < threads; i++) {
    const start = i * chunk;
    const end = Math.min(numRows, start + chunk);
    if (start < end) jobs.push(runInWorker(i - 1, F, shared, nf, start, end, raw));
  }
  predictRowsKernel(F, shared, nf, 0, Math.min(numRows, chunk), raw);
  await Promise.all(jobs);
  return raw;
}

/**
 * Predict one row (`numFeatures` values, NaN = missing) into `out` (allocated when omitted): raw scores or
 * transformed outputs as in `predictBatchSync`. Meant for low-latency scoring; the forest is compiled on first use.
 *
 * @throws DataError when the row does not have the model's feature count.
 */
export function predictRow(model: GbdtModel, row: ArrayLike<number>, options: PredictOptions = {}, out?: Float64Array): Float64Array {
  checkMatrix(model, row, 1);
  const F = compileForest(model, treesUsed(model, options.iterations));
  const raw = out && out.length >= F.numClass ? out : new Float64Array(F.numClass);
  predictRowsKernel(F, row, F.numFeatures, 0, 1, raw);
  return finish(model, raw, 1, options);
}
