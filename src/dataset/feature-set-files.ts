/**
 * Where feature sets come from: the built-in `default`, JSON files under `<home>/featuresets/NAME.json`, or a path
 * to a JSON file. `--context SYMBOL` adds cross-asset features against a stored reference symbol.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { ConfigError, UsageError, toError } from '../core/errors.js';
import { DEFAULT_FEATURE_SET, parseFeatureSetSpec, type FeatureSetSpec } from '../features/feature-set.js';

/** Built-in sets by name. */
export const BUILTIN_FEATURE_SETS: Record<string, FeatureSetSpec> = { default: DEFAULT_FEATURE_SET };

/** The folder of a home's own feature sets. */
export function featureSetDir(home: string): string {
  return join(home, 'featuresets');
}

/** Names of every feature set available in `home` (built-in first). */
export function listFeatureSets(home: string): string[] {
  const dir = featureSetDir(home);
  const own = existsSync(dir) ? readdirSync(dir).filter((f) => f.endsWith('.json')).map((f) => basename(f, '.json')) : [];
  return [...Object.keys(BUILTIN_FEATURE_SETS), ...own.filter((n) => !(n in BUILTIN_FEATURE_SETS)).sort()];
}

/**
 * Resolve `--set`: a built-in name, a set in `<home>/featuresets/`, or a path to a JSON spec.
 * @throws UsageError for an unknown name; ConfigError for an unreadable or invalid file (naming the problem).
 */
export function resolveFeatureSet(home: string, nameOrPath = 'default'): FeatureSetSpec {
  if (Object.hasOwn(BUILTIN_FEATURE_SETS, nameOrPath)) return BUILTIN_FEATURE_SETS[nameOrPath];
  const isPath = nameOrPath.includes('/') || nameOrPath.endsWith('.json');
  const file = isPath ? nameOrPath : join(featureSetDir(home), `${nameOrPath}.json`);
  if (!existsSync(file)) {
    throw new UsageError(
      `unknown feature set "${nameOrPath}"`,
      isPath ? 'check the path' : `available: ${listFeatureSets(home).join(', ')}; add your own as ${featureSetDir(home)}/NAME.json`,
    );
  }
  let doc: unknown;
  try {
    doc = JSON.parse(readFileSync(file, 'utf8'));
  } catch (err) {
    throw new ConfigError(`feature set file ${file} is not valid JSON: ${toError(err).message}`, 'fix the file');
  }
  return parseFeatureSetSpec(doc);
}

/** Reference features added by `--context SYMBOL`: correlation, beta and relative strength. */
export const CONTEXT_FEATURES = ['corr_20', 'beta_60', 'relstr_20'];

/** The spec-side name of a reference symbol (`SPY` -> `spy`, `BTC-USD` -> `btcusd`). */
export function referenceName(symbol: string): string {
  const name = symbol.toLowerCase().replace(/[^a-z0-9]/g, '');
  if (!/^[a-z]/.test(name)) return `s${name}`;
  return name;
}

/**
 * A set extended with reference features against each context symbol; returns the spec and the map from
 * reference name to stored symbol.
 */
export function withContext(spec: FeatureSetSpec, symbols: readonly string[]): { spec: FeatureSetSpec; references: Record<string, string> } {
  const references: Record<string, string> = {};
  for (const r of spec.references) references[r.name] = r.name.toUpperCase();
  if (symbols.length === 0) return { spec, references };
  const added = symbols.map((s) => {
    references[referenceName(s)] = s;
    return { name: referenceName(s), features: CONTEXT_FEATURES };
  });
  return {
    spec: parseFeatureSetSpec({ ...spec, name: `${spec.name}.ctx`, references: [...spec.references, ...added] }),
    references,
  };
}
