/**
 * Gradient boosting (and random forests) over the binned dataset: the training loop that ties objective,
 * tree learner, bagging, feature sampling, validation metrics and early stopping together, and returns a
 * `GbdtModel` whose trees follow tree.ts exactly, so every other part of pulse can save, export, predict and
 * explain it.
 *
 * Score bookkeeping is exact: the initial score is folded into the first iteration's leaf values (baseScore 0,
 * as LightGBM), and raw scores are accumulated tree by tree in the order `predictRawRow` sums them, so the
 * scores tracked here equal what `predictRawRow` returns for the returned model, bit for bit.
 */
import { createHash } from 'node:crypto';
import { availableParallelism } from 'node:os';
import type { Pace } from '../core/async.js';
import { DataError, UsageError } from '../core/errors.js';
import { Rng } from '../core/rng.js';
import type { Metric, MetricName } from '../evaluation/metric/metric.js';
import { METRICS, metricsFor } from '../evaluation/metric/metrics.js';
import { encodeWithMappers, findMappers, needsWideCodes, type BinnedDataset } from './dataset/binned-dataset.js';
import { toFeatureMatrix, toLabels, type FeatureInput } from './dataset/feature-matrix.js';
import { DataPartition } from './learner/data-partition.js';
import { arenaBytes, heapAllocator, KernelArena, type BufferAllocator } from './kernels/memory.js';
import { createSerialLeafJobRunner, type LeafJobInputs, type LeafJobRunner } from './learner/leaf-job-runner.js';
import { binnedLeafIndex, TreeLearner, type LearnerConfig } from './learner/tree-learner.js';
import { ENGINE_VERSION, type GbdtModel } from './model.js';
import { OBJECTIVES } from './objective/objectives.js';
import { featureImportance, type FeatureImportance } from './shap.js';
import type { Objective } from './objective/objective.js';
import { transformOutput } from './objective/transform.js';
import { createParallelLeafJobRunner } from './parallel/leaf-job-pool.js';
import { canonicalNameOf, PARAMS, paramsForModel, resolveParams, spellingOf, type GbdtParams, type TrainMode } from './params.js';
import type { Tree } from './tree.js';

/** A validation set: same features (layout and order) as the training data. */
export interface ValidSet {
  /** Name used in `evals` (default `valid_<i>`). */
  name?: string;
  features: FeatureInput;
  numRows: number;
  labels: ArrayLike<number>;
}

/** Metric values of one iteration: set name -> metric name -> value. */
export type IterationEvals = Record<string, Partial<Record<MetricName, number>>>;

/** Progress reported after every boosting iteration. */
export interface IterationProgress {
  /** 1-based iteration just finished. */
  iteration: number;
  numIterations: number;
  evals: IterationEvals;
}

/** Inputs of `trainGbdt`. */
export interface TrainGbdtOptions {
  /** `lightgbm` (leaf-wise, default), `xgboost` (depth-wise, XGBoost names) or `rf` (random forest). */
  mode?: TrainMode;
  /** Parameters by any name or alias the mode accepts (see docs/gbdt-parameters.md). */
  params?: Readonly<Record<string, unknown>>;
  /** Row-major `numRows x numFeatures` typed array or one array per feature; NaN = missing. */
  features: FeatureInput;
  numRows: number;
  numFeatures: number;
  /** One finite label per row (0/1 for binary, 0..num_class-1 for multiclass). */
  labels: ArrayLike<number>;
  /** Feature names (default f0, f1, ...), unique. */
  featureNames?: readonly string[];
  /** Validation sets scored every iteration; early stopping watches all of them. */
  valid?: readonly ValidSet[];
  /** Shorthand for the early_stopping_round parameter. */
  earlyStoppingRounds?: number;
  /** Shorthand for the seed parameter (default 42); stored in the model. */
  seed?: number;
  /** Also evaluate the metrics on the training data every iteration (set name `training`). */
  evalTraining?: boolean;
  /** Called after every iteration. */
  onIteration?: (progress: IterationProgress) => void;
  /**
   * Fewest training rows for which worker threads are used (default 20000; smaller problems run in-thread); leaves
   * are partitioned on all threads from min(32768, this) rows.
   */
  minRowsForThreads?: number;
  /**
   * Build histograms with pulse's WebAssembly kernel (default true; it falls back to the JavaScript kernel by
   * itself when WebAssembly or enough memory is unavailable). Both kernels give bit-identical models.
   */
  wasmKernels?: boolean;
}

