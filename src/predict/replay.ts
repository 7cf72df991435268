/**
 * `pulse predict --replay-from DATE [--replay-to DATE]`: predict every past bar of a range with the slot's active and
 * shadow models (or one named model), as daily runs of `pulse predict` would have done, and store the predictions
 * and their outcomes exactly as predict does. It gives shadow evaluation (`pulse evaluate`), the promotion gate and
 * drift checks evidence right after a `pulse train --to DATE`.
 *
 * Strictly out of sample, per model: a model predicts only the bars after its training end (`trainTo`, the last bar
 * it was trained on) and after its features' warm-up; bars inside its training window are counted as skipped. When
 * no model can predict any bar of the range, the replay stops with one line (exit 3).
 *
 * Efficient: each model's feature frame is built once (models reading the same inputs share it, see
 * `sharedInputs`) and the model predicts every bar of the range in one batch. Predictions are written in
 * transactions of {@link REPLAY_CHUNK} rows; Ctrl-C stops between two of them (every written chunk is whole). The
 * outcomes of replayed bars whose horizon has passed are filled in at once. The replayed slots' locks are held
 * while a symbol is replayed, so none of their models is removed or activated meanwhile.
 */
import { DataError, InterruptedError, PulseError, UsageError, toError } from '../core/errors.js';
import type { Interval } from '../core/interval.js';
import { lowerBound } from '../core/arrays.js';
import { slotScope, type LockFn } from '../core/lock.js';
import { forecast } from '../lifecycle/forecast.js';
import { selectRange, type ModelInputs } from '../lifecycle/inputs.js';
import { loadRegisteredModel, type LoadedModel } from '../lifecycle/load.js';
import { serveStored } from './ab-serving.js';
import { fillOutcomes, modelsFor, noModelError, shape, sharedInputs, type PredictDeps } from './predict.js';

/** Predictions written per transaction: the granularity of Ctrl-C. */
export const REPLAY_CHUNK = 500;

export interface ReplayRequest {
  symbols: string[];
  interval: Interval;
  /** A model id, or undefined / 'active' for the active and shadow models of every slot of the symbol. */
  model?: string;
  threshold?: number;
  /** Bars with open time in [from, to) (`to` undefined: up to the newest bar). */
  from: number;
  to?: number;
}

/** What one model did in a replay. */
export interface ReplayedModel {
  symbol: string;
  modelId: string;
  status: string;
  /** The model's training end: bars at or before it were not predicted. */
  trainTo: number;
  /** Bars predicted (and stored). */
  predicted: number;
  /** Bars of the range at or before the training end, or still in the features' warm-up. */
  skipped: number;
  /** First and last predicted bar (null when none). */
  firstBar: number | null;
  lastBar: number | null;
  /** Outcomes filled for this model's predictions (replayed ones whose horizon has passed, and earlier ones). */
  outcomesFilled: number;
}

export interface ReplayResult {
  from: number;
  to: number | null;
  models: ReplayedModel[];
  predictions: number;
  outcomesFilled: number;
  failures: { symbol: string; modelId: string | null; error: string }[];
}

export interface ReplayDeps extends PredictDeps {
  /** Aborted by Ctrl-C: the replay stops between two chunks with an InterruptedError. */
  signal?: AbortSignal;
  /** Takes the locks of the replayed slots (a model of the slot may not be removed or activated meanwhile). */
  lock?: LockFn;
}

const day = (ms: number) => new Date(ms).toISOString().slice(0, 10);

