/**
 * The model registry: versions with lineage, checksummed files, and the status rules of a slot.
 *
 * A slot is what a model forecasts: (symbols, interval, target, horizon). The first model of a slot becomes
 * `active`; later ones start as `shadow` (the promotion gate decides when one replaces the active model), unless
 * registered with `activate`, which retires the previous active model. At most one model per slot is active,
 * enforced by the store (partial unique index) and by doing every change in one IMMEDIATE transaction.
 */
import { rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { DataError, UsageError } from '../core/errors.js';
import type { Interval } from '../core/interval.js';
import {
  activeModelRow,
  deleteModelRow,
  getModelRow,
  idsWithPrefix,
  insertModelRow,
  listModelRows,
  nextSlotVersion,
  setModelStatus,
  type ModelRow,
  type ModelStatus,
} from '../store/models-repo.js';
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

const ID_PREFIX: Record<string, string> = {
  lightgbm: 'lgbm',
  xgboost: 'xgb',
  rf: 'rf',
  ridge: 'ridge',
  logistic: 'logit',
  naive: 'naive',
  ensemble: 'ens',
};

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
  trainDurationMs: number;
  engineVersion: string;
  /** The model file's content (the model's own JSON document). */
  document: string;
  /** Make this model the slot's active one (retiring the current active model). */
  activate?: boolean;
}

/** A registered model with its parsed JSON columns. */
export interface ModelVersion extends Omit<ModelRow, 'symbols' | 'params' | 'featureNames' | 'metrics'> {
  symbols: string[];
  params: Record<string, unknown>;
  featureNames: string[];
  metrics: Record<string, unknown>;
  /** The model file's absolute path in this home (`filePath` is stored relative to the home). */
  file: string;
}

export function toModelVersion(store: Store, row: ModelRow): ModelVersion {
  return {
    ...row,
    file: resolve(store.home, row.filePath),
    symbols: JSON.parse(row.symbols) as string[],
    params: JSON.parse(row.params) as Record<string, unknown>,
    featureNames: JSON.parse(row.featureNames) as string[],
    metrics: JSON.parse(row.metrics) as Record<string, unknown>,
  };
}

/**
 * Register a model: number it, write its file atomically into the home's models directory, and insert its row
 * with the file's path relative to the home (a copied or moved home keeps working), all under the store's write
 * lock. If the row cannot be inserted the file is removed: never a half-registered model.
 */
export function registerModel(store: Store, input: RegisterInput, now: number): ModelVersion {
  const slot = slotOf(input);
  let written: string | undefined;
  try {
    return store.db
      .transaction((): ModelVersion => {
        const prefix = `${ID_PREFIX[input.family] ?? input.family}-${[...input.symbols].sort().join('+')}-${input.interval}-v`;
        const taken = idsWithPrefix(store, prefix).map((id) => Number(id.slice(prefix.length))).filter(Number.isInteger);
        const id = `${prefix}${Math.max(0, ...taken) + 1}`;
        const relative = `${MODELS_DIR}/${id}.json`;
        const file = join(store.home, relative);
        const { size, sha256 } = writeFileAtomic(file, input.document);
        written = file;
        const active = activeModelRow(store, slot);
        const status: ModelStatus = !active || input.activate ? 'active' : 'shadow';
        if (active && input.activate) setModelStatus(store, active.id, 'retired', now);
        insertModelRow(store, {
          id,
          family: input.family,
          mode: input.mode,
          symbols: JSON.stringify([...input.symbols].sort()),
          slot,
          version: nextSlotVersion(store, slot),
          interval: input.interval,
          target: input.target,
          horizon: input.horizon,
          params: JSON.stringify(input.params),
          seed: input.seed,
          featureSet: input.featureSet.name,
          featureSetHash: input.featureSet.hash,
          featureNames: JSON.stringify(input.featureSet.names),
          trainFrom: input.trainFrom,
          trainTo: input.trainTo,
          dataHash: input.dataHash,
          metrics: JSON.stringify(input.metrics),
          status,
          statusChangedAt: now,
          parentId: input.parentId ?? active?.id ?? null,
          jobId: input.jobId ?? null,
          createdAt: now,
          trainDurationMs: input.trainDurationMs,
          engineVersion: input.engineVersion,
          filePath: relative,
          fileSize: size,
          fileSha256: sha256,
        });
        return toModelVersion(store, getModelRow(store, id) as ModelRow);
      })
      .immediate();
  } catch (err) {
    if (written) rmSync(written, { force: true });
    throw err;
  }
}

/** A model by id, or a DataError naming the ids that exist. */
export function getModel(store: Store, id: string): ModelVersion {
  const row = getModelRow(store, id);
  if (!row) {
    const some = listModelRows(store).slice(0, 5).map((r) => r.id);
    throw new DataError(`no model "${id}" in the registry`, some.length ? `known models include ${some.join(', ')}; see \`pulse models ls\`` : 'train one first: pulse train SYMBOL --interval 1d');
  }
  return toModelVersion(store, row);
}

/** The model file's content, verified against the registry's sha256 (ModelFormatError, exit 3, otherwise). */
export function readModelDocument(model: ModelVersion): string {
  return readVerified(model.file, model.fileSha256, model.id);
}

/** Models, newest first. */
export function listModels(store: Store, filter: { status?: ModelStatus; symbol?: string; slot?: string } = {}): ModelVersion[] {
  return listModelRows(store, filter).map((row) => toModelVersion(store, row));
}

/** The active model of a slot, if any. */
export function activeModel(store: Store, key: SlotKey | string): ModelVersion | undefined {
  const row = activeModelRow(store, typeof key === 'string' ? key : slotOf(key));
  return row ? toModelVersion(store, row) : undefined;
}

/** Make `id` its slot's active model, retiring the previous one (one transaction). */
export function activateModel(store: Store, id: string, now: number): { activated: string; retired: string | null } {
  return store.db
    .transaction(() => {
      const m = getModel(store, id);
      if (m.status === 'active') return { activated: id, retired: null };
      const current = activeModelRow(store, m.slot);
      if (current) setModelStatus(store, current.id, 'retired', now);
      setModelStatus(store, id, 'active', now);
      return { activated: id, retired: current?.id ?? null };
    })
    .immediate();
}

/** Remove a model and its file; the active model only with `force`. */
export function removeModel(store: Store, id: string, options: { force?: boolean } = {}): ModelVersion {
  const m = getModel(store, id);
  if (m.status === 'active' && !options.force) {
    throw new UsageError(`model ${id} is the active model of ${m.slot}`, 'activate another model first, or pass --force to remove it anyway');
  }
  store.db.transaction(() => deleteModelRow(store, id)).immediate();
  rmSync(m.file, { force: true });
  return m;
}
