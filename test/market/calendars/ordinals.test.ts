/**
 * Ordinals against brute force: for every built-in calendar and interval, random ranges are enumerated bar by bar
 * from the calendar's definition (sessions, FX weeks, the UTC grid) and compared with `countTradingBars`,
 * `tradingOrdinal`/`tradingBarAt` round trips, `fillTradingBars` and `isTradingBar`.
 */
import { describe, expect, it } from 'vitest';
import type { Calendar } from '../../../src/market/calendars/calendar.js';
import type { ExchangeCalendar } from '../../../src/market/calendars/exchange.js';
import type { FxCalendar } from '../../../src/market/calendars/fx.js';
import { BUILT_IN_CALENDAR_NAMES, loadCalendar } from '../../../src/market/calendars/registry.js';
import { INTERVAL_MS, INTERVALS, nextBoundary, type Interval } from '../../../src/core/interval.js';
import { Rng } from '../../../src/core/rng.js';

const DAY = 86_400_000;

/** Every trading bar key in [from, to), from the definition of the calendar rather than its ordinal tables. */
function enumerate(calendar: Calendar, from: number, to: number, interval: Interval): number[] {
  const out: number[] = [];
  if (interval === '1wk' || interval === '1mo') {
    // ISO weeks and calendar months, always trading
    let t = interval === '1mo' ? Date.UTC(new Date(from).getUTCFullYear(), new Date(from).getUTCMonth(), 1) : from - ((((Math.floor(from / DAY) + 3) % 7) + 7) % 7) * DAY;
    t = Math.floor(t / DAY) * DAY;
    for (; t < to; t = nextBoundary(t, interval)) if (t >= from) out.push(t);
    return out;
  }
  const step = INTERVAL_MS[interval];
  if (calendar.name === 'crypto' || calendar.name === 'none') {
    for (let t = Math.ceil(from / step) * step; t < to; t += step) out.push(t);
    return out;
  }
  if (calendar.name === 'fx') {
    const { open, close } = (calendar as FxCalendar).sessions;
    if (interval === '1d') {
      for (let t = Math.ceil(from / DAY) * DAY; t < to; t += DAY) if (new Date(t).getUTCDay() % 6 !== 0) out.push(t);
      return out;
    }
    // a UTC slot trades when it overlaps a week's session
    for (let t = Math.ceil(from / step) * step; t < to; t += step) {
      for (let w = 0; w < open.length; w++) if (t < close[w] && t + step > open[w]) { out.push(t); break; }
    }
    return out;
  }
  const { day, open, close } = (calendar as ExchangeCalendar).sessions;
  for (let s = 0; s < day.length; s++) {
    if (interval === '1d') {
      if (day[s] * DAY >= from && day[s] * DAY < to) out.push(day[s] * DAY);
      continue;
    }
    if (close[s] <= from || open[s] >= to) continue;
    for (let t = open[s]; t < close[s]; t += step) if (t >= from && t < to) out.push(t);
  }
  return out;
}

const SPAN: Record<Interval, number> = {
  '1m': 4 * DAY, '5m': 12 * DAY, '15m': 30 * DAY, '30m': 45 * DAY, '1h': 60 * DAY, '4h': 120 * DAY, '1d': 800 * DAY, '1wk': 2000 * DAY, '1mo': 5000 * DAY,
};

describe.each(BUILT_IN_CALENDAR_NAMES.filter((n) => n !== 'XNAS'))('%s ordinals', (name) => {
  const calendar = loadCalendar(name);
  it.each(INTERVALS)('%s: counts, round trips and fills match brute force over random ranges', (interval) => {
    const rng = new Rng(INTERVALS.indexOf(interval) * 31 + name.length);
    const rounds = interval === '1m' ? 6 : 10;
    let nonEmpty = 0;
    for (let k = 0; k < rounds; k++) {
      // random instants (to the minute) between 1985 and 2035, so ranges start mid-session and mid-bar
      const from = Date.UTC(1985, 0, 1) + Math.floor(rng.next() * 50 * 365.25 * 1440) * 60_000;
      const to = from + Math.floor(rng.next() * SPAN[interval] / 60_000) * 60_000;
      const bars = enumerate(calendar, from, to, interval);
      const label = `${name} ${interval} ${new Date(from).toISOString()} .. ${new Date(to).toISOString()}`;
      expect(calendar.countTradingBars(from, to, interval), label).toBe(bars.length);
      const first = calendar.tradingOrdinal(from, interval);
      if (bars.length === 0) {
        // a range inside a night or a weekend: the next bar opens after it
        expect(calendar.tradingBarAt(first, interval) >= to, label).toBe(true);
        continue;
      }
      nonEmpty++;
      // the first bar at or after `from` is the bar at the ordinal of `from`
      expect(calendar.tradingBarAt(first, interval), label).toBe(bars[0]);
      for (const b of [bars[0], bars[bars.length >> 1], bars[bars.length - 1]]) {
        expect(calendar.tradingBarAt(calendar.tradingOrdinal(b, interval), interval), label).toBe(b);
        expect(calendar.isTradingBar(b, interval), label).toBe(true);
        expect(calendar.isAligned(b, interval), label).toBe(true);
        expect(calendar.floor(b, interval), label).toBe(b);
      }
      const filled = new Float64Array(bars.length);
      calendar.fillTradingBars(first, bars.length, interval, filled);
      expect(Array.from(filled), label).toEqual(bars);
      // an instant inside a bar floors to it, and the bar after it is the next one
      if (bars.length > 1 && interval !== '1wk' && interval !== '1mo') {
        expect(calendar.floor(bars[0] + 60_000 - (interval === '1m' ? 30_000 : 0), interval), label).toBe(bars[0]);
        expect(calendar.next(bars[0], interval) <= bars[1], label).toBe(true);
      }
    }
    expect(nonEmpty).toBeGreaterThan(rounds / 2);
  });

  it('marks non-trading keys and off-grid instants', () => {
    const sunday = Date.UTC(2024, 5, 9);
    expect(calendar.isTradingBar(sunday, '1d')).toBe(name === 'crypto' || name === 'none');
    expect(calendar.isAligned(Date.UTC(2024, 5, 10, 14, 31), '1h')).toBe(false);
  });
});
