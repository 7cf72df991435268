/**
 * Resampling: exact OHLCV aggregation of fine bars into a coarser interval. Each bucket's bar has the first
 * open, the highest high, the lowest low, the last close and the summed volume of the fine bars whose open time
 * falls in the bucket. Buckets are UTC-aligned as in interval.ts: fixed intervals on multiples of their length
 * since the epoch (4h buckets start at 00, 04, ... UTC), weekly buckets on ISO weeks from Monday 00:00 UTC,
 * monthly buckets on calendar months.
 *
 * Every bucket that has bars is built from the bars present; `count` says how many went in and `expected` how
 * many the calendar has in the bucket, so a bucket hit by a gap is visible (count < expected) but not dropped.
 *
 * Completeness, which only the last bucket can lack: a bucket is complete when
 *   (a) a fine bar exists at or after the bucket's end (the data has moved past it), or
 *   (b) the bucket's last trading slot by the calendar is present (e.g. the 20:55 bar for a weekday-calendar
 *       5m -> 1d bucket, the 23:55 bar for a 24/7 one),
 * and, when `now` is given, the bucket's end is <= now (a source may serve a still-forming last fine bar).
 * An incomplete last bucket is excluded from `bars` and described in `incomplete`.
 */
import type { Bar, BarSeries } from './bars.js';
import { tradingBarAt, tradingOrdinal, type CalendarKind } from './calendar.js';
import { canResample, floorToInterval, nextBoundary, type Interval } from './interval.js';
import { InternalError, UsageError } from '../core/errors.js';

/** A coarse bar built by resampling, with its provenance. */
export interface ResampledBar extends Bar {
  /** The interval of the fine bars it was built from. */
  origin: Interval;
  /** Fine bars aggregated (>= 1). */
  count: number;
  /** Fine bars the calendar has in this bucket (count < expected means some were missing). */
  expected: number;
}

/** Options of {@link resampleBars}. */
export interface ResampleOptions {
  /** Current time (ms); a bucket ending after it is incomplete. Omit to judge by the data alone. */
  now?: number;
  /** The calendar of the symbol (default `continuous`); decides a bucket's last trading slot and `expected`. */
  calendar?: CalendarKind;
}

/** What {@link resampleBars} returns. */
export interface ResampleResult {
  /** Complete buckets in ascending time. */
  bars: ResampledBar[];
  /** True when the last bucket was incomplete and left out. */
  incompleteDropped: boolean;
  /** The left-out last bucket, or null. */
  incomplete: { ts: number; count: number; expected: number; end: number } | null;
}

/**
 * Aggregate a sorted fine series into `target` buckets (see the module note for alignment and completeness).
 * O(n) over typed arrays, one output object per bucket.
 * @throws UsageError when `target` is not a whole-bucket coarsening of the series' interval.
 */
export function resampleBars(series: BarSeries, target: Interval, options: ResampleOptions = {}): ResampleResult {
  const fine = series.interval;
  if (!canResample(fine, target)) {
    throw new UsageError(`cannot resample ${fine} bars into ${target}`, 'the target must be a coarser interval that whole buckets of the source interval fill');
  }
  const calendar = options.calendar ?? 'continuous';
  const { time, open, high, low, close, volume } = series;
  const n = series.length;
  const bars: ResampledBar[] = [];
  let incomplete: ResampleResult['incomplete'] = null;
  let i = 0;
  while (i < n) {
    if (i > 0 && !(time[i] > time[i - 1])) {
      throw new InternalError(`resampleBars needs strictly ascending times; got ${time[i]} after ${time[i - 1]}`);
    }
    const start = floorToInterval(time[i], target);
    const end = nextBoundary(start, target);
    const o = open[i];
    let h = high[i];
    let l = low[i];
    let v = volume[i];
    let j = i + 1;
    for (; j < n && time[j] < end; j++) {
      if (!(time[j] > time[j - 1])) {
        throw new InternalError(`resampleBars needs strictly ascending times; got ${time[j]} after ${time[j - 1]}`);
      }
      if (high[j] > h) h = high[j];
      if (low[j] < l) l = low[j];
      v += volume[j];
    }
    const last = j - 1;
    const endOrdinal = tradingOrdinal(end, fine, calendar);
    const expected = endOrdinal - tradingOrdinal(start, fine, calendar);
    const count = j - i;
    if (j === n) {
      const lastSlotPresent = expected > 0 && time[last] >= tradingBarAt(endOrdinal - 1, fine, calendar);
      const ended = options.now === undefined || end <= options.now;
      if (!(lastSlotPresent && ended)) {
        incomplete = { ts: start, count, expected, end };
        break;
      }
    }
    bars.push({ ts: start, open: o, high: h, low: l, close: close[last], volume: v, adjClose: null, origin: fine, count, expected });
    i = j;
  }
  return { bars, incompleteDropped: incomplete !== null, incomplete };
}
