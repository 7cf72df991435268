import { describe, expect, it } from 'vitest';
import {
  generateSeries,
  SYNTHETIC_ANCHORS,
  SYNTHETIC_DEFAULT_WINDOW_MS,
  syntheticParams,
  SyntheticSource,
} from '../../../src/market/sources/synthetic.js';
import { INTERVAL_MS, INTERVALS, nextBoundary } from '../../../src/core/interval.js';
import { loadCalendar } from '../../../src/market/calendars/registry.js';
import type { BarSeries } from '../../../src/core/bars.js';
import { UsageError } from '../../../src/core/errors.js';

const DAY = 86_400_000;
const NOW = Date.UTC(2026, 10, 20, 15, 47, 13);
const XNYS = loadCalendar('XNYS');
const CRYPTO = loadCalendar('crypto');
/** The test symbols' calendars: stock tickers on XNYS, the coins 24/7. */
const calendarOf = (symbol: string) => (/USD|USDT$/.test(symbol) ? CRYPTO : XNYS);

function logReturns(s: BarSeries): Float64Array {
  const r = new Float64Array(s.length - 1);
  for (let i = 1; i < s.length; i++) r[i - 1] = Math.log(s.close[i] / s.close[i - 1]);
  return r;
}

function kurtosis(x: Float64Array): number {
  let m = 0;
  for (const v of x) m += v;
  m /= x.length;
  let m2 = 0;
  let m4 = 0;
  for (const v of x) {
    const d = (v - m) * (v - m);
    m2 += d;
    m4 += d * d;
  }
  m2 /= x.length;
  m4 /= x.length;
  return m4 / (m2 * m2);
}

function lag1Autocorrelation(x: Float64Array): number {
  let m = 0;
  for (const v of x) m += v;
  m /= x.length;
  let num = 0;
  let den = 0;
  for (let i = 0; i < x.length; i++) {
    den += (x[i] - m) ** 2;
    if (i > 0) num += (x[i] - m) * (x[i - 1] - m);
  }
  return num / den;
}

