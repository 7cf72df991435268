/**
 * `pulse optimize` against the store: tune one model family's parameters on one series by cross-validation, in a
 * study that lives in the store (StudyStorage over `store.studies`), so it resumes by name after Ctrl-C or `kill -9`.
 *
 * - Data: the series' feature frame and labels, exactly as `pulse train` builds them (warm-up rows unlabelled), and
 *   the cross-validation plan `pulse train` uses (`planCrossValidation`: the test tail held out, walk-forward or
 *   purged k-fold folds of the development rows). Every fold is fitted by `fitFold`, i.e. the lifecycle's one
 *   training function with the fold seeds of `pulse train`, so a trial's `cv-loss` is the `cv mean` that
 *   `pulse train --params-from STUDY` reports for the same parameters and seed.
 * - Objective (./objectives): after each fold the objective over the folds so far is reported as the intermediate
 *   value of step k (0-based fold); the pruner (median, hyperband) may stop the trial there, and the trial is
 *   recorded `pruned` with the steps it reached. The backtest objectives backtest the folds' out-of-sample
 *   forecasts (signal rule of src/lifecycle/signals.ts, engine and statistics of src/backtest); they need
 *   walk-forward folds. A trial whose objective is undefined (no trades) fails with the reason; the study goes on.
 * - Concurrency: a run holds the study's lock (`study|NAME`) for its duration, so one process runs a study's trials
 *   at a time: the sampler then sees every earlier trial, a seed gives the same trials, and `--trials N` ends at
 *   exactly N. (The store numbers trials atomically, so the storage itself would allow parallel workers.)
 * - Resume: the study's subject (symbol, interval, model, target, objective, cross-validation), space, sampler and
 *   pruner must match; trials left running by a dead process are marked failed (they do not count towards N).
 * - `--register`: once the study ends, `pulse train` runs on the full window with the best trial's parameters and
 *   registers the model as a shadow, with the study in its lineage.
 */
import { lowerBound } from '../core/arrays.js';
import { createPace } from '../core/async.js';
import { sliceSeries } from '../core/bars.js';
import { DataError, InterruptedError, UsageError } from '../core/errors.js';
import type { Interval } from '../core/interval.js';
import { studyScope, type LockFn } from '../core/lock.js';
import type { Logger } from '../core/logger.js';
import { runBacktest, type BacktestOptions } from '../backtest/backtest.js';
import { forwardLogReturns } from '../backtest/returns.js';
import type { CvScheme, TrainWindow } from '../evaluation/splits.js';
import type { FeatureSetSpec } from '../features/feature-set.js';
import { buildInputs } from '../lifecycle/inputs.js';
import { pointSignalRule } from '../lifecycle/signals.js';
import { targetLabel, type TargetSpec } from '../lifecycle/targets.js';
import type { LabelSpec } from '../features/labels.js';
import { storedCalendar } from '../market/calendars/resolve.js';
import { noData } from '../market/inventory.js';
import type { ModelFamily, Task } from '../models/model.js';
import type { ModelVersion } from '../registry/registry.js';
import type { Store } from '../store/store.js';
import { planCrossValidation } from '../train/run.js';
import { canStartWorkers, threadPool, workerPool } from './fold-pool.js';
import { trainJob } from '../train/train-job.js';
import type { ObjectiveName, FoldOutcome, ObjectiveContext, StudyObjective } from './objectives/objective.js';
import { OBJECTIVES } from './objectives/registry.js';
import type { PrunerName } from './pruner.js';
import { createPruner, createSampler } from './registry.js';
import type { SamplerName } from './sampler.js';
import { storeStudyStorage } from './store-storage.js';
import type { SearchSpace } from './space.js';
import { studySpace } from './study-space.js';
import type { WalkForwardScheme } from './walk-forward/windows.js';
import { Study, TrialPruned, type OptimizeResult, type StateCounts } from './study.js';
import type { Direction, Trial } from './trial.js';

/** A complete `pulse optimize` request. */
export interface OptimizeRequest {
  symbol: string;
  interval: Interval;
  family: ModelFamily;
  target: TargetSpec;
  set: FeatureSetSpec;
  references: Record<string, string>;
  cv: CvScheme;
  folds: number;
  window: TrainWindow;
  embargo: number;
  testSize: number;
  study: string;
  /** Finish when the study has this many ended trials. */
  trials: number;
  timeoutMs?: number;
  sampler: SamplerName;
  pruner: PrunerName | 'none';
  objective: ObjectiveName;
  /** A `--space` JSON file (default: the family's space). */
  spaceFile?: string;
  /** The seed given on the command line (a resume must match the stored one). */
  seed?: number;
  /** The seed of a new study without `seed` (the configuration's). */
  defaultSeed: number;
  register: boolean;
  /** Trials run at once; more than 1 fits their folds on worker threads (see ./fold-pool.ts). */
  jobs: number;
  /** Costs, direction, sizing and capital of the backtest objectives. */
  backtest: Omit<BacktestOptions, 'signal'>;
  /** `--walk-forward N` (`--wf-anchored`): run by ./walk-forward/run.ts (`runWalkForward`), one study per window. */
  walkForward?: { windows: number; scheme: WalkForwardScheme };
}

