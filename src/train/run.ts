/**
 * The pure training pipeline behind `pulse train`: given a feature matrix, labels and bar times, split off the
 * test tail, cross-validate (walk-forward or purged k-fold, early stopping on each fold's validation part),
 * fit the final model on the development rows (the last N bars with a rolling window), evaluate the test tail,
 * and compute the naive baseline on the same folds and tail, plus split-conformal intervals (regression). No
 * I/O: the caller loads data and stores the result.
 *
 * Every fit is the lifecycle's `fitModel` (src/lifecycle/fit.ts), the training function walk-forward retraining
 * uses too. Deterministic for a seed: fold k fits with seed `mix32(seed, k + 1)`, the final fit with `seed` itself, and
 * every random draw of the families comes from those seeds.
 */
import { noPace, type Pace } from '../core/async.js';
import { DataError, UsageError } from '../core/errors.js';
import { mix32 } from '../core/rng.js';
import { selectRows, selectValues } from '../models/frame.js';
import type { FeatureColumns, FitProgress, ImportanceEntry, Model, ModelFamily, Task } from '../models/model.js';
import { createModel } from '../models/registry.js';
import { encodeClasses, fitModel, newModel, type FitSpec } from '../lifecycle/fit.js';
import { lowerBound } from '../core/arrays.js';
import { conformalIntervals, DEFAULT_COVERAGE_LEVELS, type ConformalResult } from '../evaluation/conformal.js';
import { classificationMetrics, meanMetrics, regressionMetrics, type EvalMetrics } from '../evaluation/reports.js';
import { holdOutTail, makeSplits, type CvScheme, type Split, type TrainWindow } from '../evaluation/splits.js';

/** Progress of a training run. */
export interface TrainProgress {
  /** `fold` (cross-validation fold done), `final` (final model fitted), `test` (test tail evaluated). */
  phase: 'fold' | 'final' | 'test';
  /** 1-based fold number (phase `fold`). */
  fold?: number;
  folds: number;
  /** Phase `fold`: the fold's validation metrics and the naive baseline's, and the best iteration (boosting). */
  metrics?: EvalMetrics;
  baseline?: EvalMetrics;
  bestIteration?: number | null;
}

/** Inputs of `runTraining`. */
export interface RunTrainingInput {
  /** Column-major features: one Float64Array per feature, each with one value per bar; NaN = missing. */
  X: { columns: Float64Array[]; names: string[] };
  /** One label per bar: NaN where unknown (excluded from training and evaluation). Classes as their raw values. */
  y: Float64Array;
  /** Bar open times (epoch milliseconds), ascending; used for the reported ranges only. */
  times: ArrayLike<number>;
  /** Label horizon in bars: purge distance between training and validation/test rows. */
  horizon: number;
  family: ModelFamily;
  /** Family parameters (see docs/models.md). */
  params?: Readonly<Record<string, unknown>>;
  cv: CvScheme;
  /** Cross-validation folds, 2..100. */
  folds: number;
  window: TrainWindow;
  /** Bars dropped after each validation block (purged k-fold). */
  embargo: number;
  /** Share of the labelled rows held out as the test tail, in [0, 0.9]. */
  testSize: number;
  seed: number;
  task: Task;
  /** Conformal coverage levels (default 0.8 and 0.9). */
  coverage?: readonly number[];
  /** Fewest training / validation rows per fold (defaults 20 and 10). */
  minTrainRows?: number;
  minValidRows?: number;
  onProgress?: (progress: TrainProgress) => void;
  /** Called after every boosting iteration or solver step of a fit: `fold` is 1-based, or `final`. */
  onFitProgress?: (fold: number | 'final', progress: FitProgress) => void;
  /** Awaited between folds and fitting steps: where an interrupt stops the training (src/core/async.ts). */
  pace?: Pace;
}

/** First and last bar of a set of rows. */
export interface RowRange {
  rows: number;
  /** Bar positions of the first and last row (-1 when empty). */
  firstRow: number;
  lastRow: number;
  /** Their open times (epoch ms; NaN when empty). */
  startTime: number;
  endTime: number;
}

