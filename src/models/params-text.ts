/**
 * Model parameters as the user writes them: `--params k=v,k=v` on the command line, or a JSON object in a file
 * (`--params-file`). Values are not checked here: each family validates its own parameters (model-params.ts).
 */
import { readFileSync } from 'node:fs';
import { ConfigError, UsageError, toError } from '../core/errors.js';

/** `k=v,k=v`: numbers, true/false, else strings. */
export function parseParams(text: string): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const item of text.split(',').map((s) => s.trim()).filter(Boolean)) {
    const eq = item.indexOf('=');
    if (eq <= 0) throw new UsageError(`--params item "${item}" is not key=value`, 'e.g. --params learning_rate=0.05,num_leaves=15');
    const key = item.slice(0, eq).trim();
    const raw = item.slice(eq + 1).trim();
    out[key] = raw === 'true' ? true : raw === 'false' ? false : raw !== '' && Number.isFinite(Number(raw)) ? Number(raw) : raw;
  }
  return out;
}

/** A JSON object of parameters read from `file`. @throws ConfigError when unreadable or not an object. */
export function readParamsFile(file: string): Record<string, unknown> {
  let doc: unknown;
  try {
    doc = JSON.parse(readFileSync(file, 'utf8'));
  } catch (err) {
    throw new ConfigError(`cannot read --params-file ${file}: ${toError(err).message}`, 'give a JSON object of parameters');
  }
  if (typeof doc !== 'object' || doc === null || Array.isArray(doc)) throw new ConfigError(`--params-file ${file} must hold a JSON object`, 'e.g. {"learning_rate": 0.05}');
  return doc as Record<string, unknown>;
}
