/**
 * Parameter tables of the families pulse implements itself (ridge, logistic, naive, ensemble) and the shared
 * checks every family runs on its inputs: one typed spec per parameter (type, range, default, description),
 * validated with a `UsageError` that names the parameter and its allowed range.
 */
import { DataError, UsageError } from '../core/errors.js';
import type { FeatureColumns, Task } from './model.js';

/** One parameter of a pulse-implemented family. */
export type ParamSpec =
  | { type: 'float' | 'int'; min: number; max: number; minExclusive?: boolean; default: number; description: string }
  | { type: 'enum'; values: readonly string[]; default: string; description: string }
  | { type: 'string'; pattern: RegExp; patternText: string; default: string; description: string };

/** A family's parameter table: name -> spec. */
export type ParamTable = Readonly<Record<string, ParamSpec>>;

/** Resolved parameter values. */
export type ParamValues = Record<string, number | string>;

function rangeOf(spec: ParamSpec): string {
  if (spec.type === 'enum') return `one of ${spec.values.join(', ')}`;
  if (spec.type === 'string') return spec.patternText;
  return `${spec.type === 'int' ? 'an integer' : 'a number'} in ${spec.minExclusive ? '(' : '['}${spec.min}, ${spec.max}]`;
}

/**
 * Validate user parameters against a table and fill in defaults. Numbers may come as numeric strings (config
 * files, `--param k=v`). Throws `UsageError` for an unknown name (listing the known ones) or a bad value
 * (naming the allowed range).
 */
export function resolveTableParams(family: string, table: ParamTable, user: Readonly<Record<string, unknown>> = {}): ParamValues {
  const out: ParamValues = {};
  for (const [name, raw] of Object.entries(user)) {
    if (raw === undefined) continue;
    const spec = table[name];
    if (!spec) {
      const known = Object.keys(table);
      throw new UsageError(`unknown ${family} parameter ${JSON.stringify(name)}`,
        known.length > 0 ? `${family} accepts ${known.join(', ')}` : `${family} takes no parameters`);
    }
    const bad = (why: string): UsageError =>
      new UsageError(`${family} parameter ${name} = ${JSON.stringify(raw)} is invalid: ${why}`, `${name} must be ${rangeOf(spec)}`);
    if (spec.type === 'enum' || spec.type === 'string') {
      const ok = typeof raw === 'string' && (spec.type === 'enum' ? spec.values.includes(raw) : spec.pattern.test(raw));
      if (!ok) throw bad('not an allowed value');
      out[name] = raw as string;
      continue;
    }
    const n = typeof raw === 'number' ? raw : typeof raw === 'string' && raw.trim() !== '' ? Number(raw) : NaN;
    if (!Number.isFinite(n)) throw bad('not a finite number');
    if (spec.type === 'int' && !Number.isInteger(n)) throw bad('not an integer');
    if ((spec.minExclusive ? n <= spec.min : n < spec.min) || n > spec.max) throw bad('out of range');
    out[name] = n;
  }
  for (const [name, spec] of Object.entries(table)) if (out[name] === undefined) out[name] = spec.default;
  return out;
}

/** Markdown table of a family's parameters (name, range, default, description) for docs/models.md. */
export function renderParamTable(table: ParamTable): string {
  const lines = ['| parameter | valid | default | meaning |', '|---|---|---|---|'];
  for (const [name, spec] of Object.entries(table)) lines.push(`| \`${name}\` | ${rangeOf(spec)} | \`${spec.default}\` | ${spec.description} |`);
  return lines.join('\n');
}

/** Check a frame's shape: one column of `numRows` values per name, unique names. Throws `DataError`. */
export function checkFrame(X: FeatureColumns, what: string, expectedNames?: readonly string[]): void {
  if (!Number.isInteger(X.numRows) || X.numRows < 0) throw new DataError(`${what}: numRows = ${X.numRows} is not a row count`, 'pass a non-negative integer');
  if (X.columns.length !== X.names.length) {
    throw new DataError(`${what}: ${X.columns.length} feature columns but ${X.names.length} names`, 'pass one name per feature column');
  }
  for (let f = 0; f < X.columns.length; f++) {
    if (X.columns[f].length !== X.numRows) {
      throw new DataError(`${what}: feature ${X.names[f]} has ${X.columns[f].length} values, expected ${X.numRows}`, 'every feature column needs one value per row');
    }
  }
  if (expectedNames) {
    const same = expectedNames.length === X.names.length && expectedNames.every((n, i) => n === X.names[i]);
    if (!same) {
      throw new DataError(`${what}: features [${X.names.join(', ')}] differ from the model's [${expectedNames.join(', ')}]`,
        'predict with the same feature set, in the same order, as the model was trained on');
    }
  }
}

/** Check labels for a task: finite, one per row, class indices 0..numClass-1 for classification. Throws `DataError`. */
export function checkLabels(y: Float64Array, numRows: number, task: Task, numClass: number, what: string): void {
  if (y.length !== numRows) throw new DataError(`${what}: ${y.length} labels for ${numRows} rows`, 'pass exactly one label per row');
  for (let i = 0; i < y.length; i++) {
    const v = y[i];
    if (!Number.isFinite(v)) throw new DataError(`${what}: label of row ${i} is ${v}`, 'drop rows whose label is NaN before fitting');
    if (task !== 'regression' && !(Number.isInteger(v) && v >= 0 && v < numClass)) {
      throw new DataError(`${what}: label of row ${i} is ${v}, not a class index in 0..${numClass - 1}`, 'encode classes as 0..numClass-1');
    }
  }
}

/** Check a task/class-count pair: regression has 1 class, binary 2, multiclass at least 3. Throws `UsageError`. */
export function checkTask(task: Task, numClass: number): void {
  const ok = task === 'regression' ? numClass === 1 : task === 'binary' ? numClass === 2 : Number.isInteger(numClass) && numClass >= 3 && numClass <= 1000;
  if (!ok) {
    throw new UsageError(`task ${task} with ${numClass} classes is inconsistent`,
      'regression has 1 class, binary 2, multiclass 3 to 1000');
  }
}