/** Cross-validated metrics: one entry per fold and their mean. */
export interface CvMetrics {
  folds: EvalMetrics[];
  mean: Record<string, number>;
}

/** Result of `runTraining`. */
export interface RunTrainingResult {
  seed: number;
  family: ModelFamily;
  task: Task;
  /** Raw label values of the classes, by class index (classification); empty for regression. */
  classValues: number[];
  horizon: number;
  /** The final model, fitted on every development row (the last `size` bars of them with a rolling window). */
  model: Model;
  cvMetrics: CvMetrics;
  /** The naive baseline on the same folds. */
  baselineCvMetrics: CvMetrics;
  /** Metrics on the held-out test tail (null when testSize is 0). */
  testMetrics: EvalMetrics | null;
  baselineTestMetrics: EvalMetrics | null;
  /** Split-conformal intervals from out-of-fold residuals (regression only; null for classification). */
  conformal: ConformalResult | null;
  featureImportance: ImportanceEntry[] | null;
  /** Best iteration per fold (null for families without iterations) and the iterations of the final fit. */
  bestIterations: { folds: (number | null)[]; final: number | null };
  /** Bars of the development rows, of the final fit's training rows, of the test tail and of every fold. */
  ranges: { development: RowRange; final: RowRange; test: RowRange; folds: { train: RowRange; valid: RowRange }[] };
  /** Row counts: all bars, bars with a label, development and test rows. */
  rows: { total: number; labelled: number; development: number; test: number };
}

function rangeOf(rows: Uint32Array, times: ArrayLike<number>): RowRange {
  const n = rows.length;
  return n === 0
    ? { rows: 0, firstRow: -1, lastRow: -1, startTime: NaN, endTime: NaN }
    : { rows: n, firstRow: rows[0], lastRow: rows[n - 1], startTime: times[rows[0]], endTime: times[rows[n - 1]] };
}

function checkInput(input: RunTrainingInput): number {
  const { X, y, times } = input;
  const n = y.length;
  if (X.columns.length === 0) throw new DataError('no feature columns to train on', 'pass at least one feature');
  if (X.names.length !== X.columns.length) throw new DataError(`${X.columns.length} feature columns but ${X.names.length} names`, 'pass one name per column');
  X.columns.forEach((c, f) => {
    if (c.length !== n) throw new DataError(`feature ${X.names[f]} has ${c.length} values for ${n} labels`, 'features and labels must cover the same bars');
  });
  if (times.length !== n) throw new DataError(`${times.length} bar times for ${n} labels`, 'pass one time per bar');
  if (!Number.isInteger(input.seed) || input.seed < 0 || input.seed > 0xffffffff) {
    throw new UsageError(`seed ${input.seed} is invalid`, 'the seed must be an integer in [0, 4294967295]');
  }
  return n;
}

function medianInt(values: number[]): number | null {
  if (values.length === 0) return null;
  const s = [...values].sort((a, b) => a - b);
  const m = s.length >> 1;
  return Math.max(1, Math.round(s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2));
}

/** The cross-validation of a training input, laid out before any fit: what {@link fitFold} runs one fold of. */
export interface CvPlan {
  task: Task;
  classValues: number[];
  numClass: number;
  /** The labels as class indices (classification) or as given (regression); NaN = unknown. */
  encoded: Float64Array;
  frame: FeatureColumns;
  labelledCount: number;
  /** Development rows (cross-validation and the final fit) and the held-out test tail, as bar positions. */
  development: Uint32Array;
  test: Uint32Array;
  splits: Split[];
  spec: FitSpec;
}

/**
 * Check a training input and lay out its cross-validation: the test tail held out, the folds of the development
 * rows. `pulse train` and `pulse optimize` (every trial) use the same plan, so a trial's folds are the folds the
 * trained model is reported on. Throws `UsageError` for bad options or parameters, `DataError` for bad shapes.
 */
