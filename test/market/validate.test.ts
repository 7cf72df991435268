import { describe, expect, it } from 'vitest';
import type { Bar, SourceRow } from '../../src/core/bars.js';
import { floorToInterval, type Interval } from '../../src/core/interval.js';
import { generateSeries } from '../../src/market/sources/synthetic.js';
import { REJECT_REASONS, validateColumns, validateRows, type RejectReason } from '../../src/market/validate.js';
import { HAS_SHARED } from '../helpers/shared.js';
import { readSharedRows } from './shared-csv.js';

const NOW = Date.UTC(2026, 10, 20, 12);
const T0 = Date.UTC(2024, 0, 2);
const H = 3_600_000;

function row(ts: number, o: number, h: number, l: number, c: number, v = 10, adjClose: number | null = null): SourceRow {
  return { ts, open: o, high: h, low: l, close: c, volume: v, adjClose, raw: `${ts},${o},${h},${l},${c},${v}` };
}

/** A synthetic daily series as source rows (continuous calendar, so no weekend breaks to think about). */
function syntheticRows(bars: number, seed = 1): SourceRow[] {
  const s = generateSeries({ symbol: 'BTC-USD', interval: '1d', bars, seed, start: Date.UTC(2018, 0, 1) });
  return Array.from({ length: s.length }, (_, i) => row(s.time[i], s.open[i], s.high[i], s.low[i], s.close[i], s.volume[i]));
}

/** Multiply one row's prices by `factor` (a decimal slip / bad print). */
function scaled(r: SourceRow, factor: number): SourceRow {
  return { ...r, open: r.open * factor, high: r.high * factor, low: r.low * factor, close: r.close * factor, raw: `${r.raw}*${factor}` };
}

describe('validateRows: per-row checks', () => {
  const cases: [string, SourceRow, RejectReason][] = [
    ['NaN timestamp', row(NaN, 1, 2, 0.5, 1.5), 'non_finite'],
    ['NaN close', row(T0, 1, 2, 0.5, NaN), 'non_finite'],
    ['infinite volume', row(T0, 1, 2, 0.5, 1.5, Infinity), 'non_finite'],
    ['NaN adjusted close', row(T0, 1, 2, 0.5, 1.5, 10, NaN), 'non_finite'],
    ['1969 timestamp', row(-H, 1, 2, 0.5, 1.5), 'before_1970'],
    ['bar opening after now', row(NOW + H, 1, 2, 0.5, 1.5), 'future_timestamp'],
    ['timestamp off the hour', row(T0 + 60_000, 1, 2, 0.5, 1.5), 'misaligned_timestamp'],
    ['zero price', row(T0, 0, 2, 0, 1.5), 'non_positive_price'],
    ['negative adjusted close', row(T0, 1, 2, 0.5, 1.5, 10, -1), 'non_positive_price'],
    ['negative volume', row(T0, 1, 2, 0.5, 1.5, -1), 'negative_volume'],
    ['high below close', row(T0, 1, 1.4, 0.5, 1.5), 'high_low_inconsistent'],
    ['low above open', row(T0, 1, 2, 1.1, 1.5), 'high_low_inconsistent'],
    ['low above high', row(T0, 1, 0.9, 1.1, 1), 'high_low_inconsistent'],
  ];
  it.each(cases.map(([n, r, why]) => [n, why, r] as const))('%s -> %s, keeping the raw text', (_name, reason, bad) => {
    const good = row(T0 + H, 1, 2, 0.5, 1.5);
    const out = validateRows([bad, good], { interval: '1h', now: NOW });
    expect(out.bars).toHaveLength(1);
    expect(out.rejected).toHaveLength(1);
    expect(out.rejected[0].reason).toBe(reason);
    expect(out.rejected[0].raw).toBe(bad.raw);
    expect(out.rejected[0].detail.length).toBeGreaterThan(10);
    expect(REJECT_REASONS).toContain(reason);
  });

  it('accepts a valid bar exactly at now, flat bars, zero volume and a null adjusted close', () => {
    const rows = [row(NOW, 5, 5, 5, 5, 0), row(NOW - H, 1, 2, 0.5, 1.5, 3, 1.4)];
    const out = validateRows(rows, { interval: '1h', now: NOW });
    expect(out.rejected).toEqual([]);
    expect(out.bars.map((b) => b.ts)).toEqual([NOW - H, NOW]);
    expect(out.bars[0]).toMatchObject({ ts: NOW - H, open: 1, high: 2, low: 0.5, close: 1.5, volume: 3, adjClose: 1.4 });
    expect(out.bars[1].adjClose).toBeNull();
    expect(out.bars[0]).toBe(rows[1]); // the accepted rows themselves, not copies
  });

  it('checks alignment against the interval calendar (ISO weeks from Monday, calendar months)', () => {
    const monday = Date.UTC(2024, 0, 1);
    const out = validateRows([row(monday, 1, 2, 0.5, 1.5), row(monday + 86_400_000, 1, 2, 0.5, 1.5)], { interval: '1wk', now: NOW });
    expect(out.rejected.map((r) => r.reason)).toEqual(['misaligned_timestamp']);
    const months = validateRows([row(Date.UTC(2024, 1, 1), 1, 2, 0.5, 1.5), row(Date.UTC(2024, 1, 29), 1, 2, 0.5, 1.5)], { interval: '1mo', now: NOW });
    expect(months.bars.map((b) => b.ts)).toEqual([Date.UTC(2024, 1, 1)]);
  });
});

