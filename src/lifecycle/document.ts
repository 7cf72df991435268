/**
 * The registry model document (`pulse-registry-model`): the file the registry stores for every model version,
 * whether `pulse train` fitted it or `pulse models import` brought it in. It holds the family's own model document
 * plus everything needed to rebuild the model's inputs (feature-set spec and hash, references, pooled symbols) and
 * to read its output (target, task, class values, conformal half-widths). See docs/model-format.md.
 *
 * One writer ({@link writeRegistryDocument}) and one strict reader ({@link readRegistryDocument}) whose errors name
 * the bad field; every reader of a registered model (prediction, backtests, explain, export) goes through it.
 * Older layouts are brought to the current one by {@link migrateRegistryDocument} before they are checked.
 */
import { ModelFormatError, PulseError, toError } from '../core/errors.js';
import { parseInterval, type Interval } from '../core/interval.js';
import type { ConformalLevel, ConformalResult } from '../evaluation/conformal.js';
import { featureSetHash, parseFeatureSetSpec, type FeatureSetSpec } from '../features/feature-set.js';
import { TASKS, type Task } from '../models/model.js';
import type { ModelVersion } from '../registry/registry.js';
import { targetLabel, TARGETS, type TargetSpec } from './targets.js';

/** The `format` marker of the document. */
export const REGISTRY_MODEL_FORMAT = 'pulse-registry-model';

/** The layout version this pulse writes; the reader migrates older ones and refuses newer ones. */
export const REGISTRY_MODEL_VERSION = 1;

/** The registry's model file, as the writer makes it and the reader returns it. */
export interface RegistryModelDocument {
  format: typeof REGISTRY_MODEL_FORMAT;
  formatVersion: typeof REGISTRY_MODEL_VERSION;
  /** The symbols the model was trained on (one, or the pooled symbols). */
  symbols: string[];
  interval: Interval;
  target: TargetSpec;
  /** The learning task of the target (`targetLabel(target).task`). */
  task: Task;
  /** Label value of each class index (classification), empty for regression. */
  classValues: number[];
  /** The feature set the model reads: spec, its hash at training, the model's input names, reference symbols. */
  featureSet: { spec: FeatureSetSpec; hash: string; names: string[]; references: Record<string, string> };
  /** The symbols of a pooled model (its last input, `symbol_id`, is the index in this list), else null. */
  pooledSymbols: string[] | null;
  /** Split-conformal half-widths (regression models trained by pulse), else null. */
  conformal: ConformalResult | null;
  /** The family's model document (`pulse-model`), read by `modelFromJSON`. */
  model: Record<string, unknown>;
}

/** What the writer needs: the document without its markers and hash (computed here). */
export interface RegistryDocumentInput {
  symbols: readonly string[];
  interval: Interval;
  target: TargetSpec;
  task: Task;
  classValues: readonly number[];
  featureSet: { spec: FeatureSetSpec; names: readonly string[]; references: Record<string, string> };
  pooledSymbols: readonly string[] | null;
  conformal: ConformalResult | null;
  /** The family's model document (`Model.toJSON()`, or one made by `makeDocument`). */
  model: object;
}

/** The document of a model version (the only place the markers and the feature-set hash are put together). */
export function registryDocument(input: RegistryDocumentInput): RegistryModelDocument {
  return {
    format: REGISTRY_MODEL_FORMAT,
    formatVersion: REGISTRY_MODEL_VERSION,
    symbols: [...input.symbols],
    interval: input.interval,
    target: input.target,
    task: input.task,
    classValues: [...input.classValues],
    featureSet: { spec: input.featureSet.spec, hash: featureSetHash(input.featureSet.spec), names: [...input.featureSet.names], references: input.featureSet.references },
    pooledSymbols: input.pooledSymbols === null ? null : [...input.pooledSymbols],
    conformal: input.conformal,
    model: input.model as Record<string, unknown>,
  };
}

/** The file content of a model version's document. */
export function writeRegistryDocument(doc: RegistryModelDocument): string {
  return JSON.stringify(doc);
}

