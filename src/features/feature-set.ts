/**
 * Feature sets: named, versioned specs of which features to build (bar features, coarser-timeframe features,
 * cross-asset context against reference series, external series), their zod schema, the built-in default set,
 * the stable hash that travels with every model, and `listFeatures` (name, group, definition, lookback).
 */
import { createHash } from 'node:crypto';
import { z } from 'zod';
import { describeIssues } from '../core/zod-issues.js';
import { ConfigError } from '../core/errors.js';
import { INTERVALS, isIntraday, type Interval } from '../core/interval.js';
import { REFERENCE_FAMILIES } from './context.js';
import { builtinRegistry, type FeatureRegistry, type ResolvedFeature } from './registry.js';
import type { FeatureGroup } from './types.js';

/**
 * Version of the feature definitions. It is part of every set's hash, so changing any formula (and bumping this)
 * makes models trained on the old definitions refuse the new features instead of silently mispredicting.
 */
export const FEATURE_ENGINE_VERSION = 1;

const ident = z
  .string()
  .regex(/^[a-z][a-z0-9]*$/, 'use lower-case letters and digits, starting with a letter (it becomes part of feature names)');
const featureList = z.array(z.string().min(1)).min(1, 'list at least one feature');

/** zod schema of a feature-set spec (user files are parsed through {@link parseFeatureSetSpec}). */
export const featureSetSpecSchema = z
  .object({
    /** Set name, e.g. `default`. */
    name: z.string().regex(/^[a-z0-9][a-z0-9._-]*$/, 'use lower-case letters, digits, ".", "_" or "-"'),
    /** Version of this set; bump it when the list changes. */
    version: z.number().int().min(1),
    /** Free text for humans. */
    description: z.string().default(''),
    /** Features of the series itself, by name (`rsi_14`, `bb_upper_20_2`). */
    features: z.array(z.string().min(1)).default([]),
    /**
     * Window grids: every listed single-period family at every window, appended after `features` in family-major
     * order (`{ families: ['rsi', 'roc'], windows: [7, 14] }` gives rsi_7, rsi_14, roc_7, roc_14).
     */
    grids: z
      .array(
        z
          .object({
            families: z.array(z.string().regex(/^[a-z][a-z0-9_]*$/, 'use a feature prefix such as rsi')).min(1),
            windows: z.array(z.number().int().min(1).max(100_000)).min(1),
          })
          .strict(),
      )
      .default([]),
    /** Features computed on coarser bars of the same symbol and joined as-of (only closed coarse bars). */
    timeframes: z.array(z.object({ interval: z.enum(INTERVALS), features: featureList }).strict()).default([]),
    /** Cross-asset context against named reference series: `corr_N`, `beta_N`, `relstr_N`. */
    references: z.array(z.object({ name: ident, features: featureList }).strict()).default([]),
    /** External {time, value} series joined as-of; `maxAgeMs` turns older values into NaN. */
    external: z.array(z.object({ name: ident, maxAgeMs: z.number().positive().optional() }).strict()).default([]),
  })
  .strict()
  .refine((s) => s.features.length > 0 || s.grids.length > 0, {
    message: 'list at least one feature of the series in features or grids',
    path: ['features'],
  });

/** The bar-feature names of a spec: `features`, then the expanded `grids`. */
export function barFeatureNames(spec: { features: readonly string[]; grids: ReadonlyArray<{ families: readonly string[]; windows: readonly number[] }> }): string[] {
  return [...spec.features, ...spec.grids.flatMap((g) => g.families.flatMap((f) => g.windows.map((w) => `${f}_${w}`)))];
}

/** A validated feature-set spec. */
export type FeatureSetSpec = z.output<typeof featureSetSpecSchema>;
/** A feature-set spec as written by a user (defaults not yet applied). */
export type FeatureSetSpecInput = z.input<typeof featureSetSpecSchema>;

/** Where a feature column comes from. */
export type FeatureSource =
  | { kind: 'bars' }
  | { kind: 'timeframe'; interval: Interval }
  | { kind: 'reference'; name: string }
  | { kind: 'external'; name: string; maxAgeMs?: number };

