/**
 * Reading and writing model files in any supported format. The format is detected from the content (never the
 * file name): pulse JSON, XGBoost JSON, LightGBM text or legacy binary XGBoost. Detection and parsing go through
 * one typed table, so adding a format means adding one entry.
 */
import { readFileSync, renameSync, writeFileSync } from 'node:fs';
import { ModelFormatError } from '../../core/errors.js';
import type { GbdtModel } from '../model.js';
import { parseLightGbmText, writeLightGbmText } from './lightgbm-text.js';
import { PULSE_FORMAT, readPulseModel, writePulseModel } from './pulse-json.js';
import { looksLikeXgboostBinary, parseXgboostBinary } from './xgboost-binary.js';
import { parseXgboostJson } from './xgboost-json.js';

/** Model file formats pulse reads. */
export type ModelFormatName = 'pulse-json' | 'xgboost-json' | 'lightgbm-text' | 'xgboost-binary';

/** Formats pulse writes. */
export type WritableModelFormat = 'pulse-json' | 'lightgbm-text';

interface FormatEntry {
  /** Whether the content is in this format; `head` is the first bytes decoded as latin1, trimmed at the start. */
  detect(bytes: Uint8Array, head: string): boolean;
  parse(bytes: Uint8Array): GbdtModel;
}

const utf8 = (bytes: Uint8Array) => new TextDecoder('utf-8').decode(bytes);

/** Detection order matters: the JSON formats are told apart by their top-level keys. */
const FORMATS: Readonly<Record<ModelFormatName, FormatEntry>> = {
  'pulse-json': {
    detect: (_b, head) => head.startsWith('{') && new RegExp(`^\\{\\s*"format"\\s*:\\s*"${PULSE_FORMAT}"`).test(head),
    parse: (b) => readPulseModel(utf8(b)),
  },
  'xgboost-json': {
    detect: (_b, head) => head.startsWith('{') && /^\{\s*"(learner|version)"/.test(head),
    parse: (b) => parseXgboostJson(utf8(b)),
  },
  'lightgbm-text': {
    detect: (_b, head) => /^tree\r?\n/.test(head),
    parse: (b) => parseLightGbmText(utf8(b)),
  },
  'xgboost-binary': {
    detect: (b) => looksLikeXgboostBinary(b),
    parse: (b) => parseXgboostBinary(b),
  },
};

const DETECTION_ORDER: readonly ModelFormatName[] = ['pulse-json', 'xgboost-json', 'lightgbm-text', 'xgboost-binary'];

const WRITERS: Readonly<Record<WritableModelFormat, (model: GbdtModel) => string>> = {
  'pulse-json': writePulseModel,
  'lightgbm-text': writeLightGbmText,
};

/** Detect the format of model file content, or null when it is none pulse reads. */
export function detectModelFormat(bytes: Uint8Array): ModelFormatName | null {
  const head = new TextDecoder('latin1').decode(bytes.subarray(0, 256)).trimStart();
  for (const name of DETECTION_ORDER) if (FORMATS[name].detect(bytes, head)) return name;
  return null;
}

/**
 * Parse model file content in any supported format. `source` names the file in errors.
 *
 * @throws ModelFormatError for an empty file, an unknown or unsupported format (e.g. XGBoost UBJSON), or any
 *   error of the format's reader.
 */
export function parseModel(bytes: Uint8Array, source = 'model file'): GbdtModel {
  if (bytes.length === 0) throw new ModelFormatError(`${source} is empty`, 'point to a saved model file');
  const format = detectModelFormat(bytes);
  if (format === null) {
    const head = new TextDecoder('latin1').decode(bytes.subarray(0, 256));
    if (bytes[0] === 0x7b && [0x69, 0x55, 0x49, 0x6c, 0x4c].includes(bytes[1])) {
      throw new ModelFormatError(`${source} looks like an XGBoost UBJSON model, which pulse does not read`, 'save it from XGBoost as JSON: booster.save_model("model.json")');
    }
    if (/^\s*\{\s*"name"\s*:\s*"tree"/.test(head)) {
      throw new ModelFormatError(`${source} is a LightGBM dump_model() JSON, which pulse does not read`, 'save the model as text with LightGBM: booster.save_model("model.txt")');
    }
    throw new ModelFormatError(
      `${source} is not a model pulse can read (pulse JSON, LightGBM text, XGBoost JSON or legacy binary XGBoost)`,
      'check the path; LightGBM files start with "tree", JSON models with "{"',
    );
  }
  try {
    return FORMATS[format].parse(bytes);
  } catch (error) {
    if (error instanceof ModelFormatError) {
      throw new ModelFormatError(`${source}: ${error.message}`, error.hint, error.cause);
    }
    throw error;
  }
}

/** Read a model file from disk in any supported format (see `parseModel`). */
export function readModelFile(path: string): GbdtModel {
  let bytes: Uint8Array;
  try {
    bytes = readFileSync(path);
  } catch (error) {
    throw new ModelFormatError(`cannot read model file ${path}: ${(error as Error).message}`, 'check the path and permissions', error);
  }
  return parseModel(bytes, path);
}

/** Serialise a model in a writable format. */
export function serializeModel(model: GbdtModel, format: WritableModelFormat = 'pulse-json'): string {
  return WRITERS[format](model);
}

/** Write a model file atomically (temporary file + rename), so readers never see a half-written model. */
export function writeModelFile(model: GbdtModel, path: string, format: WritableModelFormat = 'pulse-json'): void {
  const text = serializeModel(model, format);
  const tmp = `${path}.${process.pid}.tmp`;
  writeFileSync(tmp, text);
  renameSync(tmp, path);
}
