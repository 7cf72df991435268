/**
 * `pulse backtest` against the store: load the bars, turn a rule strategy, a stored model's out-of-sample
 * predictions or a walk-forward retraining into signals, run the engine with baselines, write the requested files,
 * evaluate the `--assert` gate and record the run.
 *
 * Out-of-sample rule for stored models: a registered model was fitted on bars up to its `trainTo` (the newest bar
 * its training frame held; the labels of its last rows reach exactly that bar). A backtest of it may only cover bars
 * strictly after `trainTo`. Without `from`, the range starts at the first such bar; a `from` at or before `trainTo`
 * is refused (UsageError, exit 2) rather than silently trimmed, so an in-sample figure is never reported as a
 * backtest. Features of the first backtested bars still see the earlier history (their lookback), as live.
 *
 * Forecasts (src/lifecycle/forecast.ts) become signals by the rule `pulse predict` uses too
 * (src/lifecycle/signals.ts, docs/backtest.md): regression and multiclass (expected class value) by `threshold`
 * (default 0), binary by P(up) against `threshold` (default 0.5), or any task by `quantile`. The naive baseline is the persistence forecast (the last `horizon`-bar log return) through the same
 * rule; rows inside the feature warm-up get NaN predictions (flat, counted in a warning).
 */
import { isAbsolute, resolve } from 'node:path';
import { lowerBound } from '../core/arrays.js';
import { DataError, InternalError, UsageError } from '../core/errors.js';
import type { Logger } from '../core/logger.js';
import { DEFAULT_SEED } from '../core/rng.js';
import type { FeatureSetSpec } from '../features/feature-set.js';
import { sliceSeries, type BarSeries } from '../core/bars.js';
import type { Interval } from '../core/interval.js';
import { noData } from '../market/inventory.js';
import type { ModelFamily, Task } from '../models/model.js';
import { forecast } from '../lifecycle/forecast.js';
import { buildInputs, registeredModelInputs } from '../lifecycle/inputs.js';
import { loadRegisteredModel } from '../lifecycle/load.js';
import { signalRule, type SignalChoice, type SignalRule } from '../lifecycle/signals.js';
import { getModel, listModels, type ModelVersion } from '../registry/registry.js';
import type { BacktestRecord } from '../store/records.js';
import type { Store } from '../store/store.js';
import { targetLabel, type TargetSpec } from '../lifecycle/targets.js';
import { checkBacktest, parseAssertion, type AssertionResult } from './assert.js';
import { writeEquityCsv, writeTradesCsv } from './csv-out.js';
import { resolveParams, runBacktest, type BacktestOptions } from './backtest.js';
import { writeJunitXml } from './junit.js';
import { writeReportHtml } from './report/report-html.js';
import { forwardLogReturns } from './returns.js';
import { storedCalendar } from '../market/calendars/resolve.js';
import { STAT_KEY_LIST, type BacktestResult } from './types.js';
import { defaultWorkers, runWalkForward, type WalkForwardSegment } from './walk-forward.js';

/** Where the signal comes from. */
export type BacktestSourceRequest =
  | { kind: 'strategy'; name: string; params?: Record<string, number> }
  /** A registered model by id, or `active`: the symbol's active model at the interval. */
  | { kind: 'model'; model: string }
  | {
      kind: 'walk-forward';
      family: ModelFamily;
      target: TargetSpec;
      set: FeatureSetSpec;
      references: Record<string, string>;
      params: Record<string, unknown>;
      /** Bars between retrainings (default {@link defaultRetrainEvery}). */
      retrainEvery?: number;
      /** Trailing training rows, or `expanding` (default). */
      trainWindow?: number | 'expanding';
      /** Worker threads (default: the cores, at most one per segment). */
      workers?: number;
    };

/** Files to write; absolute paths, or relative to `cwd`. */
export interface BacktestOutputs {
  trades?: string;
  equity?: string;
  report?: string;
  junit?: string;
}

