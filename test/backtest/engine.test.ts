import { describe, expect, it } from 'vitest';
import { runEngine, type EngineInput } from '../../src/backtest/engine.js';
import { DataError, UsageError } from '../../src/core/errors.js';
import type { BarSeries } from '../../src/core/bars.js';
import { barsFrom, flatBars } from './bars.js';

function input(series: BarSeries, signal: number[], extra: Partial<EngineInput> = {}): EngineInput {
  return {
    series,
    signal: Float64Array.from(signal),
    fractions: new Float64Array(series.length).fill(1),
    capital: 10_000,
    feeRate: 0,
    slippage: { rate: 0, abs: null },
    direction: 'long-only',
    stopDistance: null,
    takeDistance: null,
    ...extra,
  };
}

const FIVE = barsFrom([
  [100, 100, 100, 100],
  [101, 102, 100, 101],
  [110, 112, 109, 111],
  [120, 121, 119, 120],
  [118, 119, 117, 118],
]);

describe('execution at the next open', () => {
  it('fills a signal from bar i at the open of bar i + 1 and never in bar i', () => {
    const out = runEngine(input(FIVE, [1, 1, 0, 0, 0]));
    const t = out.trades;
    expect(t.count).toBe(1);
    expect([t.entryIndex[0], t.exitIndex[0], t.entryPrice[0], t.exitPrice[0]]).toEqual([1, 3, 101, 120]);
    const units = 10_000 / 101;
    expect(t.size[0]).toBeCloseTo(units, 12);
    expect(out.equity[0]).toBe(10_000);
    expect(out.equity[1]).toBeCloseTo(units * 101, 9); // held from the open of bar 1, marked at its close
    expect(out.equity[2]).toBeCloseTo(units * 111, 9);
    expect(out.equity[3]).toBeCloseTo(units * 120, 9);
    expect(out.equity[4]).toBeCloseTo(units * 120, 9);
    expect(out.position[2]).toBeCloseTo(1, 12);
    expect(out.position[3]).toBe(0);
  });

  it('changes nothing before bar i + 1 when only the signal of bar i changes', () => {
    const a = runEngine(input(FIVE, [0, 0, 0, 0, 0]));
    const b = runEngine(input(FIVE, [0, 0, 1, 1, 1]));
    expect(Array.from(b.equity.subarray(0, 3))).toEqual(Array.from(a.equity.subarray(0, 3)));
    expect(b.trades.entryIndex[0]).toBe(3);
  });

  it('charges the fee on entry and exit, committing all equity including the entry fee', () => {
    const out = runEngine(input(FIVE, [1, 1, 0, 0, 0], { feeRate: 0.001 }));
    const notional = 10_000 / 1.001;
    const entryFee = notional * 0.001;
    const units = notional / 101;
    const exitFee = units * 120 * 0.001;
    expect(out.trades.fees[0]).toBeCloseTo(entryFee + exitFee, 9);
    expect(out.trades.pnl[0]).toBeCloseTo(units * 19 - entryFee - exitFee, 9);
    expect(out.totalFees).toBeCloseTo(entryFee + exitFee, 9);
    expect(out.equity[4]).toBeCloseTo(10_000 + units * 19 - entryFee - exitFee, 9);
  });

  it('moves fills against the trader by the slippage rate (buys higher, sells lower)', () => {
    const out = runEngine(input(FIVE, [1, 1, 0, 0, 0], { slippage: { rate: 0.005, abs: null } }));
    expect(out.trades.entryPrice[0]).toBeCloseTo(101 * 1.005, 12);
    expect(out.trades.exitPrice[0]).toBeCloseTo(120 * 0.995, 12);
    const short = runEngine(input(FIVE, [-1, -1, 0, 0, 0], { direction: 'long-short', slippage: { rate: 0.005, abs: null } }));
    expect(short.trades.entryPrice[0]).toBeCloseTo(101 * 0.995, 12);
    expect(short.trades.exitPrice[0]).toBeCloseTo(120 * 1.005, 12);
  });

  it('uses absolute per-bar slippage when given (ATR slippage)', () => {
    const abs = Float64Array.from([0, 0.5, 0.7, 0.9, 1.1]);
    const out = runEngine(input(FIVE, [1, 1, 0, 0, 0], { slippage: { rate: 0, abs } }));
    expect(out.trades.entryPrice[0]).toBe(101.5);
    expect(out.trades.exitPrice[0]).toBe(119.1);
  });

  it('turns short signals flat when long-only and reverses at one open when long-short', () => {
    expect(runEngine(input(FIVE, [-1, -1, -1, -1, -1])).trades.count).toBe(0);
    const out = runEngine(input(FIVE, [1, -1, -1, 0, 0], { direction: 'long-short' }));
    const t = out.trades;
    expect(t.count).toBe(2);
    expect([t.side[0], t.entryIndex[0], t.exitIndex[0], t.exitReason[0]]).toEqual([1, 1, 2, 0]);
    expect([t.side[1], t.entryIndex[1], t.exitIndex[1], t.exitPrice[1]]).toEqual([-1, 2, 4, 118]);
    // short from 110 to 118 loses 8 per unit
    expect(t.pnl[1]).toBeCloseTo(-8 * t.size[1], 9);
  });

  it('closes a position still open after the last bar at the last close (reason end)', () => {
    const t = runEngine(input(FIVE, [0, 0, 1, 1, 1])).trades;
    expect([t.entryIndex[0], t.exitIndex[0], t.exitPrice[0], t.exitReason[0]]).toEqual([3, 4, 118, 3]);
  });

  it('trades NaN signals as flat and counts them', () => {
    const out = runEngine(input(FIVE, [1, NaN, 1, NaN, NaN]));
    expect(out.nanSignals).toBe(3);
    const t = out.trades;
    expect(t.count).toBe(2);
    expect([t.entryIndex[0], t.exitIndex[0], t.entryIndex[1], t.exitIndex[1]]).toEqual([1, 2, 3, 4]);
  });

  it('skips an entry whose sizing fraction is 0 and counts it', () => {
    const out = runEngine(input(FIVE, [1, 1, 1, 1, 1], { fractions: Float64Array.from([0, 0, 0.5, 0.5, 0.5]) }));
    expect(out.skippedEntries).toBe(2);
    expect(out.trades.entryIndex[0]).toBe(3);
    expect(out.trades.size[0] * 120).toBeCloseTo(5_000, 9);
  });

  it('liquidates and stops trading when equity falls to zero', () => {
    const s = barsFrom([
      [100, 100, 100, 100],
      [100, 100, 100, 100],
      [150, 260, 150, 250],
      [250, 250, 250, 250],
      [100, 100, 100, 100],
    ]);
    const out = runEngine(input(s, [-1, -1, 0, -1, -1], { direction: 'long-short' }));
    expect(out.ruined).toBe(true);
    expect(out.trades.count).toBe(1);
    expect(out.trades.exitReason[0]).toBe(4);
    expect(out.equity[4]).toBe(out.equity[2]);
  });
});

