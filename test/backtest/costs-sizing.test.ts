import { describe, expect, it } from 'vitest';
import { averageTrueRange, slippageTable, validateFeeBps, validateSlippage } from '../../src/backtest/costs.js';
import { sizingFractions, validateSizing } from '../../src/backtest/sizing.js';
import { UsageError } from '../../src/core/errors.js';
import { barsFrom, flatBars } from './bars.js';

describe('costs', () => {
  it('accepts fees and slippage from 0 to 1000 bps and refuses negative or absurd values', () => {
    expect(validateFeeBps(0)).toBe(0);
    expect(validateFeeBps(1000)).toBe(1000);
    for (const bad of [-1, 1000.5, NaN, Infinity]) expect(() => validateFeeBps(bad)).toThrow(UsageError);
    expect(() => validateSlippage({ kind: 'bps', bps: -0.1 })).toThrow(/slippage of -0.1 bps/);
    expect(() => validateSlippage({ kind: 'bps', bps: 1001 })).toThrow(UsageError);
    expect(() => validateSlippage({ kind: 'atr', fraction: -1 })).toThrow(UsageError);
    expect(() => validateSlippage({ kind: 'atr', fraction: 6 })).toThrow(UsageError);
  });

  it("computes Wilder's ATR by hand", () => {
    const s = barsFrom([
      [10, 11, 9, 10],
      [10, 12, 9, 11], // TR 3
      [11, 12, 10, 11], // TR 2
      [11, 15, 11, 14], // TR 4
      [14, 14, 8, 9], // TR 6
    ]);
    const atr = averageTrueRange(s, 2);
    expect(atr[0]).toBeNaN();
    expect(atr[1]).toBeNaN();
    expect(atr[2]).toBe(2.5);
    expect(atr[3]).toBe(2.5 + (4 - 2.5) / 2);
    expect(atr[4]).toBe(3.25 + (6 - 3.25) / 2);
  });

  it('ATR slippage uses the ATR of the bar before the fill, zero while unknown', () => {
    const atr = Float64Array.from([NaN, 2, 4, 6]);
    const t = slippageTable({ kind: 'atr', fraction: 0.5 }, atr, 4);
    expect(t.rate).toBe(0);
    expect(Array.from(t.abs!)).toEqual([0, 0, 1, 2]);
    expect(slippageTable({ kind: 'bps', bps: 5 }, null, 4)).toEqual({ rate: 0.0005, abs: null });
  });
});

describe('sizing', () => {
  it('fixed sizing commits the same fraction at every bar', () => {
    expect(Array.from(sizingFractions(flatBars([1, 2, 3]), { kind: 'fixed', fraction: 0.5 }, 252))).toEqual([0.5, 0.5, 0.5]);
  });

  it('vol-target divides the target by trailing annualised realised volatility, capped', () => {
    // closes alternate +/-1 % log moves: returns +a, -a, +a, ... with sample std over 4 returns known by hand
    const a = 0.01;
    const closes = [100];
    for (let i = 1; i < 8; i++) closes.push(closes[i - 1] * Math.exp(i % 2 ? a : -a));
    const f = sizingFractions(flatBars(closes), { kind: 'vol-target', targetVolPct: 15, lookbackBars: 4, maxLeverage: 3 }, 252);
    // window of 4 returns [+a,-a,+a,-a]: mean 0, sample variance 4a^2/3
    const vol = Math.sqrt((4 * a * a) / 3) * Math.sqrt(252);
    expect(Array.from(f.subarray(0, 4))).toEqual([0, 0, 0, 0]);
    expect(f[4]).toBeCloseTo(0.15 / vol, 12);
    const capped = sizingFractions(flatBars(closes), { kind: 'vol-target', targetVolPct: 150, lookbackBars: 4, maxLeverage: 3 }, 252);
    expect(capped[5]).toBe(3);
  });

  it('vol-target uses nothing after the signal bar', () => {
    const closes = Array.from({ length: 3000 }, (_, i) => 100 * Math.exp(0.01 * Math.sin(i * 0.9) + 0.0001 * i));
    const spec = { kind: 'vol-target', targetVolPct: 10, lookbackBars: 20, maxLeverage: 2 } as const;
    const before = sizingFractions(flatBars(closes), spec, 252);
    const changed = closes.slice();
    for (let i = 2000; i < 3000; i++) changed[i] *= 1 + 0.05 * Math.cos(i);
    const after = sizingFractions(flatBars(changed), spec, 252);
    for (let i = 0; i < 2000; i++) expect(after[i]).toBeCloseTo(before[i], 9);
  });

  it('refuses fractions, targets, lookbacks and caps out of range', () => {
    expect(() => validateSizing({ kind: 'fixed', fraction: 0 })).toThrow(UsageError);
    expect(() => validateSizing({ kind: 'fixed', fraction: 11 })).toThrow(UsageError);
    expect(() => validateSizing({ kind: 'vol-target', targetVolPct: 0, lookbackBars: 20, maxLeverage: 2 })).toThrow(UsageError);
    expect(() => validateSizing({ kind: 'vol-target', targetVolPct: 15, lookbackBars: 1, maxLeverage: 2 })).toThrow(UsageError);
    expect(() => validateSizing({ kind: 'vol-target', targetVolPct: 15, lookbackBars: 20, maxLeverage: 0 })).toThrow(UsageError);
  });
});
