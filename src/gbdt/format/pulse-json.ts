/**
 * pulse's own model format: versioned, self-describing JSON with one writer (`writePulseModel`) and one strict
 * reader (`readPulseModel`). The document carries the format and engine versions, origin, training mode,
 * objective, parameters, feature names, seed, best iteration, training-data hash and the trees in the shared
 * flat layout, plus a sha256 checksum of its content: a truncated, corrupted or hand-edited file is refused with
 * a `ModelFormatError` naming the bad field. Format version 2 adds an optional compact leaf encoding (float16 bit
 * patterns, or int8 codes with a per-tree scale) written by `pulse models compress`; a model without one is written
 * as version 1, byte for byte as before. See docs/model-format.md.
 */
import { createHash } from 'node:crypto';
import { InternalError, ModelFormatError } from '../../core/errors.js';
import type { GbdtModel, ModelOrigin, ObjectiveName, ObjectiveSpec } from '../model.js';
import { OBJECTIVE_TRANSFORM } from '../objective/transform.js';
import { fromFloat16Bits, fromInt8Code, INT8_MAX, toFloat16Bits, toInt8Code, type LeafEncoding, type LeafEncodingName } from '../leaf-encoding.js';
import type { Ensemble, Tree } from '../tree.js';
import { validateEnsemble } from './validate-ensemble.js';

/** The `format` marker of pulse model files. */
export const PULSE_FORMAT = 'pulse-gbdt';
/**
 * Current format version; readers refuse newer versions. Version 2 adds `ensemble.leafEncoding` (and `leafScale`
 * on int8 trees); the writer still writes version 1 for models with plain float64 leaves, and the reader reads
 * both (a version 1 file is a version 2 file with `leafEncoding: "float64"`).
 */
export const PULSE_FORMAT_VERSION = 2;

/** The first version with `ensemble.leafEncoding`. */
const LEAF_ENCODING_VERSION = 2;

const WHERE = 'pulse model';
const HINT = 'the file is corrupted, truncated or was edited by hand; retrain or restore it from a backup';

function fail(message: string, hint = HINT): never {
  throw new ModelFormatError(`${WHERE}: ${message}`, hint);
}

const TREE_KEYS = [
  'numLeaves',
  'splitFeature',
  'threshold',
  'decision',
  'leftChild',
  'rightChild',
  'splitGain',
  'internalCover',
  'leafCover',
  'leafValue',
  'catBoundaries',
  'catThreshold',
] as const satisfies readonly (keyof Tree)[];

type TreeArrayKey = Exclude<(typeof TREE_KEYS)[number], 'numLeaves'>;

/** How each tree array is checked and stored: integer range (for index arrays) and typed-array constructor. */
const TREE_ARRAYS: Readonly<Record<TreeArrayKey, { integer: boolean; min: number; max: number; make: (v: number[]) => ArrayLike<number> }>> = {
  splitFeature: { integer: true, min: 0, max: 2 ** 31 - 1, make: (v) => Int32Array.from(v) },
  threshold: { integer: false, min: -Infinity, max: Infinity, make: (v) => Float64Array.from(v) },
  decision: { integer: true, min: 0, max: 255, make: (v) => Uint8Array.from(v) },
  leftChild: { integer: true, min: -(2 ** 31), max: 2 ** 31 - 1, make: (v) => Int32Array.from(v) },
  rightChild: { integer: true, min: -(2 ** 31), max: 2 ** 31 - 1, make: (v) => Int32Array.from(v) },
  splitGain: { integer: false, min: -Infinity, max: Infinity, make: (v) => Float64Array.from(v) },
  internalCover: { integer: false, min: -Infinity, max: Infinity, make: (v) => Float64Array.from(v) },
  leafCover: { integer: false, min: -Infinity, max: Infinity, make: (v) => Float64Array.from(v) },
  leafValue: { integer: false, min: -Infinity, max: Infinity, make: (v) => Float64Array.from(v) },
  catBoundaries: { integer: true, min: 0, max: 2 ** 31 - 1, make: (v) => Int32Array.from(v) },
  catThreshold: { integer: true, min: 0, max: 2 ** 32 - 1, make: (v) => Uint32Array.from(v) },
};