describe('validateRows: order and duplicates', () => {
  it('sorts unsorted input and says so', () => {
    const rows = [row(T0 + 2 * H, 1, 2, 0.5, 1.5), row(T0, 1, 2, 0.5, 1.2), row(T0 + H, 1, 2, 0.5, 1.3)];
    const out = validateRows(rows, { interval: '1h', now: NOW });
    expect(out.wasUnsorted).toBe(true);
    expect(out.bars.map((b) => b.ts)).toEqual([T0, T0 + H, T0 + 2 * H]);
    expect(validateRows([...rows].sort((a, b) => a.ts - b.ts), { interval: '1h', now: NOW }).wasUnsorted).toBe(false);
  });

  it('keeps the first valid row of a timestamp and rejects later ones, saying whether they differ', () => {
    const rows = [
      row(T0 + H, 1, 2, 0.5, 1.5),
      row(T0, 1, 0.1, 0.5, 1.5), // invalid: does not count as the first occurrence
      row(T0, 1, 2, 0.5, 1.6),
      row(T0 + H, 1, 2, 0.5, 1.5),
      row(T0, 1, 2, 0.5, 1.7),
    ];
    const out = validateRows(rows, { interval: '1h', now: NOW });
    expect(out.bars.map((b) => [b.ts, b.close])).toEqual([[T0, 1.6], [T0 + H, 1.5]]);
    const dups = out.rejected.filter((r) => r.reason === 'duplicate_timestamp');
    expect(dups.map((d) => d.raw)).toEqual([rows[4].raw, rows[3].raw]);
    expect(dups[0].detail).toMatch(/its close 1.6, this close 1.7/);
    expect(dups[1].detail).toMatch(/identical values/);
    expect(out.rejected.find((r) => r.reason === 'high_low_inconsistent')?.raw).toBe(rows[1].raw);
  });
});

