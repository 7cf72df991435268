/**
 * Gap detection: which trading bars of the instrument's calendar are missing between the bars present. Gaps are
 * reported, never filled or invented.
 *
 * The calendar decides what "missing" means (see calendars/calendar.ts): on `crypto` every absent slot is
 * missing; on an exchange calendar nights, weekends, holidays, unscheduled closures and the hours after an early
 * close are not bars, so a clean series has no gap; on `fx` the weekend is not a gap; on `none` nothing is
 * (the schedule is unknown, so no step between bars can be judged).
 */
import type { Calendar } from './calendars/calendar.js';
import { INTERVAL_MS, type Interval } from '../core/interval.js';
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
 * O(n) plus two ordinal look-ups per step that is not one grid slot.
 * @throws InternalError when `times` is not strictly ascending (callers pass stored, validated series).
 */
export function findGaps(times: ArrayLike<number>, interval: Interval, calendar: Calendar): Gap[] {
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
    if (!calendar.detectsGaps) continue;
    // Trading bar opens strictly between prev and cur: opens in [prev + 1 ms, cur).
    const first = calendar.tradingOrdinal(prev + 1, interval);
    const missing = calendar.tradingOrdinal(cur, interval) - first;
    if (missing > 0) gaps.push({ from: calendar.tradingBarAt(first, interval), to: cur, missingBars: missing });
  }
  return gaps;
}

/** Total missing bars over a gap list. */
export function countMissingBars(gaps: readonly Gap[]): number {
  let n = 0;
  for (const g of gaps) n += g.missingBars;
  return n;
}
