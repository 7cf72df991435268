/**
 * The walk-forward retraining backtest: what the self-training loop does live, replayed over history. Every
 * `retrainEvery` bars a fresh model of one family is fitted on the trailing window (a fixed number of rows, or all
 * rows so far) and predicts only the next `retrainEvery` bars; the out-of-sample segments are stitched into one
 * prediction series for the engine.
 *
 * Label purge: at a retrain point p the newest information is the close of bar p - 1, and the label of row r (a
 * `horizon`-bar forward quantity) is known only once bar r + horizon has closed. So a segment trains on rows
 * r <= p - 1 - horizon, i.e. the last `horizon` rows before the retrain point are dropped. Rows inside the feature
 * warm-up (`lookback`) and rows without a label (NaN, e.g. inside a dead zone) are left out.
 *
 * Every segment is fitted by the training function `pulse train` uses (`fitWindow` in src/lifecycle/fit.ts):
 * families with early stopping choose the segment's iteration count on its older rows against its newest fifth
 * (purged by the horizon), then refit on all its rows with the best iteration count; other families fit once.
 *
 * Parallelism: segments are independent, each fitted with its own seed `mix32(seed, segmentIndex)`, so they can be
 * spread over `worker_threads` (round-robin, writing disjoint ranges of one shared output) and the result is
 * identical whatever the number of workers. Workers run this very module, so they are used when pulse runs as
 * compiled JavaScript (the CLI); from TypeScript sources (tests) segments run in the calling thread.
 */
import { availableParallelism } from 'node:os';
import { fileURLToPath } from 'node:url';
import { isMainThread, parentPort, Worker, workerData } from 'node:worker_threads';
import { createPace, noPace, type Pace } from '../core/async.js';
import { DataError, InternalError, InterruptedError, PulseError, UsageError, errorFromWorker, toError } from '../core/errors.js';
import { mix32 } from '../core/rng.js';
import type { ModelFamily, Task } from '../models/model.js';
import { familyTraits } from '../models/registry.js';
import { encodeClasses, fitWindow, newModel } from '../lifecycle/fit.js';
import { forecastsOf } from '../lifecycle/forecast.js';

/** Fewest training rows any segment may be fitted on. */
export const MIN_SEGMENT_TRAIN_ROWS = 30;

/** Inputs of a walk-forward run: the whole history's features and labels, and the schedule. */
export interface WalkForwardInput {
  /** Column-major features over the whole history (one Float64Array of `rows` values per feature; NaN = missing). */
  columns: readonly Float64Array[];
  names: readonly string[];
  /** Raw label per row (forward return, or class value); NaN where unknown. Same length as the columns. */
  labels: Float64Array;
  /** Rows at the start of the history whose features are still warming up (never trained on). */
  lookback: number;
  /** Label horizon in bars (>= 1): the purge before every retrain point. */
  horizon: number;
  task: Task;
  family: ModelFamily;
  /** Family parameters (see docs/models.md); the same for every segment. */
  params: Readonly<Record<string, unknown>>;
  /** Base seed; segment k is fitted with `mix32(seed, k)`. */
  seed: number;
  /** Bars between retrainings = bars predicted by each segment (>= 1). */
  retrainEvery: number;
  /** Training rows per segment (the trailing window, >= {@link MIN_SEGMENT_TRAIN_ROWS}) or all rows so far. */
  trainWindow: number | 'expanding';
  /** First and one-past-last row to predict; `start` must leave at least one trainable row before it. */
  start: number;
  end: number;
  /** Worker threads (>= 1; 1 runs in the calling thread). */
  workers: number;
  /** Stops the retraining between iterations (in this thread) or by terminating the workers. */
  signal?: AbortSignal;
}

/** One retraining: which rows it was fitted on and which rows it predicted (row indices into the history). */
export interface WalkForwardSegment {
  index: number;
  /** The retrain point: the first row predicted (the model is fitted at the close of the row before). */
  retrainAt: number;
  /** First and last training row considered (inclusive); rows without a label in between are skipped. */
  trainFrom: number;
  trainTo: number;
  /** Labelled rows the model was fitted on. */
  trainRows: number;
  /** Rows predicted: [predictFrom, predictTo). */
  predictFrom: number;
  predictTo: number;
  /** Seed of this segment's fit. */
  seed: number;
}

/** Result of a walk-forward run. */
export interface WalkForwardOutput {
  /**
   * One prediction per row of [start, end): the predicted value (regression), P(the higher class) (binary), or the
   * expected class value sum_k p_k x value_k (multiclass).
   */
  predictions: Float64Array;
  segments: WalkForwardSegment[];
  /** Sorted class values of the labels (classification); empty for regression. */
  classValues: number[];
  /** Worker threads actually used (1 when workers are unavailable or not needed). */
  workersUsed: number;
}