describe('validateRows: suspect outliers', () => {
  it('flags an isolated 10x print, and only that bar; acceptOutliers keeps it', () => {
    const rows = syntheticRows(400);
    rows[200] = scaled(rows[200], 10);
    const out = validateRows(rows, { interval: '1d', now: NOW });
    expect(out.rejected.map((r) => [r.ts, r.reason])).toEqual([[rows[200].ts, 'suspect_outlier']]);
    expect(out.rejected[0].detail).toMatch(/robust z/);
    expect(out.bars).toHaveLength(399);
    expect(validateRows(rows, { interval: '1d', now: NOW, acceptOutliers: true }).bars).toHaveLength(400);
    rows[300] = scaled(rows[300], 0.01);
    expect(validateRows(rows, { interval: '1d', now: NOW }).rejected.map((r) => r.ts)).toEqual([rows[200].ts, rows[300].ts]);
  });

  it('does not flag a level shift such as an unadjusted 4:1 split or a crash that persists', () => {
    const rows = syntheticRows(400).map((r, i) => (i >= 250 ? scaled(r, 0.25) : r));
    expect(validateRows(rows, { interval: '1d', now: NOW }).rejected).toEqual([]);
  });

  it('flags a last bar only beyond the unconfirmed bound (a 7.4x move)', () => {
    const rows = syntheticRows(300);
    rows[299] = scaled(rows[299], 3);
    expect(validateRows(rows, { interval: '1d', now: NOW }).rejected).toEqual([]);
    rows[299] = scaled(rows[299], 10 / 3);
    expect(validateRows(rows, { interval: '1d', now: NOW }).rejected.map((r) => r.reason)).toEqual(['suspect_outlier']);
  });

  it('judges a small incremental batch against the stored history', () => {
    const all = syntheticRows(305);
    const history: Bar[] = all.slice(0, 300).map(({ raw: _raw, ...bar }) => bar);
    const batch = all.slice(300);
    batch[0] = scaled(batch[0], 10);
    expect(validateRows(batch, { interval: '1d', now: NOW }).rejected).toEqual([]); // too few returns to judge
    const out = validateRows(batch, { interval: '1d', now: NOW, history });
    expect(out.rejected.map((r) => r.ts)).toEqual([batch[0].ts]);
    // history overlapping the batch (the re-fetched overlap) is ignored rather than double counted
    const overlapping = validateRows(batch, { interval: '1d', now: NOW, history: [...history, ...batch.slice(1).map(({ raw: _r, ...b }) => b)] });
    expect(overlapping.rejected.map((r) => r.ts)).toEqual([batch[0].ts]);
  });

  it('respects a custom z bound', () => {
    const rows = syntheticRows(400);
    rows[100] = scaled(rows[100], 1.3); // a 0.26 log spike: about 7 robust sigmas on this series
    expect(validateRows(rows, { interval: '1d', now: NOW }).rejected).toEqual([]);
    expect(validateRows(rows, { interval: '1d', now: NOW, outlierZ: 4 }).rejected.map((r) => r.ts)).toEqual([rows[100].ts]);
  });
});

/** The shared files with their interval; Yahoo daily stamps (14:30Z) and month-end stamps are keyed to their bucket. */
const SHARED_FILES: [string, string, Interval][] = [
  ['freqtrade', 'ADA_BTC-5m.csv', '5m'], ['freqtrade', 'DASH_BTC-5m.csv', '5m'], ['freqtrade', 'ETC_BTC-5m.csv', '5m'],
  ['freqtrade', 'ETH_BTC-5m.csv', '5m'], ['freqtrade', 'LTC_BTC-5m.csv', '5m'], ['freqtrade', 'NXT_BTC-5m.csv', '5m'],
  ['freqtrade', 'TRX_BTC-5m.csv', '5m'], ['freqtrade', 'XLM_BTC-5m.csv', '5m'], ['freqtrade', 'XMR_BTC-5m.csv', '5m'],
  ['freqtrade', 'XRP_ETH-5m.csv', '5m'], ['freqtrade', 'ZEC_BTC-5m.csv', '5m'], ['freqtrade', 'XRP_ETH-1m.csv', '1m'],
  ['freqtrade', 'UNITTEST_BTC-1m.csv', '1m'], ['freqtrade', 'UNITTEST_BTC-30m.csv', '30m'],
  ['freqtrade', 'orderflow_candles-5m.csv', '5m'], ['freqtrade/futures', 'XRP_USDT_USDT-5m-futures.csv', '5m'],
  ['freqtrade/futures', 'XRP_USDT_USDT-1h-futures.csv', '1h'], ['freqtrade/futures', 'XRP_USDT_USDT-8h-mark.csv', '4h'],
  ['backtesting.py', 'EURUSD-1h.csv', '1h'], ['backtesting.py', 'GOOG-1d.csv', '1d'], ['backtesting.py', 'BTCUSD-1mo.csv', '1mo'],
  ['yahoo-finance2/csv', 'AAPL-1d.csv', '1d'], ['yahoo-finance2/csv', 'MSFT-1d.csv', '1d'],
  ['yahoo-finance2/csv', 'NVDA-1d.csv', '1d'], ['yahoo-finance2/csv', 'TSLA-1d.csv', '1d'],
];