/** A complete `pulse backtest` request. */
export interface StoredBacktestRequest {
  symbol: string;
  interval: Interval;
  /** Backtest range by bar open time, [from, to) in ms; see the module note for stored models. */
  from?: number;
  to?: number;
  source: BacktestSourceRequest;
  signal: SignalChoice;
  /** Engine options (costs, direction, sizing, stops, capital, annualisation, seed, bootstrap draws). */
  options: Omit<BacktestOptions, 'signal'>;
  outputs: BacktestOutputs;
  /** The `--assert` expression, parsed before anything runs. */
  assert?: string;
  cwd: string;
}

/** What the orchestration needs from its caller. */
export interface BacktestRunDeps {
  store: Store;
  now: () => number;
  log: Logger;
  /** Stops a walk-forward retraining (an InterruptedError). */
  signal?: AbortSignal;
}

/** The stored model a run used. */
export interface BacktestModelInfo {
  id: string;
  family: string;
  status: string;
  target: string;
  horizon: number;
  featureSet: string;
  /** Newest bar the model's training saw (ms); the backtest starts strictly after it. */
  trainTo: number;
}

/** Walk-forward settings and segments (row indices converted to bar times). */
export interface WalkForwardInfo {
  family: ModelFamily;
  target: string;
  horizon: number;
  featureSet: string;
  params: Record<string, unknown>;
  retrainEvery: number;
  trainWindow: number | 'expanding';
  segments: { index: number; retrainAt: number; trainFrom: number; trainTo: number; trainRows: number; predictTo: number; seed: number }[];
}

/** The outcome of `runStoredBacktest` (plain data; `bars` is the backtested window for renderers). */
export interface BacktestRun {
  result: BacktestResult;
  kind: BacktestSourceRequest['kind'];
  /** Model id, `walk-forward:FAMILY`, or the strategy name. */
  source: string;
  model: BacktestModelInfo | null;
  walkForward: WalkForwardInfo | null;
  assertion: AssertionResult | null;
  /** Absolute paths of the files written. */
  files: BacktestOutputs;
  /** Id of the stored record. */
  recordId: number;
  bars: BarSeries;
}

/** About a month of bars: periods per year / 12 (21 for daily equities, 730 for hourly crypto), at least 1. */
export function defaultRetrainEvery(periodsPerYear: number): number {
  return Math.max(1, Math.round(periodsPerYear / 12));
}

/**
 * Fewest training rows before the first walk-forward prediction: the rolling window, or for an expanding window
 * one year of bars (periods per year), at least 50.
 */
export function minimumTrainRows(periodsPerYear: number, trainWindow: number | 'expanding'): number {
  return trainWindow === 'expanding' ? Math.max(50, Math.round(periodsPerYear)) : trainWindow;
}

/**
 * The persistence forecast as predictions for `rule`: the trailing `horizon`-bar log return (regression, quantile),
 * its sign (multiclass expected class value), or 1 / 0 / 0.5 for up / down / unchanged (binary P(up)).
 */
export function naivePredictions(close: Float64Array, start: number, end: number, horizon: number, task: Task, rule: SignalRule): Float64Array {
  const out = new Float64Array(end - start);
  for (let i = start; i < end; i++) {
    const r = i >= horizon ? Math.log(close[i] / close[i - horizon]) : NaN;
    let v = r;
    if (rule.kind === 'probability') v = Number.isNaN(r) ? NaN : r > 0 ? 1 : r < 0 ? 0 : 0.5;
    else if (rule.kind === 'threshold' && task === 'multiclass') v = Math.sign(r);
    out[i - start] = v;
  }
  return out;
}

function rangeIndex(times: Float64Array, from: number | undefined, to: number | undefined): [number, number] {
  return [from === undefined ? 0 : lowerBound(times, from), to === undefined ? times.length : lowerBound(times, to)];
}

function iso(ms: number): string {
  return new Date(ms).toISOString().replace('.000Z', 'Z');
}

