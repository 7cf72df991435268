/**
 * `pulse models compress`: a registered model made smaller and faster within a level's tolerances, scored against
 * the original on the model's own held-out test tail (the newest labelled rows of its training window, which the
 * final fit never saw), and registered as a new shadow version whose parent is the original. The family does the
 * compressing (its `compress` trait, src/models/compression.ts); this module rebuilds the test rows, supplies the
 * loss from the metric set, measures both models side by side and registers the result.
 */
import { performance } from 'node:perf_hooks';
import { DataError, UsageError } from '../core/errors.js';
import { slotScope, type LockFn } from '../core/lock.js';
import { throwIfAborted } from '../core/async.js';
import { medianMs } from '../core/measure.js';
import type { MetricName } from '../evaluation/metric/metric.js';
import { METRICS } from '../evaluation/metric/metrics.js';
import { classificationMetrics, regressionMetrics, type EvalMetrics } from '../evaluation/reports.js';
import { COMPRESSION_TOLERANCES, type CompressionLevel, type CompressionTolerances } from '../models/compression.js';
import { MODEL_FAMILIES, outputWidth, type FeatureColumns, type Model, type Task } from '../models/model.js';
import { familyTraits, modelFromJSON } from '../models/registry.js';
import { getModel, readModelDocument, registerModel, type ModelVersion } from '../registry/registry.js';
import type { Store } from '../store/store.js';
import { readRegistryDocument, registryDocument, writeRegistryDocument, type RegistryModelDocument } from './document.js';
import { registeredModelInputs } from './inputs.js';
import { loadRegisteredModel } from './load.js';
import { targetLabel } from './targets.js';

/** The loss a compression must keep, per task, from the one metric set. */
export const COMPRESSION_LOSS: Readonly<Record<Task, MetricName>> = { regression: 'rmse', binary: 'logloss', multiclass: 'multi_logloss' };

/** One model's side of the comparison. */
export interface CompressionSide {
  id: string;
  /** Size of the registered model file, bytes. */
  bytes: number;
  /** Median time of one single-row prediction, milliseconds. */
  singleRowMs: number;
  /** Median time of one prediction of every test-tail row, milliseconds. */
  batchMs: number;
  /** The task's loss (`metric`) on the test tail. */
  loss: number;
}

/** What `pulse models compress` did. */
export interface CompressResult {
  level: CompressionLevel;
  tolerances: CompressionTolerances;
  /** The level's tolerances in absolute terms: the largest allowed loss and prediction change on the test tail. */
  budget: { loss: number; maxAbsDiff: number };
  family: string;
  /** The loss metric (rmse, logloss or multi_logloss). */
  metric: MetricName;
  /** Test-tail rows scored. */
  rows: number;
  original: CompressionSide;
  compressed: CompressionSide & { status: string; parentId: string | null };
  /** compressed / original, per measure. */
  ratios: { bytes: number; singleRowMs: number; batchMs: number; loss: number };
  /** Largest |compressed - original| prediction over the test tail (every output of every row). */
  maxAbsDiff: number;
  /** What the family's compressor did (trees, leaves, encodings, coefficients). */
  steps: Record<string, unknown>;
}

/** What a compression needs besides the store. */
export interface CompressRequest {
  id: string;
  level: CompressionLevel;
  now: number;
  lock?: LockFn;
  signal?: AbortSignal;
}

interface TestTail {
  X: FeatureColumns;
  y: Float64Array;
}

/** The test-tail range a trained model's metrics record, or a UsageError saying why there is none. */
function testRange(version: ModelVersion): { start: number; end: number } {
  const ranges = (version.metrics as { ranges?: { test?: { rows?: number; startTime?: number | null; endTime?: number | null } } | null }).ranges;
  const t = ranges?.test;
  if (!t || !t.rows || typeof t.startTime !== 'number' || typeof t.endTime !== 'number') {
    throw new UsageError(`model ${version.id} has no held-out test tail to check a compression against (it was imported, or trained with --test-size 0)`,
      'compress a model trained by pulse train with a test tail (--test-size > 0)');
  }
  return { start: t.startTime, end: t.endTime };
}

/**
 * The model's test tail rebuilt through its own inputs: every symbol's rows with bar times in the recorded test
 * range and a known label, labels as class indices for classification.
 */