/**
 * JSON has no NaN, infinities or negative zero: they are written as the strings "NaN", "Infinity", "-Infinity"
 * and "-0" so that a model reloads bit for bit.
 */
function encodeNumbers(values: ArrayLike<number>): (number | string)[] {
  return Array.from(values, (v) => (Object.is(v, -0) ? '-0' : Number.isFinite(v) ? v : String(v)));
}

/**
 * The stored leaf values of tree `t` under `encoding`: float16 bit patterns, or int8 codes (plus the tree's
 * `leafScale`). Each value must decode back exactly (the compressor stores decoded values in memory); a value that
 * does not is an internal error, never a silent change of the model.
 */
function encodeLeaves(tree: Tree, t: number, encoding: LeafEncoding): { leafValue: number[]; leafScale?: number } {
  const values = Array.from(tree.leafValue);
  const check = (decoded: number, i: number) => {
    if (!Object.is(decoded, values[i]) && decoded !== values[i]) {
      throw new InternalError(`cannot save the model: leaf ${i} of tree ${t} (${values[i]}) is not exactly representable as ${encoding.kind}`);
    }
  };
  if (encoding.kind === 'float16') {
    return { leafValue: values.map((v, i) => { const bits = toFloat16Bits(v); check(fromFloat16Bits(bits), i); return bits; }) };
  }
  const scale = encoding.scales[t];
  return { leafValue: values.map((v, i) => { const code = toInt8Code(v, scale); check(fromInt8Code(code, scale), i); return code; }), leafScale: scale };
}

function treeToJson(tree: Tree, t: number, encoding: LeafEncoding | undefined): Record<string, unknown> {
  const out: Record<string, unknown> = { numLeaves: tree.numLeaves };
  for (const key of TREE_KEYS) if (key !== 'numLeaves') out[key] = encodeNumbers(tree[key]);
  if (encoding) Object.assign(out, encodeLeaves(tree, t, encoding));
  return out;
}

function checksumOf(body: unknown): string {
  return createHash('sha256').update(JSON.stringify(body)).digest('hex');
}

/**
 * Serialise a model as pulse JSON (format version `PULSE_FORMAT_VERSION`). Top-level fields are indented and each
 * tree sits on one line, so files diff well and stay compact.
 */
export function writePulseModel(model: GbdtModel): string {
  const { ensemble } = model;
  for (const [key, value] of [...Object.entries(model.params), ...Object.entries(model.objective.params)]) {
    // JSON would turn these into null and the file could not be read back.
    if (typeof value === 'number' && !Number.isFinite(value)) {
      throw new InternalError(`cannot save the model: parameter ${key} = ${value} is not a finite number`);
    }
  }
  const encoding = model.leafEncoding;
  if (encoding?.kind === 'int8' && (encoding.scales.length !== ensemble.trees.length || encoding.scales.some((s) => !(s > 0 && Number.isFinite(s))))) {
    throw new InternalError(`cannot save the model: ${encoding.scales.length} int8 leaf scales for ${ensemble.trees.length} trees, each must be a positive finite number`);
  }
  const body = {
    format: PULSE_FORMAT,
    formatVersion: encoding ? LEAF_ENCODING_VERSION : 1,
    engineVersion: model.engineVersion,
    origin: model.origin,
    mode: model.mode,
    objective: {
      name: model.objective.name,
      numClass: model.objective.numClass,
      params: model.objective.params,
      outputClass: model.objective.outputClass === true,
    },
    featureNames: model.featureNames,
    params: model.params,
    seed: model.seed,
    bestIteration: model.bestIteration,
    dataHash: model.dataHash,
    ensemble: {
      numFeatures: ensemble.numFeatures,
      numTreePerIteration: ensemble.numTreePerIteration,
      averageOutput: ensemble.averageOutput,
      baseScore: encodeNumbers(ensemble.baseScore),
      treeWeight: ensemble.treeWeight ? encodeNumbers(ensemble.treeWeight) : null,
      ...(encoding ? { leafEncoding: encoding.kind } : {}),
      trees: ensemble.trees.map((tree, t) => treeToJson(tree, t, encoding)),
    },
  };
  const checksum = checksumOf(body);
  const { ensemble: ens, ...head } = body;
  const headJson = JSON.stringify(head, null, 2).slice(0, -2); // drop the closing "\n}"
  const { trees, ...ensHead } = ens;
  const ensJson = JSON.stringify(ensHead, null, 2).slice(0, -2).replace(/\n/g, '\n  ');
  const treeLines = trees.map((t) => `      ${JSON.stringify(t)}`).join(',\n');
  return `${headJson},\n  "ensemble": ${ensJson},\n    "trees": [\n${treeLines}\n    ]\n  },\n  "checksum": "${checksum}"\n}\n`;
}