/** One feature of a resolved set, as `listFeatures` reports it. */
export interface FeatureInfo {
  /** Column name (`rsi_14`, `tf_1d_rsi_14`, `ref_spy_corr_20`, `ext_sentiment`). */
  name: string;
  group: FeatureGroup;
  /** One-line definition with parameters and units. */
  definition: string;
  /** Warm-up length in bars of the series it is computed on (the coarser series for timeframe features). */
  lookback: number;
  source: FeatureSource;
}

/** A feature of a resolved set with what is needed to compute it. */
export interface PlannedFeature extends FeatureInfo {
  /** The family and parameters (bar and timeframe features). */
  resolved?: ResolvedFeature;
}

/**
 * Parse and validate a user spec (e.g. read from JSON): schema errors become one ConfigError listing every
 * problem with its path; unknown feature names or bad parameters are reported by name.
 */
export function parseFeatureSetSpec(input: unknown, registry: FeatureRegistry = builtinRegistry): FeatureSetSpec {
  const parsed = featureSetSpecSchema.safeParse(input, { reportInput: true });
  if (!parsed.success) {
    throw new ConfigError(`invalid feature set: ${describeIssues(parsed.error.issues)}`, 'fix the listed fields; `pulse features --list` shows valid feature names');
  }
  planFeatures(parsed.data, { registry }); // resolves every name, throwing on unknown ones
  return parsed.data;
}

/**
 * Resolve a spec into the ordered list of features to compute. Hour-of-day features are dropped when
 * `interval` is daily or coarser (and kept when no interval is given). Duplicate names are refused.
 */
export function planFeatures(
  spec: FeatureSetSpec,
  options: { interval?: Interval; registry?: FeatureRegistry } = {},
): PlannedFeature[] {
  const registry = options.registry ?? builtinRegistry;
  const out: PlannedFeature[] = [];
  const barFeature = (name: string, interval: Interval | undefined, source: FeatureSource, prefix: string) => {
    const r = registry.resolve(name);
    if (r.family.intradayOnly && interval !== undefined && !isIntraday(interval)) return;
    out.push({
      name: prefix + r.name,
      group: source.kind === 'bars' ? r.family.group : 'context',
      definition:
        source.kind === 'timeframe'
          ? `${r.family.describe(r.params)}, on closed ${source.interval} bars joined as-of`
          : r.family.describe(r.params),
      lookback: r.family.lookback(r.params),
      source,
      resolved: r,
    });
  };
  for (const f of barFeatureNames(spec)) barFeature(f, options.interval, { kind: 'bars' }, '');
  for (const tf of spec.timeframes) {
    for (const f of tf.features) barFeature(f, tf.interval, { kind: 'timeframe', interval: tf.interval }, `tf_${tf.interval}_`);
  }
  for (const ref of spec.references) {
    for (const f of ref.features) {
      const m = /^([a-z]+)_([1-9][0-9]*)$/.exec(f);
      const family = m ? REFERENCE_FAMILIES[m[1] as keyof typeof REFERENCE_FAMILIES] : undefined;
      if (!m || !family || Number(m[2]) < 2) {
        throw new ConfigError(
          `unknown reference feature "${f}" for reference "${ref.name}"`,
          `use ${Object.keys(REFERENCE_FAMILIES).map((k) => `${k}_<bars >= 2>`).join(', ')}`,
        );
      }
      const n = Number(m[2]);
      out.push({
        name: `ref_${ref.name}_${f}`,
        group: 'context',
        definition: family.describe(n, ref.name),
        lookback: family.lookback(n),
        source: { kind: 'reference', name: ref.name },
      });
    }
  }
  for (const ext of spec.external) {
    out.push({
      name: `ext_${ext.name}`,
      group: 'context',
      definition: `latest value of external series "${ext.name}" stamped at or before the bar close${
        ext.maxAgeMs === undefined ? '' : `, NaN when older than ${ext.maxAgeMs} ms`
      }`,
      lookback: 0,
      source: { kind: 'external', name: ext.name, ...(ext.maxAgeMs === undefined ? {} : { maxAgeMs: ext.maxAgeMs }) },
    });
  }
  const seen = new Set<string>();
  for (const f of out) {
    if (seen.has(f.name)) {
      throw new ConfigError(`feature "${f.name}" is listed twice in set "${spec.name}"`, 'list every feature once');
    }
    seen.add(f.name);
  }
  return out;
}