/** Result of `trainGbdt`. */
export interface TrainGbdtResult {
  model: GbdtModel;
  /** Metric history: set name -> metric name -> value per iteration (index 0 = iteration 1). */
  evals: Record<string, Partial<Record<MetricName, number[]>>>;
  /** Iterations kept in the model (the best iteration with early stopping, else all trained). */
  bestIteration: number;
  /** Iterations actually trained. */
  iterationsTrained: number;
  /** Split-count and total-gain importance over the kept trees (shap.ts `featureImportance`). */
  importance: FeatureImportance;
  /** Threads that built histograms. */
  numThreads: number;
  /** Raw scores of the training rows under the returned model (row-major rows x classes). */
  trainRawScores: Float64Array;
  /** Raw scores of each validation set under the returned model. */
  validRawScores: Float64Array[];
}

const DEFAULT_MIN_ROWS_FOR_THREADS = 20_000;

interface PreparedValid {
  name: string;
  data: BinnedDataset;
  labels: Float64Array;
  scores: Float64Array;
}

/**
 * Train a GBDT model. Validates everything first (parameters, shapes, labels) and throws `UsageError` or
 * `DataError` naming the problem. Deterministic for a given seed, whatever the thread count.
 *
 * @example
 * const { model } = trainGbdt({ features: X, numRows: n, numFeatures: 3, labels: y, params: { num_leaves: 15 } });
 */
export function trainGbdt(options: TrainGbdtOptions): TrainGbdtResult {
  const rounds = boost(options);
  for (;;) {
    const r = rounds.next();
    if (r.done) return r.value;
  }
}

/**
 * {@link trainGbdt} with `await pace()` after every boosting iteration, so a long training can be interrupted
 * between iterations (the pace throws); the worker threads are released either way. Same model, bit for bit.
 */
export async function trainGbdtAsync(options: TrainGbdtOptions, pace: Pace): Promise<TrainGbdtResult> {
  const rounds = boost(options);
  try {
    for (;;) {
      const r = rounds.next();
      if (r.done) return r.value;
      await pace();
    }
  } finally {
    rounds.return(undefined as never); // runs the trainer's cleanup when it was stopped early
  }
}

