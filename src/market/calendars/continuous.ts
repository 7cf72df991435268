/**
 * `crypto`: continuous 24/7 trading. Every slot of the UTC grid of interval.ts is a trading bar, so ordinals are
 * plain arithmetic (bars since 1970-01-01; weekly bars from Monday 1970-01-05).
 */
import { floorToInterval, INTERVAL_MS, nextBoundary, type Interval } from '../../core/interval.js';
import { DAY, isPeriodInterval, periodBarAt, periodOrdinal, PERIODS_PER_YEAR, type Calendar } from './calendar.js';

/** Days a year that 24/7 markets trade (the annualisation convention: daily bars x 365). */
export const CONTINUOUS_DAYS_PER_YEAR = 365;

/** A calendar on which every bar of the UTC grid trades (see the module note). */
export class ContinuousCalendar implements Calendar {
  readonly timezone = 'UTC';
  readonly detectsGaps: boolean = true;
  readonly utcGrid = true;

  constructor(readonly name: string = 'crypto') {}

  floor(ts: number, interval: Interval): number {
    return floorToInterval(ts, interval);
  }

  next(start: number, interval: Interval): number {
    return nextBoundary(start, interval);
  }

  isAligned(ts: number, interval: Interval): boolean {
    return floorToInterval(ts, interval) === ts;
  }

  barOpenTime(key: number): number {
    return key;
  }

  barCloseTime(key: number, interval: Interval): number {
    return nextBoundary(key, interval);
  }

  isTradingBar(ts: number, interval: Interval): boolean {
    return this.isAligned(ts, interval);
  }

  tradingOrdinal(ts: number, interval: Interval): number {
    return isPeriodInterval(interval) ? periodOrdinal(ts, interval) : Math.ceil(ts / INTERVAL_MS[interval]);
  }

  tradingBarAt(ordinal: number, interval: Interval): number {
    return isPeriodInterval(interval) ? periodBarAt(ordinal, interval) : ordinal * INTERVAL_MS[interval];
  }

  countTradingBars(from: number, to: number, interval: Interval): number {
    return to <= from ? 0 : this.tradingOrdinal(to, interval) - this.tradingOrdinal(from, interval);
  }

  fillTradingBars(firstOrdinal: number, count: number, interval: Interval, out: Float64Array): void {
    if (isPeriodInterval(interval)) {
      for (let i = 0; i < count; i++) out[i] = periodBarAt(firstOrdinal + i, interval);
      return;
    }
    const step = INTERVAL_MS[interval];
    for (let i = 0; i < count; i++) out[i] = (firstOrdinal + i) * step;
  }

  /** 365 days a year times the bars of a day; weekly 52, monthly 12. */
  periodsPerYear(interval: Interval): number | undefined {
    return isPeriodInterval(interval) ? PERIODS_PER_YEAR[interval] : (CONTINUOUS_DAYS_PER_YEAR * DAY) / INTERVAL_MS[interval];
  }

  lastClosedBar(now: number, interval: Interval): number | undefined {
    const open = this.floor(now, interval);
    return this.barCloseTime(open, interval) <= now ? open : this.tradingBarAt(this.tradingOrdinal(open, interval) - 1, interval);
  }
}