async function testTail(store: Store, version: ModelVersion, doc: RegistryModelDocument): Promise<TestTail> {
  const { start, end } = testRange(version);
  const { label } = targetLabel(doc.target);
  const classIndex = new Map(doc.classValues.map((v, i) => [v, i]));
  const columns: number[][] = doc.featureSet.names.map(() => []);
  const y: number[] = [];
  for (const symbol of doc.symbols) {
    const inputs = await registeredModelInputs(store, doc, version.id, symbol, { from: start }, [label]);
    const labels = inputs.labels[0];
    for (let r = inputs.warmupRows; r < inputs.X.numRows; r++) {
      if (inputs.time[r] > end) break;
      const v = doc.task === 'regression' ? labels[r] : classIndex.get(labels[r]) ?? NaN;
      if (!Number.isFinite(v)) continue;
      y.push(v);
      inputs.X.columns.forEach((c, f) => columns[f].push(c[r]));
    }
  }
  if (y.length === 0) {
    throw new DataError(`the test tail of model ${version.id} (${new Date(start).toISOString()} .. ${new Date(end).toISOString()}) has no labelled rows in the store now`,
      'the bars of that range were removed; collect them again or compress a newer model');
  }
  return { X: { columns: columns.map((c) => Float64Array.from(c)), names: doc.featureSet.names, numRows: y.length }, y: Float64Array.from(y) };
}

function standardDeviation(values: Float64Array): number {
  let mean = 0;
  for (const v of values) mean += v / values.length;
  let ss = 0;
  for (const v of values) ss += (v - mean) ** 2;
  return Math.sqrt(ss / values.length);
}

/**
 * A level's tolerances in absolute terms for a model's predictions on the check rows (`reference`): the largest
 * allowed loss (`original + lossRise x |original|`) and prediction change (`predictionShift` x the standard deviation
 * of the reference predictions), and the check every compression step must pass.
 */
export function compressionBudget(reference: Float64Array, lossOf: (p: Float64Array) => number, tolerances: CompressionTolerances): {
  budget: { loss: number; maxAbsDiff: number };
  accept: (p: Float64Array) => boolean;
} {
  const original = lossOf(reference);
  const budget = { loss: original + tolerances.lossRise * Math.abs(original), maxAbsDiff: tolerances.predictionShift * standardDeviation(reference) };
  const accept = (p: Float64Array): boolean => {
    if (!(lossOf(p) <= budget.loss)) return false;
    for (let i = 0; i < p.length; i++) if (!(Math.abs(p[i] - reference[i]) <= budget.maxAbsDiff)) return false;
    return true;
  };
  return { budget, accept };
}

/**
 * A model's predictions on `tail` with their loss, and the median time of a single-row prediction (the last row)
 * and of the whole batch, through `Model.predict` (the path every prediction takes).
 */
export function measurePredictions(model: Model, tail: { X: FeatureColumns }, lossOf: (p: Float64Array) => number): { singleRowMs: number; batchMs: number; loss: number; pred: Float64Array } {
  const last = tail.X.numRows - 1;
  const one: FeatureColumns = { columns: tail.X.columns.map((c) => c.subarray(last, last + 1)), names: tail.X.names, numRows: 1 };
  const pred = model.predict(tail.X);
  return { singleRowMs: medianMs(() => model.predict(one), 5, 200), batchMs: medianMs(() => model.predict(tail.X), 5, 300), loss: lossOf(pred), pred };
}

/**
 * Compress a registered model at `level` (see the module note): the result is registered as a shadow version
 * with the original as parent and the level, tolerances and steps in its lineage (`metrics.compression`).
 * @throws UsageError (exit 2) for a family that cannot be compressed or a model without a test tail;
 *   DataError/ModelFormatError (exit 3) for missing bars or a damaged model file.
 */