/** The training itself, one boosting iteration per step (see {@link trainGbdt}). */
function* boost(options: TrainGbdtOptions): Generator<void, TrainGbdtResult, void> {
  const mode = options.mode ?? 'lightgbm';
  const p = resolveTrainParams(mode, options);
  const { numRows, numFeatures } = options;
  checkShape(numRows, numFeatures);
  const featureNames = resolveFeatureNames(options.featureNames, numFeatures);
  const matrix = toFeatureMatrix(options.features, numRows, numFeatures, 'training features');
  const labels = toLabels(options.labels, numRows, 'training labels');
  const objective = OBJECTIVES[p.objective](p);
  objective.checkLabels(labels, 'training labels', true);
  const metrics = resolveMetrics(p, objective);

  const threads = p.num_threads > 0 ? p.num_threads : availableParallelism();
  const wantThreads = threads > 1 && numRows >= (options.minRowsForThreads ?? DEFAULT_MIN_ROWS_FOR_THREADS);
  const K = objective.numClass;
  const n = numRows;
  const rf = mode === 'rf';
  const learnerConfig = learnerConfigOf(mode, p, Math.min(32768, options.minRowsForThreads ?? DEFAULT_MIN_ROWS_FOR_THREADS), objective.unitHessian);
  const mappers = findMappers(matrix, { maxBin: p.max_bin, sampleCount: p.bin_construct_sample_cnt, seed: p.seed });
  // the arrays the histogram kernel reads and writes go to the WebAssembly arena when it can hold them
  const totalBins = mappers.reduce((sum, m) => sum + m.missingBin + 1, 0);
  const arena = options.wasmKernels === false ? null : KernelArena.create(arenaBytes([
    n * numFeatures * (needsWideCodes(mappers) ? 2 : 1), n * 4, n * K * 8, n * K * 8, (numFeatures + 1) * 4,
    learnerConfig.maxLeaves * totalBins * 16,
  ]));
  const alloc: BufferAllocator = arena ?? heapAllocator(wantThreads);
  const data = encodeWithMappers(matrix, mappers, alloc, true);
  const usableAll = Uint8Array.from(data.mappers, (m) => (m.isTrivial ? 0 : 1));
  if (!usableAll.includes(1)) {
    throw new DataError(`training features: all ${numFeatures} features are constant with no missing values; nothing to split on`,
      'check the feature pipeline: every column has a single value');
  }
  const dataHash = hashData(matrix, labels);
  const valid = prepareValid(options.valid ?? [], data, numFeatures, objective);

  const partition = new DataPartition(n, learnerConfig.maxLeaves, alloc);
  const grad = alloc.f64(n * K);
  const hess = alloc.f64(n * K);
  const inputs: LeafJobInputs = {
    bins: data.bins, columns: data.columns ?? data.bins, numRows: n, numFeatures, binOffset: data.binOffset, numBins: data.numBins,
    rows: partition.indices, grad, hess,
    numSlots: learnerConfig.maxLeaves, alloc, arena,
  };
  const runner: LeafJobRunner = (wantThreads ? createParallelLeafJobRunner(inputs, threads) : null) ?? createSerialLeafJobRunner(inputs);
  try {
    const learner = new TreeLearner(data, learnerConfig, runner, partition, grad, hess);
    const init = objective.initScore(labels);
    // `scores` drive the gradients; in rf mode they stay at the initial score and `sums` accumulate the trees.
    const scores = new Float64Array(n * K);
    for (let i = 0; i < n; i++) for (let k = 0; k < K; k++) scores[i * K + k] = init[k];
    const sums = rf ? new Float64Array(n * K) : scores;
    // validation scores start at 0: the first iteration's leaves carry the initial score

    const trees: Tree[] = [];
    const splitBins: Int32Array[] = [];
    const rng = new Rng(p.seed);
    const bagRng = rng.fork(1);
    const featureRng = rng.fork(2);
    const bagging = p.bagging_fraction < 1 && p.bagging_freq > 0;
    const bag = bagging ? new Uint32Array(n) : null;
    let bagCount = n;
    const usable = new Uint8Array(numFeatures);
    const scratch = objective.renewLeaf ? new Float64Array(n) : null;
    const missingBin = Int32Array.from(data.mappers, (m) => m.missingBin);
    const learningRate = rf ? 1 : p.learning_rate;

    const evals: TrainGbdtResult['evals'] = {};
    const tracker = new EarlyStopping(metrics, p.early_stopping_round);
    const evalSets = [...(options.evalTraining ? [{ name: 'training', labels, scores: sums, numRows: n }] : []),
      ...valid.map((v) => ({ name: v.name, labels: v.labels, scores: v.scores, numRows: v.data.numRows }))];
    for (const s of evalSets) evals[s.name] = Object.fromEntries(metrics.map((m) => [m.name, [] as number[]]));
    let bestIteration = 0;
    let iterationsTrained = 0;

    for (let it = 0; it < p.num_iterations; it++) {
      if (bagging && bag && it % p.bagging_freq === 0) bagCount = drawBag(bag, n, p.bagging_fraction, bagRng);
      sampleFeatures(usable, usableAll, p.feature_fraction, featureRng);
      if (!rf || it === 0) objective.gradients(labels, scores, grad, hess);
      let allStumps = true;
      for (let k = 0; k < K; k++) {
        partition.reset(bag, bagCount);
        const grown = learner.grow(k * n, usable);
        const tree = grown.tree;
        if (tree.numLeaves > 1) allStumps = false;
        if (objective.renewLeaf && scratch && K === 1) {
          for (let l = 0; l < tree.numLeaves; l++) {
            const b = partition.leafBegin[l];
            tree.leafValue[l] = objective.renewLeaf(labels, scores, partition.indices, b, b + partition.leafCount[l], scratch);
          }
        }
        const first = it === 0;
        for (let l = 0; l < tree.numLeaves; l++) {
          tree.leafValue[l] *= learningRate;
          if (first || rf) tree.leafValue[l] += init[k];
        }
        // training scores: the first boosting tree replaces the initial score (its leaves include it)
        const assign = first && !rf;
        if (!bagging && !rf) {
          for (let l = 0; l < tree.numLeaves; l++) {
            const v = tree.leafValue[l];
            const b = partition.leafBegin[l];
            const e = b + partition.leafCount[l];
            for (let j = b; j < e; j++) {
              const idx = partition.indices[j] * K + k;
              sums[idx] = assign ? v : sums[idx] + v;
            }
          }
        } else {
          addTreeScores(tree, grown.splitBin, data, missingBin, sums, K, k, assign);
        }
        for (const v of valid) addTreeScores(tree, grown.splitBin, v.data, missingBin, v.scores, K, k, false);
        trees.push(tree);
        splitBins.push(grown.splitBin);
      }
      iterationsTrained = it + 1;
      const current: IterationEvals = {};
      for (const s of evalSets) {
        current[s.name] = {};
        const preds = predictionsOf(objective, s.scores, s.numRows, rf ? it + 1 : 1);
        for (const m of metrics) {
          const value = m.evaluate(s.labels, preds, K);
          current[s.name][m.name] = value;
          evals[s.name][m.name]!.push(value);
        }
      }
      options.onIteration?.({ iteration: it + 1, numIterations: p.num_iterations, evals: current });
      const stopAt = valid.length > 0 ? tracker.update(it + 1, valid.map((v) => current[v.name])) : null;
      if (stopAt !== null) {
        bestIteration = stopAt;
        break;
      }
      // no split anywhere: further iterations would add nothing but constants
      if (allStumps && it > 0 && !rf) break;
      yield;
    }
    if (bestIteration === 0) bestIteration = tracker.enabled && valid.length > 0 ? tracker.best() : iterationsTrained;

    const kept = trees.slice(0, bestIteration * K);
    const keptBins = splitBins.slice(0, bestIteration * K);
    const truncated = kept.length < trees.length;
    const trainRawScores = truncated ? rawScores(kept, keptBins, data, missingBin, K, rf) : rf ? divide(sums, iterationsTrained) : scores;
    const validRawScores = valid.map((v) =>
      truncated ? rawScores(kept, keptBins, v.data, missingBin, K, rf) : rf ? divide(v.scores, iterationsTrained) : v.scores);
    const model: GbdtModel = {
      ensemble: { trees: kept, numTreePerIteration: K, baseScore: new Float64Array(K), averageOutput: rf, numFeatures },
      objective: objective.spec(),
      featureNames,
      mode,
      params: paramsForModel(p),
      seed: p.seed,
      bestIteration,
      dataHash,
      origin: 'pulse',
      engineVersion: ENGINE_VERSION,
    };
    return {
      model, evals, bestIteration, iterationsTrained, importance: featureImportance(model.ensemble),
      numThreads: runner.numThreads, trainRawScores, validRawScores,
    };
  } finally {
    runner.close();
  }
}

