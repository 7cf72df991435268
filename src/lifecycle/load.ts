/**
 * A registered model loaded for prediction: the checksum-verified file, its feature-set spec (whose hash must still
 * match what the model was trained on), the target, the conformal half-widths and the fitted model itself.
 */
import { ModelFormatError, toError } from '../core/errors.js';
import { featureSetHash, featureSetSpecSchema, type FeatureSetSpec } from '../features/feature-set.js';
import type { Interval } from '../core/interval.js';
import type { Model, Task } from '../models/model.js';
import { modelFromJSON } from '../models/registry.js';
import { readModelDocument, type ModelVersion } from '../registry/registry.js';
import type { ConformalResult } from '../evaluation/conformal.js';
import type { TargetSpec } from './targets.js';
import { REGISTRY_MODEL_FORMAT } from '../train/train-job.js';

export interface LoadedModel {
  version: ModelVersion;
  model: Model;
  task: Task;
  target: TargetSpec;
  interval: Interval;
  classValues: number[];
  set: FeatureSetSpec;
  references: Record<string, string>;
  /** Symbols of a pooled model, in the order of its `symbol_id` feature; null for single-symbol models. */
  pooledSymbols: string[] | null;
  conformal: ConformalResult | null;
}

/** Load a registered model (ModelFormatError, exit 3, for a missing, modified or malformed file). */
export function loadRegisteredModel(version: ModelVersion): LoadedModel {
  const text = readModelDocument(version);
  let doc: Record<string, unknown>;
  try {
    doc = JSON.parse(text) as Record<string, unknown>;
  } catch (err) {
    throw new ModelFormatError(`the file of model ${version.id} is not valid JSON: ${toError(err).message}`, 'restore it from a backup or retrain the model');
  }
  if (doc.format !== REGISTRY_MODEL_FORMAT || doc.formatVersion !== 1) {
    throw new ModelFormatError(`the file of model ${version.id} is not a pulse registry model (format ${JSON.stringify(doc.format)} v${JSON.stringify(doc.formatVersion)})`, 'retrain or re-import the model');
  }
  const fs = doc.featureSet as { spec: unknown; hash: string; references?: Record<string, string> } | undefined;
  const parsed = featureSetSpecSchema.safeParse(fs?.spec);
  if (!fs || !parsed.success) throw new ModelFormatError(`the file of model ${version.id} has no valid featureSet.spec`, 'retrain the model');
  const hash = featureSetHash(parsed.data);
  if (hash !== fs.hash || hash !== version.featureSetHash) {
    throw new ModelFormatError(
      `model ${version.id} was trained on feature set "${parsed.data.name}" with hash ${version.featureSetHash.slice(0, 12)}, but this pulse computes ${hash.slice(0, 12)} for it`,
      'the feature definitions changed since training: retrain the model',
    );
  }
  return {
    version,
    model: modelFromJSON(doc.model),
    task: doc.task as Task,
    target: doc.target as TargetSpec,
    interval: doc.interval as Interval,
    classValues: (doc.classValues as number[]) ?? [],
    set: parsed.data,
    references: fs.references ?? {},
    pooledSymbols: (doc.pooledSymbols as string[] | null) ?? null,
    conformal: (doc.conformal as ConformalResult | null) ?? null,
  };
}
