/**
 * The registry: the store of registered model versions (records with lineage, checksummed files) and the status
 * rules of a slot. What a version's file holds and how it is read is the lifecycle's (src/lifecycle/document.ts);
 * the families' factories are the model registry of src/models/registry.ts.
 *
 * A slot is what a model forecasts: (symbols, interval, target, horizon). The first model of a slot becomes
 * `active`; later ones start as `shadow` (the promotion gate decides when one replaces the active model), unless
 * registered with `activate`, which retires the previous active model, or with `shadow` (a model tuned by
 * `pulse optimize --register` starts as shadow even in an empty slot). At most one model per slot is active,
 * enforced by the store (partial unique index) and by doing every change in one IMMEDIATE transaction.
 */
import { rmSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { DataError, UsageError } from '../core/errors.js';
import type { Interval } from '../core/interval.js';
import { slotScope, type LockFn } from '../core/lock.js';
import { MODEL_FAMILIES, type ModelFamily } from '../models/model.js';
import { familyTraits } from '../models/registry.js';
import type { ModelRecord, ModelStatus } from '../store/records.js';
import type { Store } from '../store/store.js';
import { MODELS_DIR, readVerified, writeFileAtomic } from './model-files.js';

/** What a slot is made of. */
export interface SlotKey {
  symbols: readonly string[];
  interval: Interval;
  target: string;
  horizon: number;
}

/** The canonical slot string, e.g. `AAPL|1d|return|h1` (symbols sorted, joined with +). */
export function slotOf(k: SlotKey): string {
  return `${[...k.symbols].sort().join('+')}|${k.interval}|${k.target}|h${k.horizon}`;
}


/** The short family name of model ids (`lgbm-AAPL-1d-v3`); a family pulse does not know keeps its name. */
function idPrefixOf(family: string): string {
  return (MODEL_FAMILIES as readonly string[]).includes(family) ? familyTraits(family as ModelFamily).idPrefix : family;
}

/** Everything the registry records about a new model version. */
export interface RegisterInput extends SlotKey {
  family: string;
  mode: string;
  params: Record<string, unknown>;
  seed: number;
  featureSet: { name: string; hash: string; names: readonly string[] };
  trainFrom: number;
  trainTo: number;
  dataHash: string;
  /** Metrics document (CV, test tail, baseline, conformal, importance). */
  metrics: unknown;
  parentId?: string | null;
  jobId?: number | null;
  /** The study whose best parameters the model was trained with (lineage). */
  study?: string | null;
  trainDurationMs: number;
  engineVersion: string;
  /** The model file's content (the model's own JSON document). */
  document: string;
  /** Make this model the slot's active one (retiring the current active model). */
  activate?: boolean;
  /**
   * Register as a shadow even when the slot has no active model: a tuned model or a compressed copy reaches active
   * only through the promotion gate or `pulse models activate`.
   */
  shadow?: boolean;
}

/** A registered model: its record, and where its file is in this home. */
export interface ModelVersion extends ModelRecord {
  /** The model file's absolute path in this home (`filePath` is stored relative to the home). */
  file: string;
}

export function toModelVersion(store: Store, record: ModelRecord): ModelVersion {
  return { ...record, file: resolve(store.home, record.filePath) };
}

/**
 * Register a model: number it, write its file atomically into the home's models directory, and insert its row
 * with the file's path relative to the home (a copied or moved home keeps working), all under the store's write
 * lock. If the row cannot be inserted the file is removed: never a half-registered model.
 */
export async function registerModel(store: Store, input: RegisterInput, now: number): Promise<ModelVersion> {
  const slot = slotOf(input);
  let written: string | undefined;
  try {
    return await store.transaction(async (tx): Promise<ModelVersion> => {
      const prefix = `${idPrefixOf(input.family)}-${[...input.symbols].sort().join('+')}-${input.interval}-v`;
      const taken = (await tx.models.idsWithPrefix(prefix)).map((id) => Number(id.slice(prefix.length))).filter(Number.isInteger);
      const id = `${prefix}${Math.max(0, ...taken) + 1}`;
      const relative = `${MODELS_DIR}/${id}.json`;
      const file = join(store.home, relative);
      const { size, sha256 } = writeFileAtomic(file, input.document);
      written = file;
      const active = await tx.models.active(slot);
      const status: ModelStatus = input.activate ? 'active' : input.shadow || active ? 'shadow' : 'active';
      if (active && input.activate) await tx.models.setStatus(active.id, 'retired', now);
      const record: ModelRecord = {
        id,
        family: input.family,
        mode: input.mode,
        symbols: [...input.symbols].sort(),
        slot,
        version: await tx.models.nextVersion(slot),
        interval: input.interval,
        target: input.target,
        horizon: input.horizon,
        params: input.params,
        seed: input.seed,
        featureSet: input.featureSet.name,
        featureSetHash: input.featureSet.hash,
        featureNames: [...input.featureSet.names],
        trainFrom: input.trainFrom,
        trainTo: input.trainTo,
        dataHash: input.dataHash,
        metrics: input.metrics as Record<string, unknown>,
        status,
        statusChangedAt: now,
        parentId: input.parentId ?? active?.id ?? null,
        jobId: input.jobId ?? null,
        study: input.study ?? null,
        createdAt: now,
        trainDurationMs: input.trainDurationMs,
        engineVersion: input.engineVersion,
        filePath: relative,
        fileSize: size,
        fileSha256: sha256,
      };
      await tx.models.insert(record);
      return toModelVersion(store, record);
    });
  } catch (err) {
    if (written) rmSync(written, { force: true });
    throw err;
  }
}

/** A model by id, or a DataError naming the ids that exist. */
export async function getModel(store: Pick<Store, 'models' | 'home'>, id: string): Promise<ModelVersion> {
  const record = await store.models.get(id);
  if (!record) {
    const some = (await store.models.list()).slice(0, 5).map((r) => r.id);
    throw new DataError(`no model "${id}" in the registry`, some.length ? `known models include ${some.join(', ')}; see \`pulse models ls\`` : 'train one first: pulse train SYMBOL --interval 1d');
  }
  return { ...record, file: resolve(store.home, record.filePath) };
}

/** The model file's content, verified against the registry's sha256 (ModelFormatError, exit 3, otherwise). */
export function readModelDocument(model: ModelVersion): string {
  return readVerified(model.file, model.fileSha256, model.id);
}

/** Models, newest first. */
export async function listModels(store: Store, filter: { status?: ModelStatus; symbol?: string; slot?: string } = {}): Promise<ModelVersion[]> {
  return (await store.models.list(filter)).map((record) => toModelVersion(store, record));
}

/** The active model of a slot, if any. */
export async function activeModel(store: Store, key: SlotKey | string): Promise<ModelVersion | undefined> {
  const record = await store.models.active(typeof key === 'string' ? key : slotOf(key));
  return record ? toModelVersion(store, record) : undefined;
}

/** Make `id` its slot's active model, retiring the previous one (one transaction). */
export async function activateModel(store: Store, id: string, now: number): Promise<{ activated: string; retired: string | null }> {
  return store.transaction(async (tx) => {
    const m = await getModel({ models: tx.models, home: store.home }, id);
    if (m.status === 'active') return { activated: id, retired: null };
    const current = await tx.models.active(m.slot);
    if (current) await tx.models.setStatus(current.id, 'retired', now);
    await tx.models.setStatus(id, 'active', now);
    return { activated: id, retired: current?.id ?? null };
  });
}

/** Retire a shadow model (it stops predicting; its record and file stay). */
export async function retireModel(store: Store, id: string, now: number): Promise<void> {
  await store.models.setStatus(id, 'retired', now);
}

/** Remove a model and its file; the active model only with `force`. */
export async function removeModel(store: Store, id: string, options: { force?: boolean } = {}): Promise<ModelVersion> {
  const m = await getModel(store, id);
  if (m.status === 'active' && !options.force) {
    throw new UsageError(`model ${id} is the active model of ${m.slot}`, 'activate another model first, or pass --force to remove it anyway');
  }
  await store.models.delete(id);
  rmSync(m.file, { force: true });
  return m;
}

/**
 * Archive a retired model: its status becomes `archived` (its row, metrics and predictions stay, for the record) and
 * its file is removed. Returns the bytes of the file removed (0 when it was already gone).
 * @throws UsageError when the model is not retired.
 */
export async function archiveModel(store: Store, id: string, now: number): Promise<number> {
  const m = await getModel(store, id);
  if (m.status !== 'retired') throw new UsageError(`model ${id} is ${m.status}, not retired`, 'only retired models are archived');
  await store.models.setStatus(id, 'archived', now);
  let bytes = 0;
  try {
    bytes = statSync(m.file).size;
  } catch {
    // already gone
  }
  rmSync(m.file, { force: true });
  return bytes;
}

/** A model as `pulse models ls` lists it: status since when, slot, the headline test metric, its predictions. */
export interface ModelSummary {
  id: string;
  status: ModelStatus;
  since: number;
  family: string;
  symbols: string[];
  interval: string;
  target: string;
  horizon: number;
  slot: string;
  featureSet: string;
  createdAt: number;
  parentId: string | null;
  /** The study whose best parameters the model was trained with (`pulse optimize`), else null. */
  study: string | null;
  predictions: number;
  /** The test-tail value of the task's headline metric (rmse for regression, auc for classification) beside naive's. */
  headline: { metric: string; test: unknown; naive: unknown };
}

/** Models, newest first, summarised for a listing. */
export async function modelSummaries(store: Store, filter: { status?: ModelStatus; symbol?: string } = {}): Promise<ModelSummary[]> {
  const counts = await store.predictions.counts();
  return (await store.models.list(filter)).map((m) => {
    const doc = m.metrics as { task?: string; test?: Record<string, unknown> | null; baselineTest?: Record<string, unknown> | null };
    const metric = doc.task === 'regression' ? 'rmse' : 'auc';
    return {
      id: m.id,
      status: m.status,
      since: m.statusChangedAt,
      family: m.family,
      symbols: m.symbols,
      interval: m.interval,
      target: m.target,
      horizon: m.horizon,
      slot: m.slot,
      featureSet: m.featureSet,
      createdAt: m.createdAt,
      parentId: m.parentId,
      study: m.study ?? null,
      predictions: counts.get(m.id) ?? 0,
      headline: { metric, test: doc.test?.[metric] ?? null, naive: doc.baselineTest?.[metric] ?? null },
    };
  });
}

/**
 * Change a model's slot (activate, remove) under the slot's lock: a training or promotion of the slot may be
 * running.
 */
export async function underSlotLock<T>(store: Store, id: string, lock: LockFn | undefined, change: () => Promise<T>): Promise<T> {
  const held = await lock?.([slotScope((await getModel(store, id)).slot)]);
  try {
    return await change();
  } finally {
    held?.release();
  }
}