function resolveTrainParams(mode: TrainMode, options: TrainGbdtOptions): GbdtParams {
  if (!['lightgbm', 'xgboost', 'rf'].includes(mode)) {
    throw new UsageError(`unknown training mode ${JSON.stringify(mode)}`, 'use lightgbm, xgboost or rf');
  }
  const user: Record<string, unknown> = { ...(options.params ?? {}) };
  const shorthands = [
    [options.seed, 'seed', 'seed option'],
    [options.earlyStoppingRounds, 'early_stopping_round', 'earlyStoppingRounds option'],
  ] as const;
  for (const [value, key, label] of shorthands) {
    if (value === undefined) continue;
    const explicit = Object.keys(user).find((name) => canonicalNameOf(mode, name) === key);
    if (explicit === undefined) user[spellingOf(PARAMS[key], mode)?.names[0] ?? key] = value;
    else if (Number(user[explicit]) !== value) {
      throw new UsageError(`${label} = ${value} contradicts parameter ${explicit} = ${String(user[explicit])}`, `give ${key} once`);
    }
  }
  return resolveParams(mode, user);
}

function checkShape(numRows: number, numFeatures: number): void {
  if (!Number.isInteger(numRows) || numRows < 2) {
    throw new DataError(`training data has ${numRows} rows; at least 2 are needed`, 'train on more rows (a model needs data to split)');
  }
  if (!Number.isInteger(numFeatures) || numFeatures < 1) {
    throw new DataError(`training data has ${numFeatures} features; at least 1 is needed`, 'pass at least one feature column');
  }
  if (numRows > 0xffffffff) throw new DataError(`training data has ${numRows} rows; at most 4294967295 are supported`, 'train on a sample');
}