type Json = Record<string, unknown>;

function object(v: unknown, path: string): Json {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) fail(`${path} must be an object`);
  return v as Json;
}

function onlyKeys(o: Json, path: string, allowed: readonly string[]): void {
  for (const key of Object.keys(o)) if (!allowed.includes(key)) fail(`${path} has an unknown field '${key}'`);
  for (const key of allowed) if (!(key in o)) fail(`${path}.${key} is missing`);
}

function integer(v: unknown, path: string, min: number): number {
  if (typeof v !== 'number' || !Number.isInteger(v) || v < min) fail(`${path} = ${JSON.stringify(v)} must be an integer >= ${min}`);
  return v;
}

function nullable<T>(v: unknown, path: string, read: (v: unknown, path: string) => T): T | null {
  return v === null ? null : read(v, path);
}

function decodeNumbers(v: unknown, path: string, integerOnly: boolean, min: number, max: number): number[] {
  if (!Array.isArray(v)) fail(`${path} must be an array of numbers`);
  return v.map((x, i) => {
    const n = typeof x === 'number' ? x : x === 'NaN' ? NaN : x === 'Infinity' ? Infinity : x === '-Infinity' ? -Infinity : x === '-0' ? -0 : undefined;
    if (n === undefined) fail(`${path}[${i}] = ${JSON.stringify(x)} is not a number`);
    if (integerOnly && (!Number.isInteger(n) || n < min || n > max)) fail(`${path}[${i}] = ${n} must be an integer in [${min}, ${max}]`);
    return n;
  });
}

/**
 * Read one tree. Under a compact leaf encoding, `leafValue` holds float16 bit patterns (finite values only) or int8
 * codes in [-127, 127] with the tree's `leafScale` (a positive finite number); they are decoded here, so the rest of
 * pulse sees plain leaf values. Returns the tree and, for int8, its scale.
 */
function readTree(v: unknown, path: string, encoding: LeafEncodingName): { tree: Tree; scale: number | null } {
  const o = object(v, path);
  onlyKeys(o, path, encoding === 'int8' ? [...TREE_KEYS, 'leafScale'] : TREE_KEYS);
  const tree = { numLeaves: integer(o.numLeaves, `${path}.numLeaves`, 1) } as Tree;
  for (const key of TREE_KEYS) {
    if (key === 'numLeaves' || (key === 'leafValue' && encoding !== 'float64')) continue;
    const spec = TREE_ARRAYS[key];
    (tree as unknown as Record<string, unknown>)[key] = spec.make(decodeNumbers(o[key], `${path}.${key}`, spec.integer, spec.min, spec.max));
  }
  let scale: number | null = null;
  if (encoding === 'float16') {
    const bits = decodeNumbers(o.leafValue, `${path}.leafValue`, true, 0, 0xffff);
    bits.forEach((b, i) => {
      if (((b >> 10) & 0x1f) === 0x1f) fail(`${path}.leafValue[${i}] = ${b} is the float16 pattern of an infinity or NaN (leafEncoding "float16")`);
    });
    tree.leafValue = Float64Array.from(bits, fromFloat16Bits);
  } else if (encoding === 'int8') {
    const codes = decodeNumbers(o.leafValue, `${path}.leafValue`, true, -INT8_MAX, INT8_MAX);
    const s = o.leafScale;
    if (typeof s !== 'number' || !Number.isFinite(s) || s <= 0) fail(`${path}.leafScale = ${JSON.stringify(s)} must be a positive finite number (leafEncoding "int8")`);
    scale = s;
    tree.leafValue = Float64Array.from(codes, (c) => fromInt8Code(c, s));
  }
  return { tree, scale };
}

