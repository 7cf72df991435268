/**
 * A registered model loaded for use: its file read with the registry's sha256 check, the document read by the one
 * strict reader, the feature-set hash checked against what the model was trained on, and the fitted model built by
 * the model registry. Prediction, backtests and explain all start here.
 */
import type { Interval } from '../core/interval.js';
import type { ConformalResult } from '../evaluation/conformal.js';
import type { FeatureSetSpec } from '../features/feature-set.js';
import type { Model, Task } from '../models/model.js';
import { modelFromJSON } from '../models/registry.js';
import { readModelDocument, type ModelVersion } from '../registry/registry.js';
import { checkFeatureSetHash, readRegistryDocument, type RegistryModelDocument } from './document.js';
import type { TargetSpec } from './targets.js';

/** A registered model ready to predict, with the document fields its callers use most. */
export interface LoadedModel {
  version: ModelVersion;
  document: RegistryModelDocument;
  model: Model;
  task: Task;
  target: TargetSpec;
  interval: Interval;
  classValues: number[];
  set: FeatureSetSpec;
  references: Record<string, string>;
  /** Symbols of a pooled model, in the order of its `symbol_id` input; null for single-symbol models. */
  pooledSymbols: string[] | null;
  conformal: ConformalResult | null;
}

/**
 * The verified, parsed document of a registered model (no model built, no hash check: what export needs).
 * @throws ModelFormatError (exit 3) for a missing or modified file, or a field the strict reader refuses.
 */
export function readRegisteredDocument(version: ModelVersion): RegistryModelDocument {
  return readRegistryDocument(readModelDocument(version), version.id);
}

/**
 * Load a registered model (see the module note).
 * @throws ModelFormatError (exit 3) for a missing, modified or malformed file, or a feature set whose hash changed.
 */
export function loadRegisteredModel(version: ModelVersion): LoadedModel {
  const document = readRegisteredDocument(version);
  checkFeatureSetHash(version, document);
  return {
    version,
    document,
    model: modelFromJSON(document.model),
    task: document.task,
    target: document.target,
    interval: document.interval,
    classValues: document.classValues,
    set: document.featureSet.spec,
    references: document.featureSet.references,
    pooledSymbols: document.pooledSymbols,
    conformal: document.conformal,
  };
}

/**
 * What a loaded model's inputs depend on besides the symbol: its feature set, references and pooled symbols. Models
 * with the same key read the same inputs, so a run builds them once (predict, health's timing).
 */
export function inputsKey(m: LoadedModel): string {
  return `${m.version.featureSetHash}|${JSON.stringify(m.references)}|${m.pooledSymbols?.join('+') ?? ''}`;
}