/** Progress after each trial. */
export interface OptimizeProgress {
  study: string;
  trial: Trial;
  /** Ended trials of the study (complete, pruned, failed) and the target. */
  ended: number;
  target: number;
  counts: StateCounts;
  best: number | null;
  /** Trials this run ended, and the milliseconds since it started. */
  ran: number;
  elapsedMs: number;
}

/** What `runOptimize` needs from its caller. */
export interface OptimizeDeps {
  store: Store;
  now: () => number;
  log: Logger;
  /** Takes the study lock (and the slot lock of `--register`); none for a library caller that runs alone. */
  lock?: LockFn;
  /** Stops the run at the next safe point: the running trial fails as `interrupted`, nothing else changes. */
  signal?: AbortSignal;
  onProgress?: (p: OptimizeProgress) => void;
  /** After each fitted fold of a running trial (1-based `fold` of `folds`). */
  onFold?: (trial: number, fold: number, folds: number) => void;
}

/** The best trial as the result shows it. */
export interface BestTrial {
  number: number;
  value: number;
  params: Trial['params'];
}

/** The result of one `pulse optimize` run. */
export interface OptimizeRunResult {
  study: string;
  symbol: string;
  interval: Interval;
  model: ModelFamily;
  objective: ObjectiveName;
  direction: Direction;
  seed: number;
  /** Trials this run ran, why it stopped, and the study's trials by state. */
  ran: number;
  stoppedBy: OptimizeResult['stoppedBy'];
  counts: StateCounts;
  bestTrial: BestTrial | null;
  /** The model registered with `--register`. */
  registered: { id: string; status: string; slot: string } | null;
  /** The process's peak resident memory in MB, worker threads included (one dataset plus a model per job). */
  peakMemoryMB: number;
}

/** What a study optimises: compared on resume. */
export function subjectOf(r: OptimizeRequest): Record<string, string> {
  return {
    symbol: r.symbol, interval: r.interval, model: r.family, target: r.target.name, horizon: String(r.target.horizon), objective: r.objective,
    set: r.set.name, cv: r.cv, folds: String(r.folds), window: r.window.kind === 'rolling' ? `rolling:${r.window.size}` : 'expanding', testSize: String(r.testSize),
  };
}

/**
 * A resume must optimise what its study was created for.
 * @throws UsageError naming each subject field that differs (`what` names the study or walk-forward).
 */
export function checkSameSubject(what: string, stored: Readonly<Record<string, string>>, wanted: Readonly<Record<string, string>>): void {
  const differing = Object.keys(wanted).filter((k) => stored[k] !== wanted[k]);
  if (differing.length === 0) return;
  const list = (s: Readonly<Record<string, string>>) => differing.map((k) => `${k} ${s[k] ?? '-'}`).join(', ');
  throw new UsageError(`${what} was created with ${list(stored)}, not ${list(wanted)}`, 'resume it with the same options, or choose another --study name');
}

/** The series' features and labels as a study reads them (warm-up rows unlabelled), loaded once per run. */
export interface StudyData {
  X: { columns: Float64Array[]; names: string[] };
  /** The target's label per bar; NaN where unknown (warm-up rows, the last `horizon` bars). */
  y: Float64Array;
  /** Bar open times (epoch ms). */
  time: Float64Array;
}

/**
 * A study over part of a series (a window of a walk-forward optimisation): the data loaded by the caller, the rows
 * whose labels the study may use, and what the subject adds (compared on resume like the rest of it).
 */
export interface StudyScope {
  data: StudyData;
  /** Ascending bar positions of the rows the study learns from; every other label is hidden from it. */
  rows: Uint32Array;
  subject: Record<string, string>;
}

/** The objective of a request, checked against its target and cross-validation, and the target's label. */
export function requestObjective(request: OptimizeRequest): { objective: StudyObjective; label: LabelSpec; task: Task; space: SearchSpace } {
  const objective = OBJECTIVES[request.objective];
  const { label, task } = targetLabel(request.target);
  const unsupported = objective.unsupported(task);
  if (unsupported) throw new UsageError(unsupported, 'pick an objective for this target (--objective cv-loss works for every target)');
  if (objective.backtest && request.cv !== 'walk-forward') {
    throw new UsageError(`--objective ${objective.name} backtests out-of-sample signals, which needs walk-forward folds (got --cv ${request.cv})`, 'use --cv walk-forward');
  }
  const numClassGuess = task === 'regression' ? 1 : task === 'binary' ? 2 : 3;
  return { objective, label, task, space: studySpace(request.family, task, numClassGuess, request.spaceFile) };
}