describe('stop-loss and take-profit', () => {
  const dist = (d: number): Float64Array => new Float64Array(5).fill(d);
  const run = (rows: Array<[number, number, number, number]>, signal: number[], stop: number | null, take: number | null, extra: Partial<EngineInput> = {}) =>
    runEngine(input(barsFrom(rows), signal, { stopDistance: stop === null ? null : dist(stop), takeDistance: take === null ? null : dist(take), ...extra }));
  const base: Array<[number, number, number, number]> = [
    [100, 100, 100, 100],
    [100, 101, 99, 100],
  ];

  it('fills a stop touched intrabar at the stop level', () => {
    const t = run([...base, [98, 99, 94, 96], [96, 96, 96, 96], [96, 96, 96, 96]], [1, 1, 1, 1, 1], 5, null).trades;
    expect([t.exitIndex[0], t.exitPrice[0], t.exitReason[0]]).toEqual([2, 95, 1]);
  });

  it('fills a gap through the stop at the open, not at the stop', () => {
    const t = run([...base, [90, 92, 88, 91], [91, 91, 91, 91], [91, 91, 91, 91]], [1, 1, 1, 1, 1], 5, null).trades;
    expect([t.exitIndex[0], t.exitPrice[0], t.exitReason[0]]).toEqual([2, 90, 1]);
  });

  it('assumes the stop came first when a bar touches both levels', () => {
    const t = run([...base, [100, 120, 94, 110], [110, 110, 110, 110], [110, 110, 110, 110]], [1, 1, 1, 1, 1], 5, 10).trades;
    expect([t.exitPrice[0], t.exitReason[0]]).toEqual([95, 1]);
  });

  it('fills a take-profit at its level, or at a better gap open', () => {
    let t = run([...base, [101, 111, 99, 105], [105, 105, 105, 105], [105, 105, 105, 105]], [1, 1, 1, 1, 1], 5, 10).trades;
    expect([t.exitPrice[0], t.exitReason[0]]).toEqual([110, 2]);
    t = run([...base, [115, 116, 113, 114], [114, 114, 114, 114], [114, 114, 114, 114]], [1, 1, 1, 1, 1], 5, 10).trades;
    expect([t.exitPrice[0], t.exitReason[0]]).toEqual([115, 2]);
  });

  it('checks the entry bar itself against its low', () => {
    const t = run([[100, 100, 100, 100], [100, 101, 94, 97], [97, 97, 97, 97], [97, 97, 97, 97], [97, 97, 97, 97]], [1, 1, 1, 1, 1], 5, null).trades;
    expect([t.entryIndex[0], t.exitIndex[0], t.exitPrice[0]]).toEqual([1, 1, 95]);
  });

  it('mirrors the levels for shorts', () => {
    const t = run([...base, [101, 106, 100, 104], [104, 104, 104, 104], [104, 104, 104, 104]], [-1, -1, -1, -1, -1], 5, null, {
      direction: 'long-short',
    }).trades;
    expect([t.side[0], t.exitPrice[0], t.exitReason[0]]).toEqual([-1, 105, 1]);
    const g = run([...base, [108, 109, 107, 108], [108, 108, 108, 108], [108, 108, 108, 108]], [-1, -1, -1, -1, -1], 5, null, {
      direction: 'long-short',
    }).trades;
    expect(g.exitPrice[0]).toBe(108);
  });

  it('does not re-enter the stopped side until the signal leaves it', () => {
    const rows: Array<[number, number, number, number]> = [...base, [98, 99, 94, 96], [96, 97, 95, 96], [96, 97, 95, 96], [96, 97, 95, 96]];
    const stay = runEngine(input(barsFrom(rows), [1, 1, 1, 1, 1, 1], { stopDistance: new Float64Array(6).fill(5) })).trades;
    expect(stay.count).toBe(1);
    const again = runEngine(input(barsFrom(rows), [1, 1, 1, 0, 1, 1], { stopDistance: new Float64Array(6).fill(5) })).trades;
    expect(again.count).toBe(2);
    expect(again.entryIndex[1]).toBe(5);
  });

  it('enters without protection while the distance is unknown and counts it', () => {
    const out = runEngine(input(FIVE, [1, 1, 0, 0, 0], { stopDistance: new Float64Array(5).fill(NaN) }));
    expect(out.unprotectedEntries).toBe(1);
    expect(out.trades.exitReason[0]).toBe(0);
  });
});

describe('bad input', () => {
  it('refuses an empty series with a DataError', () => {
    expect(() => runEngine(input(flatBars([]), []))).toThrow(DataError);
  });

  it('refuses arrays whose length differs from the series with a DataError naming both lengths', () => {
    expect(() => runEngine(input(FIVE, [1, 1, 1]))).toThrow(/3 values but the series has 5 bars/);
    expect(() => runEngine(input(FIVE, [1, 1, 1, 1, 1], { fractions: new Float64Array(4) }))).toThrow(DataError);
    expect(() => runEngine(input(FIVE, [1, 1, 1, 1, 1], { stopDistance: new Float64Array(6) }))).toThrow(DataError);
  });

  it('refuses a non-positive capital with a UsageError', () => {
    expect(() => runEngine(input(FIVE, [0, 0, 0, 0, 0], { capital: 0 }))).toThrow(UsageError);
  });
});