export function planCrossValidation(input: Omit<RunTrainingInput, 'onProgress' | 'onFitProgress' | 'pace' | 'coverage'>): CvPlan {
  const n = checkInput(input as RunTrainingInput);
  const { task, family, horizon } = input;
  const { classValues, encoded } = encodeClasses(input.y, task);
  const numClass = task === 'regression' ? 1 : classValues.length;
  const frame: FeatureColumns = { columns: input.X.columns, numRows: n, names: input.X.names };

  let labelledCount = 0;
  for (let i = 0; i < n; i++) if (!Number.isNaN(encoded[i])) labelledCount++;
  const labelled = new Uint32Array(labelledCount);
  for (let i = 0, j = 0; i < n; i++) if (!Number.isNaN(encoded[i])) labelled[j++] = i;
  const { development, test } = holdOutTail(labelled, input.testSize, horizon);
  const splits = makeSplits(development, {
    scheme: input.cv, folds: input.folds, horizon, embargo: input.embargo, window: input.window,
    minTrainRows: input.minTrainRows, minValidRows: input.minValidRows,
  });
  const spec: FitSpec = { family, task, numClass, params: input.params ?? {}, horizon };
  newModel(spec); // parameter errors surface before any fitting
  return { task, classValues, numClass, encoded, frame, labelledCount, development, test, splits, spec };
}

/** The metrics of one evaluation of a plan's task. */
export function evaluatePlan(plan: Pick<CvPlan, 'task' | 'numClass'>, y: Float64Array, pred: Float64Array): EvalMetrics {
  return plan.task === 'regression' ? regressionMetrics(y, pred) : classificationMetrics(y, pred, plan.numClass);
}

/** One fitted cross-validation fold. */
export interface FoldFit {
  model: Model;
  /** The fold's validation labels and the model's raw predictions of them. */
  yValid: Float64Array;
  pred: Float64Array;
  metrics: EvalMetrics;
  bestIteration: number | null;
}

/**
 * Fit fold `k` (0-based) of a plan, early stopping on its validation rows, with seed `mix32(seed, k + 1)`, and
 * evaluate it: the fold of `pulse train` and of every `pulse optimize` trial. `params` replaces the plan's.
 */
export async function fitFold(plan: CvPlan, k: number, seed: number, options: { params?: Readonly<Record<string, unknown>>; onProgress?: (p: FitProgress) => void; pace?: Pace } = {}): Promise<FoldFit> {
  const split = plan.splits[k];
  const spec = options.params ? { ...plan.spec, params: options.params } : plan.spec;
  const Xt = selectRows(plan.frame, split.train);
  const yt = selectValues(plan.encoded, split.train);
  const Xv = selectRows(plan.frame, split.valid);
  const yv = selectValues(plan.encoded, split.valid);
  const { model, report } = await inFold(`cross-validation fold ${k + 1} of ${plan.splits.length} (training bars ${split.train[0]}..${split.train[split.train.length - 1]})`,
    () => fitModel(spec, Xt, yt, { valid: { X: Xv, y: yv }, seed: mix32(seed, k + 1), onProgress: options.onProgress, pace: options.pace }));
  const pred = model.predict(Xv);
  return { model, yValid: yv, pred, metrics: evaluatePlan(plan, yv, pred), bestIteration: report.bestIteration };
}

/**
 * Run a full training: CV with baselines, final fit, test-tail evaluation, conformal intervals. Throws
 * `UsageError` for bad options or parameters, `DataError` for bad shapes or too few bars (saying how many are
 * needed).
 */
