/**
 * `pulse predict`: features for the newest bar of each symbol, predictions by the slot's active model and every
 * shadow model, stored once per (model, bar); realised outcomes filled in for earlier predictions whose horizon has
 * passed; a signal per prediction. If the active model cannot be loaded, the naive baseline stands in (stored with
 * `fallback`) and the run reports it so cron notices (exit 3).
 *
 * The forecast of a row is the lifecycle's (src/lifecycle/forecast.ts: the value, P(up), or the expected class
 * value) and its signal comes from the rule `pulse backtest` trades by (src/lifecycle/signals.ts): long above 0 and
 * short below 0 (binary: P(up) above / below 0.5); `threshold` widens the flat band as backtest's `--threshold` does.
 */
import { PulseError, UsageError, toError } from '../core/errors.js';
import type { Logger } from '../core/logger.js';
import { computeLabels } from '../features/labels.js';
import type { Interval } from '../core/interval.js';
import { listModels, getModel, type ModelVersion } from '../registry/registry.js';
import type { PredictionRecord } from '../store/records.js';
import type { Store } from '../store/store.js';
import { targetLabel, type TargetSpec } from '../lifecycle/targets.js';
import { forecast } from '../lifecycle/forecast.js';
import { registeredModelInputs, selectRange, type ModelInputs } from '../lifecycle/inputs.js';
import { inputsKey, loadRegisteredModel, type LoadedModel } from '../lifecycle/load.js';
import { pointSignalRule, sideOf, signalOf, type Side } from '../lifecycle/signals.js';
import { serveAbTests } from './ab-serving.js';

/** The side a prediction's signal asks for. */
export type Signal = Side;

export interface PredictRequest {
  symbols: string[];
  interval: Interval;
  /** A model id, or undefined / 'active' for the active and shadow models of every slot of the symbol. */
  model?: string;
  /** Widens the flat band of the signal rule (src/lifecycle/signals.ts); binary models: a P(up) in [0.5, 1). */
  threshold?: number;
}

export interface PredictionOutcome {
  symbol: string;
  modelId: string;
  status: string;
  barTs: number;
  value: number;
  /** Regression: conformal bounds by coverage; classification: class probabilities by class value. */
  intervals: Record<string, [number, number]> | null;
  probabilities: Record<string, number> | null;
  signal: Signal;
  threshold: number;
  fallback: boolean;
  error: string | null;
  /** While an A/B test runs in the slot: the test, this model's arm, and whether it served the bar's signal. */
  abTest?: { id: number; arm: 'control' | 'challenger'; served: boolean };
}

export interface PredictResult {
  predictions: PredictionOutcome[];
  outcomesFilled: number;
  /** Active models that could not be loaded (their slot fell back to the naive baseline). */
  fallbacks: { modelId: string; error: string }[];
  failures: { symbol: string; modelId: string | null; error: string }[];
}

export interface PredictDeps {
  store: Store;
  now: () => number;
  log: Logger;
}

/** Run predictions (see the module note). */
export async function predict(request: PredictRequest, deps: PredictDeps): Promise<PredictResult> {
  const result: PredictResult = { predictions: [], outcomesFilled: 0, fallbacks: [], failures: [] };
  for (const symbol of request.symbols) {
    const versions = await modelsFor(deps.store, symbol, request);
    if (versions.length === 0) {
      result.failures.push({ symbol, modelId: null, error: noModelError(symbol, request.interval) });
      continue;
    }
    const inputs = new Map<string, Promise<ModelInputs>>();
    for (const version of versions) {
      let loaded: LoadedModel;
      try {
        loaded = loadRegisteredModel(version);
      } catch (err) {
        if (!(err instanceof PulseError)) throw err;
        if (version.status === 'active') {
          deps.log.warn(`active model ${version.id} cannot be loaded (${err.message}); using the naive baseline instead`);
          result.fallbacks.push({ modelId: version.id, error: err.message });
          result.predictions.push(await naiveFallback(deps, symbol, version, err.message));
        } else {
          result.failures.push({ symbol, modelId: version.id, error: err.message });
        }
        continue;
      }
      try {
        const outcome = await predictOne(deps, symbol, loaded, inputs, request.threshold);
        result.predictions.push(outcome);
        result.outcomesFilled += await fillOutcomes(deps, symbol, loaded);
      } catch (err) {
        // a threshold that does not fit the model's task is the caller's mistake, not the model's
        if (!(err instanceof PulseError) || err instanceof UsageError) throw err;
        result.failures.push({ symbol, modelId: version.id, error: toError(err).message });
      }
    }
  }
  await serveAbTests(deps.store, result.predictions, deps.now());
  return result;
}

/** The failure of a symbol with no model to predict with. */
export function noModelError(symbol: string, interval: Interval): string {
  return `no active or shadow model for ${symbol} ${interval} (train one: pulse train ${symbol} --interval ${interval})`;
}

/** The models a request names for a symbol: one id, or the active model then the shadows of the interval. */
export async function modelsFor(store: Store, symbol: string, request: Pick<PredictRequest, 'interval' | 'model'>): Promise<ModelVersion[]> {
  if (request.model && request.model !== 'active') return [await getModel(store, request.model)];
  return (await listModels(store, { symbol }))
    .filter((m) => m.interval === request.interval && (m.status === 'active' || m.status === 'shadow'))
    .sort((a, b) => (a.status === b.status ? a.id.localeCompare(b.id) : a.status === 'active' ? -1 : 1));
}