/** Validate the schedule and lay out the segments (pure; no fitting). Throws UsageError / DataError. */
export function planSegments(input: Omit<WalkForwardInput, 'columns' | 'names' | 'params' | 'family' | 'task' | 'workers'>): WalkForwardSegment[] {
  const { labels, lookback, horizon, seed, retrainEvery, trainWindow, start, end } = input;
  if (!Number.isInteger(retrainEvery) || retrainEvery < 1) {
    throw new UsageError(`--retrain-every ${retrainEvery} must be a whole number of bars >= 1`, 'use e.g. 21 for monthly retraining of daily equity bars');
  }
  if (trainWindow !== 'expanding' && (!Number.isInteger(trainWindow) || trainWindow < MIN_SEGMENT_TRAIN_ROWS)) {
    throw new UsageError(`--train-window ${trainWindow} must be "expanding" or a whole number of bars >= ${MIN_SEGMENT_TRAIN_ROWS}`, 'use e.g. 504 for two years of daily bars');
  }
  if (!Number.isInteger(horizon) || horizon < 1) throw new UsageError(`horizon ${horizon} must be a whole number of bars >= 1`, 'use e.g. --horizon 1');
  if (!(start >= 0 && end <= labels.length && start < end)) {
    throw new DataError(`no rows to predict: [${start}, ${end}) of ${labels.length}`, 'widen --from/--to or collect more bars');
  }
  const segments: WalkForwardSegment[] = [];
  for (let p = start, k = 0; p < end; p += retrainEvery, k++) {
    const trainTo = p - 1 - horizon;
    const trainFrom = trainWindow === 'expanding' ? lookback : Math.max(lookback, trainTo - trainWindow + 1);
    let rows = 0;
    for (let r = trainFrom; r <= trainTo; r++) if (Number.isFinite(labels[r])) rows++;
    if (rows < MIN_SEGMENT_TRAIN_ROWS) {
      throw new DataError(
        `walk-forward segment ${k + 1} (retrain at row ${p}) has only ${rows} labelled training rows; at least ${MIN_SEGMENT_TRAIN_ROWS} are needed`,
        'start the backtest later (--from) or collect more history',
      );
    }
    segments.push({ index: k, retrainAt: p, trainFrom, trainTo, trainRows: rows, predictFrom: p, predictTo: Math.min(p + retrainEvery, end), seed: mix32(seed, k) });
  }
  return segments;
}

/** Sorted distinct finite label values (the class values of a classification target), as training finds them. */
export function classValuesOf(labels: Float64Array, task: Task): number[] {
  return encodeClasses(labels, task).classValues;
}

/** What fitting one segment needs (plain data, so it can cross to a worker). */
interface SegmentData {
  columns: readonly Float64Array[];
  names: readonly string[];
  labels: Float64Array;
  task: Task;
  family: ModelFamily;
  params: Readonly<Record<string, unknown>>;
  classValues: number[];
  /** Label horizon: the purge gap before the early-stopping rows. */
  horizon: number;
}

/**
 * Fit segment `seg` and write its predictions into `out` at rows [predictFrom - start, predictTo - start).
 * Deterministic for the segment's seed, independent of any other segment.
 */
export async function runSegment(data: SegmentData, seg: WalkForwardSegment, start: number, out: Float64Array, pace: Pace = noPace): Promise<void> {
  const { columns, labels, task, classValues } = data;
  const numClass = task === 'regression' ? 1 : classValues.length;
  const n = seg.trainRows;
  const trainColumns = columns.map(() => new Float64Array(n));
  const y = new Float64Array(n);
  const classIndex = new Map(classValues.map((v, i) => [v, i]));
  let j = 0;
  for (let r = seg.trainFrom; r <= seg.trainTo; r++) {
    const label = labels[r];
    if (!Number.isFinite(label)) continue;
    for (let f = 0; f < columns.length; f++) trainColumns[f][j] = columns[f][r];
    y[j++] = task === 'regression' ? label : classIndex.get(label)!;
  }
  const spec = { family: data.family, task, numClass, params: data.params, horizon: data.horizon };
  const model = await fitWindow(spec, { columns: trainColumns, names: data.names, numRows: n }, y, seg.seed, pace);
  const rows = seg.predictTo - seg.predictFrom;
  const raw = model.predict({ columns: columns.map((c) => c.subarray(seg.predictFrom, seg.predictTo)), names: data.names, numRows: rows });
  out.set(forecastsOf(raw, rows, task, classValues), seg.predictFrom - start);
}

/** Default worker count: the cores available, at most one per segment, at least 1. */
export function defaultWorkers(segments: number): number {
  return Math.max(1, Math.min(availableParallelism(), segments));
}

