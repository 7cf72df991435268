/**
 * A retraining of a slot: `pulse train` with the slot's current settings (those of its active model: family,
 * target, parameters, feature set and references, validation scheme and seed) on the data stored up to now. The new
 * version registers as the slot's shadow (the promotion gate decides whether it replaces the active model); the
 * job records what triggered it.
 */
import { DataError } from '../core/errors.js';
import { readRegisteredDocument } from '../lifecycle/load.js';
import type { TrainWindow, CvScheme } from '../evaluation/splits.js';
import type { ModelFamily } from '../models/model.js';
import { activeModel } from '../registry/registry.js';
import type { JobTrigger } from '../store/records.js';
import type { Store } from '../store/store.js';
import { trainJob, type TrainDeps, type TrainJobResult, type TrainRequest } from './train-job.js';

/** Validation settings recorded in a model's metrics by `pulse train`. */
interface RecordedValidation {
  cv: CvScheme;
  folds: number;
  window: TrainWindow;
  embargo: number;
  testSize: number;
}

/**
 * The TrainRequest that retrains `slot` (e.g. `ACME|1d|return|h1`) as its active model was trained, on all bars
 * stored now, registering a shadow.
 * @throws DataError when the slot has no active model, or its model's record lacks the settings pulse train records.
 */
export async function retrainRequest(store: Store, slot: string, trigger: JobTrigger): Promise<TrainRequest> {
  const active = await activeModel(store, slot);
  if (!active) throw new DataError(`slot ${slot} has no active model to retrain`, '`pulse models ls --status active` lists the slots; train one with `pulse train`');
  const doc = readRegisteredDocument(active);
  const validation = (active.metrics as { validation?: Partial<RecordedValidation> }).validation;
  if (!validation?.cv || !validation.folds || !validation.window || validation.embargo === undefined || validation.testSize === undefined) {
    throw new DataError(`model ${active.id} records no training settings (it was imported, not trained by pulse)`, 'retrain it with `pulse train` and the settings you want');
  }
  return {
    symbols: [...doc.symbols],
    interval: doc.interval,
    family: active.family as ModelFamily,
    target: doc.target,
    set: doc.featureSet.spec,
    references: doc.featureSet.references,
    params: active.params,
    cv: validation.cv,
    folds: validation.folds,
    window: validation.window,
    embargo: validation.embargo,
    testSize: validation.testSize,
    pooled: doc.pooledSymbols !== null,
    seed: active.seed,
    activate: false,
    trigger,
  };
}

/** Retrain `slot` (see {@link retrainRequest}) and register the new version as its shadow. */
export async function retrainSlot(slot: string, trigger: JobTrigger, deps: TrainDeps): Promise<TrainJobResult> {
  return trainJob(await retrainRequest(deps.store, slot, trigger), deps);
}
