/**
 * Gap detection: which bars of the symbol's trading calendar are missing between the bars present. Gaps are
 * reported, never filled or invented.
 *
 * The calendar decides what "missing" means (see calendar.ts): on `continuous` (24/7, crypto-like) every absent
 * slot is missing; on `weekdays` (equities-like) weekends and the hours outside the 14:30-21:00 UTC session are
 * not bars, so a Friday-to-Monday step is no gap. Exchange holidays are not modelled: a weekday holiday is
 * reported as a gap (one missing bar for daily data, a session's worth of bars intraday). That keeps the
 * report honest (pulse cannot tell a holiday from a day the source dropped) and small: about nine one-day gaps
 * a year for US equities, each easy to recognise by its date.
 */
import { tradingBarAt, tradingOrdinal, type CalendarKind } from './calendar.js';
import { INTERVAL_MS, type Interval } from './interval.js';
import { InternalError } from '../core/errors.js';

/** A run of missing bars: `from` is the open time of the first missing bar, `to` the open of the next bar present. */
export interface Gap {
  /** Open time (ms, UTC) of the first missing bar. */
  from: number;
  /** Open time (ms, UTC) of the bar that ends the gap (exclusive: re-fetching [from, to) covers the gap). */
  to: number;
  /** Trading bars missing in [from, to) according to the calendar (>= 1). */
  missingBars: number;
}

/**
 * The gaps in a sorted series of bar open times (ms, ascending, unique), judged against the calendar.
 * Bars present outside the calendar (a Saturday bar in equities data) are accepted as they are.
 * O(n) with O(1) work per pair of bars.
 * @throws InternalError when `times` is not strictly ascending (callers pass stored, validated series).
 */
export function findGaps(times: ArrayLike<number>, interval: Interval, calendar: CalendarKind = 'continuous'): Gap[] {
  const gaps: Gap[] = [];
  // Adjacent grid slots have no bar between them, whatever the calendar: skip the calendar for the common case.
  const step = interval === '1mo' ? NaN : INTERVAL_MS[interval];
  for (let i = 1; i < times.length; i++) {
    const prev = times[i - 1];
    const cur = times[i];
    if (cur - prev === step) continue;
    if (!(cur > prev)) {
      throw new InternalError(`findGaps needs strictly ascending times; got ${cur} after ${prev} at index ${i}`);
    }
    // Trading bar opens strictly between prev and cur: opens in [prev + 1 ms, cur).
    const first = tradingOrdinal(prev + 1, interval, calendar);
    const missing = tradingOrdinal(cur, interval, calendar) - first;
    if (missing > 0) gaps.push({ from: tradingBarAt(first, interval, calendar), to: cur, missingBars: missing });
  }
  return gaps;
}

/** Total missing bars over a gap list. */
export function countMissingBars(gaps: readonly Gap[]): number {
  let n = 0;
  for (const g of gaps) n += g.missingBars;
  return n;
}