function bad(modelId: string, field: string, why: string): never {
  throw new ModelFormatError(`model ${modelId}: registry document field ${field} ${why}`, 'the model file is damaged or was written by another tool; retrain or re-import the model');
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function stringArray(v: unknown, modelId: string, field: string): string[] {
  if (!Array.isArray(v) || v.some((s) => typeof s !== 'string')) bad(modelId, field, 'must be an array of strings');
  return v as string[];
}

/**
 * Bring a parsed document to the current layout. Version 1 is the only layout pulse has written, so it passes
 * unchanged; a future layout change adds its step here (`if (version === 1) doc = v1ToV2(doc)`) so files of every
 * earlier version stay readable. A newer version than this pulse knows is refused: its fields may mean things this
 * reader cannot tell.
 * @throws ModelFormatError for a missing marker, a version that is not a positive integer, or a newer version.
 */
export function migrateRegistryDocument(doc: Record<string, unknown>, modelId: string): Record<string, unknown> {
  if (doc.format !== REGISTRY_MODEL_FORMAT) bad(modelId, 'format', `must be "${REGISTRY_MODEL_FORMAT}", got ${JSON.stringify(doc.format)}`);
  const version = doc.formatVersion;
  if (typeof version !== 'number' || !Number.isInteger(version) || version < 1) bad(modelId, 'formatVersion', `must be a positive integer, got ${JSON.stringify(version)}`);
  if (version > REGISTRY_MODEL_VERSION) {
    throw new ModelFormatError(
      `model ${modelId}: registry document version ${version} is newer than this pulse reads (${REGISTRY_MODEL_VERSION})`,
      'upgrade pulse to read models written by a newer version',
    );
  }
  return doc;
}

function readTarget(v: unknown, modelId: string): TargetSpec {
  if (!isObject(v)) bad(modelId, 'target', 'must be an object');
  if (!(TARGETS as readonly unknown[]).includes(v.name)) bad(modelId, 'target.name', `must be one of ${TARGETS.join(', ')}, got ${JSON.stringify(v.name)}`);
  if (!Number.isInteger(v.horizon) || (v.horizon as number) < 1) bad(modelId, 'target.horizon', `must be a whole number of bars >= 1, got ${JSON.stringify(v.horizon)}`);
  for (const key of ['deadZone', 'profitTake', 'stopLoss', 'volWindow'] as const) {
    if (typeof v[key] !== 'number' || !Number.isFinite(v[key])) bad(modelId, `target.${key}`, `must be a finite number, got ${JSON.stringify(v[key])}`);
  }
  if (v.classes !== 'binary' && v.classes !== 'ternary') bad(modelId, 'target.classes', `must be "binary" or "ternary", got ${JSON.stringify(v.classes)}`);
  return v as unknown as TargetSpec;
}

/** Conformal levels as stored: JSON writes an infinite half-width and an unknown test coverage as null. */
function readConformal(v: unknown, modelId: string): ConformalResult | null {
  if (v === null || v === undefined) return null;
  if (!isObject(v) || !Number.isInteger(v.calibrationRows) || !Array.isArray(v.levels)) bad(modelId, 'conformal', 'must be null or hold calibrationRows and levels');
  const levels = (v.levels as unknown[]).map((l, i): ConformalLevel => {
    const ok = isObject(l) && typeof l.coverage === 'number' && (typeof l.halfWidth === 'number' || l.halfWidth === null) && (typeof l.testCoverage === 'number' || l.testCoverage === null);
    if (!ok) bad(modelId, `conformal.levels[${i}]`, 'must hold a coverage, a half-width (or null) and a test coverage (or null)');
    return { coverage: l.coverage as number, halfWidth: (l.halfWidth as number | null) ?? Infinity, testCoverage: (l.testCoverage as number | null) ?? NaN };
  });
  return { calibrationRows: v.calibrationRows as number, levels };
}

/**
 * Parse, migrate and check a registry model document: every field, and that they agree (the task is the target's,
 * classification models have their class values, a pooled model's inputs end with `symbol_id`). The family document
 * inside is checked by its own strict reader when the model is built (`modelFromJSON`).
 * @throws ModelFormatError naming the bad field.
 */
export function readRegistryDocument(text: string, modelId: string): RegistryModelDocument {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (err) {
    throw new ModelFormatError(`model ${modelId}: the model file is not valid JSON (${toError(err).message})`, 'restore the file from a backup or retrain the model');
  }
  if (!isObject(parsed)) bad(modelId, '(root)', 'must be an object');
  const doc = migrateRegistryDocument(parsed, modelId);
  const symbols = stringArray(doc.symbols, modelId, 'symbols');
  if (symbols.length === 0) bad(modelId, 'symbols', 'is empty');
  let interval: Interval;
  try {
    interval = parseInterval(String(doc.interval));
  } catch {
    bad(modelId, 'interval', `is not an interval: ${JSON.stringify(doc.interval)}`);
  }
  const target = readTarget(doc.target, modelId);
  if (!TASKS.includes(doc.task as Task)) bad(modelId, 'task', `must be one of ${TASKS.join(', ')}, got ${JSON.stringify(doc.task)}`);
  const task = doc.task as Task;
  if (targetLabel(target).task !== task) bad(modelId, 'task', `is ${task}, but target ${target.name} is learnt as ${targetLabel(target).task}`);
  if (!Array.isArray(doc.classValues) || doc.classValues.some((v) => typeof v !== 'number')) bad(modelId, 'classValues', 'must be an array of numbers');
  const classValues = doc.classValues as number[];
  const classes = task === 'regression' ? 0 : task === 'binary' ? 2 : -1;
  if (classes >= 0 ? classValues.length !== classes : classValues.length < 3) {
    bad(modelId, 'classValues', `has ${classValues.length} values, which does not fit a ${task} model`);
  }
  const fs = doc.featureSet;
  if (!isObject(fs)) bad(modelId, 'featureSet', 'must be an object');
  if (typeof fs.hash !== 'string') bad(modelId, 'featureSet.hash', 'must be a string');
  const names = stringArray(fs.names, modelId, 'featureSet.names');
  if (!isObject(fs.references) || Object.values(fs.references).some((s) => typeof s !== 'string')) bad(modelId, 'featureSet.references', 'must map reference names to symbols');
  let spec: FeatureSetSpec;
  try {
    spec = parseFeatureSetSpec(fs.spec);
  } catch (err) {
    if (!(err instanceof PulseError)) throw err;
    bad(modelId, 'featureSet.spec', `is not a valid feature set (${err.message})`);
  }
  const pooled = doc.pooledSymbols === null || doc.pooledSymbols === undefined ? null : stringArray(doc.pooledSymbols, modelId, 'pooledSymbols');
  if (pooled !== null && names[names.length - 1] !== SYMBOL_ID) bad(modelId, 'featureSet.names', `of a pooled model must end with ${SYMBOL_ID}`);
  if (!isObject(doc.model)) bad(modelId, 'model', 'must be an object');
  return {
    format: REGISTRY_MODEL_FORMAT,
    formatVersion: REGISTRY_MODEL_VERSION,
    symbols,
    interval,
    target,
    task,
    classValues,
    featureSet: { spec, hash: fs.hash, names, references: fs.references as Record<string, string> },
    pooledSymbols: pooled,
    conformal: readConformal(doc.conformal, modelId),
    model: doc.model,
  };
}

/** The last input of a pooled model: the symbol's index in the document's `pooledSymbols`. */
export const SYMBOL_ID = 'symbol_id';

/**
 * Check that this pulse computes a model's feature set as it did when the model was made: the stored spec
 * hashes to the stored hash (and to the registry's). Feature definitions that changed since would feed the model
 * different numbers under the same names.
 * @throws ModelFormatError (exit 3) when the hashes differ.
 */
export function checkFeatureSetHash(model: ModelVersion, doc: RegistryModelDocument): void {
  const now = featureSetHash(doc.featureSet.spec);
  if (now !== doc.featureSet.hash || now !== model.featureSetHash) {
    throw new ModelFormatError(
      `the feature set "${doc.featureSet.spec.name}" of model ${model.id} no longer computes the features the model was made with (hash ${now.slice(0, 12)}..., model ${doc.featureSet.hash.slice(0, 12)}...)`,
      'feature definitions changed since; retrain (or re-import) the model on the current feature set',
    );
  }
}
