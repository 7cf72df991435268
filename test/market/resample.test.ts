import { describe, expect, it } from 'vitest';
import { seriesFromBars, sliceSeries, type Bar, type BarSeries } from '../../src/core/bars.js';
import type { Interval } from '../../src/core/interval.js';
import type { Calendar } from '../../src/market/calendars/calendar.js';
import { loadCalendar } from '../../src/market/calendars/registry.js';
import { resampleBars } from '../../src/market/resample.js';
import { generateSeries } from '../../src/market/sources/synthetic.js';
import { InternalError, UsageError } from '../../src/core/errors.js';
import { HAS_SHARED } from '../helpers/shared.js';
import { readSharedRows } from './shared-csv.js';

const H = 3_600_000;
const XNYS = loadCalendar('XNYS');
const CRYPTO = loadCalendar('crypto');
const iso = (t: number): string => new Date(t).toISOString();

/** Reference aggregation: group rows by the calendar's bucket with a Map, no cleverness. */
function naive(s: BarSeries, target: Interval, calendar: Calendar): Map<number, { o: number; h: number; l: number; c: number; v: number; n: number }> {
  const m = new Map<number, { o: number; h: number; l: number; c: number; v: number; n: number }>();
  for (let i = 0; i < s.length; i++) {
    const k = calendar.floor(s.time[i], target);
    const b = m.get(k);
    if (!b) m.set(k, { o: s.open[i], h: s.high[i], l: s.low[i], c: s.close[i], v: s.volume[i], n: 1 });
    else {
      b.h = Math.max(b.h, s.high[i]);
      b.l = Math.min(b.l, s.low[i]);
      b.c = s.close[i];
      b.v += s.volume[i];
      b.n++;
    }
  }
  return m;
}