describe('generateSeries', () => {
  it('is deterministic in (seed, symbol, interval) and changes with each of them', () => {
    const base = { symbol: 'AAPL', interval: '1d' as const, bars: 500, seed: 7, start: Date.UTC(2010, 0, 1), calendar: XNYS };
    const a = generateSeries(base);
    const b = generateSeries(base);
    expect(b.close).toEqual(a.close);
    expect(b.volume).toEqual(a.volume);
    expect(generateSeries({ ...base, seed: 8 }).close).not.toEqual(a.close);
    expect(generateSeries({ ...base, symbol: 'MSFT' }).close).not.toEqual(a.close);
    expect(generateSeries({ ...base, interval: '1wk' }).close).not.toEqual(a.close);
  });

  it('derives different drift, volatility and price levels per symbol', () => {
    const symbols = ['AAPL', 'MSFT', 'GOOG', 'BTC-USD', 'ETHUSDT'];
    const params = symbols.map((s) => syntheticParams(s, 42, calendarOf(s)));
    expect(new Set(params.map((p) => p.annualVol)).size).toBe(symbols.length);
    expect(new Set(params.map((p) => p.initialPrice)).size).toBe(symbols.length);
    expect([params[3].calendar, params[3].style]).toEqual(['crypto', 'crypto']);
    expect([params[0].calendar, params[0].style]).toEqual(['XNYS', 'equity']);
    // the default calendar is crypto: the spelling of the symbol plays no part
    expect(syntheticParams('AAPL', 42).style).toBe('crypto');
    // crypto is more volatile than equities by construction (0.5-1.0 vs 0.15-0.45 a year)
    expect(params[3].annualVol).toBeGreaterThan(params[0].annualVol);
  });

  it.each(INTERVALS.flatMap((iv) => ['AAPL', 'BTC-USD'].map((s) => [iv, s] as const)))(
    '%s %s: consistent OHLC, positive prices, non-negative volume, strictly increasing trading-calendar times',
    (interval, symbol) => {
      const calendar = calendarOf(symbol);
      const s = generateSeries({ symbol, interval, bars: 20_000, seed: 3, start: SYNTHETIC_ANCHORS[interval], calendar });
      for (let i = 0; i < s.length; i++) {
        const { open: o, high: h, low: l, close: c, volume: v } = s;
        if (!(l[i] > 0 && l[i] <= Math.min(o[i], c[i]) && h[i] >= Math.max(o[i], c[i]) && v[i] >= 0)) {
          throw new Error(`bar ${i} inconsistent: ${o[i]} ${h[i]} ${l[i]} ${c[i]} ${v[i]}`);
        }
        if (i > 0 && !(s.time[i] > s.time[i - 1])) throw new Error(`time not increasing at ${i}`);
        if (!calendar.isTradingBar(s.time[i], interval)) throw new Error(`bar ${i} outside the ${calendar.name} calendar`);
        if (!Number.isFinite(o[i] + h[i] + l[i] + c[i] + v[i])) throw new Error(`bar ${i} not finite`);
      }
    },
  );

  it('has fat tails (kurtosis > 3) and volatility clustering (lag-1 autocorrelation of |r| > 0)', () => {
    for (const symbol of ['AAPL', 'MSFT', 'BTC-USD', 'SOLUSDT']) {
      for (const interval of ['1d', '1h', '5m'] as const) {
        const r = logReturns(generateSeries({ symbol, interval, bars: 8000, seed: 11, start: Date.UTC(2021, 0, 1), calendar: calendarOf(symbol) }));
        expect(kurtosis(r), `${symbol} ${interval} kurtosis`).toBeGreaterThan(3.5);
        expect(lag1Autocorrelation(r.map(Math.abs)), `${symbol} ${interval} |r| acf`).toBeGreaterThan(0.03);
      }
    }
  });

  it('gives exchange calendars weekend, holiday and overnight opening gaps, crypto continuous 24/7 bars', () => {
    const eq = generateSeries({ symbol: 'AAPL', interval: '1d', bars: 300, seed: 5, start: Date.UTC(2020, 0, 1), calendar: XNYS });
    expect(new Date(eq.time[0]).toISOString().slice(0, 10)).toBe('2020-01-02'); // New Year's Day is a holiday
    const weekdays = new Set(Array.from(eq.time, (t) => new Date(t).getUTCDay()));
    expect(weekdays.has(0) || weekdays.has(6)).toBe(false);
    // Independence Day observed on Friday 2020-07-03, Good Friday 2020-04-10: no bars
    expect(eq.time.includes(Date.UTC(2020, 6, 3))).toBe(false);
    expect(eq.time.includes(Date.UTC(2020, 3, 10))).toBe(false);
    const steps = new Set(Array.from(eq.time.subarray(1), (t, i) => (t - eq.time[i]) / DAY));
    expect([...steps].sort()).toEqual([1, 2, 3, 4]);
    let gapped = 0;
    for (let i = 1; i < eq.length; i++) if (eq.open[i] !== eq.close[i - 1]) gapped++;
    expect(gapped).toBe(eq.length - 1);

    const cr = generateSeries({ symbol: 'BTC-USD', interval: '1d', bars: 300, seed: 5, start: Date.UTC(2020, 0, 1) });
    for (let i = 1; i < cr.length; i++) {
      expect(cr.time[i] - cr.time[i - 1]).toBe(DAY);
      expect(cr.open[i]).toBe(cr.close[i - 1]);
    }

    const intraday = generateSeries({ symbol: 'AAPL', interval: '5m', bars: 78 * 3, seed: 5, start: Date.UTC(2024, 0, 5), calendar: XNYS });
    expect(new Date(intraday.time[0]).toISOString()).toBe('2024-01-05T14:30:00.000Z'); // Friday
    expect(new Date(intraday.time[77]).toISOString()).toBe('2024-01-05T20:55:00.000Z');
    expect(new Date(intraday.time[78]).toISOString()).toBe('2024-01-08T14:30:00.000Z'); // Monday
    expect(intraday.open[78]).not.toBe(intraday.close[77]);
    expect(intraday.open[1]).toBe(intraday.close[0]);
  });

  it('has U-shaped intraday volume for equities (open and close busier than midday)', () => {
    const s = generateSeries({ symbol: 'AAPL', interval: '30m', bars: 13 * 400, seed: 9, start: Date.UTC(2022, 0, 3), calendar: XNYS });
    const bySlot = new Float64Array(13);
    for (let i = 0; i < s.length; i++) {
      // the slot within the session (09:30 = 0, 15:30 = 12), whatever the UTC offset of the season
      const open = XNYS.barOpenTime(XNYS.floor(s.time[i], '1d'), '1d');
      bySlot[Math.round((s.time[i] - open) / 1_800_000)] += s.volume[i];
    }
    expect(bySlot[0]).toBeGreaterThan(1.5 * bySlot[6]);
    expect(bySlot[12]).toBeGreaterThan(1.5 * bySlot[6]);
  });

  it('rejects a bad bar count', () => {
    expect(() => generateSeries({ symbol: 'A', interval: '1d', bars: -1, start: 0 })).toThrow(UsageError);
    expect(() => generateSeries({ symbol: 'A', interval: '1d', bars: 1.5, start: 0 })).toThrow(UsageError);
    expect(generateSeries({ symbol: 'A', interval: '1d', bars: 0, start: 0 }).length).toBe(0);
  });
});

