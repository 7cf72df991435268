/**
 * As-of joins and context features: values from other series (coarser bars of the same symbol, reference
 * symbols, external {time, value} points) attached to each bar using only what was known when the bar closed.
 *
 * Availability rules (all times ms since epoch, UTC):
 * - A bar that opens at T with interval length L closes at T + L (calendar-exact for months); the feature row of
 *   a bar describes the world at its close.
 * - A coarser bar is usable from the first fine bar whose close time is >= the coarse bar's close time T + L.
 * - A reference bar is usable from the first bar whose close time is >= the reference bar's close time.
 * - An external point stamped at time s is usable from the first bar whose close time is >= s.
 * Never forward: a row before the first usable source row is NaN.
 */
import { DataError } from '../core/errors.js';
import type { BarSeries } from '../core/bars.js';
import { INTERVAL_MS, nextBoundary } from '../core/interval.js';
import { rollingCo } from './kernels/rolling.js';
import { nanArray } from './types.js';

/** An external series of timestamped values (e.g. a sentiment score), sorted ascending by time. */
export interface ExternalSeries {
  /** When each value became known, ms since epoch (UTC), strictly ascending. */
  time: Float64Array;
  /** The values; NaN marks a missing value. */
  value: Float64Array;
}

/** Close time of every bar: open time + interval length (calendar months via `nextBoundary`). */
export function barCloseTimes(series: BarSeries): Float64Array {
  const out = new Float64Array(series.length);
  const t = series.time;
  if (series.interval === '1mo') {
    for (let i = 0; i < t.length; i++) out[i] = nextBoundary(t[i], '1mo');
  } else {
    const len = INTERVAL_MS[series.interval];
    for (let i = 0; i < t.length; i++) out[i] = t[i] + len;
  }
  return out;
}

/**
 * For each target time, the index of the last source row whose availability time is <= it, or -1. Both arrays
 * must be ascending; O(targets + sources) two-pointer walk.
 */
export function asOfIndex(targetTimes: Float64Array, sourceAvailable: Float64Array): Int32Array {
  const out = new Int32Array(targetTimes.length);
  let j = -1;
  for (let i = 0; i < targetTimes.length; i++) {
    const t = targetTimes[i];
    while (j + 1 < sourceAvailable.length && sourceAvailable[j + 1] <= t) j++;
    out[i] = j;
  }
  return out;
}

/** Gather `values[idx[i]]` (NaN where idx is -1). */
export function gatherAsOf(values: Float64Array, idx: Int32Array): Float64Array {
  const out = new Float64Array(idx.length);
  for (let i = 0; i < idx.length; i++) out[i] = idx[i] >= 0 ? values[idx[i]] : NaN;
  return out;
}

/** Check that a timestamp column is strictly ascending and finite, naming the offending row. */
export function assertAscending(time: Float64Array, what: string): void {
  for (let i = 0; i < time.length; i++) {
    if (!Number.isFinite(time[i]) || (i > 0 && !(time[i] > time[i - 1]))) {
      throw new DataError(
        `${what}: timestamps must be finite and strictly ascending, row ${i} (${time[i]}) is not`,
        'sort the series by time and drop duplicate timestamps before building features',
      );
    }
  }
}

/**
 * Join columns computed on a coarser series onto the fine series: row i gets the value of the last coarse bar
 * whose close time is <= the close time of fine bar i.
 */
export function joinCoarse(fine: BarSeries, coarse: BarSeries, columns: readonly Float64Array[]): Float64Array[] {
  const idx = asOfIndex(barCloseTimes(fine), barCloseTimes(coarse));
  return columns.map((c) => gatherAsOf(c, idx));
}

/** A cross-asset feature family computed against a reference series. */
export interface ReferenceFamily {
  /** Definition for window `n` (a number, or a symbol such as `N` in docs) against reference `ref`. */
  describe(n: number | string, ref: string): string;
  lookback(n: number): number;
}

/**
 * Cross-asset families (names `ref_<reference>_<family>_<N>`): `corr` and `beta` of one-bar log returns against
 * the reference's, `relstr` the N-bar log return minus the reference's. Lookback counts bars of the main series
 * once the reference is available.
 */
export const REFERENCE_FAMILIES = {
  corr: {
    describe: (n: number | string, ref: string) => `Pearson correlation of one-bar log returns with reference "${ref}" over ${n} bars; 0 when either is constant (-1..1)`,
    lookback: (n: number) => n,
  },
  beta: {
    describe: (n: number | string, ref: string) => `beta cov(r, r_ref)/var(r_ref) of one-bar log returns against reference "${ref}" over ${n} bars; 0 when the reference is constant`,
    lookback: (n: number) => n,
  },
  relstr: {
    describe: (n: number | string, ref: string) => `relative strength: ${n}-bar log return minus that of reference "${ref}"`,
    lookback: (n: number) => n,
  },
} as const satisfies Record<string, ReferenceFamily>;

/** Name of a reference family. */
export type ReferenceFamilyName = keyof typeof REFERENCE_FAMILIES;

/** The reference's close aligned as-of onto the main series' bars (by close times), NaN before it starts. */
export function alignReferenceClose(main: BarSeries, ref: BarSeries): Float64Array {
  return gatherAsOf(ref.close, asOfIndex(barCloseTimes(main), barCloseTimes(ref)));
}

/** Compute one cross-asset feature on the main series against an aligned reference close. */
export function referenceFeature(main: BarSeries, refClose: Float64Array, family: ReferenceFamilyName, n: number): Float64Array {
  const len = main.length;
  let first = 0;
  while (first < len && Number.isNaN(refClose[first])) first++;
  if (family === 'relstr') {
    const out = nanArray(len, first + n);
    const c = main.close;
    for (let i = first + n; i < len; i++) out[i] = Math.log(c[i] / c[i - n]) - Math.log(refClose[i] / refClose[i - n]);
    return out;
  }
  const r = nanArray(len, Math.max(first, 0) + 1);
  const rr = nanArray(len);
  for (let i = Math.max(first, 0) + 1; i < len; i++) {
    r[i] = Math.log(main.close[i] / main.close[i - 1]);
    rr[i] = Math.log(refClose[i] / refClose[i - 1]);
  }
  return rollingCo(r, rr, n, family === 'corr' ? 'corr' : 'beta', first + 1);
}

/**
 * An external series joined as-of onto the bars: the last value stamped at or before each bar's close, NaN before
 * the first point and (with `maxAgeMs`) when the last point is older than that at the bar's close.
 */
export function joinExternal(main: BarSeries, ext: ExternalSeries, maxAgeMs?: number): Float64Array {
  const closes = barCloseTimes(main);
  const idx = asOfIndex(closes, ext.time);
  const out = gatherAsOf(ext.value, idx);
  if (maxAgeMs !== undefined) {
    for (let i = 0; i < out.length; i++) if (idx[i] >= 0 && closes[i] - ext.time[idx[i]] > maxAgeMs) out[i] = NaN;
  }
  return out;
}