function resolveFeatureNames(names: readonly string[] | undefined, numFeatures: number): string[] {
  if (!names) return Array.from({ length: numFeatures }, (_, i) => `f${i}`);
  if (names.length !== numFeatures) {
    throw new DataError(`${names.length} feature names for ${numFeatures} features`, 'pass one name per feature column');
  }
  const seen = new Set<string>();
  for (const nm of names) {
    if (seen.has(nm)) throw new DataError(`feature name ${JSON.stringify(nm)} appears twice`, 'feature names must be unique');
    seen.add(nm);
  }
  return [...names];
}

function resolveMetrics(p: GbdtParams, objective: Objective): Metric[] {
  const names = p.metric.length > 0 ? p.metric : [objective.defaultMetric];
  return names.map((nm) => {
    const m = METRICS[nm];
    if (!m.tasks.includes(objective.kind)) {
      throw new UsageError(`metric ${nm} does not apply to the ${objective.name} objective (${objective.kind} predictions)`,
        `use one of ${metricsFor(objective.kind).map((x) => x.name).join(', ')}`);
    }
    return m;
  });
}

function learnerConfigOf(mode: TrainMode, p: GbdtParams, parallelPartitionMinRows: number, unitHessian: boolean): LearnerConfig {
  const maxDepth = p.max_depth > 0 ? p.max_depth : 0;
  let maxLeaves = p.num_leaves;
  const depthCap = maxDepth > 0 && maxDepth < 17 ? 2 ** maxDepth : 131072;
  if (maxLeaves === 0 || maxLeaves > depthCap) maxLeaves = depthCap;
  return {
    maxLeaves: Math.max(2, maxLeaves),
    maxDepth,
    depthWise: mode === 'xgboost' && p.grow_policy === 'depthwise',
    parallelPartitionMinRows,
    unitHessian,
    lambdaL1: p.lambda_l1,
    lambdaL2: p.lambda_l2,
    minGainToSplit: p.min_gain_to_split,
    minDataInLeaf: p.min_data_in_leaf,
    minSumHessianInLeaf: p.min_sum_hessian_in_leaf,
  };
}

function prepareValid(sets: readonly ValidSet[], data: BinnedDataset, numFeatures: number, objective: Objective): PreparedValid[] {
  const names = new Set<string>();
  return sets.map((v, i) => {
    const name = v.name ?? `valid_${i}`;
    if (names.has(name) || name === 'training') throw new UsageError(`validation set name ${JSON.stringify(name)} is used twice or reserved`, 'give each validation set a unique name');
    names.add(name);
    if (!Number.isInteger(v.numRows) || v.numRows < 1) throw new DataError(`validation set ${name} has ${v.numRows} rows`, 'drop empty validation sets');
    const matrix = toFeatureMatrix(v.features, v.numRows, numFeatures, `validation set ${name}`);
    const labels = toLabels(v.labels, v.numRows, `validation set ${name} labels`);
    objective.checkLabels(labels, `validation set ${name} labels`, false);
    return { name, data: encodeWithMappers(matrix, data.mappers, heapAllocator(false)), labels, scores: new Float64Array(v.numRows * objective.numClass) };
  });
}

function hashData(matrix: ReturnType<typeof toFeatureMatrix>, labels: Float64Array): string {
  const h = createHash('sha256');
  h.update(`pulse-gbdt-data:${matrix.numRows}x${matrix.numFeatures}:`);
  matrix.updateHash(h);
  h.update(new Uint8Array(labels.buffer, labels.byteOffset, labels.byteLength));
  return h.digest('hex');
}