describe('SyntheticSource', () => {
  const source = (now = NOW, seed = 1): SyntheticSource => new SyntheticSource({ seed, now: () => now });

  it('serves the same bar at the same timestamp whatever window is requested', async () => {
    const wide = await source().fetch({ symbol: 'AAPL', interval: '1h', from: Date.UTC(2025, 0, 1), to: Date.UTC(2025, 6, 1), calendar: XNYS });
    const narrow = await source().fetch({ symbol: 'AAPL', interval: '1h', from: Date.UTC(2025, 2, 3, 15), to: Date.UTC(2025, 2, 10), calendar: XNYS });
    expect(narrow.meta?.calendar).toBe('XNYS');
    expect(narrow.rows.length).toBe(5 * 7 - 1);
    const byTs = new Map(wide.rows.map((r) => [r.ts, r]));
    for (const row of narrow.rows) expect(byTs.get(row.ts)).toEqual(row);
  });

  it('continues one path across incremental collects as the clock advances', async () => {
    const first = await source(Date.UTC(2026, 0, 5, 12)).fetch({ symbol: 'BTC-USD', interval: '5m', from: Date.UTC(2026, 0, 5) });
    const later = await source(Date.UTC(2026, 0, 6, 12)).fetch({ symbol: 'BTC-USD', interval: '5m', from: Date.UTC(2026, 0, 5) });
    expect(first.rows.length).toBe(12 * 12);
    expect(later.rows.length).toBe(36 * 12);
    expect(later.rows.slice(0, first.rows.length)).toEqual(first.rows);
  });

  it('never returns a bar that is still forming at `now`, nor one outside [from, to)', async () => {
    const now = Date.UTC(2025, 2, 1, 15, 47, 13); // soon after the 1m anchor, so the 1m path stays short
    for (const interval of INTERVALS) {
      const { rows } = await source(now).fetch({ symbol: 'ETHUSDT', interval });
      expect(rows.length, interval).toBeGreaterThan(0);
      const last = rows[rows.length - 1];
      expect(nextBoundary(last.ts, interval)).toBeLessThanOrEqual(now);
      // the next bar would still be forming
      expect(nextBoundary(nextBoundary(last.ts, interval), interval)).toBeGreaterThan(now);
    }
    const from = Date.UTC(2026, 5, 1, 10, 3);
    const to = Date.UTC(2026, 5, 1, 11, 0);
    const { rows } = await source().fetch({ symbol: 'ETHUSDT', interval: '1m', from, to });
    expect(rows[0].ts).toBe(Date.UTC(2026, 5, 1, 10, 3));
    expect(rows.length).toBe(57);
    expect(rows.every((r) => r.ts >= from && r.ts < to)).toBe(true);
  });

  it('defaults the window per interval and clips it to the anchor with a note', async () => {
    const daily = await source().fetch({ symbol: 'AAPL', interval: '1d', calendar: XNYS });
    const spanDays = (daily.rows[daily.rows.length - 1].ts - daily.rows[0].ts) / DAY;
    expect(spanDays).toBeGreaterThan(SYNTHETIC_DEFAULT_WINDOW_MS['1d'] / DAY - 5);
    expect(spanDays).toBeLessThanOrEqual(SYNTHETIC_DEFAULT_WINDOW_MS['1d'] / DAY);
    expect(daily.notes).toEqual([]);
    const early = await source().fetch({ symbol: 'AAPL', interval: '1m', from: Date.UTC(2024, 0, 1), to: Date.UTC(2025, 0, 3), calendar: XNYS });
    expect(early.rows.length).toBe(390); // the 1m path starts 2025-01-01, a holiday; Jan 2 is a full session
    expect(early.rows[0].ts).toBe(Date.UTC(2025, 0, 2, 14, 30));
    expect(early.notes?.[0]).toMatch(/history starts at 2025-01-01/);
    const before = await source().fetch({ symbol: 'AAPL', interval: '1m', from: Date.UTC(2020, 0, 1), to: Date.UTC(2021, 0, 1), calendar: XNYS });
    expect(before.rows).toEqual([]);
    expect(source().historyLimitMs('1d')).toBe(NOW - SYNTHETIC_ANCHORS['1d']);
  });

  it('returns rows whose raw text round-trips to the numbers and reports instrument metadata', async () => {
    const { rows, meta } = await source().fetch({ symbol: 'BTC-USD', interval: '4h', from: Date.UTC(2026, 0, 1), to: Date.UTC(2026, 0, 2) });
    expect(rows.length).toBe(6);
    expect(meta?.kind).toBe('crypto');
    expect(meta?.calendar).toBe('crypto'); // the default calendar, whatever the symbol
    for (const r of rows) {
      const [iso, o, h, l, c, v] = r.raw.split(',');
      expect(Date.parse(iso)).toBe(r.ts);
      expect([Number(o), Number(h), Number(l), Number(c), Number(v)]).toEqual([r.open, r.high, r.low, r.close, r.volume]);
      expect(r.ts % INTERVAL_MS['4h']).toBe(0);
    }
  });
});
