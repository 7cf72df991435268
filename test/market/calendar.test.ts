import { describe, expect, it } from 'vitest';
import {
  calendarForSymbol,
  countTradingBars,
  fillTradingBars,
  isTradingBar,
  nextTradingBar,
  tradingBarAt,
  tradingBarsPerWeek,
  tradingOrdinal,
  type CalendarKind,
} from '../../src/market/calendar.js';
import { INTERVAL_MS, INTERVALS, nextBoundary, floorToInterval, type Interval } from '../../src/market/interval.js';

const DAY = 86_400_000;

describe('calendarForSymbol', () => {
  it.each([
    ['BTC-USD', 'continuous'],
    ['ETH-EUR', 'continuous'],
    ['BTCUSDT', 'continuous'],
    ['ETH/USDC', 'continuous'],
    ['BTC/USDT:USDT', 'continuous'],
    ['ADA_BTC', 'continuous'],
    ['xrp_usdt_usdt', 'continuous'],
    ['AAPL', 'weekdays'],
    ['BRK-B', 'weekdays'],
    ['^GSPC', 'weekdays'],
    ['EURUSD=X', 'weekdays'],
    ['MSFT', 'weekdays'],
  ] as const)('%s trades on %s', (symbol, kind) => {
    expect(calendarForSymbol(symbol)).toBe(kind);
  });
});

/** Brute force: every aligned slot in [from, to) that the calendar trades. */
function enumerate(from: number, to: number, interval: Interval, kind: CalendarKind): number[] {
  const out: number[] = [];
  for (let t = floorToInterval(from, interval); t < to; t = nextBoundary(t, interval)) {
    if (t >= from && isTradingBar(t, interval, kind)) out.push(t);
  }
  return out;
}

describe('trading ordinals', () => {
  const kinds: CalendarKind[] = ['continuous', 'weekdays'];
  it.each(INTERVALS.flatMap((iv) => kinds.map((k) => [iv, k] as const)))(
    '%s on %s: counting, stepping and the bulk fill agree with brute-force enumeration',
    (interval, kind) => {
      const span = interval === '1mo' ? 800 * DAY : interval === '1wk' ? 120 * DAY : INTERVAL_MS[interval] * 3000;
      const from = Date.UTC(2023, 11, 28, 13, 7); // a Thursday, mid-session, unaligned
      const to = from + span;
      const bars = enumerate(from, to, interval, kind);
      expect(bars.length).toBeGreaterThan(10);
      expect(countTradingBars(from, to, interval, kind)).toBe(bars.length);
      const first = tradingOrdinal(from, interval, kind);
      expect(nextTradingBar(from, interval, kind)).toBe(bars[0]);
      bars.forEach((ts, i) => {
        expect(tradingBarAt(first + i, interval, kind)).toBe(ts);
        expect(tradingOrdinal(ts, interval, kind)).toBe(first + i);
      });
      const filled = new Float64Array(bars.length);
      fillTradingBars(first, bars.length, interval, kind, filled);
      expect(Array.from(filled)).toEqual(bars);
    },
  );

  it('works before the reference date (negative ordinals)', () => {
    const ts = Date.UTC(1969, 6, 21, 15, 0); // a Monday
    const ord = tradingOrdinal(ts, '1h', 'weekdays');
    expect(ord).toBeLessThan(0);
    expect(tradingBarAt(ord, '1h', 'weekdays')).toBe(ts);
  });
});

describe('the weekdays calendar', () => {
  it('has a 14:30-21:00 UTC session: 390 one-minute bars, 7 hourly (14:00-20:00), 3 four-hour bars a day', () => {
    expect(tradingBarsPerWeek('1m', 'weekdays')).toBe(5 * 390);
    expect(tradingBarsPerWeek('5m', 'weekdays')).toBe(5 * 78);
    expect(tradingBarsPerWeek('1h', 'weekdays')).toBe(5 * 7);
    expect(tradingBarsPerWeek('4h', 'weekdays')).toBe(5 * 3);
    expect(tradingBarsPerWeek('1d', 'weekdays')).toBe(5);
    expect(tradingBarsPerWeek('1h', 'continuous')).toBe(168);
    const monday = Date.UTC(2024, 0, 8);
    const hours = enumerate(monday, monday + DAY, '1h', 'weekdays').map((t) => new Date(t).getUTCHours());
    expect(hours).toEqual([14, 15, 16, 17, 18, 19, 20]);
    expect(isTradingBar(monday + 14 * 3_600_000 + 29 * 60_000, '1m', 'weekdays')).toBe(false);
    expect(isTradingBar(monday + 14 * 3_600_000 + 30 * 60_000, '1m', 'weekdays')).toBe(true);
    expect(isTradingBar(monday + 21 * 3_600_000, '1m', 'weekdays')).toBe(false);
  });

  it('skips weekends for daily bars and trades every weekly and monthly bar', () => {
    const saturday = Date.UTC(2024, 0, 6);
    expect(isTradingBar(saturday, '1d', 'weekdays')).toBe(false);
    expect(isTradingBar(saturday + DAY, '1d', 'weekdays')).toBe(false);
    expect(nextTradingBar(saturday, '1d', 'weekdays')).toBe(saturday + 2 * DAY);
    expect(isTradingBar(Date.UTC(2024, 0, 1), '1wk', 'weekdays')).toBe(true);
    expect(isTradingBar(Date.UTC(2024, 5, 1), '1mo', 'weekdays')).toBe(true); // a Saturday, still the June bar
    expect(countTradingBars(Date.UTC(2024, 0, 1), Date.UTC(2025, 0, 1), '1d', 'weekdays')).toBe(262);
    expect(countTradingBars(Date.UTC(2024, 0, 1), Date.UTC(2025, 0, 1), '1d', 'continuous')).toBe(366);
  });
});