describe('resampleBars', () => {
  it.each([
    ['BTC-USD', '1m', '1h'], ['BTC-USD', '5m', '4h'], ['BTC-USD', '1h', '1d'], ['BTC-USD', '1d', '1wk'], ['BTC-USD', '1d', '1mo'],
    ['AAPL', '5m', '1h'], ['AAPL', '30m', '1d'], ['AAPL', '1h', '4h'], ['AAPL', '1h', '1d'], ['AAPL', '1d', '1wk'], ['AAPL', '1h', '1mo'],
  ] as const)('%s %s -> %s equals a naive group-by exactly, with origin and counts', (symbol, fine, target) => {
    const calendar = symbol === 'AAPL' ? XNYS : CRYPTO;
    // exchange calendars end in 2100: 5000 daily bars from 2022 fit
    const s = generateSeries({ symbol, interval: fine, bars: fine === '1d' ? 5000 : 20_000, seed: 4, start: Date.UTC(2022, 0, 1), calendar });
    const out = resampleBars(s, target, { calendar });
    const ref = naive(s, target, calendar);
    const refKeys = [...ref.keys()];
    // every bucket but possibly the last is emitted
    expect(out.bars.map((b) => b.ts)).toEqual(out.incompleteDropped ? refKeys.slice(0, -1) : refKeys);
    out.bars.forEach((b, k) => {
      const r = ref.get(b.ts)!;
      expect([b.open, b.high, b.low, b.close, b.volume, b.count]).toEqual([r.o, r.h, r.l, r.c, r.v, r.n]);
      expect(b.origin).toBe(fine);
      // synthetic data has no gaps; only the first bucket may start before the data does
      if (k > 0) expect(b.expected).toBe(r.n);
      else expect(b.expected).toBeGreaterThanOrEqual(r.n);
      expect(b.adjClose).toBeNull();
    });
    if (out.incomplete) expect(out.incomplete.ts).toBe(refKeys[refKeys.length - 1]);
  });

  it('drops the last bucket until its last trading slot is present, and reports it', () => {
    const s = generateSeries({ symbol: 'BTC-USD', interval: '5m', bars: 24, seed: 1, start: Date.UTC(2024, 2, 1) }); // 00:00-01:55
    const full = resampleBars(s, '1h');
    expect(full.bars.map((b) => iso(b.ts))).toEqual(['2024-03-01T00:00:00.000Z', '2024-03-01T01:00:00.000Z']);
    expect(full.incompleteDropped).toBe(false);
    const partial = resampleBars(sliceSeries(s, 0, 23), '1h');
    expect(partial.bars.map((b) => iso(b.ts))).toEqual(['2024-03-01T00:00:00.000Z']);
    expect(partial.incomplete).toEqual({ ts: Date.UTC(2024, 2, 1, 1), count: 11, expected: 12, end: Date.UTC(2024, 2, 1, 2) });
  });

  it('keeps a bucket with an interior gap, visible as count < expected', () => {
    const s = generateSeries({ symbol: 'BTC-USD', interval: '5m', bars: 36, seed: 1, start: Date.UTC(2024, 2, 1) });
    const bars: Bar[] = [];
    for (let i = 0; i < s.length; i++) {
      if (i === 15 || i === 16) continue;
      bars.push({ ts: s.time[i], open: s.open[i], high: s.high[i], low: s.low[i], close: s.close[i], volume: s.volume[i], adjClose: null });
    }
    const out = resampleBars(seriesFromBars('BTC-USD', '5m', bars), '1h');
    expect(out.bars.map((b) => [b.count, b.expected])).toEqual([[12, 12], [10, 12], [12, 12]]);
  });

  it('uses the exchange session: a day of 5m XNYS bars is complete at 15:55 New York, a half day at 12:55', () => {
    const day = generateSeries({ symbol: 'AAPL', interval: '5m', bars: 78, seed: 1, start: Date.UTC(2024, 2, 4), calendar: XNYS });
    expect(iso(day.time[77])).toBe('2024-03-04T20:55:00.000Z');
    const out = resampleBars(day, '1d', { calendar: XNYS });
    expect(out.bars).toHaveLength(1);
    expect(out.bars[0]).toMatchObject({ ts: Date.UTC(2024, 2, 4), count: 78, expected: 78, origin: '5m' });
    // the same day judged on a 24/7 calendar is incomplete (it would expect bars until 23:55)
    expect(resampleBars(day, '1d').incomplete).toMatchObject({ count: 78, expected: 288 });
    // Black Friday 2024 closes at 13:00: 42 bars, complete with the 12:55 bar (17:55Z)
    const half = generateSeries({ symbol: 'AAPL', interval: '5m', bars: 42, seed: 1, start: Date.UTC(2024, 10, 29), calendar: XNYS });
    expect(iso(half.time[41])).toBe('2024-11-29T17:55:00.000Z');
    expect(resampleBars(half, '1d', { calendar: XNYS }).bars[0]).toMatchObject({ ts: Date.UTC(2024, 10, 29), count: 42, expected: 42 });
    // a week of daily bars: the holiday week of Good Friday 2024 (March 29) has four sessions
    const week = generateSeries({ symbol: 'AAPL', interval: '1d', bars: 9, seed: 1, start: Date.UTC(2024, 2, 18), calendar: XNYS });
    expect(resampleBars(week, '1wk', { calendar: XNYS }).bars.map((b) => [iso(b.ts).slice(0, 10), b.count, b.expected])).toEqual([
      ['2024-03-18', 5, 5],
      ['2024-03-25', 4, 4],
    ]);
  });

  it('anchors 1h -> 4h buckets at the session open on XNYS: 09:30 and 13:30 New York, the second cut by the close', () => {
    const s = generateSeries({ symbol: 'AAPL', interval: '1h', bars: 14, seed: 1, start: Date.UTC(2024, 6, 1), calendar: XNYS });
    const out = resampleBars(s, '4h', { calendar: XNYS });
    // summer (EDT): 13:30Z and 17:30Z; the 17:30Z bucket holds 13:30, 14:30 and 15:30 local
    expect(out.bars.map((b) => [iso(b.ts).slice(5, 16), b.count, b.expected])).toEqual([
      ['07-01T13:30', 4, 4],
      ['07-01T17:30', 3, 3],
      ['07-02T13:30', 4, 4],
      ['07-02T17:30', 3, 3],
    ]);
    // July 3 2024 closes at 13:00: its 1h bars are 09:30-12:30, one 4h bucket, then nothing until July 5
    const half = generateSeries({ symbol: 'AAPL', interval: '1h', bars: 4, seed: 1, start: Date.UTC(2024, 6, 3), calendar: XNYS });
    expect(resampleBars(half, '4h', { calendar: XNYS }).bars.map((b) => [iso(b.ts).slice(5, 16), b.count, b.expected])).toEqual([['07-03T13:30', 4, 4]]);
  });

  it('treats a bucket ending after now as incomplete even with its last slot present', () => {
    const s = generateSeries({ symbol: 'BTC-USD', interval: '1h', bars: 48, seed: 1, start: Date.UTC(2024, 2, 1) });
    expect(resampleBars(s, '1d', { now: Date.UTC(2024, 2, 3) }).bars).toHaveLength(2);
    const early = resampleBars(s, '1d', { now: Date.UTC(2024, 2, 2, 23, 30) });
    expect(early.bars).toHaveLength(1);
    expect(early.incomplete?.ts).toBe(Date.UTC(2024, 2, 2));
  });

  it('refuses impossible targets and unsorted input', () => {
    const s = generateSeries({ symbol: 'BTC-USD', interval: '1h', bars: 10, seed: 1, start: 0 });
    expect(() => resampleBars(s, '1h')).toThrow(UsageError);
    expect(() => resampleBars(s, '30m')).toThrow(UsageError);
    const bad = seriesFromBars('X', '1h', [
      { ts: 2 * H, open: 1, high: 1, low: 1, close: 1, volume: 1, adjClose: null },
      { ts: H, open: 1, high: 1, low: 1, close: 1, volume: 1, adjClose: null },
    ]);
    expect(() => resampleBars(bad, '1d')).toThrow(InternalError);
    expect(resampleBars(seriesFromBars('X', '1h', []), '1d')).toEqual({ bars: [], incompleteDropped: false, incomplete: null });
  });
});

