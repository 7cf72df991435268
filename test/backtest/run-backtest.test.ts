import { describe, expect, it } from 'vitest';
import { layoutRandomTrades, sortedQuantile } from '../../src/backtest/baselines.js';
import { runBacktest, type BacktestOptions } from '../../src/backtest/backtest.js';
import { runEngine } from '../../src/backtest/engine.js';
import { periodsPerYear } from '../../src/backtest/stats/annualisation.js';
import { loadCalendar } from '../../src/market/calendars/registry.js';
import type { BacktestResult } from '../../src/backtest/types.js';
import { DataError, UsageError } from '../../src/core/errors.js';
import { Rng } from '../../src/core/rng.js';
import { flatBars, walkBars } from './bars.js';

const SERIES = walkBars(600);
const SMA: BacktestOptions = { signal: { kind: 'strategy', name: 'sma-cross' }, bootstrapDraws: 200, seed: 7, periodsPerYear: 252 };

function toJson(r: BacktestResult): string {
  return JSON.stringify(r, (_k, v: unknown) => (v instanceof Float64Array ? Array.from(v) : v));
}

describe('runBacktest', () => {
  it('is deterministic: same inputs and seed give byte-identical JSON', () => {
    expect(toJson(runBacktest(SERIES, SMA))).toBe(toJson(runBacktest(SERIES, SMA)));
  });

  it('the seed drives only the random baseline', () => {
    const a = runBacktest(SERIES, SMA);
    const b = runBacktest(SERIES, { ...SMA, seed: 8 });
    expect(b.stats).toEqual(a.stats);
    expect(b.baselines.random!.sharpeMean).not.toBe(a.baselines.random!.sharpeMean);
  });

  it('echoes resolved params with documented defaults', () => {
    const r = runBacktest(SERIES, SMA);
    expect(r.params).toMatchObject({
      symbol: 'WALK',
      source: { kind: 'strategy', name: 'sma-cross', params: { fast: 10, slow: 20 } },
      capital: 10_000,
      feeBps: 10,
      slippage: { kind: 'bps', bps: 5 },
      direction: 'long-only',
      sizing: { kind: 'fixed', fraction: 1 },
      stopLossAtr: null,
      periodsPerYear: 252,
      seed: 7,
    });
    expect(r.equity.equity).toHaveLength(600);
    expect(r.trades.length).toBe(r.stats.trades);
  });

  it('reports buy-and-hold and a random baseline beside the result', () => {
    const r = runBacktest(SERIES, SMA);
    const bh = runBacktest(SERIES, { periodsPerYear: 252, signal: { kind: 'strategy', name: 'buy-and-hold' }, bootstrapDraws: 0 });
    expect(r.baselines.buyAndHold.returnPct).toBeCloseTo(bh.stats.returnPct as number, 9);
    const random = r.baselines.random!;
    expect(random.draws).toBe(200);
    expect(random.pValue).toBeGreaterThan(0);
    expect(random.pValue).toBeLessThanOrEqual(1);
    expect(random.strategySharpePercentile).toBeGreaterThanOrEqual(0);
    expect(random.sharpeP05!).toBeLessThanOrEqual(random.sharpeP95!);
    expect(bh.baselines.random).toBeNull();
  });

  it('random layouts keep the strategy trade count, sides and holding lengths', () => {
    const r = runBacktest(SERIES, { ...SMA, direction: 'long-short' });
    const out = runEngine({
      series: SERIES,
      signal: new Float64Array(600),
      fractions: new Float64Array(600).fill(1),
      capital: 1,
      feeRate: 0,
      slippage: { rate: 0, abs: null },
      direction: 'long-short',
      stopDistance: null,
      takeDistance: null,
    });
    expect(out.trades.count).toBe(0);
    const t = r.trades;
    const log = {
      count: t.length,
      side: Int8Array.from(t, (x) => (x.side === 'long' ? 1 : -1)),
      entryIndex: Int32Array.from(t, (x) => x.entryIndex),
      exitIndex: Int32Array.from(t, (x) => x.exitIndex),
    } as Parameters<typeof layoutRandomTrades>[0];
    const signal = new Float64Array(600);
    expect(layoutRandomTrades(log, 600, new Rng(1), signal, new Int32Array(t.length), new Float64Array(t.length))).toBe(true);
    let held = 0;
    let longs = 0;
    let runs = 0;
    for (let i = 0; i < 600; i++) {
      if (signal[i] !== 0) held++;
      if (signal[i] > 0) longs++;
      if (signal[i] !== 0 && (i === 0 || signal[i - 1] !== signal[i])) runs++;
    }
    expect(held).toBe(t.reduce((a, x) => a + Math.max(1, x.barsHeld), 0));
    expect(longs).toBe(t.filter((x) => x.side === 'long').reduce((a, x) => a + Math.max(1, x.barsHeld), 0));
    // laid end to end (no room for flat gaps), so neighbouring trades of the same side may merge
    expect(runs).toBeLessThanOrEqual(t.length);
    expect(runs).toBeGreaterThan(0);
    expect(signal[599]).toBe(0);
  });

  it('random layouts of a long-only strategy keep the exact trade count with flat gaps', () => {
    const r = runBacktest(SERIES, SMA);
    const t = r.trades;
    const log = {
      count: t.length,
      side: Int8Array.from(t, () => 1),
      entryIndex: Int32Array.from(t, (x) => x.entryIndex),
      exitIndex: Int32Array.from(t, (x) => x.exitIndex),
    } as Parameters<typeof layoutRandomTrades>[0];
    const signal = new Float64Array(600);
    expect(layoutRandomTrades(log, 600, new Rng(3), signal, new Int32Array(t.length), new Float64Array(t.length))).toBe(true);
    let runs = 0;
    let held = 0;
    for (let i = 0; i < 600; i++) {
      if (signal[i] !== 0) held++;
      if (signal[i] !== 0 && (i === 0 || signal[i - 1] === 0)) runs++;
    }
    expect(runs).toBe(t.length);
    expect(held).toBe(t.reduce((a, x) => a + Math.max(1, x.barsHeld), 0));
  });

  it('scores model forecasts and counts NaN predictions in a warning', () => {
    const n = SERIES.length;
    const realized = new Float64Array(n);
    for (let i = 0; i + 1 < n; i++) realized[i] = Math.log(SERIES.close[i + 1] / SERIES.close[i]);
    realized[n - 1] = NaN;
    const predictions = realized.map((x, i) => (i % 10 === 0 ? NaN : x * 0.5));
    const r = runBacktest(SERIES, {
      periodsPerYear: 252,
      signal: { kind: 'model', modelId: 'm1', predictions, rule: { kind: 'threshold', threshold: 0 }, naivePredictions: predictions.map(() => 0.001) },
      bootstrapDraws: 0,
    });
    expect(r.stats.directionalAccuracyPct).toBe(100);
    expect(r.stats.informationCoefficient).toBeCloseTo(1, 12);
    expect(r.stats.forecastRmse).toBeGreaterThan(0);
    // every tenth prediction, plus the last (its realised return is unknown)
    expect(r.warnings[0]).toBe(`61 of ${n} predictions were NaN and were traded as flat`);
    expect(r.baselines.naive!.trades).toBe(1);
    expect(r.params.source).toEqual({ kind: 'model', modelId: 'm1', rule: { kind: 'threshold', threshold: 0 } });
  });

  it('applies ATR stops and reports their exits', () => {
    const r = runBacktest(SERIES, { ...SMA, stopLossAtr: 0.5, takeProfitAtr: 1, bootstrapDraws: 0 });
    const reasons = new Set(r.trades.map((t) => t.exitReason));
    expect(reasons.has('stop-loss') || reasons.has('take-profit')).toBe(true);
    expect(r.params.stopLossAtr).toBe(0.5);
  });

  it('accounts exactly: final equity = capital + the sum of trade pnl, fees add up, under costs and stops', () => {
    for (const direction of ['long-only', 'long-short'] as const) {
      const r = runBacktest(SERIES, {
      periodsPerYear: 252,
        signal: { kind: 'strategy', name: 'rsi-reversion', params: { period: 5 } },
        direction,
        feeBps: 25,
        slippage: { kind: 'atr', fraction: 0.2 },
        sizing: { kind: 'vol-target', targetVolPct: 20, lookbackBars: 10, maxLeverage: 1.5 },
        stopLossAtr: 1,
        takeProfitAtr: 2,
        bootstrapDraws: 0,
      });
      expect(r.trades.length).toBeGreaterThan(5);
      const pnl = r.trades.reduce((a, t) => a + t.pnl, 0);
      const fees = r.trades.reduce((a, t) => a + t.fees, 0);
      expect(r.stats.finalEquityCash).toBeCloseTo(10_000 + pnl, 6);
      expect(r.stats.totalFeesCash).toBeCloseTo(fees, 9);
      for (const t of r.trades) {
        expect(t.exitIndex).toBeGreaterThanOrEqual(t.entryIndex);
        expect(t.entryIndex).toBeGreaterThanOrEqual(1);
      }
    }
  });

  it('buy-and-hold without costs returns last close / second open - 1', () => {
    const r = runBacktest(SERIES, { periodsPerYear: 252, signal: { kind: 'strategy', name: 'buy-and-hold' }, feeBps: 0, slippage: { kind: 'bps', bps: 0 }, bootstrapDraws: 0 });
    expect(r.stats.returnPct).toBeCloseTo((SERIES.close[599] / SERIES.open[1] - 1) * 100, 9);
    expect(r.trades).toHaveLength(1);
    expect(r.trades[0].exitReason).toBe('end');
    // Routine: a note in the summary and the JSON, not a warning (gh-11: -q leaves only what needs action).
    expect(r.warnings).toEqual([]);
    expect(r.notes).toEqual(['the last trade was still open and was closed at the final close']);
  });

  it('notes sizing warm-up and unprotected entries', () => {
    const r = runBacktest(SERIES, {
      periodsPerYear: 252,
      signal: { kind: 'strategy', name: 'buy-and-hold' },
      sizing: { kind: 'vol-target', targetVolPct: 10, lookbackBars: 30, maxLeverage: 2 },
      stopLossAtr: 50,
      atrPeriod: 40,
      bootstrapDraws: 0,
    });
    // fractions exist from bar 30 (30 returns), so entries at bars 1..30 are skipped
    expect(r.notes).toContain('30 entries were skipped because the position size was 0 (sizing warm-up)');
    expect(r.notes).toContain('1 entry was made without stop-loss or take-profit because the ATR was not yet known');
  });

  it.each(['buy-and-hold', 'sma-cross', 'rsi-reversion', 'donchian-breakout'])('%s: every statistic is finite or null with a reason', (name) => {
    for (const direction of ['long-only', 'long-short'] as const) {
      const r = runBacktest(SERIES, { periodsPerYear: 252, signal: { kind: 'strategy', name }, direction, stopLossAtr: 2, bootstrapDraws: 20 });
      for (const [key, value] of Object.entries(r.stats)) {
        if (value === null) expect(r.notMeaningful.some((x) => x.key === key), key).toBe(true);
        else expect(Number.isFinite(value), key).toBe(true);
      }
      for (const x of r.notMeaningful) expect(x.reason.length, x.key).toBeGreaterThan(0);
    }
  });

  it('refuses bad input with clear errors', () => {
    expect(() => runBacktest(flatBars([]), SMA)).toThrow(DataError);
    expect(() => runBacktest(SERIES, { periodsPerYear: 252, signal: { kind: 'signal', signal: new Float64Array(5) } })).toThrow(/5 values but WALK 1d has 600 bars/);
    expect(() => runBacktest(SERIES, { ...SMA, feeBps: -1 })).toThrow(UsageError);
    expect(() => runBacktest(SERIES, { ...SMA, feeBps: 5000 })).toThrow(UsageError);
    expect(() => runBacktest(SERIES, { ...SMA, slippage: { kind: 'bps', bps: 2000 } })).toThrow(UsageError);
    expect(() => runBacktest(SERIES, { ...SMA, stopLossAtr: -2 })).toThrow(UsageError);
    expect(() => runBacktest(SERIES, { ...SMA, periodsPerYear: 0 })).toThrow(UsageError);
    expect(() => runBacktest(SERIES, { ...SMA, seed: -1 })).toThrow(UsageError);
    expect(() => runBacktest(SERIES, { periodsPerYear: 252, signal: { kind: 'strategy', name: 'nope' } })).toThrow(UsageError);
  });
});