async function predictOne(deps: PredictDeps, symbol: string, m: LoadedModel, inputs: Map<string, Promise<ModelInputs>>, threshold?: number): Promise<PredictionOutcome> {
  const { X, time } = await sharedInputs(deps.store, symbol, m, inputs);
  const last = X.numRows - 1;
  const { raw, values } = forecast(m.model, selectRange(X, last, last + 1), m.classValues);
  const barTs = time[last];
  const shaped = shape(m, raw, values[0], threshold);
  await deps.store.predictions.upsert({
    modelId: m.version.id,
    symbol,
    interval: m.interval,
    barTs,
    horizon: m.target.horizon,
    value: shaped.value,
    intervals: shaped.intervals ?? shaped.probabilities,
    signal: shaped.signal,
    fallback: false,
    createdAt: deps.now(),
  });
  return { symbol, modelId: m.version.id, status: m.version.status, barTs, ...shaped, fallback: false, error: null };
}

/**
 * The inputs of a model for a symbol, built once for every model of the symbol that reads the same inputs (same
 * feature set, references and pooled symbols): `cache` holds the builds of one run.
 */
export function sharedInputs(store: Store, symbol: string, m: LoadedModel, cache: Map<string, Promise<ModelInputs>>): Promise<ModelInputs> {
  const key = inputsKey(m);
  let built = cache.get(key);
  if (!built) {
    built = registeredModelInputs(store, m.document, m.version.id, symbol);
    cache.set(key, built);
  }
  return built;
}

/** Value, bounds or probabilities, and the signal of one forecast (`raw`: the model's output for the row). */
export function shape(m: LoadedModel, raw: Float64Array, value: number, threshold?: number) {
  const rule = pointSignalRule(m.task, threshold);
  const signal = sideOf(signalOf(value, rule));
  if (m.task === 'regression') {
    const intervals: Record<string, [number, number]> = {};
    for (const l of m.conformal?.levels ?? []) {
      if (Number.isFinite(l.halfWidth)) intervals[String(Math.round(l.coverage * 100))] = [value - l.halfWidth, value + l.halfWidth];
    }
    return { value, intervals, probabilities: null, signal, threshold: rule.threshold };
  }
  const probabilities: Record<string, number> = {};
  if (m.task === 'binary') {
    probabilities[String(m.classValues[0])] = 1 - raw[0];
    probabilities[String(m.classValues[1])] = raw[0];
  } else {
    m.classValues.forEach((v, k) => (probabilities[String(v)] = raw[k]));
  }
  return { value, intervals: null, probabilities, signal, threshold: rule.threshold };
}

/**
 * The naive baseline for a slot whose active model cannot be loaded: a zero forecast (regression) or no edge
 * (probability 0.5 / expected class 0); always a flat signal.
 */
async function naiveFallback(deps: PredictDeps, symbol: string, version: ModelVersion, error: string): Promise<PredictionOutcome> {
  const barTs = (await deps.store.bars.lastTime(symbol, version.interval as Interval)) ?? deps.now();
  const value = version.target === 'direction' ? 0.5 : 0;
  await deps.store.predictions.upsert({
    modelId: version.id,
    symbol,
    interval: version.interval,
    barTs,
    horizon: version.horizon,
    value,
    intervals: null,
    signal: 'flat',
    fallback: true,
    createdAt: deps.now(),
  });
  return { symbol, modelId: version.id, status: version.status, barTs, value, intervals: null, probabilities: null, signal: 'flat', threshold: 0, fallback: true, error };
}

/** Fill the realised target of this model's earlier predictions whose horizon has passed; returns how many. */
export async function fillOutcomes(deps: Pick<PredictDeps, 'store' | 'now'>, symbol: string, m: LoadedModel): Promise<number> {
  const pending = (await deps.store.predictions.pending(symbol, m.interval)).filter((p) => p.modelId === m.version.id);
  if (pending.length === 0) return 0;
  const series = await deps.store.bars.load(symbol, m.interval);
  const labels = computeLabels(series, [targetLabel(m.target).label]).columns[0];
  const index = new Map<number, number>();
  for (let i = 0; i < series.length; i++) index.set(series.time[i], i);
  const known = pending.flatMap((p) => {
    const i = index.get(p.barTs);
    return i === undefined || Number.isNaN(labels[i]) ? [] : [{ p, outcome: labels[i] }];
  });
  if (known.length === 0) return 0;
  // one transaction: a replay fills thousands of outcomes at once
  const now = deps.now();
  await deps.store.transaction(async (tx) => {
    for (const { p, outcome } of known) await tx.predictions.setOutcome(p.modelId, p.barTs, outcome, now);
  });
  return known.length;
}


/** A stored prediction with whether its signal's direction came true. */
export interface StoredPrediction extends PredictionRecord {
  /** Whether the signal's direction matched the realised outcome (null while unknown, or for flat signals). */
  hit: boolean | null;
}

/** Recent predictions of a symbol, newest bar first, each with its hit. */
export async function storedPredictions(store: Store, symbol: string, filter: { interval?: Interval; modelId?: string; limit: number }): Promise<StoredPrediction[]> {
  const targets = new Map((await store.models.list({ symbol })).map((m) => [m.id, (m.metrics as { target?: TargetSpec }).target]));
  return (await store.predictions.list({ symbol, ...filter })).map((p) => ({ ...p, hit: hitOf(p.signal, p.outcome, targets.get(p.modelId)) }));
}

/**
 * Whether a signal's direction matched the realised outcome (null while unknown, or for flat signals). Up is a
 * positive return or class +1 / 1; down is a negative return, class -1, or class 0 of a binary direction target.
 */
export function hitOf(signal: string, outcome: number | null, target: TargetSpec | undefined): boolean | null {
  if (outcome === null || signal === 'flat') return null;
  const binary = target?.name === 'direction' && target.classes === 'binary';
  const down = binary ? outcome === 0 : outcome < 0;
  return signal === 'long' ? outcome > 0 : down;
}
