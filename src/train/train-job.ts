/**
 * `pulse train` end to end: a training job that builds each symbol's feature frame from the store (refusing a set
 * that peeks), runs the validated training pipeline, and registers the model version with its file, metrics and
 * lineage. One model per symbol, or one pooled model over all symbols (symbol identity as a feature).
 */
import { createHash } from 'node:crypto';
import { createPace, type Pace } from '../core/async.js';
import { DataError, InterruptedError, PulseError, toError } from '../core/errors.js';
import type { Logger } from '../core/logger.js';
import { slotScope, type LockFn } from '../core/lock.js';
import { isProcessAlive } from '../core/process.js';
import { buildFeatureFrame, type FeatureFrame } from '../dataset/feature-frame.js';
import type { FeatureSetSpec } from '../features/feature-set.js';
import { registryDocument, SYMBOL_ID, writeRegistryDocument } from '../lifecycle/document.js';
import type { Interval } from '../core/interval.js';
import type { ModelFamily } from '../models/model.js';
import { createModel } from '../models/registry.js';
import { ENGINE_VERSION } from '../gbdt/model.js';
import { registerModel, slotOf, type ModelVersion } from '../registry/registry.js';
import type { JobTrigger } from '../store/records.js';
import type { Store } from '../store/store.js';
import type { CvScheme, TrainWindow } from '../evaluation/splits.js';
import { runTraining, type RunTrainingResult, type TrainProgress } from './run.js';
import { targetLabel, type TargetSpec } from '../lifecycle/targets.js';

export interface TrainRequest {
  symbols: string[];
  interval: Interval;
  family: ModelFamily;
  target: TargetSpec;
  set: FeatureSetSpec;
  /** Stored symbol of each reference name of the set. */
  references: Record<string, string>;
  params: Record<string, unknown>;
  cv: CvScheme;
  folds: number;
  window: TrainWindow;
  embargo: number;
  testSize: number;
  pooled: boolean;
  seed: number;
  activate: boolean;
  /** Register as shadow even in an empty slot (`pulse optimize --register`). */
  shadow?: boolean;
  /** The study whose best parameters `params` holds (`--params-from`, `pulse optimize --register`): lineage. */
  study?: string;
  trigger: JobTrigger;
  /** The training window by bar open time [from, to): labels are those known at `to`; features warm up before `from`. */
  from?: number;
  to?: number;
}

export interface TrainDeps {
  store: Store;
  home: string;
  now: () => number;
  log: Logger;
  /** Takes the slot locks the job registers under (none without it: a library caller that runs alone). */
  lock?: LockFn;
  /** Stops the job at the next safe point (between iterations, folds or symbols): recorded as `interrupted`. */
  signal?: AbortSignal;
  /**
   * The queued job this training runs as (`pulse jobs run`): its models are linked to it, and the queue records how
   * it ends. Without it the training is recorded as a train job that runs inline in this process.
   */
  jobId?: number;
  onProgress?: (symbol: string, p: TrainProgress) => void;
}

/** One trained and registered model, with what its training measured. */
export interface TrainedModel {
  model: ModelVersion;
  symbols: string[];
  rows: RunTrainingResult['rows'];
  cvMetrics: RunTrainingResult['cvMetrics']['mean'];
  baselineCvMetrics: RunTrainingResult['baselineCvMetrics']['mean'];
  testMetrics: RunTrainingResult['testMetrics'];
  baselineTestMetrics: RunTrainingResult['baselineTestMetrics'];
  conformal: RunTrainingResult['conformal'];
  topFeatures: { feature: string; importance: number }[];
  trainMs: number;
}

export interface TrainJobResult {
  jobId: number;
  status: 'completed' | 'failed';
  models: TrainedModel[];
  failures: { symbols: string[]; error: string }[];
}