export async function runTraining(input: RunTrainingInput): Promise<RunTrainingResult> {
  const plan = planCrossValidation(input);
  const { task, family, horizon, seed, times } = input;
  const { classValues, encoded, numClass, frame, labelledCount, development, test, splits, spec } = plan;
  const n = encoded.length;
  const evaluate = (y: Float64Array, pred: Float64Array): EvalMetrics => evaluatePlan(plan, y, pred);

  const foldMetrics: EvalMetrics[] = [];
  const baseMetrics: EvalMetrics[] = [];
  const bestIterations: (number | null)[] = [];
  const oofY: Float64Array[] = [];
  const oofPred: Float64Array[] = [];
  const pace = input.pace ?? noPace;
  for (const [k, split] of splits.entries()) {
    await pace();
    const Xt = selectRows(frame, split.train);
    const yt = selectValues(encoded, split.train);
    const Xv = selectRows(frame, split.valid);
    const onFit = input.onFitProgress;
    const fold = await fitFold(plan, k, seed, { onProgress: onFit ? (e) => onFit(k + 1, e) : undefined, pace });
    foldMetrics.push(fold.metrics);
    bestIterations.push(fold.bestIteration);
    oofY.push(fold.yValid);
    oofPred.push(fold.pred);
    const baseline = createModel('naive', { task, numClass });
    await baseline.fit(Xt, yt, { seed: mix32(seed, k + 1) });
    baseMetrics.push(evaluate(fold.yValid, baseline.predict(Xv)));
    input.onProgress?.({
      phase: 'fold',
      fold: k + 1,
      folds: splits.length,
      metrics: foldMetrics[foldMetrics.length - 1],
      baseline: baseMetrics[baseMetrics.length - 1],
      bestIteration: fold.bestIteration,
    });
  }

  // a rolling window also bounds the final fit: the model is trained on the last `size` development bars
  const lastDev = development[development.length - 1];
  const finalRows = input.cv === 'walk-forward' && input.window.kind === 'rolling'
    ? development.slice(lowerBound(development, lastDev - input.window.size + 1))
    : development;
  const Xd = selectRows(frame, finalRows);
  const yd = selectValues(encoded, finalRows);
  const finalIterations = medianInt(bestIterations.filter((b): b is number => b !== null));
  const onFinal = input.onFitProgress;
  await pace();
  const { model } = await inFold(`final fit (training bars ${finalRows[0]}..${lastDev})`,
    () => fitModel(spec, Xd, yd, { seed, iterations: finalIterations ?? undefined, onProgress: onFinal ? (e) => onFinal('final', e) : undefined, pace }));
  input.onProgress?.({ phase: 'final', folds: splits.length });

  let testMetrics: EvalMetrics | null = null;
  let baselineTestMetrics: EvalMetrics | null = null;
  let testPred: Float64Array = new Float64Array(0);
  const yTest = selectValues(encoded, test);
  if (test.length > 0) {
    const Xtest = selectRows(frame, test);
    testPred = model.predict(Xtest);
    testMetrics = evaluate(yTest, testPred);
    const baseline = createModel('naive', { task, numClass });
    await baseline.fit(Xd, yd, { seed });
    baselineTestMetrics = evaluate(yTest, baseline.predict(Xtest));
    input.onProgress?.({ phase: 'test', folds: splits.length });
  }

  const conformal = task === 'regression'
    ? conformalIntervals({ y: concatAll(oofY), pred: concatAll(oofPred) }, { y: yTest, pred: testPred }, input.coverage ?? DEFAULT_COVERAGE_LEVELS)
    : null;

  return {
    seed, family, task, classValues, horizon, model,
    cvMetrics: { folds: foldMetrics, mean: meanMetrics(foldMetrics) },
    baselineCvMetrics: { folds: baseMetrics, mean: meanMetrics(baseMetrics) },
    testMetrics, baselineTestMetrics, conformal,
    featureImportance: model.describe().featureImportance,
    bestIterations: { folds: bestIterations, final: finalIterations },
    ranges: {
      development: rangeOf(development, times),
      final: rangeOf(finalRows, times),
      test: rangeOf(test, times),
      folds: splits.map((s) => ({ train: rangeOf(s.train, times), valid: rangeOf(s.valid, times) })),
    },
    rows: { total: n, labelled: labelledCount, development: development.length, test: test.length },
  };
}

/** Run `fn`, prefixing the message of a `DataError` it throws with where it happened (the fold). */
async function inFold<T>(where: string, fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (error) {
    if (error instanceof DataError) throw new DataError(`${where}: ${error.message}`, error.hint, error);
    throw error;
  }
}

function concatAll(parts: Float64Array[]): Float64Array {
  const out = new Float64Array(parts.reduce((s, p) => s + p.length, 0));
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return out;
}
