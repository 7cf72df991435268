/**
 * The shared body of calendars with a schedule (exchanges, FX): everything that follows from a {@link BarGrid}
 * per interval (ordinals, trading bars, freshness, annualisation) lives here; subclasses say where bars open
 * (`buildGrid`) and how instants fall into bars (`floor`, `barCloseTime`).
 */
import { nextBoundary, type Interval } from '../../core/interval.js';
import type { BarGrid } from './bar-grid.js';
import { isPeriodInterval, periodBarAt, periodOrdinal, PERIODS_PER_YEAR, type Calendar } from './calendar.js';

/** Whole years averaged for periods per year (the precomputed range less its first and last year). */
const YEARS_FROM = Date.UTC(1971, 0, 1);
const YEARS_TO = Date.UTC(2100, 0, 1);
const YEARS = 2100 - 1971;

/** A calendar whose intraday and daily bars come from precomputed grids (see the module note). */
export abstract class GridCalendar implements Calendar {
  readonly detectsGaps = true;
  abstract readonly utcGrid: boolean;
  private readonly grids = new Map<Interval, BarGrid>();

  constructor(readonly name: string, readonly timezone: string) {}

  /** The trading bars of an interval of at most a day. */
  protected abstract buildGrid(interval: Exclude<Interval, '1wk' | '1mo'>): BarGrid;
  abstract floor(ts: number, interval: Interval): number;
  abstract barCloseTime(key: number, interval: Interval): number;

  /** The grid of an interval of at most a day, built on first use. */
  protected grid(interval: Exclude<Interval, '1wk' | '1mo'>): BarGrid {
    let g = this.grids.get(interval);
    if (!g) {
      g = this.buildGrid(interval);
      this.grids.set(interval, g);
    }
    return g;
  }

  next(start: number, interval: Interval): number {
    return nextBoundary(start, interval);
  }

  isAligned(ts: number, interval: Interval): boolean {
    return this.floor(ts, interval) === ts;
  }

  barOpenTime(key: number, _interval: Interval): number {
    return key;
  }

  isTradingBar(ts: number, interval: Interval): boolean {
    return isPeriodInterval(interval) ? periodBarAt(periodOrdinal(ts, interval), interval) === ts : this.grid(interval).isBar(ts);
  }

  tradingOrdinal(ts: number, interval: Interval): number {
    return isPeriodInterval(interval) ? periodOrdinal(ts, interval) : this.grid(interval).ordinal(ts);
  }

  tradingBarAt(ordinal: number, interval: Interval): number {
    return isPeriodInterval(interval) ? periodBarAt(ordinal, interval) : this.grid(interval).barAt(ordinal);
  }

  countTradingBars(from: number, to: number, interval: Interval): number {
    return to <= from ? 0 : this.tradingOrdinal(to, interval) - this.tradingOrdinal(from, interval);
  }

  fillTradingBars(firstOrdinal: number, count: number, interval: Interval, out: Float64Array): void {
    if (isPeriodInterval(interval)) {
      for (let i = 0; i < count; i++) out[i] = periodBarAt(firstOrdinal + i, interval);
      return;
    }
    this.grid(interval).fill(firstOrdinal, count, out);
  }

  /** Average trading bars a year over 1971-2099 (weekly 52, monthly 12). */
  periodsPerYear(interval: Interval): number {
    if (isPeriodInterval(interval)) return PERIODS_PER_YEAR[interval];
    const g = this.grid(interval);
    return (g.ordinal(YEARS_TO) - g.ordinal(YEARS_FROM)) / YEARS;
  }

  lastClosedBar(now: number, interval: Interval): number | undefined {
    // Bars keyed at or before `now`, newest first; the newest one or two may still be open.
    for (let k = this.tradingOrdinal(now + 1, interval) - 1; k >= 0; k--) {
      const key = this.tradingBarAt(k, interval);
      if (this.barCloseTime(key, interval) <= now) return key;
    }
    return undefined;
  }
}
