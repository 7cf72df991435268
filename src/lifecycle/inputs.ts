/**
 * The inputs of a model for one symbol's bars, built once for every caller (prediction, backtests, explain,
 * walk-forward retraining): the feature frame of the model's feature set, the `symbol_id` column a pooled model
 * reads last (the symbol's index among the pooled symbols), and how many leading rows are still inside the
 * features' warm-up.
 */
import { DataError, UsageError } from '../core/errors.js';
import { buildFeatureFrame, type FeatureFrame, type FeatureFrameRequest } from '../dataset/feature-frame.js';
import type { LabelSpec } from '../features/labels.js';
import type { FeatureColumns } from '../models/model.js';
import type { Store } from '../store/store.js';
import { SYMBOL_ID, type RegistryModelDocument } from './document.js';

/** A model's inputs over a range of one symbol's bars. */
export interface ModelInputs {
  symbol: string;
  /** What `Model.predict` reads: the set's columns, plus `symbol_id` for a pooled model. */
  X: FeatureColumns;
  /** Bar open time of each row. */
  time: Float64Array;
  /** Leading rows still inside the feature warm-up (their features are incomplete). */
  warmupRows: number;
  /** The set's largest lookback: the first `lookback` rows of the whole history are warm-up. */
  lookback: number;
  /** Label columns requested (training, walk-forward), in request order. */
  labels: Float64Array[];
}

/** Inputs from a built frame; `pooledSymbols` (a pooled model's symbols) adds the `symbol_id` column. */
export function inputsFromFrame(frame: FeatureFrame, pooledSymbols: readonly string[] | null): ModelInputs {
  const columns: Float64Array[] = [...frame.columns];
  const names = [...frame.names];
  if (pooledSymbols !== null) {
    const id = pooledSymbols.indexOf(frame.symbol);
    if (id < 0) throw new UsageError(`${frame.symbol} is not one of the pooled symbols ${pooledSymbols.join(', ')}`, `use one of ${pooledSymbols.join(', ')}`);
    columns.push(new Float64Array(frame.rows).fill(id));
    names.push(SYMBOL_ID);
  }
  return { symbol: frame.symbol, X: { columns, names, numRows: frame.rows }, time: frame.time, warmupRows: frame.warmupRows, lookback: frame.lookback, labels: frame.labels };
}

/** Build the inputs of a feature set (training a family, walk-forward): the frame request as is, nothing pooled. */
export async function buildInputs(store: Store, request: FeatureFrameRequest): Promise<ModelInputs> {
  return inputsFromFrame(await buildFeatureFrame(store, request), null);
}

/** Rows [from, to) of a range as `from` and `to` bar times (undefined: open-ended). */
export interface TimeRange {
  from?: number;
  to?: number;
  /**
   * Instead of from/to: only the newest rows, with features computed from a bounded window of the newest bars rather
   * than the whole history (src/dataset/feature-frame.ts `newest`): timing a model on current data.
   */
  newest?: number;
}

/**
 * The inputs of a registered model for `symbol`: its stored feature set and references, `symbol_id` for a pooled
 * model, checked to be exactly the inputs the model was made with.
 * @throws UsageError when the model was not trained on `symbol`; DataError when the set now yields other columns.
 */
export async function registeredModelInputs(store: Store, doc: RegistryModelDocument, modelId: string, symbol: string, range: TimeRange = {}, labels: readonly LabelSpec[] = []): Promise<ModelInputs> {
  if (!doc.symbols.includes(symbol)) {
    throw new UsageError(`model ${modelId} was trained on ${doc.symbols.join(', ')}, not ${symbol}`, `use one of ${doc.symbols.join(', ')}`);
  }
  const frame = await buildFeatureFrame(store, { symbol, interval: doc.interval, set: doc.featureSet.spec, references: doc.featureSet.references, from: range.from, to: range.to, newest: range.newest, labels: labels.length ? [...labels] : undefined });
  const inputs = inputsFromFrame(frame, doc.pooledSymbols);
  const names = inputs.X.names;
  if (names.length !== doc.featureSet.names.length || names.some((n, i) => n !== doc.featureSet.names[i])) {
    throw new DataError(`the feature set of model ${modelId} now yields columns that differ from the model's`,
      'feature definitions changed since training; retrain the model on the current feature set');
  }
  return inputs;
}

/** Rows [start, end) of a frame, as views (no copy). */
export function selectRange(X: FeatureColumns, start: number, end: number): FeatureColumns {
  return { columns: X.columns.map((c) => c.subarray(start, end)), names: X.names, numRows: end - start };
}