/** Run, write, gate and record one backtest (see the module note). */
export async function runStoredBacktest(request: StoredBacktestRequest, deps: BacktestRunDeps): Promise<BacktestRun> {
  const started = deps.now();
  const { store } = deps;
  const { symbol, interval } = request;
  if (request.from !== undefined && request.to !== undefined && request.to <= request.from) {
    throw new UsageError(`--to ${iso(request.to)} is not after --from ${iso(request.from)}`, 'give a non-empty range');
  }
  // Mistakes in the gate or the options are usage errors, reported before any data is read or model fitted.
  if (request.assert !== undefined) parseAssertion(request.assert, STAT_KEY_LIST);
  if (request.outputs.junit !== undefined && request.assert === undefined) {
    throw new UsageError('--junit writes the --assert clauses as tests, but no --assert was given', 'add e.g. --assert "sharpe >= 0.5"');
  }
  // A model that cannot be backtested on this series is named before the data is looked at.
  const version = request.source.kind === 'model' ? await resolveModel(store, symbol, interval, request.source.model) : undefined;
  const bars = await store.bars.load(symbol, interval);
  if (bars.length === 0) throw await noData(store, symbol, interval);
  // Annualisation comes from the instrument's calendar unless given (`none` has no default: a UsageError).
  const options = { ...request.options, calendar: request.options.calendar ?? (await storedCalendar(store, symbol)) };
  const perYear = resolveParams(bars, { ...options, signal: { kind: 'signal', signal: new Float64Array(0) } }, {}).periodsPerYear;

  let series: BarSeries;
  let signal: BacktestOptions['signal'];
  let model: BacktestModelInfo | null = null;
  let walkForward: WalkForwardInfo | null = null;
  let source: string;
  const src = request.source;
  const quantileWindow = Math.round(perYear);
  if (src.kind === 'strategy') {
    const [a, b] = rangeIndex(bars.time, request.from, request.to);
    if (b <= a) throw emptyRange(symbol, interval, bars);
    series = sliceSeries(bars, a, b);
    signal = { kind: 'strategy', name: src.name, params: src.params };
    source = src.name;
  } else if (version) {
    const loaded = loadRegisteredModel(version);
    const firstOut = lowerBound(bars.time, version.trainTo + 1);
    if (request.from !== undefined && request.from <= version.trainTo) {
      const next = firstOut < bars.length ? `; its first out-of-sample bar is ${iso(bars.time[firstOut])}` : '';
      throw new UsageError(
        `the backtest range starts at ${iso(request.from)}, but model ${version.id} was trained on bars through ${iso(version.trainTo)}: that would be an in-sample backtest${next}`,
        `omit --from to start after the training data, give --from after ${iso(version.trainTo)}, or backtest the family walk-forward: --model ${version.family} --walk-forward`,
      );
    }
    const [a0, b] = rangeIndex(bars.time, request.from, request.to);
    const a = Math.max(a0, firstOut);
    if (b <= a) {
      throw new DataError(
        `no ${interval} bars of ${symbol} after the training data of model ${version.id} (trained through ${iso(version.trainTo)})${request.to !== undefined ? ` and before ${iso(request.to)}` : ''}`,
        `collect newer bars, or backtest the family walk-forward: pulse backtest ${symbol} -i ${interval} --model ${version.family} --walk-forward`,
      );
    }
    const inputs = await registeredModelInputs(store, loaded.document, version.id, symbol, { from: bars.time[a], to: b < bars.length ? bars.time[b] : undefined });
    const predictions = forecast(loaded.model, inputs.X, loaded.classValues, inputs.warmupRows).values;
    series = sliceSeries(bars, a, b);
    const rule = signalRule(loaded.task, request.signal, quantileWindow);
    const horizon = loaded.target.horizon;
    signal = {
      kind: 'model',
      modelId: version.id,
      predictions,
      rule,
      realized: forwardLogReturns(series, horizon),
      naivePredictions: naivePredictions(bars.close, a, b, horizon, loaded.task, rule),
    };
    model = { id: version.id, family: version.family, status: version.status, target: version.target, horizon: version.horizon, featureSet: version.featureSet, trainTo: version.trainTo };
    source = version.id;
  } else {
    if (src.kind !== 'walk-forward') throw new InternalError(`backtest source ${src.kind} was not resolved`);
    const retrainEvery = src.retrainEvery ?? defaultRetrainEvery(perYear);
    const trainWindow = src.trainWindow ?? 'expanding';
    const { label, task } = targetLabel(src.target);
    const horizon = src.target.horizon;
    const frame = await buildInputs(store, { symbol, interval, set: src.set, references: src.references, labels: [label], checkLookahead: true });
    const [a0, b] = rangeIndex(bars.time, request.from, request.to);
    const earliest = frame.lookback + minimumTrainRows(perYear, trainWindow) + horizon;
    const a = Math.max(a0, earliest);
    if (b <= a) {
      throw new DataError(
        `too little history for a walk-forward backtest of ${symbol} ${interval}: the first prediction needs ${earliest} bars before it (feature warm-up ${frame.lookback}, ${minimumTrainRows(perYear, trainWindow)} training rows, horizon ${horizon}), and the range ends at bar ${b} of ${bars.length}`,
        'collect more history, use a shorter --train-window, or widen --to',
      );
    }
    if (a > a0 && request.from !== undefined) {
      deps.log.warn(`the walk-forward backtest starts at ${iso(bars.time[a])}, the first bar with ${minimumTrainRows(perYear, trainWindow)} training rows before it`);
    }
    const segmentsPlanned = Math.ceil((b - a) / retrainEvery);
    const wf = await runWalkForward({
      columns: frame.X.columns,
      names: frame.X.names,
      labels: frame.labels[0],
      lookback: frame.lookback,
      horizon,
      task,
      family: src.family,
      params: src.params,
      seed: request.options.seed ?? DEFAULT_SEED,
      retrainEvery,
      trainWindow,
      start: a,
      end: b,
      workers: src.workers ?? defaultWorkers(segmentsPlanned),
      signal: deps.signal,
    });
    deps.log.info(`walk-forward: ${wf.segments.length} ${src.family} retrainings on ${wf.workersUsed} thread(s)`);
    series = sliceSeries(bars, a, b);
    const rule = signalRule(task, request.signal, quantileWindow);
    source = `walk-forward:${src.family}`;
    signal = {
      kind: 'model',
      modelId: source,
      predictions: wf.predictions,
      rule,
      realized: forwardLogReturns(series, horizon),
      naivePredictions: naivePredictions(bars.close, a, b, horizon, task, rule),
    };
    const t = (row: number) => bars.time[Math.min(row, bars.length - 1)];
    walkForward = {
      family: src.family,
      target: src.target.name,
      horizon,
      featureSet: src.set.name,
      params: src.params,
      retrainEvery,
      trainWindow,
      segments: wf.segments.map((s: WalkForwardSegment) => ({
        index: s.index,
        retrainAt: t(s.retrainAt),
        trainFrom: t(s.trainFrom),
        trainTo: t(s.trainTo),
        trainRows: s.trainRows,
        predictTo: t(s.predictTo - 1),
        seed: s.seed,
      })),
    };
  }

  const result = runBacktest(series, { ...options, signal });
  const assertion = request.assert === undefined ? null : checkBacktest(request.assert, result);
  const files = writeOutputs(request, result, series, assertion, deps.now());
  const recordId = await store.backtests.insert({
    symbol,
    interval,
    kind: src.kind,
    source,
    modelId: model?.id ?? null,
    fromTs: series.time[0],
    toTs: series.time[series.length - 1],
    bars: series.length,
    seed: result.params.seed,
    params: { ...result.params, walkForward: walkForward && { ...walkForward, segments: walkForward.segments.length } },
    stats: { stats: result.stats, baselines: result.baselines },
    returnPct: result.stats.returnPct ?? 0,
    sharpe: result.stats.sharpe,
    maxDrawdownPct: result.stats.maxDrawdownPct ?? 0,
    trades: result.trades.length,
    reportPath: files.report ?? null,
    assertPassed: assertion === null ? null : assertion.passed,
    durationMs: Math.max(0, deps.now() - started),
    createdAt: deps.now(),
  });
  return { result, kind: src.kind, source, model, walkForward, assertion, files, recordId, bars: series };
}