/** The series' features and labels for a request (exit 3 when it has no bars). */
export async function loadStudyData(store: Store, request: OptimizeRequest, label: LabelSpec): Promise<StudyData> {
  const inputs = await buildInputs(store, { symbol: request.symbol, interval: request.interval, set: request.set, references: request.references, labels: [label], checkLookahead: true });
  if (inputs.X.numRows === 0) throw await noData(store, request.symbol, request.interval);
  const y = inputs.labels[0].slice();
  y.fill(NaN, 0, inputs.warmupRows);
  return { X: { columns: [...inputs.X.columns], names: [...inputs.X.names] }, y, time: inputs.time };
}

/**
 * Run (or resume) a study, then register its best model when asked (see the module note). With a `scope`, the study
 * learns from the scope's rows of the caller's data only (a walk-forward window).
 */
export async function runOptimize(request: OptimizeRequest, deps: OptimizeDeps, scope?: StudyScope): Promise<OptimizeRunResult> {
  const { objective, label, task, space } = requestObjective(request);
  const storage = storeStudyStorage(deps.store);
  const subject = { ...subjectOf(request), ...scope?.subject };
  if (!scope && (await deps.store.studies.getWalkForward(request.study))) {
    throw new UsageError(`"${request.study}" names a walk-forward optimisation, not a study`, `resume it with --walk-forward, or choose another --study name`);
  }
  const existing = await storage.getStudy(request.study);
  if (existing && (existing.subject.symbol !== subject.symbol || existing.subject.interval !== subject.interval || existing.subject.model !== subject.model)) {
    const e = existing.subject;
    throw new UsageError(`study "${request.study}" optimises ${e.model} on ${e.symbol} ${e.interval}, not ${subject.model} on ${subject.symbol} ${subject.interval}`,
      'resume it with its own symbol, interval and model, or choose another --study name');
  }
  if (existing) checkSameSubject(`study "${request.study}"`, existing.subject, subject);

  const lock = await deps.lock?.([studyScope(request.study)]);
  try {
    const study = await Study.open({
      storage, name: request.study, direction: objective.direction, space, sampler: createSampler(request.sampler), pruner: createPruner(request.pruner),
      subject, seed: existing ? request.seed : (request.seed ?? request.defaultSeed), now: deps.now,
    });
    const seed = study.record.seed;

    const data = scope?.data ?? await loadStudyData(deps.store, request, label);
    const plan = planCrossValidation({
      X: data.X, y: scope ? onlyRows(data.y, scope.rows) : data.y, times: data.time, horizon: request.target.horizon, family: request.family,
      cv: request.cv, folds: request.folds, window: request.window, embargo: request.embargo, testSize: request.testSize, seed, task,
    });
    const lastFold = plan.splits.length - 1;
    const ctx = await objectiveContext(deps.store, request, objective, data.time, task);
    deps.log.info(`study ${request.study}: ${request.family} on ${request.symbol} ${request.interval}, ${objective.name} (${objective.direction}), ${plan.splits.length} folds, ${Object.keys(space).length} parameters, seed ${seed}`);

    const pace = createPace(deps.signal);
    const threads = request.jobs > 1 && canStartWorkers() ? request.jobs : 1;
    const pool = threads > 1 ? workerPool(plan, seed, objective.backtest, threads, deps.signal) : threadPool(plan, seed, objective.backtest, pace);
    if (request.jobs > 1) deps.log.info(`study ${request.study}: ${request.jobs} trials at once, folds fitted on ${pool.threads} thread(s)`);
    const started = deps.now();
    let ran = 0;
    // Without a pruner a trial's folds do not depend on each other: on worker threads they are all handed out at
    // once, so they run side by side and the pool stays busy to the study's last fold. Their values are still
    // reported in fold order. With a pruner each fold waits for the verdict on the one before.
    const fanOut = pool.threads > 1 && request.pruner === 'none';
    const result = await study.optimize(async (trial) => {
      const pending = fanOut ? Array.from({ length: lastFold + 1 }, (_, k) => pool.fit(trial.params, k)) : null;
      // a fold that fails while an earlier one is awaited is reported when its turn comes, not as unhandled
      pending?.forEach((p) => p.catch(() => {}));
      const folds: FoldOutcome[] = [];
      for (let k = 0; k <= lastFold; k++) {
        await pace();
        folds.push(await (pending ? pending[k] : pool.fit(trial.params, k)));
        deps.onFold?.(trial.number, k + 1, lastFold + 1);
        const value = objective.value(folds, ctx, k === lastFold);
        if (Number.isFinite(value)) await trial.report(k, value);
        if (k === lastFold) return value;
        if (await trial.shouldPrune()) throw new TrialPruned();
      }
      throw new Error('unreachable: a study has at least one fold');
    }, {
      nTrials: request.trials,
      timeoutMs: request.timeoutMs,
      signal: deps.signal,
      jobs: request.jobs,
      onTrialEnd: (trial, all) => {
        ran++;
        const counts: StateCounts = { running: 0, complete: 0, pruned: 0, failed: 0 };
        for (const t of all) counts[t.state]++;
        const best = study.record.direction === 'minimize'
          ? Math.min(...all.filter((t) => t.state === 'complete').map((t) => t.value!))
          : Math.max(...all.filter((t) => t.state === 'complete').map((t) => t.value!));
        deps.onProgress?.({
          study: request.study, trial, ended: counts.complete + counts.pruned + counts.failed, target: request.trials, counts,
          best: Number.isFinite(best) ? best : null, ran, elapsedMs: deps.now() - started,
        });
      },
    }).finally(() => pool.close());
    if (result.stoppedBy === 'interrupted') throw new InterruptedError();

    const best = result.bestTrial;
    let registered: OptimizeRunResult['registered'] = null;
    if (request.register) {
      if (!best) throw new DataError(`study "${request.study}" has no complete trial, so there are no best parameters to register`, 'run more trials (pulse optimize ... --trials N), or check why trials failed (pulse optimize show)');
      const model = await registerBest(request, deps, best.params, seed);
      registered = { id: model.id, status: model.status, slot: model.slot };
    }
    return {
      study: request.study, symbol: request.symbol, interval: request.interval, model: request.family, objective: objective.name, direction: objective.direction, seed,
      ran: result.ran, stoppedBy: result.stoppedBy, counts: result.counts,
      bestTrial: best ? { number: best.number, value: best.value!, params: best.params } : null,
      registered,
      // maxRSS is in kilobytes and covers the whole process, so the worker threads' models are in it.
      peakMemoryMB: Math.round(process.resourceUsage().maxRSS / 1024),
    };
  } finally {
    lock?.release();
  }
}

