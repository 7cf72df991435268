/**
 * Build the feature matrix of a feature set over a bar series: validation of the bars, one memo shared by all
 * features (so overlapping indicators are computed once), coarser-timeframe, reference and external columns.
 */
import { ConfigError, DataError } from '../core/errors.js';
import type { BarSeries } from '../core/bars.js';
import type { Interval } from '../core/interval.js';
import { alignReferenceClose, assertAscending, joinCoarse, joinExternal, referenceFeature, type ExternalSeries, type ReferenceFamilyName } from './context.js';
import { planFeatures, type FeatureInfo, type FeatureSetSpec, type PlannedFeature } from './feature-set.js';
import { builtinRegistry, type FeatureRegistry } from './registry.js';
import type { ComputeContext } from './types.js';

/** Series a feature set's context features are computed from. */
export interface FeatureContext {
  /** Coarser bars of the same symbol, by interval (for `timeframes`). */
  timeframes?: Partial<Record<Interval, BarSeries>>;
  /** Reference symbols' bars, by the names used in the spec's `references`. */
  references?: Record<string, BarSeries>;
  /** External series, by the names used in the spec's `external`. */
  external?: Record<string, ExternalSeries>;
}

/** Options of {@link computeFeatureSet}. */
export interface ComputeOptions {
  /** Registry to resolve names with (built-ins by default; pass one with user-defined families to use them). */
  registry?: FeatureRegistry;
}

/** A computed feature matrix, column-major. */
export interface FeatureMatrix {
  /** Column names, in the set's order. */
  names: string[];
  /** One Float64Array of `series.length` rows per name; NaN during warm-up. Columns never alias each other. */
  columns: Float64Array[];
  /** Features with group, definition and lookback, parallel to `names`. */
  features: FeatureInfo[];
  /** Largest lookback of the bar features: rows before it have at least one NaN bar feature. */
  lookback: number;
  /** Number of rows (bars). */
  rows: number;
}

/**
 * Check that bars are usable for features: strictly ascending finite times, finite positive prices with
 * low <= open, close <= high, finite non-negative volume. Throws a DataError naming the first bad row.
 */
export function validateBars(series: BarSeries): void {
  const { time, open, high, low, close, volume } = series;
  assertAscending(time, `bars of ${series.symbol} ${series.interval}`);
  for (let i = 0; i < series.length; i++) {
    const o = open[i];
    const h = high[i];
    const l = low[i];
    const c = close[i];
    const v = volume[i];
    const ok =
      o > 0 && h > 0 && l > 0 && c > 0 && Number.isFinite(h) && l <= o && l <= c && o <= h && c <= h && v >= 0 && Number.isFinite(v);
    if (!ok) {
      throw new DataError(
        `bar ${i} of ${series.symbol} ${series.interval} (time ${new Date(time[i]).toISOString()}) is not a valid OHLCV bar: ` +
          `open ${o}, high ${h}, low ${l}, close ${c}, volume ${v}`,
        'features need finite positive prices with low <= open, close <= high and volume >= 0; re-collect or quarantine the bar',
      );
    }
  }
}

/** A ComputeContext with a fresh memo over `series`. */
export function createComputeContext(series: BarSeries): ComputeContext {
  const cache = new Map<string, Float64Array>();
  return {
    series,
    memo(key, make) {
      let v = cache.get(key);
      if (v === undefined) {
        v = make();
        cache.set(key, v);
      }
      return v;
    },
  };
}

/** Compute planned bar features on one series (no length check: short series give NaN columns). */
function computeBarColumns(series: BarSeries, planned: readonly PlannedFeature[]): Float64Array[] {
  const ctx = createComputeContext(series);
  const seen = new Set<Float64Array>();
  return planned.map((p) => {
    const r = p.resolved!;
    let col = r.family.compute(ctx, r.params);
    if (col.length !== series.length) {
      throw new ConfigError(
        `feature "${p.name}" returned ${col.length} rows for ${series.length} bars`,
        'a feature family must return one value per bar',
      );
    }
    // memoised intermediates (sma_20 is also bb_middle_20) are shared: never hand out the same array twice
    if (seen.has(col) || col.byteOffset !== 0 || col.buffer.byteLength !== col.byteLength) col = col.slice();
    seen.add(col);
    return col;
  });
}

/**
 * Compute a feature set over `series`. Throws a DataError when the bars are invalid, when the series is not
 * longer than the bar features' lookback (naming how many bars are needed), or when a context series the set
 * needs is missing from `context`. Every value at row t depends only on bars (and context) known at the close
 * of bar t.
 */
export function computeFeatureSet(
  spec: FeatureSetSpec,
  series: BarSeries,
  context: FeatureContext = {},
  options: ComputeOptions = {},
): FeatureMatrix {
  const registry = options.registry ?? builtinRegistry;
  const planned = planFeatures(spec, { interval: series.interval, registry });
  validateBars(series);
  const barPlanned = planned.filter((p) => p.source.kind === 'bars');
  const lookback = barPlanned.reduce((m, p) => Math.max(m, p.lookback), 0);
  if (series.length <= lookback) {
    throw new DataError(
      `feature set "${spec.name}" needs at least ${lookback + 1} bars of ${series.symbol} ${series.interval} (lookback ${lookback}), got ${series.length}`,
      'collect a longer history or use a set with shorter windows',
    );
  }
  const columns = new Map<string, Float64Array>();
  computeBarColumns(series, barPlanned).forEach((c, i) => columns.set(barPlanned[i].name, c));

  for (const tf of spec.timeframes) {
    const coarse = context.timeframes?.[tf.interval];
    if (!coarse) {
      throw new DataError(
        `feature set "${spec.name}" needs ${tf.interval} bars of ${series.symbol} for its timeframe features`,
        `pass the ${tf.interval} series in the context (resample the stored bars or collect them)`,
      );
    }
    validateBars(coarse);
    const tfPlanned = planned.filter((p) => p.source.kind === 'timeframe' && p.source.interval === tf.interval);
    const joined = joinCoarse(series, coarse, computeBarColumns(coarse, tfPlanned));
    joined.forEach((c, i) => columns.set(tfPlanned[i].name, c));
  }

  for (const ref of spec.references) {
    const refSeries = context.references?.[ref.name];
    if (!refSeries) {
      throw new DataError(
        `feature set "${spec.name}" needs reference series "${ref.name}"`,
        `pass it in the context's references under "${ref.name}"`,
      );
    }
    validateBars(refSeries);
    const aligned = alignReferenceClose(series, refSeries);
    for (const f of ref.features) {
      const [family, n] = f.split('_');
      columns.set(`ref_${ref.name}_${f}`, referenceFeature(series, aligned, family as ReferenceFamilyName, Number(n)));
    }
  }

  for (const ext of spec.external) {
    const e = context.external?.[ext.name];
    if (!e) {
      throw new DataError(`feature set "${spec.name}" needs external series "${ext.name}"`, `pass it in the context's external under "${ext.name}"`);
    }
    if (e.time.length !== e.value.length) {
      throw new DataError(`external series "${ext.name}" has ${e.time.length} times but ${e.value.length} values`, 'give one value per timestamp');
    }
    assertAscending(e.time, `external series "${ext.name}"`);
    columns.set(`ext_${ext.name}`, joinExternal(series, e, ext.maxAgeMs));
  }

  const names = planned.map((p) => p.name);
  return {
    names,
    columns: names.map((n) => columns.get(n)!),
    features: planned.map(({ resolved: _r, ...info }) => info),
    lookback,
    rows: series.length,
  };
}
