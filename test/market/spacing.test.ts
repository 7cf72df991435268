import { describe, expect, it } from 'vitest';
import { loadCalendar } from '../../src/market/calendars/registry.js';
import { INTERVAL_MS, type Interval } from '../../src/core/interval.js';
import { checkSpacing, describeStep, inferSpacing, type TradingOrdinal } from '../../src/market/spacing.js';

const crypto = loadCalendar('crypto');
const utc: TradingOrdinal = (ts, iv) => crypto.tradingOrdinal(ts, iv);
const START = Date.UTC(2024, 0, 1);

/** `n` bar times `step` apart, skipping the indices in `drop`. */
function grid(n: number, step: number, drop: (i: number) => boolean = () => false): Float64Array {
  const out: number[] = [];
  for (let i = 0; i < n; i++) if (!drop(i)) out.push(START + i * step);
  return Float64Array.from(out);
}

describe('inferSpacing', () => {
  it.each<Interval>(['1m', '5m', '15m', '30m', '1h', '4h', '1d'])('recognises %s bars', (iv) => {
    expect(inferSpacing(grid(500, INTERVAL_MS[iv]), utc)?.interval).toBe(iv);
  });

  it('recognises weekly and monthly bars', () => {
    expect(inferSpacing(grid(60, 7 * 86_400_000), utc)?.interval).toBe('1wk');
    const months = Float64Array.from({ length: 36 }, (_, i) => Date.UTC(2020, i, 1));
    expect(inferSpacing(months, utc)?.interval).toBe('1mo');
  });

  it('keeps sparse bars at their interval (minutes without trades are missing, not a coarser interval)', () => {
    // A third of the minutes missing, as in illiquid 1m crypto data.
    const t = grid(3000, 60_000, (i) => i % 3 === 2);
    expect(inferSpacing(t, utc)?.interval).toBe('1m');
  });

  it('finds no interval for bars 2h or 8h apart', () => {
    const s = inferSpacing(grid(200, 2 * 3_600_000), utc);
    expect(s?.interval).toBeNull();
    expect(s?.medianStepMs).toBe(2 * 3_600_000);
    expect(inferSpacing(grid(200, 8 * 3_600_000), utc)?.interval).toBeNull();
  });

  it('counts rows with equal times as sharing a bar (daily keys of an hourly file)', () => {
    const keys = Float64Array.from({ length: 240 }, (_, i) => START + Math.floor(i / 24) * 86_400_000);
    expect(inferSpacing(keys, utc)?.interval).toBeNull();
  });

  it('is undefined without a step, and ignores unreadable times', () => {
    expect(inferSpacing(Float64Array.of(START), utc)).toBeUndefined();
    const t = grid(100, 300_000);
    t[10] = NaN;
    t[50] = NaN;
    expect(inferSpacing(t, utc)?.interval).toBe('5m');
  });
});

describe('inferSpacing per calendar', () => {
  it('counts steps in trading bars: 4h bars of an exchange session are one bar apart within and across sessions', () => {
    const xnys = loadCalendar('XNYS');
    const ordinal: TradingOrdinal = (ts, iv) => xnys.tradingOrdinal(ts, iv);
    const times = new Float64Array(200);
    xnys.fillTradingBars(xnys.tradingOrdinal(Date.UTC(2024, 0, 2), '4h'), times.length, '4h', times);
    // 4h within a session and 20 hours or more between sessions, but one 4h bar apart either way.
    expect(inferSpacing(times, ordinal)?.interval).toBe('4h');
    expect(checkSpacing(times, '4h', ordinal)).toBe('fits');
    expect(checkSpacing(times, '1h', ordinal)).toBe('coarser');
    // Daily bars over weekends and holidays are one session apart.
    const days = new Float64Array(300);
    xnys.fillTradingBars(xnys.tradingOrdinal(Date.UTC(2023, 0, 3), '1d'), days.length, '1d', days);
    expect(inferSpacing(days, ordinal)?.interval).toBe('1d');
    expect(checkSpacing(days, '1h', ordinal)).toBe('coarser');
  });
});

describe('checkSpacing', () => {
  it('says finer when rows share bars, coarser when they are bars apart, else fits', () => {
    const fiveMin = grid(500, 300_000);
    expect(checkSpacing(fiveMin, '1h', utc)).toBe('finer');
    expect(checkSpacing(fiveMin, '5m', utc)).toBe('fits');
    const daily = grid(300, 86_400_000);
    expect(checkSpacing(daily, '1h', utc)).toBe('coarser');
    expect(checkSpacing(daily, '1d', utc)).toBe('fits');
  });

  it('does not call a handful of rows coarser: sparse bars look the same', () => {
    expect(checkSpacing(grid(6, 86_400_000), '1h', utc)).toBe('fits');
  });
});

describe('describeStep', () => {
  it('names a step with up to two units', () => {
    expect(describeStep(300_000)).toBe('5m');
    expect(describeStep(86_400_000 + 7_200_000)).toBe('1d 2h');
    expect(describeStep(30 * 86_400_000)).toBe('30d');
  });
});
