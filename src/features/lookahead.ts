/**
 * The look-ahead check. For each cut-off bar t, the feature set is recomputed twice: after changing everything
 * that happens after t (later bars, later coarse and reference bars, later external points), and on the history
 * truncated after t (as when the set is computed live, before later bars exist). Every feature at rows <= t must
 * be bit-identical to the full computation in both. The first catches features that read later values; the
 * second catches features that depend on the series length (e.g. a running sum recomputed on a schedule counted
 * from the end). Training runs it on every feature set, so a set that peeks is refused with the feature named.
 */
import { CheckFailedError } from '../core/errors.js';
import { Rng } from '../core/rng.js';
import { allocSeries, sliceSeries, type BarSeries } from '../core/bars.js';
import { computeFeatureSet, type ComputeOptions, type FeatureContext } from './compute.js';
import { barCloseTimes, type ExternalSeries } from './context.js';
import type { FeatureSetSpec } from './feature-set.js';

/** Options of {@link checkNoLookahead}. */
export interface LookaheadOptions extends ComputeOptions {
  /**
   * Cut-off rows to test, as indices into the checked rows (default: the end of the warm-up, two points spread
   * over the rest and the second-to-last row).
   */
  cuts?: readonly number[];
  /**
   * Check on at most this many rows, the most recent ones (default 5000): the property does not depend on the
   * length, and each cut recomputes the whole set twice.
   */
  maxRows?: number;
  /** Seed of the perturbations (default 42). */
  seed?: number;
}

/** A copy of `s` whose bars with close time > `cutoff` are replaced by different valid bars. */
function perturbBars(s: BarSeries, cutoff: number, rng: Rng): BarSeries {
  const out = allocSeries(s.symbol, s.interval, s.length);
  out.time.set(s.time);
  out.open.set(s.open);
  out.high.set(s.high);
  out.low.set(s.low);
  out.close.set(s.close);
  out.volume.set(s.volume);
  const closes = barCloseTimes(s);
  for (let i = 0; i < s.length; i++) {
    if (closes[i] <= cutoff) continue;
    const o = s.open[i] * Math.exp(0.05 * rng.normal());
    const c = s.close[i] * Math.exp(0.05 * rng.normal());
    out.open[i] = o;
    out.close[i] = c;
    out.high[i] = Math.max(s.high[i] * Math.exp(0.05 * rng.normal()), o, c);
    out.low[i] = Math.min(s.low[i] * Math.exp(0.05 * rng.normal()), o, c);
    out.volume[i] = Math.round(s.volume[i] * Math.exp(rng.normal()) + rng.uniform(0, 100));
  }
  return out;
}

function perturbExternal(e: ExternalSeries, cutoff: number, rng: Rng): ExternalSeries {
  const value = Float64Array.from(e.value);
  for (let i = 0; i < value.length; i++) if (e.time[i] > cutoff) value[i] = value[i] + 1 + rng.normal();
  return { time: e.time, value };
}

/** The rows of `s` whose close time is <= `cutoff` (a prefix, since rows are sorted). */
function truncateBars(s: BarSeries, cutoff: number): BarSeries {
  const closes = barCloseTimes(s);
  let end = 0;
  while (end < s.length && closes[end] <= cutoff) end++;
  return sliceSeries(s, 0, end);
}

function truncateContext(ctx: FeatureContext, cutoff: number): FeatureContext {
  const mapValues = <T, U>(r: Record<string, T> | undefined, f: (v: T) => U): Record<string, U> | undefined =>
    r === undefined ? undefined : Object.fromEntries(Object.entries(r).map(([k, v]) => [k, f(v)]));
  return {
    timeframes: mapValues(ctx.timeframes as Record<string, BarSeries> | undefined, (s) => truncateBars(s, cutoff)),
    references: mapValues(ctx.references, (s) => truncateBars(s, cutoff)),
    external: mapValues(ctx.external, (e) => {
      let end = 0;
      while (end < e.time.length && e.time[end] <= cutoff) end++;
      return { time: e.time.subarray(0, end), value: e.value.subarray(0, end) };
    }),
  };
}

function perturbContext(ctx: FeatureContext, cutoff: number, rng: Rng): FeatureContext {
  const mapValues = <T, U>(r: Record<string, T> | undefined, f: (v: T) => U): Record<string, U> | undefined =>
    r === undefined ? undefined : Object.fromEntries(Object.entries(r).map(([k, v]) => [k, f(v)]));
  return {
    timeframes: mapValues(ctx.timeframes as Record<string, BarSeries> | undefined, (s) => perturbBars(s, cutoff, rng)),
    references: mapValues(ctx.references, (s) => perturbBars(s, cutoff, rng)),
    external: mapValues(ctx.external, (e) => perturbExternal(e, cutoff, rng)),
  };
}

/** True when two doubles have the same bits (NaN equals NaN; 0 and -0 differ). */
function sameBits(a: number, b: number): boolean {
  return Object.is(a, b);
}

/**
 * Names of the features of `spec` whose value at some row t changes when only data after bar t changes, or when
 * the data after bar t is absent (empty when the set is free of look-ahead). The series must be longer than the
 * set's lookback; cut-offs within the warm-up are checked by perturbation only.
 */
export function checkNoLookahead(
  spec: FeatureSetSpec,
  series: BarSeries,
  context: FeatureContext = {},
  options: LookaheadOptions = {},
): string[] {
  const maxRows = options.maxRows ?? 5000;
  const rows = series.length > maxRows ? sliceSeries(series, series.length - maxRows, series.length) : series;
  const base = computeFeatureSet(spec, rows, context, options);
  const n = rows.length;
  const lb = base.lookback;
  const cuts =
    options.cuts ??
    [...new Set([lb, lb + Math.floor((n - lb) * 0.3), lb + Math.floor((n - lb) * 0.6), n - 2].filter((c) => c >= 0 && c < n - 1))];
  const rng = new Rng(options.seed ?? 42);
  const closes = barCloseTimes(rows);
  const offending = new Set<string>();
  const compare = (other: Float64Array[], t: number) => {
    base.columns.forEach((col, j) => {
      const o = other[j];
      for (let i = 0; i <= t; i++) {
        if (!sameBits(col[i], o[i])) {
          offending.add(base.names[j]);
          break;
        }
      }
    });
  };
  for (const t of cuts) {
    const cutoff = closes[t];
    compare(computeFeatureSet(spec, perturbBars(rows, cutoff, rng), perturbContext(context, cutoff, rng), options).columns, t);
    if (t + 1 > lb) {
      compare(computeFeatureSet(spec, sliceSeries(rows, 0, t + 1), truncateContext(context, cutoff), options).columns, t);
    }
  }
  return base.names.filter((name) => offending.has(name));
}

/**
 * Run {@link checkNoLookahead} and refuse a set that peeks: throws a CheckFailedError naming the offending
 * features.
 */
export function assertNoLookahead(
  spec: FeatureSetSpec,
  series: BarSeries,
  context: FeatureContext = {},
  options: LookaheadOptions = {},
): void {
  const bad = checkNoLookahead(spec, series, context, options);
  if (bad.length > 0) {
    throw new CheckFailedError(
      `feature set "${spec.name}" uses future data: ${bad.join(', ')} changed at past rows when only later bars changed`,
      'remove these features or fix their definitions so that row t reads only rows <= t',
    );
  }
}