/** Run a training job (see the module note). Per-symbol failures are recorded, not thrown. */
export async function trainJob(request: TrainRequest, deps: TrainDeps): Promise<TrainJobResult> {
  // Parameter mistakes are usage errors, reported before any data is read or a job is recorded.
  const { task } = targetLabel(request.target);
  createModel(request.family, { task, numClass: task === 'regression' ? 1 : task === 'binary' ? 2 : 3, params: request.params });
  const groups = request.pooled ? [request.symbols] : request.symbols.map((s) => [s]);
  const target = request.target;
  const lock = await deps.lock?.(groups.map((symbols) => slotScope(slotOf({ symbols, interval: request.interval, target: target.name, horizon: target.horizon }))));
  try {
    return await runJob(request, deps, groups);
  } finally {
    lock?.release();
  }
}

async function runJob(request: TrainRequest, deps: TrainDeps, groups: string[][]): Promise<TrainJobResult> {
  const { store, now } = deps;
  const queued = deps.jobId;
  if (queued === undefined) await store.jobs.interruptOrphaned(isProcessAlive, now());
  const jobId = queued ?? (await store.jobs.create({ type: 'train', trigger: request.trigger, params: { ...request, set: request.set.name }, inlinePid: process.pid, now: now() }));
  /** Record how an inline job ended (a queued one is the queue's to record). */
  const finish = async (status: 'completed' | 'failed' | 'interrupted', succeeded: number, failed: number, error: string | null) => {
    if (queued === undefined) await store.jobs.finish(jobId, { status, succeeded, failed, error, now: now() });
  };
  const models: TrainedModel[] = [];
  const failures: { symbols: string[]; error: string }[] = [];
  const pace = createPace(deps.signal);
  for (const symbols of groups) {
    try {
      models.push(await trainOne(symbols, request, deps, jobId, pace));
    } catch (err) {
      if (err instanceof InterruptedError) {
        // Models of earlier groups stay registered (each is whole); the one in training never is.
        await finish('interrupted', models.length, failures.length, 'interrupted');
        throw err;
      }
      if (!(err instanceof PulseError)) {
        await finish('failed', models.length, failures.length + 1, toError(err).message);
        throw err;
      }
      if (groups.length === 1) {
        await finish('failed', 0, 1, err.message);
        throw err;
      }
      failures.push({ symbols, error: err.message });
      deps.log.warn(`${symbols.join('+')}: ${err.message}`);
    }
  }
  const status = models.length > 0 ? 'completed' : 'failed';
  await finish(status, models.length, failures.length, failures.map((f) => f.error).join('; ') || null);
  return { jobId, status, models, failures };
}

async function trainOne(symbols: string[], request: TrainRequest, deps: TrainDeps, jobId: number, pace: Pace): Promise<TrainedModel> {
  const started = deps.now();
  const { label, task } = targetLabel(request.target);
  const frames: FeatureFrame[] = [];
  for (const symbol of symbols) {
    await pace();
    frames.push(await buildFeatureFrame(deps.store, { symbol, interval: request.interval, set: request.set, references: request.references, labels: [label], checkLookahead: true, from: request.from, to: request.to }));
  }
  const data = symbols.length === 1 ? single(frames[0]) : pool(frames);
  deps.log.info(`${symbols.join('+')}: ${data.y.length} rows x ${data.names.length} features, ${request.family} on ${request.target.name} h=${request.target.horizon}`);
  const result = await runTraining({
    X: { columns: data.columns, names: data.names },
    y: data.y,
    times: data.times,
    horizon: request.target.horizon * symbols.length,
    family: request.family,
    params: request.params,
    cv: request.cv,
    folds: request.folds,
    window: request.window,
    embargo: request.embargo * symbols.length,
    testSize: request.testSize,
    seed: request.seed,
    task,
    onProgress: (p) => deps.onProgress?.(symbols.join('+'), p),
    pace,
  });
  await pace(); // the last safe point: past it the model is registered whole
  const description = result.model.describe();
  const document = registryDocument({
    symbols,
    interval: request.interval,
    target: request.target,
    task,
    classValues: result.classValues,
    featureSet: { spec: request.set, names: data.names, references: request.references },
    pooledSymbols: symbols.length > 1 ? symbols : null,
    conformal: result.conformal,
    model: result.model.toJSON(),
  });
  const trainMs = deps.now() - started;
  const registered = await registerModel(
    deps.store,
    {
      family: request.family,
      mode: String(description.params.mode ?? request.family),
      symbols,
      interval: request.interval,
      target: request.target.name,
      horizon: request.target.horizon,
      params: description.params,
      seed: request.seed,
      featureSet: { name: request.set.name, hash: document.featureSet.hash, names: data.names },
      trainFrom: data.times[0],
      trainTo: data.times[data.times.length - 1],
      dataHash: data.hash,
      metrics: {
        task,
        target: request.target,
        cv: result.cvMetrics,
        baselineCv: result.baselineCvMetrics,
        test: result.testMetrics,
        baselineTest: result.baselineTestMetrics,
        conformal: result.conformal,
        importance: result.featureImportance?.slice().sort((a, b) => b.importance - a.importance).slice(0, 30) ?? null,
        bestIterations: result.bestIterations,
        ranges: result.ranges,
        rows: result.rows,
        classValues: result.classValues,
        validation: { cv: request.cv, folds: request.folds, window: request.window, embargo: request.embargo, testSize: request.testSize, lookaheadChecked: true },
      },
      jobId,
      trainDurationMs: trainMs,
      engineVersion: ENGINE_VERSION,
      document: writeRegistryDocument(document),
      activate: request.activate,
      shadow: request.shadow,
      study: request.study ?? null,
    },
    deps.now(),
  );
  return {
    model: registered,
    symbols,
    rows: result.rows,
    cvMetrics: result.cvMetrics.mean,
    baselineCvMetrics: result.baselineCvMetrics.mean,
    testMetrics: result.testMetrics,
    baselineTestMetrics: result.baselineTestMetrics,
    conformal: result.conformal,
    topFeatures: (result.featureImportance ?? []).slice().sort((a, b) => b.importance - a.importance).slice(0, 10),
    trainMs,
  };
}