/** The features of a set with group, definition and lookback (see {@link planFeatures} for `interval`). */
export function listFeatures(
  spec: FeatureSetSpec,
  options: { interval?: Interval; registry?: FeatureRegistry } = {},
): FeatureInfo[] {
  return planFeatures(spec, options).map(({ resolved: _r, ...info }) => info);
}

/** JSON with object keys sorted at every level (the canonical form that is hashed). */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

/**
 * Stable hash of a feature set: sha256 (hex) of the canonical JSON of the validated spec, with the bar features
 * listed in canonical form after grid expansion, plus {@link FEATURE_ENGINE_VERSION}. The description does not
 * count, nor whether a feature came from `features` or `grids`; the order of features does (it is the column
 * order).
 */
export function featureSetHash(spec: FeatureSetSpec, registry: FeatureRegistry = builtinRegistry): string {
  const canon = (names: string[]) => names.map((n) => registry.resolve(n).name);
  const payload = {
    engineVersion: FEATURE_ENGINE_VERSION,
    name: spec.name,
    version: spec.version,
    features: canon(barFeatureNames(spec)),
    timeframes: spec.timeframes.map((t) => ({ interval: t.interval, features: canon(t.features) })),
    references: spec.references,
    external: spec.external,
  };
  return createHash('sha256').update(canonicalJson(payload)).digest('hex');
}

/** The built-in default set: 78 bar features in six groups (76 for daily and coarser bars, which drop hour of day). */
export const DEFAULT_FEATURE_SET: FeatureSetSpec = featureSetSpecSchema.parse({
  name: 'default',
  version: 1,
  description: 'trend, momentum, volatility, volume, return and calendar features of the bars alone',
  features: [
    // trend
    'sma_10', 'sma_20', 'sma_50', 'ema_10', 'ema_20', 'ema_50', 'wma_20', 'dema_20', 'tema_20',
    'smadist_20', 'smadist_50', 'emadist_20', 'slope_sma_20_5', 'slope_ema_50_10',
    'macd_12_26', 'macd_signal_12_26_9', 'macd_hist_12_26_9', 'adx_14', 'di_plus_14', 'di_minus_14',
    'aroon_up_25', 'aroon_down_25', 'aroon_osc_25', 'trix_15',
    // momentum
    'rsi_7', 'rsi_14', 'stoch_k_14', 'stoch_d_14_3', 'willr_14', 'cci_20', 'cmo_14', 'roc_5', 'roc_10', 'roc_20', 'mom_10',
    // volatility
    'atr_14', 'natr_14', 'bb_upper_20_2', 'bb_middle_20', 'bb_lower_20_2', 'bb_pctb_20_2', 'bb_width_20_2',
    'kc_upper_20_2', 'kc_middle_20', 'kc_lower_20_2', 'dc_upper_20', 'dc_middle_20', 'dc_lower_20',
    'vol_10', 'vol_20', 'parkinson_20', 'garman_klass_20', 'yang_zhang_20',
    // volume
    'obv', 'mfi_14', 'cmf_20', 'volratio_20', 'vwapdev_20', 'pvcorr_20',
    // returns
    'logret_1', 'logret_5', 'logret_20', 'logret_lag_1_1', 'logret_lag_1_2', 'logret_lag_1_3', 'zscore_20',
    'skew_60', 'kurt_60', 'hhdist_20', 'lldist_20', 'hhdist_50', 'lldist_50',
    // time
    'dow_sin', 'dow_cos', 'hour_sin', 'hour_cos', 'month_sin', 'month_cos',
  ],
});