describe('annualisation and quantiles', () => {
  it('periods per year follow the calendar; none has no default', () => {
    const xnys = loadCalendar('XNYS');
    const crypto = loadCalendar('crypto');
    // XNYS averages about 252 sessions a year; hourly bars are 7 a full session, fewer on half days
    expect(periodsPerYear(xnys, '1d')).toBeGreaterThan(251);
    expect(periodsPerYear(xnys, '1d')).toBeLessThan(253);
    expect(periodsPerYear(xnys, '1h') / periodsPerYear(xnys, '1d')).toBeGreaterThan(6.9);
    expect(periodsPerYear(xnys, '1h') / periodsPerYear(xnys, '1d')).toBeLessThan(7);
    expect(periodsPerYear(crypto, '1h')).toBe(8760);
    expect(periodsPerYear(crypto, '1d')).toBe(365);
    expect(periodsPerYear(xnys, '1wk')).toBe(52);
    expect(periodsPerYear(crypto, '1mo')).toBe(12);
    expect(() => periodsPerYear(loadCalendar('none'), '1d')).toThrow(/--periods-per-year/);
    // the engine: a calendar gives the default, none without a figure is refused
    const { periodsPerYear: _p, ...noFigure } = SMA;
    expect(runBacktest(SERIES, { ...noFigure, calendar: crypto }).params.periodsPerYear).toBe(365);
    expect(() => runBacktest(SERIES, noFigure)).toThrow(UsageError);
  });

  it('linear-interpolated quantiles as numpy computes them', () => {
    const s = Float64Array.from([1, 2, 3, 4]);
    expect(sortedQuantile(s, 0.5)).toBe(2.5);
    expect(sortedQuantile(s, 0.05)).toBeCloseTo(1.15, 12);
  });
});