/** `y` with every label outside `rows` hidden (NaN). */
export function onlyRows(y: Float64Array, rows: Uint32Array): Float64Array {
  const out = new Float64Array(y.length).fill(NaN);
  for (const r of rows) out[r] = y[r];
  return out;
}

/** What the objective reads besides the folds: the backtest of forecasts for the backtest objectives. */
export async function objectiveContext(store: Store, request: OptimizeRequest, objective: StudyObjective, frameTime: Float64Array, task: Task): Promise<ObjectiveContext> {
  return objective.backtest ? backtestContext(store, request, frameTime, task) : { task, backtest: () => { throw new Error('not a backtest objective'); } };
}

/** The backtest of forecasts of bar rows [from, to) of the frame, with the request's costs and the default signal rule. */
async function backtestContext(store: Store, request: OptimizeRequest, frameTime: Float64Array, task: ObjectiveContext['task']): Promise<ObjectiveContext> {
  const bars = await store.bars.load(request.symbol, request.interval);
  const offset = lowerBound(bars.time, frameTime[0]);
  const calendar = await storedCalendar(store, request.symbol);
  const rule = pointSignalRule(task);
  return {
    task,
    backtest(forecasts, from, to) {
      const series = sliceSeries(bars, offset + from, offset + to);
      return runBacktest(series, {
        ...request.backtest, calendar, bootstrapDraws: 0,
        signal: { kind: 'model', modelId: `study:${request.study}`, predictions: forecasts, rule, realized: forwardLogReturns(series, request.target.horizon) },
      });
    },
  };
}

/** Train on the full window with the best parameters and register the model as a shadow (the study in its lineage). */
async function registerBest(request: OptimizeRequest, deps: OptimizeDeps, params: Trial['params'], seed: number): Promise<ModelVersion> {
  const job = await trainJob({
    symbols: [request.symbol], interval: request.interval, family: request.family, target: request.target, set: request.set, references: request.references,
    params: { ...params }, cv: request.cv, folds: request.folds, window: request.window, embargo: request.embargo, testSize: request.testSize,
    pooled: false, seed, activate: false, shadow: true, study: request.study, trigger: 'manual',
  }, { store: deps.store, home: deps.store.home, now: deps.now, log: deps.log, lock: deps.lock, signal: deps.signal });
  return job.models[0].model;
}