describe.skipIf(!HAS_SHARED)('resampleBars on the real XRP/USDT futures files', () => {
  it('5m -> 1h matches the 1h file where they overlap: same UTC buckets, OHLC within 0.5 %', () => {
    const rows5 = readSharedRows('freqtrade', 'futures', 'XRP_USDT_USDT-5m-futures.csv');
    const rows1h = readSharedRows('freqtrade', 'futures', 'XRP_USDT_USDT-1h-futures.csv');
    const out = resampleBars(seriesFromBars('XRP', '5m', rows5), '1h');
    expect(out.bars.every((b) => b.count === 12)).toBe(true);
    expect(out.incomplete).toMatchObject({ ts: Date.UTC(2021, 10, 21, 22), count: 7 }); // the file ends at 22:30
    const byTs = new Map(out.bars.map((b) => [b.ts, b]));
    // The two files come from different feeds (5 vs 4 price decimals; volumes about 14x apart), so they agree
    // closely but not to the last digit. Aligning the hours one bar off makes the error ten times larger,
    // which pins the bucket labelling (open time, UTC).
    const deviation = (shift: number): number[] => rows1h.map((r) => {
      const b = byTs.get(r.ts + shift * 3_600_000)!;
      return Math.max(...[[b.open, r.open], [b.high, r.high], [b.low, r.low], [b.close, r.close]].map(([a, c]) => Math.abs(a / c - 1)));
    });
    const aligned = deviation(0);
    expect(aligned).toHaveLength(100);
    expect(Math.max(...aligned)).toBeLessThan(0.005);
    const median = (x: number[]): number => [...x].sort((a, b) => a - b)[x.length >> 1];
    expect(median(aligned)).toBeLessThan(0.001);
    expect(median(deviation(1))).toBeGreaterThan(5 * median(aligned));
    expect(median(deviation(-1))).toBeGreaterThan(5 * median(aligned));
    // volumes are in different units but move together
    const v5 = rows1h.map((r) => Math.log(byTs.get(r.ts)!.volume));
    const v1 = rows1h.map((r) => Math.log(r.volume));
    const mean = (x: number[]): number => x.reduce((a, b) => a + b, 0) / x.length;
    const [m5, m1] = [mean(v5), mean(v1)];
    const cov = mean(v5.map((x, i) => (x - m5) * (v1[i] - m1)));
    const corr = cov / Math.sqrt(mean(v5.map((x) => (x - m5) ** 2)) * mean(v1.map((x) => (x - m1) ** 2)));
    expect(corr).toBeGreaterThan(0.7);
  });
});