const COMPACT_ENCODINGS: readonly LeafEncodingName[] = ['float16', 'int8'];

/** `ensemble.leafEncoding` of a version 2 document: a compact encoding (a version 1 document has none). */
function readLeafEncodingName(e: Json, version: number): LeafEncodingName {
  if (version < LEAF_ENCODING_VERSION) return 'float64';
  const name = e.leafEncoding;
  if (!COMPACT_ENCODINGS.includes(name as LeafEncodingName)) {
    fail(`ensemble.leafEncoding = ${JSON.stringify(name)} must be one of ${COMPACT_ENCODINGS.join(', ')} (a float64 model is written as format version 1)`);
  }
  return name as LeafEncodingName;
}

const ORIGINS: readonly ModelOrigin[] = ['pulse', 'lightgbm', 'xgboost'];
const MODES: readonly GbdtModel['mode'][] = ['lightgbm', 'xgboost', 'rf'];

function readObjective(v: unknown): ObjectiveSpec {
  const o = object(v, 'objective');
  onlyKeys(o, 'objective', ['name', 'numClass', 'params', 'outputClass']);
  if (typeof o.name !== 'string' || !Object.hasOwn(OBJECTIVE_TRANSFORM, o.name)) {
    fail(`objective.name = ${JSON.stringify(o.name)} is not a known objective`, `known objectives: ${Object.keys(OBJECTIVE_TRANSFORM).join(', ')}`);
  }
  const params = object(o.params, 'objective.params');
  for (const [key, value] of Object.entries(params)) if (typeof value !== 'number' || !Number.isFinite(value)) fail(`objective.params.${key} must be a finite number`);
  if (typeof o.outputClass !== 'boolean') fail('objective.outputClass must be true or false');
  return {
    name: o.name as ObjectiveName,
    numClass: integer(o.numClass, 'objective.numClass', 1),
    params: params as Record<string, number>,
    ...(o.outputClass ? { outputClass: true } : {}),
  };
}

/**
 * Parse and check a pulse JSON model.
 *
 * @throws ModelFormatError naming the bad field: invalid or truncated JSON, another format, a newer format
 *   version, missing/unknown/ill-typed fields, a checksum mismatch, or trees failing the structural checks.
 */
