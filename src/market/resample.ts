/**
 * Resampling: exact OHLCV aggregation of fine bars into a coarser interval. Each bucket's bar has the first
 * open, the highest high, the lowest low, the last close and the summed volume of the fine bars that fall in the
 * bucket. Buckets come from the instrument's calendar (`calendar.floor`): on crypto, fx and none they are the UTC
 * grid of interval.ts (4h buckets at 00, 04, ... UTC; ISO weeks from Monday; calendar months); on an exchange
 * calendar intraday buckets are anchored at the session open (1h -> 4h: 09:30 and 13:30 New York time on XNYS)
 * and a daily bucket is the session, keyed by its local date.
 *
 * Every bucket that has bars is built from the bars present; `count` says how many went in and `expected` how
 * many trading bars the calendar has in the bucket, so a bucket hit by a gap is visible (count < expected) but
 * not dropped.
 *
 * Completeness, which only the last bucket can lack: a bucket is complete when
 *   (a) a fine bar exists after the bucket (the data has moved past it), or
 *   (b) the bucket's last trading bar by the calendar is present (the 15:55 bar of an XNYS 5m -> 1d bucket, the
 *       12:55 one on an early-close day, the 23:55 bar of a crypto one),
 * and, when `now` is given, the bucket has closed by then (a source may serve a still-forming last fine bar).
 * An incomplete last bucket is excluded from `bars` and described in `incomplete`.
 */
import type { Bar, BarSeries } from '../core/bars.js';
import type { Calendar } from './calendars/calendar.js';
import { builtInCalendar } from './calendars/registry.js';
import { canResample, type Interval } from '../core/interval.js';
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
  /** The instrument's calendar (default `crypto`): bucket boundaries, a bucket's last trading bar and `expected`. */
  calendar?: Calendar;
}

/** What {@link resampleBars} returns. */
export interface ResampleResult {
  /** Complete buckets in ascending time. */
  bars: ResampledBar[];
  /** True when the last bucket was incomplete and left out. */
  incompleteDropped: boolean;
  /** The left-out last bucket, or null. */
  incomplete: { ts: number; count: number; expected: number; /** When the bucket closes (ms, UTC). */ end: number } | null;
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
  const calendar = options.calendar ?? builtInCalendar('crypto');
  const { time, open: open_, high, low, close, volume } = series;
  const n = series.length;
  const bars: ResampledBar[] = [];
  let incomplete: ResampleResult['incomplete'] = null;
  let i = 0;
  while (i < n) {
    if (i > 0 && !(time[i] > time[i - 1])) {
      throw new InternalError(`resampleBars needs strictly ascending times; got ${time[i]} after ${time[i - 1]}`);
    }
    const start = calendar.floor(time[i], target);
    const open = calendar.barOpenTime(start, target);
    const end = calendar.barCloseTime(start, target);
    const o = open_[i];
    let h = high[i];
    let l = low[i];
    let v = volume[i];
    let j = i + 1;
    // A fine bar belongs to the bucket when it opens within the bucket's span, or (off-session bars) floors to it.
    for (; j < n && ((time[j] >= open && time[j] < end) || calendar.floor(time[j], target) === start); j++) {
      if (!(time[j] > time[j - 1])) {
        throw new InternalError(`resampleBars needs strictly ascending times; got ${time[j]} after ${time[j - 1]}`);
      }
      if (high[j] > h) h = high[j];
      if (low[j] < l) l = low[j];
      v += volume[j];
    }
    const last = j - 1;
    const endOrdinal = calendar.tradingOrdinal(end, fine);
    const expected = endOrdinal - calendar.tradingOrdinal(open, fine);
    const count = j - i;
    if (j === n) {
      const lastSlotPresent = expected > 0 && time[last] >= calendar.tradingBarAt(endOrdinal - 1, fine);
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
