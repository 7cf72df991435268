import { describe, expect, it } from 'vitest';
import { countMissingBars, findGaps } from '../../src/market/gaps.js';
import { generateSeries } from '../../src/market/sources/synthetic.js';
import { InternalError } from '../../src/core/errors.js';
import { HAS_SHARED } from '../helpers/shared.js';
import { readSharedRows } from './shared-csv.js';

const DAY = 86_400_000;
const iso = (t: number): string => new Date(t).toISOString();

describe('findGaps', () => {
  it('finds nothing in complete synthetic series on either calendar', () => {
    for (const [symbol, interval] of [['AAPL', '1d'], ['AAPL', '5m'], ['AAPL', '1h'], ['BTC-USD', '1h'], ['BTC-USD', '1mo'], ['AAPL', '1wk']] as const) {
      const s = generateSeries({ symbol, interval, bars: 3000, seed: 2, start: Date.UTC(2021, 0, 1) });
      expect(findGaps(s.time, interval, symbol === 'AAPL' ? 'weekdays' : 'continuous'), `${symbol} ${interval}`).toEqual([]);
    }
  });

  it('reports exactly the removed bars, across weekends and sessions, with an exclusive end', () => {
    const s = generateSeries({ symbol: 'AAPL', interval: '1h', bars: 7 * 10, seed: 2, start: Date.UTC(2024, 0, 1) });
    const times = Array.from(s.time);
    // remove Friday 19:00 and 20:00 and Monday 14:00 (a gap spanning the weekend) and Tuesday 16:00
    const drop = new Set([Date.UTC(2024, 0, 5, 19), Date.UTC(2024, 0, 5, 20), Date.UTC(2024, 0, 8, 14), Date.UTC(2024, 0, 9, 16)]);
    const kept = times.filter((t) => !drop.has(t));
    const gaps = findGaps(kept, '1h', 'weekdays');
    expect(gaps.map((g) => [iso(g.from), iso(g.to), g.missingBars])).toEqual([
      ['2024-01-05T19:00:00.000Z', '2024-01-08T15:00:00.000Z', 3],
      ['2024-01-09T16:00:00.000Z', '2024-01-09T17:00:00.000Z', 1],
    ]);
    expect(countMissingBars(gaps)).toBe(4);
    // on a 24/7 calendar the same data is full of gaps (nights and the weekend)
    expect(countMissingBars(findGaps(kept, '1h', 'continuous'))).toBeGreaterThan(100);
  });

  it('does not report weekends for weekday daily data but does report a weekday holiday', () => {
    const days = [Date.UTC(2024, 11, 23), Date.UTC(2024, 11, 24), Date.UTC(2024, 11, 26), Date.UTC(2024, 11, 27), Date.UTC(2024, 11, 30)];
    expect(findGaps(days, '1d', 'weekdays')).toEqual([{ from: Date.UTC(2024, 11, 25), to: Date.UTC(2024, 11, 26), missingBars: 1 }]);
  });

  it('accepts bars outside the calendar and refuses unsorted input', () => {
    const sat = Date.UTC(2024, 0, 6);
    expect(findGaps([sat - DAY, sat, sat + 2 * DAY], '1d', 'weekdays')).toEqual([]);
    expect(() => findGaps([2 * DAY, DAY], '1d')).toThrow(InternalError);
    expect(() => findGaps([DAY, DAY], '1d')).toThrow(InternalError);
    expect(findGaps([], '1d')).toEqual([]);
  });
});

describe.skipIf(!HAS_SHARED)('findGaps on the real shared market data', () => {
  it('ADA/BTC 5m: the five documented gaps of 2018-01-15, the last one 170 minutes', () => {
    const times = readSharedRows('freqtrade', 'ADA_BTC-5m.csv').map((r) => r.ts);
    const gaps = findGaps(times, '5m', 'continuous');
    expect(gaps.map((g) => [iso(g.from).slice(0, 16), g.missingBars])).toEqual([
      ['2018-01-15T10:10', 1],
      ['2018-01-15T10:30', 1],
      ['2018-01-15T11:10', 4],
      ['2018-01-15T11:45', 1],
      ['2018-01-15T12:00', 33],
    ]);
    expect(gaps[4].to - gaps[4].from).toBe(165 * 60_000);
  });

  it('GOOG daily: on the weekday calendar only holidays remain, each one or two days', () => {
    const times = readSharedRows('backtesting.py', 'GOOG-1d.csv').map((r) => r.ts);
    expect(findGaps(times, '1d', 'continuous')).toHaveLength(463); // weekends and holidays, as documented
    const gaps = findGaps(times, '1d', 'weekdays');
    // NYSE closes on about 9 weekdays a year; 8.5 years of data
    expect(gaps.length).toBeGreaterThan(60);
    expect(gaps.length).toBeLessThan(90);
    for (const g of gaps) {
      expect(g.missingBars).toBeLessThanOrEqual(2);
      expect([1, 2, 3, 4, 5]).toContain(new Date(g.from).getUTCDay());
    }
    expect(gaps.filter((g) => g.missingBars === 2).map((g) => iso(g.from).slice(0, 10))).toEqual([
      '2007-01-01', // New Year's Day, then the national day of mourning for President Ford
      '2012-10-29', // Hurricane Sandy: closed Monday and Tuesday
    ]);
    expect(gaps.some((g) => iso(g.from).startsWith('2012-12-25'))).toBe(true);
  });
});