function loadKeyed(dir: string, file: string, interval: Interval): SourceRow[] {
  return readSharedRows(...dir.split('/'), file).map((r) => ({ ...r, ts: floorToInterval(r.ts, interval) }));
}

describe.skipIf(!HAS_SHARED)('validateRows on the real shared market data', () => {
  it.each(SHARED_FILES)('%s/%s passes whole: no false positives', (dir, file, interval) => {
    const rows = loadKeyed(dir, file, interval);
    const out = validateRows(rows, { interval, now: NOW });
    expect(out.rejected).toEqual([]);
    expect(out.bars).toHaveLength(rows.length);
    expect(out.wasUnsorted).toBe(false);
  });

  it.each(SHARED_FILES.filter(([, , iv]) => iv !== '1mo'))('%s/%s: a 10x print in the middle is caught', (dir, file, interval) => {
    const rows = loadKeyed(dir, file, interval);
    const k = rows.length >> 1;
    rows[k] = scaled(rows[k], 10);
    const out = validateRows(rows, { interval, now: NOW });
    expect(out.rejected.map((r) => [r.ts, r.reason])).toEqual([[rows[k].ts, 'suspect_outlier']]);
  });

  it('BTC/USD monthly keeps its real 1.7 log-return bar and catches a 100x print', () => {
    const rows = loadKeyed('backtesting.py', 'BTCUSD-1mo.csv', '1mo');
    rows[120] = scaled(rows[120], 100);
    expect(validateRows(rows, { interval: '1mo', now: NOW }).rejected.map((r) => r.ts)).toEqual([rows[120].ts]);
  });

  it('AAPL around its 4:1 split, judged as an incremental batch against pre-split history, is accepted', () => {
    const rows = loadKeyed('yahoo-finance2/csv', 'AAPL-1d.csv', '1d');
    // stored history before the split: the same path at 4x the price, ending the trading day before the first row
    const history: Bar[] = syntheticRows(120, 4).map(({ raw: _raw, ...b }, i) => ({
      ...b,
      ts: rows[0].ts - (120 - i) * 86_400_000,
      open: b.open * ((rows[0].close * 4) / 1e4),
      high: b.high * ((rows[0].close * 4) / 1e4),
      low: b.low * ((rows[0].close * 4) / 1e4),
      close: b.close * ((rows[0].close * 4) / 1e4),
    }));
    history[history.length - 1].close = rows[0].close * 4;
    const out = validateRows(rows, { interval: '1d', now: NOW, history });
    expect(out.rejected).toEqual([]);
  });

  it('the mark-price file with empty volumes is quarantined row by row as non_finite, nothing lost', () => {
    const rows = readSharedRows('freqtrade', 'futures', 'XRP_USDT_USDT-1h-mark.csv');
    const out = validateRows(rows, { interval: '1h', now: NOW });
    expect(out.bars).toEqual([]);
    expect(out.rejected).toHaveLength(rows.length);
    expect(new Set(out.rejected.map((r) => r.reason))).toEqual(new Set(['non_finite']));
    expect(out.rejected[0].detail).toBe('volume is not a finite number');
  });
});