/** Draw round(n * fraction) distinct rows (at least 1) in ascending order; returns the count. */
function drawBag(bag: Uint32Array, n: number, fraction: number, rng: Rng): number {
  const k = Math.max(1, Math.round(n * fraction));
  let chosen = 0;
  for (let i = 0; i < n && chosen < k; i++) {
    if ((n - i) * rng.next() < k - chosen) bag[chosen++] = i;
  }
  return chosen;
}

/** Mark round(fraction * usable) of the usable features (at least 1) for this tree. */
function sampleFeatures(out: Uint8Array, usableAll: Uint8Array, fraction: number, rng: Rng): void {
  out.set(usableAll);
  if (fraction >= 1) return;
  const candidates: number[] = [];
  for (let f = 0; f < usableAll.length; f++) if (usableAll[f]) candidates.push(f);
  const keep = Math.max(1, Math.round(candidates.length * fraction));
  rng.shuffle(candidates);
  for (let i = keep; i < candidates.length; i++) out[candidates[i]] = 0;
}

/** Add (or, with `assign`, set) class-k scores of every row of a binned set by routing it through the tree. */
function addTreeScores(
  tree: Tree, splitBin: Int32Array, data: BinnedDataset, missingBin: Int32Array, scores: Float64Array, K: number, k: number, assign: boolean,
): void {
  const { bins, numFeatures, numRows } = data;
  const values = tree.leafValue;
  for (let r = 0; r < numRows; r++) {
    const v = values[binnedLeafIndex(tree, splitBin, bins, numFeatures, missingBin, r)];
    const idx = r * K + k;
    scores[idx] = assign ? v : scores[idx] + v;
  }
}

/** Raw scores of a binned set under a list of trees, summed in predictRawRow's order. */
function rawScores(trees: Tree[], splitBins: Int32Array[], data: BinnedDataset, missingBin: Int32Array, K: number, average: boolean): Float64Array {
  const out = new Float64Array(data.numRows * K);
  for (let t = 0; t < trees.length; t++) addTreeScores(trees[t], splitBins[t], data, missingBin, out, K, t % K, false);
  return average ? divide(out, Math.max(1, trees.length / K)) : out;
}

function divide(a: Float64Array, d: number): Float64Array {
  return a.map((x) => x / d);
}

/** Transformed predictions for metrics (rf scores are sums over `iterations` trees). */
function predictionsOf(objective: Objective, raw: Float64Array, numRows: number, iterations: number): Float64Array {
  const src = iterations > 1 ? divide(raw, iterations) : raw;
  return transformOutput(objective.spec(), src, numRows, iterations > 1 ? src : undefined);
}

/**
 * Early stopping over every (validation set, metric) pair, as LightGBM: training stops as soon as one pair has
 * not improved for `rounds` iterations, and that pair's best iteration is kept.
 */
class EarlyStopping {
  readonly enabled: boolean;
  private bestValue: number[] = [];
  private bestIter: number[] = [];

  constructor(private readonly metrics: Metric[], private readonly rounds: number) {
    this.enabled = rounds > 0;
  }

  /** Record iteration `iteration` (1-based); returns the iteration to keep when training must stop, else null. */
  update(iteration: number, perSet: Partial<Record<MetricName, number>>[]): number | null {
    let idx = 0;
    for (const values of perSet) {
      for (const m of this.metrics) {
        const v = values[m.name] as number;
        const best = this.bestValue[idx];
        // a NaN best (a metric undefined so far, e.g. ic while every prediction is still equal) yields to any number;
        // a NaN value never improves, so a metric that is NaN on every iteration keeps the first one
        const better = best === undefined || (best !== best ? v === v : m.higherIsBetter ? v > best : v < best);
        if (better) {
          this.bestValue[idx] = v;
          this.bestIter[idx] = iteration;
        } else if (this.enabled && iteration - this.bestIter[idx] >= this.rounds) {
          return this.bestIter[idx];
        }
        idx++;
      }
    }
    return null;
  }

  /** Best iteration of the first pair (used when training ends without triggering a stop). */
  best(): number {
    return this.bestIter[0] ?? 0;
  }
}