export function readPulseModel(text: string): GbdtModel {
  let doc: Json;
  try {
    doc = object(JSON.parse(text), 'the document');
  } catch (error) {
    if (error instanceof ModelFormatError) throw error;
    fail(`the file is not valid JSON (${(error as Error).message}): it is truncated or corrupted`);
  }
  if (doc.format !== PULSE_FORMAT) fail(`format = ${JSON.stringify(doc.format)}, expected "${PULSE_FORMAT}": this is not a pulse model file`, 'import LightGBM or XGBoost models with the matching reader');
  const version = integer(doc.formatVersion, 'formatVersion', 1);
  if (version > PULSE_FORMAT_VERSION) {
    fail(`formatVersion ${version} is newer than this pulse supports (${PULSE_FORMAT_VERSION})`, 'upgrade pulse to read this model');
  }
  const { checksum, ...body } = doc;
  if (typeof checksum !== 'string') fail('checksum is missing');
  if (checksumOf(body) !== checksum) fail('checksum does not match the content: the file was modified after pulse wrote it');
  onlyKeys(body, 'the document', ['format', 'formatVersion', 'engineVersion', 'origin', 'mode', 'objective', 'featureNames', 'params', 'seed', 'bestIteration', 'dataHash', 'ensemble']);
  if (typeof body.engineVersion !== 'string') fail('engineVersion must be a string');
  if (!ORIGINS.includes(body.origin as ModelOrigin)) fail(`origin = ${JSON.stringify(body.origin)} must be one of ${ORIGINS.join(', ')}`);
  if (!MODES.includes(body.mode as GbdtModel['mode'])) fail(`mode = ${JSON.stringify(body.mode)} must be one of ${MODES.join(', ')}`);
  const objective = readObjective(body.objective);
  if (!Array.isArray(body.featureNames) || body.featureNames.some((n) => typeof n !== 'string')) fail('featureNames must be an array of strings');
  const params = object(body.params, 'params');
  for (const [key, value] of Object.entries(params)) {
    if (!['number', 'string', 'boolean'].includes(typeof value)) fail(`params.${key} must be a number, string or boolean`);
  }
  const seed = nullable(body.seed, 'seed', (v, p) => integer(v, p, -(2 ** 53)));
  const bestIteration = nullable(body.bestIteration, 'bestIteration', (v, p) => integer(v, p, 1));
  const dataHash = nullable(body.dataHash, 'dataHash', (v, p) => (typeof v === 'string' && /^[0-9a-f]{64}$/.test(v) ? v : fail(`${p} must be a sha256 hex string`)));

  const e = object(body.ensemble, 'ensemble');
  const ensembleKeys = ['numFeatures', 'numTreePerIteration', 'averageOutput', 'baseScore', 'treeWeight', 'trees'];
  onlyKeys(e, 'ensemble', version >= LEAF_ENCODING_VERSION ? [...ensembleKeys, 'leafEncoding'] : ensembleKeys);
  const encodingName = readLeafEncodingName(e, version);
  if (typeof e.averageOutput !== 'boolean') fail('ensemble.averageOutput must be true or false');
  if (!Array.isArray(e.trees)) fail('ensemble.trees must be an array');
  const read = e.trees.map((t, i) => readTree(t, `ensemble.trees[${i}]`, encodingName));
  const ensemble: Ensemble = {
    numFeatures: integer(e.numFeatures, 'ensemble.numFeatures', 1),
    numTreePerIteration: integer(e.numTreePerIteration, 'ensemble.numTreePerIteration', 1),
    averageOutput: e.averageOutput,
    baseScore: Float64Array.from(decodeNumbers(e.baseScore, 'ensemble.baseScore', false, 0, 0)),
    treeWeight: e.treeWeight === null ? undefined : Float64Array.from(decodeNumbers(e.treeWeight, 'ensemble.treeWeight', false, 0, 0)),
    trees: read.map((r) => r.tree),
  };
  const leafEncoding: LeafEncoding | undefined = encodingName === 'float16' ? { kind: 'float16' }
    : encodingName === 'int8' ? { kind: 'int8', scales: Float64Array.from(read, (r) => r.scale!) } : undefined;
  if (body.featureNames.length !== ensemble.numFeatures) fail(`featureNames has ${body.featureNames.length} names but ensemble.numFeatures = ${ensemble.numFeatures}`);
  const rawWidth = Math.max(1, objective.numClass);
  if (rawWidth !== ensemble.numTreePerIteration) fail(`objective.numClass = ${objective.numClass} but ensemble.numTreePerIteration = ${ensemble.numTreePerIteration}`);
  validateEnsemble(ensemble, WHERE, undefined, (t) => `ensemble.trees[${t}]`);
  if (bestIteration !== null && bestIteration * ensemble.numTreePerIteration > ensemble.trees.length) {
    fail(`bestIteration = ${bestIteration} exceeds the ${ensemble.trees.length / ensemble.numTreePerIteration} iterations in the file`);
  }
  return {
    ensemble,
    objective,
    featureNames: body.featureNames as string[],
    mode: body.mode as GbdtModel['mode'],
    params: params as Record<string, number | string | boolean>,
    seed,
    bestIteration,
    dataHash,
    origin: body.origin as ModelOrigin,
    engineVersion: body.engineVersion,
    ...(leafEncoding ? { leafEncoding } : {}),
  };
}