function emptyRange(symbol: string, interval: Interval, bars: BarSeries): DataError {
  return new DataError(
    `no ${interval} bars of ${symbol} in the requested range (stored: ${iso(bars.time[0])} .. ${iso(bars.time[bars.length - 1])})`,
    'widen --from/--to; `pulse data ls` shows the stored range of each series',
  );
}

/** The model a `--model ID|active` names, checked against the symbol and interval. */
async function resolveModel(store: Store, symbol: string, interval: Interval, ref: string): Promise<ModelVersion> {
  let version: ModelVersion;
  if (ref === 'active') {
    const active = (await listModels(store, { symbol, status: 'active' })).filter((m) => m.interval === interval);
    if (active.length === 0) {
      throw new DataError(`no active model for ${symbol} ${interval}`, `train one: pulse train ${symbol} --interval ${interval}, or name a model id (pulse models ls)`);
    }
    if (active.length > 1) {
      throw new UsageError(`${symbol} ${interval} has ${active.length} active models (${active.map((m) => `${m.id}: ${m.target} h=${m.horizon}`).join(', ')})`, 'name one with --model ID');
    }
    version = active[0];
  } else {
    version = await getModel(store, ref);
  }
  if (!version.symbols.includes(symbol)) {
    throw new UsageError(`model ${version.id} was trained on ${version.symbols.join('+')}, not ${symbol}`, `backtest it on ${version.symbols[0]}, or train a model for ${symbol}`);
  }
  if (version.interval !== interval) {
    throw new UsageError(`model ${version.id} forecasts ${version.interval} bars, not ${interval}`, `use --interval ${version.interval}`);
  }
  return version;
}