/** Replay a range (see the module note). */
export async function replay(request: ReplayRequest, deps: ReplayDeps): Promise<ReplayResult> {
  if (request.to !== undefined && !(request.to > request.from)) {
    throw new UsageError(`--replay-to ${day(request.to)} is not after --replay-from ${day(request.from)}`, 'give a range FROM < TO');
  }
  const result: ReplayResult = { from: request.from, to: request.to ?? null, models: [], predictions: 0, outcomesFilled: 0, failures: [] };
  let latestTrainEnd = -Infinity;
  let barsInRange = 0;
  for (const symbol of request.symbols) {
    const versions = await modelsFor(deps.store, symbol, request);
    if (versions.length === 0) {
      result.failures.push({ symbol, modelId: null, error: noModelError(symbol, request.interval) });
      continue;
    }
    const inputs = new Map<string, Promise<ModelInputs>>();
    const held = await deps.lock?.([...new Set(versions.map((v) => slotScope(v.slot)))]);
    try {
      for (const version of versions) {
        try {
          const loaded = loadRegisteredModel(version);
          const built = await sharedInputs(deps.store, symbol, loaded, inputs);
          const [start, end] = rowsIn(built.time, request.from, request.to);
          barsInRange = Math.max(barsInRange, end - start);
          latestTrainEnd = Math.max(latestTrainEnd, version.trainTo);
          const done = await replayModel(deps, symbol, loaded, built, start, end, request.threshold);
          result.models.push(done);
          result.predictions += done.predicted;
          result.outcomesFilled += done.outcomesFilled;
        } catch (err) {
          if (err instanceof InterruptedError || !(err instanceof PulseError) || err instanceof UsageError) throw err;
          result.failures.push({ symbol, modelId: version.id, error: toError(err).message });
        }
      }
      await serveStored(deps.store, symbol, request.interval, result.models.filter((m) => m.symbol === symbol && m.firstBar !== null), deps.now());
    } finally {
      held?.release();
    }
  }
  if (result.predictions === 0 && result.models.length > 0) {
    const range = `${day(request.from)}..${request.to === undefined ? '' : day(request.to)}`;
    throw new DataError(
      barsInRange === 0
        ? `no stored bar of ${request.symbols.join(', ')} ${request.interval} lies in ${range}`
        : `no model can predict a bar of ${range} out of sample: every bar is at or before the training end of each model (the latest ends ${day(latestTrainEnd)}) or in its features' warm-up`,
      barsInRange === 0 ? 'collect the range first, or pick a range with bars' : 'replay from after the training end, or train with --to DATE before the range',
    );
  }
  return result;
}

/** Rows [start, end) of sorted bar times in [from, to). */
function rowsIn(time: Float64Array, from: number, to?: number): [number, number] {
  return [lowerBound(time, from, time.length), to === undefined ? time.length : lowerBound(time, to, time.length)];
}

/** Predict the rows [start, end) a model may predict in one batch, store them in chunks, fill their outcomes. */
async function replayModel(deps: ReplayDeps, symbol: string, m: LoadedModel, built: ModelInputs, start: number, end: number, threshold?: number): Promise<ReplayedModel> {
  const { X, time, warmupRows } = built;
  // strictly out of sample: after the training end and past the warm-up
  const first = Math.max(start, warmupRows, lowerBound(time, m.version.trainTo + 1, time.length));
  const from = Math.min(first, end);
  const rows = end - from;
  const done: ReplayedModel = {
    symbol, modelId: m.version.id, status: m.version.status, trainTo: m.version.trainTo, predicted: 0, skipped: from - start,
    firstBar: null, lastBar: null, outcomesFilled: 0,
  };
  if (rows > 0) {
    const { raw, values } = forecast(m.model, selectRange(X, from, end), m.classValues);
    const width = raw.length / rows;
    const createdAt = deps.now();
    for (let c = 0; c < rows; c += REPLAY_CHUNK) {
      if (deps.signal?.aborted) throw new InterruptedError();
      const stop = Math.min(rows, c + REPLAY_CHUNK);
      await deps.store.transaction(async (tx) => {
        for (let i = c; i < stop; i++) {
          const shaped = shape(m, raw.subarray(i * width, (i + 1) * width), values[i], threshold);
          await tx.predictions.upsert({
            modelId: m.version.id,
            symbol,
            interval: m.interval,
            barTs: time[from + i],
            horizon: m.target.horizon,
            value: shaped.value,
            intervals: shaped.intervals ?? shaped.probabilities,
            signal: shaped.signal,
            fallback: false,
            createdAt,
          });
        }
      });
      done.predicted = stop;
    }
    done.firstBar = time[from];
    done.lastBar = time[end - 1];
  }
  if (deps.signal?.aborted) throw new InterruptedError();
  done.outcomesFilled = await fillOutcomes(deps, symbol, m);
  return done;
}
