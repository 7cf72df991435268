import { describe, expect, it } from 'vitest';
import {
  annualReturnPct,
  annualVolatilityPct,
  averageRanks,
  beta,
  cagrPct,
  calmar,
  geometricMean,
  kelly,
  mean,
  omega,
  perBarReturns,
  profitFactor,
  riskFreePerBar,
  sampleStd,
  sharpe,
  sortino,
  spearman,
  sqn,
  wilsonInterval,
} from '../../../src/backtest/stats/metrics.js';

const R = Float64Array.from([0.01, -0.02, 0.03, 0.0]);

describe('return statistics on hand-computed values', () => {
  it('per-bar returns, mean and sample std', () => {
    expect(Array.from(perBarReturns(Float64Array.from([100, 110, 99])))).toEqual([0.10000000000000009, -0.09999999999999998]);
    expect(mean(R)).toBeCloseTo(0.005, 15);
    // deviations 0.005, -0.025, 0.025, -0.005 -> sum of squares 0.0013, / 3
    expect(sampleStd(R)).toBeCloseTo(Math.sqrt(0.0013 / 3), 15);
  });

  it('Sharpe = mean / std x sqrt(P), less the per-bar risk-free rate', () => {
    expect(sharpe(R, 252)).toBeCloseTo((0.005 / Math.sqrt(0.0013 / 3)) * Math.sqrt(252), 12);
    expect(sharpe(R, 252, 0.001)).toBeCloseTo((0.004 / Math.sqrt(0.0013 / 3)) * Math.sqrt(252), 12);
    expect(riskFreePerBar(10, 12)).toBeCloseTo(Math.pow(1.1, 1 / 12) - 1, 15);
  });

  it('Sortino uses the downside deviation over all returns', () => {
    // downside: only -0.02 -> sqrt(0.0004 / 4) = 0.01
    expect(sortino(R, 252)).toBeCloseTo((0.005 / 0.01) * Math.sqrt(252), 12);
  });

  it('Omega = gains / losses at threshold 0', () => {
    expect(omega(R)).toBeCloseTo(0.04 / 0.02, 15);
  });

  it('annual return compounds the geometric mean; volatility scales the std', () => {
    const g = Math.pow(1.01 * 0.98 * 1.03 * 1.0, 1 / 4) - 1;
    expect(geometricMean(R)).toBeCloseTo(g, 15);
    expect(annualReturnPct(R, 252)).toBeCloseTo((Math.pow(1 + g, 252) - 1) * 100, 9);
    expect(annualVolatilityPct(R, 252)).toBeCloseTo(Math.sqrt(0.0013 / 3) * Math.sqrt(252) * 100, 12);
    expect(geometricMean(Float64Array.from([0.5, -1]))).toBe(0);
  });

  it('CAGR over calendar years', () => {
    expect(cagrPct(100, 121, 2)).toBeCloseTo(10, 12);
    expect(cagrPct(100, 0, 2)).toBe(-100);
    expect(calmar(30, 15)).toBe(2);
  });

  it('beta of a strategy that moves twice the market is 2', () => {
    const m = Float64Array.from([0.01, -0.02, 0.015, 0.003]);
    expect(beta(m.map((x) => 2 * x + 0.001), m)).toBeCloseTo(2, 12);
  });

  it('Wilson interval of 7 wins in 10 trades', () => {
    const [lo, hi] = wilsonInterval(7, 10) as [number, number];
    // Wilson 95 %: centre (0.7 + 1.92/10) / 1.384, half 1.96 sqrt(0.021 + 0.0096) / 1.384
    expect(lo).toBeCloseTo(0.3967781, 6);
    expect(hi).toBeCloseTo(0.8922087, 6);
    expect(wilsonInterval(0, 5)![0]).toBe(0);
    expect(wilsonInterval(5, 5)![1]).toBeCloseTo(1, 12);
  });

  it('trade statistics: profit factor, SQN, Kelly', () => {
    const pnl = Float64Array.from([10, -4, 6]);
    expect(profitFactor(pnl)).toBe(4);
    expect(sqn(pnl)).toBeCloseTo((Math.sqrt(3) * 4) / Math.sqrt(52), 12);
    expect(kelly(pnl)).toBeCloseTo(2 / 3 - 1 / 3 / 2, 15);
  });

  it('Spearman uses average ranks for ties', () => {
    expect(Array.from(averageRanks([10, 20, 20, 5]))).toEqual([2, 3.5, 3.5, 1]);
    expect(spearman([1, 2, 3, 4], [10, 20, 30, 40])).toBeCloseTo(1, 15);
    expect(spearman([1, 2, 3, 4], [4, 3, 2, 1])).toBeCloseTo(-1, 15);
  });
});

describe('explicit zero guards return null, never NaN or Infinity', () => {
  const flat = new Float64Array(5);
  it.each([
    ['sharpe of constant returns', () => sharpe(flat, 252)],
    ['sharpe of one return', () => sharpe(Float64Array.of(0.1), 252)],
    ['sortino without a loss', () => sortino(Float64Array.from([0.1, 0.2]), 252)],
    ['sortino without returns', () => sortino(new Float64Array(0), 252)],
    ['omega without a loss', () => omega(Float64Array.from([0.1, 0]))],
    ['cagr over no time', () => cagrPct(100, 110, 0)],
    ['calmar without drawdown', () => calmar(10, 0)],
    ['beta of a constant market', () => beta(Float64Array.from([0.1, 0.2]), Float64Array.from([0.01, 0.01]))],
    ['profit factor without a loss', () => profitFactor(Float64Array.from([1, 2]))],
    ['sqn of one trade', () => sqn(Float64Array.of(3))],
    ['kelly without a loss', () => kelly(Float64Array.from([1, 2]))],
    ['wilson of no trials', () => wilsonInterval(0, 0)],
    ['spearman of a constant', () => spearman([1, 1, 1], [1, 2, 3])],
    ['mean of nothing', () => mean([])],
    ['geometric mean of nothing', () => geometricMean([])],
  ])('%s', (_name, f) => {
    expect(f()).toBeNull();
  });
});