interface TrainData {
  columns: Float64Array[];
  names: string[];
  y: Float64Array;
  times: Float64Array;
  hash: string;
}

/** One symbol: rows inside the feature warm-up are left out (their label set to unknown). */
function single(frame: FeatureFrame): TrainData {
  const y = frame.labels[0].slice();
  y.fill(NaN, 0, frame.warmupRows);
  return { columns: frame.columns, names: frame.names, y, times: frame.time, hash: dataHash([frame], [y]) };
}

/**
 * Several symbols in one matrix: rows ordered by time (then by symbol) so time-ordered validation stays honest,
 * plus `symbol_id` (the symbol's index in the request) as a feature.
 */
function pool(frames: FeatureFrame[]): TrainData {
  const parts = frames.map(single);
  const order: [number, number][] = [];
  parts.forEach((p, s) => p.times.forEach((_, i) => order.push([s, i])));
  order.sort((a, b) => parts[a[0]].times[a[1]] - parts[b[0]].times[b[1]] || a[0] - b[0]);
  const n = order.length;
  const names = [...parts[0].names, SYMBOL_ID];
  for (const p of parts) {
    if (p.names.join() !== parts[0].names.join()) throw new DataError('pooled symbols produced different feature columns', 'use one feature set that applies to every symbol');
  }
  const columns = names.map(() => new Float64Array(n));
  const y = new Float64Array(n);
  const times = new Float64Array(n);
  order.forEach(([s, i], r) => {
    const p = parts[s];
    for (let f = 0; f < p.columns.length; f++) columns[f][r] = p.columns[f][i];
    columns[names.length - 1][r] = s;
    y[r] = p.y[i];
    times[r] = p.times[i];
  });
  return { columns, names, y, times, hash: dataHash(frames, parts.map((p) => p.y)) };
}

/** sha256 over every frame's times, features and labels (what the model was trained on). */
function dataHash(frames: FeatureFrame[], labels: Float64Array[]): string {
  const h = createHash('sha256');
  frames.forEach((f, k) => {
    h.update(f.symbol);
    h.update(new Uint8Array(f.time.buffer, f.time.byteOffset, f.time.byteLength));
    for (const c of f.columns) h.update(new Uint8Array(c.buffer, c.byteOffset, c.byteLength));
    const y = labels[k];
    h.update(new Uint8Array(y.buffer, y.byteOffset, y.byteLength));
  });
  return h.digest('hex');
}