export async function compressModel(store: Store, request: CompressRequest): Promise<CompressResult> {
  const version = await getModel(store, request.id);
  const compress = (MODEL_FAMILIES as readonly string[]).includes(version.family)
    ? familyTraits(version.family as (typeof MODEL_FAMILIES)[number]).compress
    : undefined;
  if (!compress) {
    const able = MODEL_FAMILIES.filter((f) => familyTraits(f).compress !== undefined);
    throw new UsageError(`compression is not available for model ${version.id}: family ${version.family} cannot be compressed`, `compression works on ${able.join(', ')} models`);
  }
  const held = await request.lock?.([slotScope(version.slot)]);
  try {
    const loaded = loadRegisteredModel(version);
    const doc = loaded.document;
    const tail = await testTail(store, version, doc);
    const metric = COMPRESSION_LOSS[doc.task];
    const width = outputWidth(doc.task, loaded.model.numClass);
    const lossOf = (p: Float64Array) => METRICS[metric].evaluate(tail.y, p, width);
    const tolerances = COMPRESSION_TOLERANCES[request.level];
    const reference = loaded.model.predict(tail.X);
    if (!Number.isFinite(lossOf(reference))) {
      throw new DataError(`the ${metric} of model ${version.id} on its test tail is not a number`, 'the test-tail rows hold missing values the model cannot score');
    }
    const { budget, accept } = compressionBudget(reference, lossOf, tolerances);
    const started = performance.now();
    const outcome = await compress(loaded.model, tolerances, { X: tail.X, loss: lossOf, accept });
    const compressMs = performance.now() - started;
    throwIfAborted(request.signal);

    const text = writeRegistryDocument(registryDocument({ ...doc, model: outcome.model.toJSON() }));
    // the compressed model as prediction will load it: through the strict readers
    const reread = modelFromJSON(readRegistryDocument(text, `${version.id} (compressed)`).model);
    const before = measurePredictions(loaded.model, tail, lossOf);
    const after = measurePredictions(reread, tail, lossOf);
    let maxAbsDiff = 0;
    for (let i = 0; i < before.pred.length; i++) maxAbsDiff = Math.max(maxAbsDiff, Math.abs(after.pred[i] - before.pred[i]));
    const evaluate = (p: Float64Array): EvalMetrics => (doc.task === 'regression' ? regressionMetrics(tail.y, p) : classificationMetrics(tail.y, p, loaded.model.numClass));
    const originalBytes = Buffer.byteLength(readModelDocument(version));
    const description = reread.describe();
    const lineage = {
      level: request.level, tolerances, budget, parent: version.id, metric, rows: tail.y.length, steps: outcome.steps,
      loss: { original: before.loss, compressed: after.loss }, maxAbsDiff, bytes: { original: originalBytes, compressed: Buffer.byteLength(text) },
    };
    throwIfAborted(request.signal);
    const registered = await registerModel(store, {
      family: version.family,
      mode: version.mode,
      symbols: version.symbols,
      interval: doc.interval,
      target: version.target,
      horizon: version.horizon,
      params: description.params,
      seed: version.seed,
      featureSet: { name: version.featureSet, hash: version.featureSetHash, names: version.featureNames },
      trainFrom: version.trainFrom,
      trainTo: version.trainTo,
      dataHash: version.dataHash,
      // the parent's training record, with the test tail re-scored for the compressed model
      metrics: { ...version.metrics, test: evaluate(after.pred), importance: description.featureImportance, compression: lineage },
      parentId: version.id,
      trainDurationMs: Math.round(compressMs),
      engineVersion: version.engineVersion,
      document: text,
      shadow: true,
    }, request.now);
    const ratio = (a: number, b: number) => (b === 0 ? (a === 0 ? 1 : Infinity) : a / b);
    const original: CompressionSide = { id: version.id, bytes: originalBytes, singleRowMs: before.singleRowMs, batchMs: before.batchMs, loss: before.loss };
    const compressed = { id: registered.id, bytes: registered.fileSize, singleRowMs: after.singleRowMs, batchMs: after.batchMs, loss: after.loss, status: registered.status, parentId: registered.parentId };
    return {
      level: request.level, tolerances, budget, family: version.family, metric, rows: tail.y.length, original, compressed,
      ratios: {
        bytes: ratio(compressed.bytes, original.bytes), singleRowMs: ratio(compressed.singleRowMs, original.singleRowMs),
        batchMs: ratio(compressed.batchMs, original.batchMs), loss: ratio(compressed.loss, original.loss),
      },
      maxAbsDiff,
      steps: outcome.steps,
    };
  } finally {
    held?.release();
  }
}
