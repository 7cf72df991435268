import { describe, expect, it } from 'vitest';
import { countMissingBars, findGaps } from '../../src/market/gaps.js';
import { loadCalendar } from '../../src/market/calendars/registry.js';
import { generateSeries } from '../../src/market/sources/synthetic.js';
import { InternalError } from '../../src/core/errors.js';
import { HAS_SHARED } from '../helpers/shared.js';
import { readSharedRows } from './shared-csv.js';

const DAY = 86_400_000;
const iso = (t: number): string => new Date(t).toISOString();
const XNYS = loadCalendar('XNYS');
const CRYPTO = loadCalendar('crypto');
const FX = loadCalendar('fx');
const NONE = loadCalendar('none');

describe('findGaps', () => {
  it('finds nothing in complete synthetic series on their calendar', () => {
    for (const [calendar, interval] of [[XNYS, '1d'], [XNYS, '5m'], [XNYS, '1h'], [XNYS, '4h'], [CRYPTO, '1h'], [CRYPTO, '1mo'], [XNYS, '1wk'], [FX, '1h'], [FX, '1d']] as const) {
      const s = generateSeries({ symbol: 'AAPL', interval, bars: 3000, seed: 2, start: Date.UTC(2021, 0, 1), calendar });
      expect(findGaps(s.time, interval, calendar), `${calendar.name} ${interval}`).toEqual([]);
    }
  });

  it('reports exactly the removed bars, across weekends and sessions, with an exclusive end', () => {
    // XNYS 1h bars in January open at 14:30, 15:30, ..., 20:30 UTC (09:30-15:30 New York); Jan 1 is a holiday.
    const s = generateSeries({ symbol: 'AAPL', interval: '1h', bars: 7 * 10, seed: 2, start: Date.UTC(2024, 0, 1), calendar: XNYS });
    expect(iso(s.time[0])).toBe('2024-01-02T14:30:00.000Z');
    const times = Array.from(s.time);
    // remove Friday 19:30 and 20:30 and Monday 14:30 (a gap spanning the weekend) and Tuesday 16:30
    const drop = new Set([Date.UTC(2024, 0, 5, 19, 30), Date.UTC(2024, 0, 5, 20, 30), Date.UTC(2024, 0, 8, 14, 30), Date.UTC(2024, 0, 9, 16, 30)]);
    const kept = times.filter((t) => !drop.has(t));
    expect(kept.length).toBe(times.length - 4);
    const gaps = findGaps(kept, '1h', XNYS);
    expect(gaps.map((g) => [iso(g.from), iso(g.to), g.missingBars])).toEqual([
      ['2024-01-05T19:30:00.000Z', '2024-01-08T15:30:00.000Z', 3],
      ['2024-01-09T16:30:00.000Z', '2024-01-09T17:30:00.000Z', 1],
    ]);
    expect(countMissingBars(gaps)).toBe(4);
    // on a 24/7 calendar the same data is full of gaps (nights and the weekend); on none it has none
    expect(countMissingBars(findGaps(kept, '1h', CRYPTO))).toBeGreaterThan(100);
    expect(findGaps(kept, '1h', NONE)).toEqual([]);
  });

  it('does not report weekends or exchange holidays for daily data, but does report a missing session', () => {
    const days = [Date.UTC(2024, 11, 23), Date.UTC(2024, 11, 24), Date.UTC(2024, 11, 26), Date.UTC(2024, 11, 27), Date.UTC(2024, 11, 30)];
    expect(findGaps(days, '1d', XNYS)).toEqual([]);
    const dropped = days.filter((d) => d !== Date.UTC(2024, 11, 26));
    expect(findGaps(dropped, '1d', XNYS)).toEqual([{ from: Date.UTC(2024, 11, 26), to: Date.UTC(2024, 11, 27), missingBars: 1 }]);
    // Christmas Day is a gap on crypto
    expect(findGaps(days, '1d', CRYPTO).map((g) => iso(g.from).slice(0, 10))).toEqual(['2024-12-25', '2024-12-28']);
  });

  it('accepts bars outside the calendar and refuses unsorted input, on every calendar', () => {
    const sat = Date.UTC(2024, 0, 6);
    expect(findGaps([sat - DAY, sat, sat + 2 * DAY], '1d', XNYS)).toEqual([]);
    for (const c of [XNYS, CRYPTO, NONE]) {
      expect(() => findGaps([2 * DAY, DAY], '1d', c)).toThrow(InternalError);
      expect(() => findGaps([DAY, DAY], '1d', c)).toThrow(InternalError);
      expect(findGaps([], '1d', c)).toEqual([]);
    }
  });
});

describe.skipIf(!HAS_SHARED)('findGaps on the real shared market data', () => {
  it('ADA/BTC 5m on crypto: the five documented gaps of 2018-01-15, the last one 170 minutes', () => {
    const times = readSharedRows('freqtrade', 'ADA_BTC-5m.csv').map((r) => r.ts);
    const gaps = findGaps(times, '5m', CRYPTO);
    expect(gaps.map((g) => [iso(g.from).slice(0, 16), g.missingBars])).toEqual([
      ['2018-01-15T10:10', 1],
      ['2018-01-15T10:30', 1],
      ['2018-01-15T11:10', 4],
      ['2018-01-15T11:45', 1],
      ['2018-01-15T12:00', 33],
    ]);
    expect(gaps[4].to - gaps[4].from).toBe(165 * 60_000);
  });

  it('about 20 years of US daily bars (GOOG 2004-2013, TSLA 2010-2023) have no gap on XNYS', () => {
    const goog = readSharedRows('backtesting.py', 'GOOG-1d.csv').map((r) => r.ts);
    // Yahoo stamps daily rows at the session open (13:30Z/14:30Z): the bar's key is its date at 00:00 UTC
    const tsla = readSharedRows('yahoo-finance2', 'csv', 'TSLA-1d.csv').map((r) => Math.floor(r.ts / DAY) * DAY);
    expect(goog.length).toBe(2148);
    expect(tsla.length).toBeGreaterThan(3000);
    expect(findGaps(goog, '1d', XNYS)).toEqual([]);
    expect(findGaps(tsla, '1d', XNYS)).toEqual([]);
    expect(findGaps(goog, '1d', XNAS())).toEqual([]);
    // the calendar is what makes them clean: on crypto every weekend and holiday is a gap (463 documented)
    expect(findGaps(goog, '1d', CRYPTO)).toHaveLength(463);
    // and every session is there: the bars are exactly the XNYS sessions of their range
    expect(XNYS.countTradingBars(goog[0], goog[goog.length - 1] + 1, '1d')).toBe(goog.length);
    expect(XNYS.countTradingBars(tsla[0], tsla[tsla.length - 1] + 1, '1d')).toBe(tsla.length);
  });

  it('EURUSD 1h on fx: the 42 weekend and holiday breaks leave only Christmas and New Year (whole days, 24 bars each)', () => {
    const times = readSharedRows('backtesting.py', 'EURUSD-1h.csv').map((r) => r.ts);
    const gaps = findGaps(times, '1h', FX);
    expect(gaps.map((g) => [iso(g.from).slice(0, 16), iso(g.to).slice(0, 16), g.missingBars])).toEqual([
      ['2017-12-24T22:00', '2017-12-25T22:00', 24],
      ['2017-12-31T22:00', '2018-01-01T22:00', 24],
    ]);
    // on crypto the same data has a gap every weekend
    expect(findGaps(times, '1h', CRYPTO).length).toBeGreaterThanOrEqual(42);
  });
});

function XNAS() {
  return loadCalendar('XNAS');
}