describe('validateColumns', () => {
  it('gives the same bars and rejections as validateRows on parsed CSV columns', async () => {
    const { parseCsvColumns, rowsFromColumns } = await import('../../src/market/sources/csv.js');
    const s = generateSeries({ symbol: 'BTC-USD', interval: '1h', bars: 600, seed: 8, start: Date.UTC(2024, 0, 1) });
    const lines = ['timestamp,open,high,low,close,volume,adj close'];
    for (let i = 0; i < s.length; i++) {
      lines.push([new Date(s.time[i]).toISOString(), s.open[i], s.high[i], s.low[i], s.close[i], s.volume[i], i % 3 === 0 ? '' : s.close[i]].join(','));
    }
    lines.push(lines[10], lines[5]); // duplicates, out of order
    lines[300] = lines[300].replace(/,([0-9.]+),([0-9.]+),([0-9.]+),([0-9.]+),/, (_m, o, h, l, c) => `,${o * 10},${h * 10},${l * 10},${c * 10},`);
    lines[400] = lines[400].replace(/Z,[0-9.]+,/, 'Z,x,');
    const cols = parseCsvColumns(lines.join('\n'), { interval: '1h' });
    const byRows = validateRows(rowsFromColumns(cols), { interval: '1h', now: NOW });
    const byCols = validateColumns(cols, { interval: '1h', now: NOW, symbol: 'BTC-USD' });
    expect(byCols.rejected).toEqual(byRows.rejected);
    expect(byRows.rejected.map((r) => r.reason).sort()).toEqual(['duplicate_timestamp', 'duplicate_timestamp', 'non_finite', 'suspect_outlier']);
    expect(byCols.wasUnsorted).toBe(true);
    expect(byCols.series.length).toBe(byRows.bars.length);
    expect(Array.from(byCols.series.close)).toEqual(byRows.bars.map((b) => b.close));
    expect(Array.from(byCols.series.time)).toEqual(byRows.bars.map((b) => b.ts));
    expect(Array.from(byCols.adjClose!, (a) => (Number.isNaN(a) ? null : a))).toEqual(byRows.bars.map((b) => b.adjClose));
    expect(byCols.series.symbol).toBe('BTC-USD');
  });

  it('shares the input columns when every row is accepted in order, with the same result as validateRows', async () => {
    const { parseCsvColumns, rowsFromColumns } = await import('../../src/market/sources/csv.js');
    const s = generateSeries({ symbol: 'BTC-USD', interval: '1h', bars: 300, seed: 9, start: Date.UTC(2024, 0, 1) });
    const lines = ['timestamp,open,high,low,close,volume,adj close'];
    for (let i = 0; i < s.length; i++) {
      lines.push([new Date(s.time[i]).toISOString(), s.open[i], s.high[i], s.low[i], s.close[i], s.volume[i], i % 4 === 0 ? '' : s.close[i]].join(','));
    }
    const cols = parseCsvColumns(lines.join('\n'), { interval: '1h' });
    const before = Array.from(cols.adjClose!);
    const byRows = validateRows(rowsFromColumns(cols), { interval: '1h', now: NOW });
    const byCols = validateColumns(cols, { interval: '1h', now: NOW, symbol: 'BTC-USD' });
    expect(byCols.rejected).toEqual([]);
    expect(byRows.bars).toHaveLength(300);
    expect(byCols.series.length).toBe(300);
    expect(byCols.series.time.buffer).toBe(cols.time.buffer); // no copy
    for (const k of ['open', 'high', 'low', 'close', 'volume'] as const) expect(Array.from(byCols.series[k])).toEqual(byRows.bars.map((b) => b[k]));
    expect(Array.from(byCols.series.time)).toEqual(byRows.bars.map((b) => b.ts));
    expect(Array.from(byCols.adjClose!, (a) => (Number.isNaN(a) ? null : a))).toEqual(byRows.bars.map((b) => b.adjClose));
    expect(Array.from(cols.adjClose!)).toEqual(before); // the input is not modified
  });
});