function writeOutputs(request: StoredBacktestRequest, result: BacktestResult, bars: BarSeries, assertion: AssertionResult | null, now: number): BacktestOutputs {
  const abs = (p: string | undefined) => (p === undefined ? undefined : isAbsolute(p) ? p : resolve(request.cwd, p));
  const files: BacktestOutputs = { trades: abs(request.outputs.trades), equity: abs(request.outputs.equity), report: abs(request.outputs.report), junit: abs(request.outputs.junit) };
  if (files.trades) writeTradesCsv(files.trades, result.trades);
  if (files.equity) writeEquityCsv(files.equity, result.equity);
  if (files.report) writeReportHtml(files.report, { result, bars, generatedAtMs: now, assertion: assertion ?? undefined });
  if (files.junit && assertion) {
    writeJunitXml(files.junit, assertion, {
      suiteName: `pulse backtest ${result.params.symbol} ${result.params.interval}`,
      timestampMs: now,
      properties: [
        ['symbol', result.params.symbol],
        ['interval', result.params.interval],
        ['source', request.source.kind === 'strategy' ? request.source.name : result.params.source.kind === 'model' ? result.params.source.modelId : 'signal'],
        ['seed', String(result.params.seed)],
      ],
    });
  }
  return files;
}

/** A recorded backtest as `pulse backtest ls` lists it (its parameters and statistics left out). */
export type BacktestSummary = Omit<BacktestRecord, 'params' | 'stats'>;

/** Recorded backtests, newest first. */
export async function listRecordedBacktests(store: Store, filter: { symbol?: string; limit: number }): Promise<BacktestSummary[]> {
  return (await store.backtests.list(filter)).map(({ params: _p, stats: _s, ...row }) => row);
}
