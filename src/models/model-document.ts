/**
 * Writing and strictly reading the `ModelDocument` envelope shared by every family, plus typed field readers
 * for family state. Every reader failure is a `ModelFormatError` naming the bad field (`state.coef[3]`), so a
 * truncated or hand-edited model is refused with a message that says where.
 */
import { ModelFormatError } from '../core/errors.js';
import {
  MODEL_DOCUMENT_FORMAT, MODEL_DOCUMENT_VERSION, MODEL_FAMILIES, TASKS,
  type ModelDocument, type ModelFamily, type Task,
} from './model.js';

const HINT = 'the model document is corrupted, truncated or was edited by hand; retrain the model';

/** Throw a `ModelFormatError` about a field of a model document. */
export function badField(path: string, why: string): never {
  throw new ModelFormatError(`model document: ${path} ${why}`, HINT);
}

/** The value as a plain object, or a `ModelFormatError` naming `path`. */
export function readObject(value: unknown, path: string): Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) badField(path, 'must be an object');
  return value as Record<string, unknown>;
}

/** Refuse keys other than `allowed` (a misspelt field must not be silently ignored). */
export function onlyKeys(obj: Record<string, unknown>, path: string, allowed: readonly string[]): void {
  for (const key of Object.keys(obj)) if (!allowed.includes(key)) badField(`${path}.${key}`, 'is not a known field');
  for (const key of allowed) if (!(key in obj)) badField(`${path}.${key}`, 'is missing');
}

/** A finite number (or, with `integer`, an integer) at `path`. */
export function readNumber(value: unknown, path: string, integer = false): number {
  if (typeof value !== 'number' || !Number.isFinite(value) || (integer && !Number.isInteger(value))) {
    badField(path, `must be a finite ${integer ? 'integer' : 'number'}, got ${JSON.stringify(value)}`);
  }
  return value;
}

/** A string at `path`. */
export function readString(value: unknown, path: string): string {
  if (typeof value !== 'string') badField(path, `must be a string, got ${JSON.stringify(value)}`);
  return value;
}

/** An array of finite numbers at `path` (of `length` when given), as a Float64Array. */
export function readNumbers(value: unknown, path: string, length?: number): Float64Array {
  if (!Array.isArray(value)) badField(path, 'must be an array of numbers');
  if (length !== undefined && value.length !== length) badField(path, `has ${value.length} values, expected ${length}`);
  const out = new Float64Array(value.length);
  for (let i = 0; i < value.length; i++) out[i] = readNumber(value[i], `${path}[${i}]`);
  return out;
}

/** Finite numbers as a JSON array. */
export function writeNumbers(values: ArrayLike<number>): number[] {
  return Array.from(values);
}

/** Build the envelope of a family's document. */
export function makeDocument(
  family: ModelFamily, task: Task, numClass: number, featureNames: readonly string[],
  params: Record<string, number | string | boolean>, seed: number, state: Record<string, unknown>,
): ModelDocument {
  return {
    format: MODEL_DOCUMENT_FORMAT, formatVersion: MODEL_DOCUMENT_VERSION, family, task, numClass,
    featureNames: [...featureNames], params: { ...params }, seed, state,
  };
}

/**
 * Check a document's envelope (format, version, family, task, class count, feature names, params, seed) and
 * return it typed. `family` is the family the caller reads; another family is refused.
 */
export function readEnvelope(input: unknown, family: ModelFamily): ModelDocument {
  const doc = readObject(input, 'the document');
  onlyKeys(doc, 'document', ['format', 'formatVersion', 'family', 'task', 'numClass', 'featureNames', 'params', 'seed', 'state']);
  if (doc.format !== MODEL_DOCUMENT_FORMAT) badField('document.format', `must be "${MODEL_DOCUMENT_FORMAT}", got ${JSON.stringify(doc.format)}`);
  const version = readNumber(doc.formatVersion, 'document.formatVersion', true);
  if (version < 1 || version > MODEL_DOCUMENT_VERSION) {
    throw new ModelFormatError(`model document: formatVersion ${version} is not supported (this pulse reads 1..${MODEL_DOCUMENT_VERSION})`,
      'upgrade pulse to read models written by a newer version');
  }
  if (!MODEL_FAMILIES.includes(doc.family as ModelFamily)) badField('document.family', `must be one of ${MODEL_FAMILIES.join(', ')}, got ${JSON.stringify(doc.family)}`);
  if (doc.family !== family) badField('document.family', `is ${JSON.stringify(doc.family)}, but a ${family} model is being read`);
  if (!TASKS.includes(doc.task as Task)) badField('document.task', `must be one of ${TASKS.join(', ')}, got ${JSON.stringify(doc.task)}`);
  const task = doc.task as Task;
  const numClass = readNumber(doc.numClass, 'document.numClass', true);
  const classOk = task === 'regression' ? numClass === 1 : task === 'binary' ? numClass === 2 : numClass >= 3;
  if (!classOk) badField('document.numClass', `= ${numClass} does not fit task ${task}`);
  if (!Array.isArray(doc.featureNames) || doc.featureNames.length === 0 || doc.featureNames.some((n) => typeof n !== 'string')) {
    badField('document.featureNames', 'must be a non-empty array of strings');
  }
  if (new Set(doc.featureNames).size !== doc.featureNames.length) badField('document.featureNames', 'must be unique');
  const params = readObject(doc.params, 'document.params');
  for (const [k, v] of Object.entries(params)) {
    if (!['number', 'string', 'boolean'].includes(typeof v)) badField(`document.params.${k}`, 'must be a number, string or boolean');
  }
  const seed = readNumber(doc.seed, 'document.seed', true);
  const state = readObject(doc.state, 'document.state');
  return {
    format: MODEL_DOCUMENT_FORMAT, formatVersion: version, family, task, numClass,
    featureNames: doc.featureNames as string[], params: params as Record<string, number | string | boolean>, seed, state,
  };
}