/** Run the walk-forward retraining (see the module note). */
export async function runWalkForward(input: WalkForwardInput): Promise<WalkForwardOutput> {
  const segments = planSegments(input);
  const classValues = classValuesOf(input.labels, input.task);
  // Parameter mistakes surface once, as a usage error, before any fitting or worker start.
  newModel({ family: input.family, task: input.task, numClass: input.task === 'regression' ? 1 : classValues.length, params: input.params, horizon: input.horizon });
  if (!Number.isInteger(input.workers) || input.workers < 1) throw new UsageError(`workers ${input.workers} must be a whole number >= 1`, 'use e.g. 2');
  const workers = Math.min(input.workers, segments.length);
  const rows = input.end - input.start;
  const data: SegmentData = { columns: input.columns, names: input.names, labels: input.labels, task: input.task, family: input.family, params: input.params, classValues, horizon: input.horizon };
  if (workers <= 1 || !canStartWorkers()) {
    const out = new Float64Array(rows);
    const pace = createPace(input.signal);
    for (const seg of segments) await runSegment(data, seg, input.start, out, pace);
    return { predictions: out, segments, classValues, workersUsed: 1 };
  }
  const out = await runInWorkers(data, segments, input.start, rows, workers, input.signal);
  return { predictions: out, segments, classValues, workersUsed: workers };
}

const WORKER_KIND = 'pulse-walk-forward';

/** Workers re-load this module, which only works from compiled JavaScript. */
function canStartWorkers(): boolean {
  return import.meta.url.endsWith('.js');
}

interface WorkerPayload extends Omit<SegmentData, 'columns'> {
  kind: typeof WORKER_KIND;
  /** The feature columns back to back (one shared buffer), `numFeatures` columns of `numRows` rows. */
  features: Float64Array;
  numFeatures: number;
  numRows: number;
  segments: WalkForwardSegment[];
  start: number;
  out: Float64Array;
}

interface WorkerReply {
  ok: boolean;
  /** Error class name (UsageError, DataError, ModelFormatError, ...), message and hint of a failure. */
  name?: string;
  message?: string;
  hint?: string;
}

function shared(length: number): Float64Array {
  return new Float64Array(new SharedArrayBuffer(length * Float64Array.BYTES_PER_ELEMENT));
}

/** Fit the segments on worker threads; an abort terminates them all and rejects with an InterruptedError. */
async function runInWorkers(data: SegmentData, segments: WalkForwardSegment[], start: number, rows: number, workers: number, signal: AbortSignal | undefined): Promise<Float64Array> {
  if (signal?.aborted) throw new InterruptedError();
  const numRows = data.labels.length;
  const numFeatures = data.columns.length;
  const features = shared(numFeatures * numRows);
  data.columns.forEach((c, f) => features.set(c, f * numRows));
  const labels = shared(numRows);
  labels.set(data.labels);
  const out = shared(rows);
  // GBDT fits inside a worker use one thread each: the workers already occupy the cores (results do not change).
  const limitThreads = familyTraits(data.family).limitThreads;
  const params = limitThreads ? limitThreads(data.params, 1) : data.params;
  const jobs = Array.from({ length: workers }, (_, w) => segments.filter((s) => s.index % workers === w));
  const file = fileURLToPath(import.meta.url);
  const running: Worker[] = [];
  const stop = () => {
    for (const w of running) void w.terminate();
  };
  signal?.addEventListener('abort', stop, { once: true });
  try {
    await Promise.all(
      jobs.map(
        (mine) =>
          new Promise<void>((resolve, reject) => {
            const payload: WorkerPayload = { kind: WORKER_KIND, features, numFeatures, numRows, names: data.names, labels, task: data.task, family: data.family, params, classValues: data.classValues, horizon: data.horizon, segments: mine, start, out };
            const worker = new Worker(file, { workerData: payload });
            running.push(worker);
            signal?.addEventListener('abort', () => reject(new InterruptedError()), { once: true });
            let settled = false;
            worker.on('message', (m: WorkerReply) => {
              settled = true;
              void worker.terminate();
              if (m.ok) resolve();
              else reject(errorFromWorker(m, 'a walk-forward worker failed', (message) => new InternalError(message)));
            });
            worker.on('error', (err) => {
              settled = true;
              reject(new InternalError(`a walk-forward worker failed: ${toError(err).message}`, err));
            });
            worker.on('exit', (code) => {
              if (!settled && !signal?.aborted) reject(new InternalError(`a walk-forward worker exited with code ${code} before reporting`));
            });
          }),
      ),
    );
  } finally {
    signal?.removeEventListener('abort', stop);
    stop();
  }
  return Float64Array.from(out);
}

async function workerMain(payload: WorkerPayload): Promise<void> {
  const port = parentPort!;
  try {
    const columns = Array.from({ length: payload.numFeatures }, (_, f) => payload.features.subarray(f * payload.numRows, (f + 1) * payload.numRows));
    const data: SegmentData = { columns, names: payload.names, labels: payload.labels, task: payload.task, family: payload.family, params: payload.params, classValues: payload.classValues, horizon: payload.horizon };
    for (const seg of payload.segments) await runSegment(data, seg, payload.start, payload.out);
    port.postMessage({ ok: true } satisfies WorkerReply);
  } catch (err) {
    const e = toError(err);
    port.postMessage({ ok: false, name: err instanceof PulseError ? err.name : 'Error', message: e.message, hint: err instanceof PulseError ? err.hint : undefined } satisfies WorkerReply);
  }
}

if (!isMainThread && (workerData as { kind?: string } | null)?.kind === WORKER_KIND) void workerMain(workerData as WorkerPayload);
