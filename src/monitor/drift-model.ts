/**
 * The model side of `pulse drift-check` (drift-check.ts): which model a request names, loading it, and its
 * predictions over the feature frame (prediction drift). A module of its own so that checking a feature set alone
 * loads neither the registry nor the model stack.
 */
import { UsageError } from '../core/errors.js';
import type { Interval } from '../core/interval.js';
import type { FeatureFrame } from '../dataset/feature-frame.js';
import { forecast } from '../lifecycle/forecast.js';
import { inputsFromFrame } from '../lifecycle/inputs.js';
import { loadRegisteredModel, type LoadedModel } from '../lifecycle/load.js';
import { getModel, listModels, type ModelVersion } from '../registry/registry.js';
import type { Store } from '../store/store.js';

/** The model a request names (an id, or `active`), loaded; it must predict bars of the request's interval. */
export async function loadDriftModel(store: Store, model: string, symbol: string, interval: Interval): Promise<{ version: ModelVersion; loaded: LoadedModel }> {
  const version = await resolveModel(store, model, symbol, interval);
  const loaded = loadRegisteredModel(version);
  if (loaded.interval !== interval) throw new UsageError(`model ${version.id} predicts ${loaded.interval} bars, not ${interval}`, `use --interval ${loaded.interval}`);
  return { version, loaded };
}

/** The model a request names: an id, or the one active model of the series. */
async function resolveModel(store: Store, model: string, symbol: string, interval: Interval): Promise<ModelVersion> {
  if (model !== 'active') return getModel(store, model);
  const active = (await listModels(store, { status: 'active', symbol })).filter((m) => m.interval === interval);
  if (active.length === 1) return active[0];
  if (active.length === 0) throw new UsageError(`no active model for ${symbol} ${interval}`, 'train one (pulse train), or check a feature set with --set');
  throw new UsageError(`${symbol} ${interval} has ${active.length} active models (${active.map((m) => m.slot).join(', ')})`, 'name one with --model ID');
}

/** The model's predictions on every row of the frame (NaN on warm-up rows). */
export function predictionsOn(loaded: LoadedModel, frame: FeatureFrame): Float64Array {
  const inputs = inputsFromFrame(frame, loaded.pooledSymbols);
  return forecast(loaded.model, inputs.X, loaded.classValues, frame.warmupRows).values;
}
