import { describe, expect, it } from 'vitest';
import type { EngineOutput, TradeLog } from '../../../src/backtest/engine.js';
import { computeStats, exposurePct, MIN_ANNUALISATION_PERIODS } from '../../../src/backtest/stats/compute.js';
import { drawdownSeries, maxDrawdown, summariseDrawdowns } from '../../../src/backtest/stats/drawdown.js';
import { STAT_KEY_LIST, STAT_KEYS } from '../../../src/backtest/types.js';

const DAY = 86_400_000;

function log(rows: Array<{ side: number; entry: number; exit: number; price: number; size: number; pnl: number; fees: number }>): TradeLog {
  const n = rows.length;
  const t: TradeLog = {
    count: n,
    side: new Int8Array(n),
    entryIndex: new Int32Array(n),
    exitIndex: new Int32Array(n),
    entryPrice: new Float64Array(n),
    exitPrice: new Float64Array(n),
    size: new Float64Array(n),
    pnl: new Float64Array(n),
    fees: new Float64Array(n),
    exitReason: new Uint8Array(n),
  };
  rows.forEach((r, k) => {
    t.side[k] = r.side;
    t.entryIndex[k] = r.entry;
    t.exitIndex[k] = r.exit;
    t.entryPrice[k] = r.price;
    t.size[k] = r.size;
    t.pnl[k] = r.pnl;
    t.fees[k] = r.fees;
  });
  return t;
}

function engine(equity: number[], trades: TradeLog, totalFees = 0): EngineOutput {
  return {
    equity: Float64Array.from(equity),
    position: new Float64Array(equity.length),
    trades,
    nanSignals: 0,
    skippedEntries: 0,
    unprotectedEntries: 0,
    totalFees,
    ruined: false,
  };
}

const time = Float64Array.from([0, 1, 2, 3, 4, 5], (d) => Date.UTC(2024, 0, 1) + d * DAY);
const close = Float64Array.from([10, 11, 10, 12, 12, 13]);
const EQUITY = [100, 110, 99, 121, 121, 130];
const TRADES = log([
  { side: 1, entry: 1, exit: 2, price: 100, size: 1, pnl: 10, fees: 0.5 },
  { side: 1, entry: 2, exit: 3, price: 50, size: 2, pnl: -4, fees: 0.25 },
  { side: -1, entry: 4, exit: 5, price: 60, size: 1, pnl: 6, fees: 0.25 },
]);

describe('every statistic on a small hand-computed run', () => {
  const { stats, notMeaningful } = computeStats({
    time,
    close,
    engine: engine(EQUITY, TRADES, 1),
    capital: 100,
    periodsPerYear: 252,
    riskFreePct: 0,
    minPeriods: 2,
  });
  const r = [0.1, -0.1, 22 / 99, 0, 9 / 121];
  const m = r.reduce((a, b) => a + b) / 5;
  const sd = Math.sqrt(r.reduce((a, b) => a + (b - m) ** 2, 0) / 4);
  const g = Math.pow(1.3, 1 / 5) - 1;

  it('window, equity and returns', () => {
    expect(stats.startMs).toBe(time[0]);
    expect(stats.endMs).toBe(time[5]);
    expect(stats.durationDays).toBe(5);
    expect(stats.bars).toBe(6);
    expect(stats.exposurePct).toBeCloseTo((5 / 6) * 100, 12); // bars 1..5 held
    expect(stats.finalEquityCash).toBe(130);
    expect(stats.peakEquityCash).toBe(130);
    expect(stats.returnPct).toBeCloseTo(30, 12);
    expect(stats.buyAndHoldReturnPct).toBeCloseTo(30, 12);
    expect(stats.totalFeesCash).toBe(1);
  });

  it('annualised figures', () => {
    expect((stats.annualReturnPct as number) / ((Math.pow(1 + g, 252) - 1) * 100)).toBeCloseTo(1, 12);
    expect((stats.cagrPct as number) / ((Math.pow(1.3, 365.25 / 5) - 1) * 100)).toBeCloseTo(1, 12);
    expect(stats.annualVolatilityPct).toBeCloseTo(sd * Math.sqrt(252) * 100, 9);
    expect(stats.sharpe).toBeCloseTo((m / sd) * Math.sqrt(252), 9);
    expect(stats.sortino).toBeCloseTo((m / Math.sqrt(0.01 / 5)) * Math.sqrt(252), 9);
    expect((stats.calmar as number) / ((stats.annualReturnPct as number) / 10)).toBeCloseTo(1, 12);
    expect(stats.omega).toBeCloseTo((0.1 + 22 / 99 + 9 / 121) / 0.1, 12);
  });

  it('alpha and beta against the close', () => {
    expect(stats.beta).not.toBeNull();
    expect(stats.alphaPct).toBeCloseTo(30 - (stats.beta as number) * 30, 9);
  });

  it('drawdowns: one 10 % episode from day 1 to day 3', () => {
    expect(stats.maxDrawdownPct).toBeCloseTo(10, 12);
    expect(stats.maxDrawdownDays).toBe(2);
    expect(stats.avgDrawdownPct).toBeCloseTo(10, 12);
    expect(stats.avgDrawdownDays).toBe(2);
  });

  it('trade statistics', () => {
    expect(stats.trades).toBe(3);
    expect(stats.winRatePct).toBeCloseTo(200 / 3, 12);
    expect(stats.winRateLowPct).toBeCloseTo(20.76596, 4);
    expect(stats.winRateHighPct).toBeCloseTo(93.85081, 4);
    expect(stats.bestTradePct).toBeCloseTo(10, 12);
    expect(stats.worstTradePct).toBeCloseTo(-4, 12);
    expect(stats.avgTradePct).toBeCloseTo((Math.pow(1.1 * 0.96 * 1.1, 1 / 3) - 1) * 100, 12);
    expect(stats.avgTradeDays).toBe(1);
    expect(stats.maxTradeDays).toBe(1);
    expect(stats.avgTradeBars).toBe(1);
    expect(stats.profitFactor).toBe(4);
    expect(stats.expectancyPct).toBeCloseTo(16 / 3, 12);
    expect(stats.sqn).toBeCloseTo((Math.sqrt(3) * 4) / Math.sqrt(52), 12);
    expect(stats.kelly).toBeCloseTo(0.5, 15);
  });

  it('reports forecast figures as not meaningful without forecasts, and only those', () => {
    expect(notMeaningful.map((x) => x.key)).toEqual(['directionalAccuracyPct', 'informationCoefficient', 'forecastRmse']);
  });

  it('gives every key a value or a reason', () => {
    for (const key of STAT_KEY_LIST) {
      expect(key in STAT_KEYS).toBe(true);
      if (stats[key] === null) expect(notMeaningful.some((x) => x.key === key)).toBe(true);
      else expect(Number.isFinite(stats[key])).toBe(true);
    }
  });
});

describe('forecast statistics', () => {
  it('scores directional accuracy, rank IC and RMSE on finite pairs', () => {
    const { stats } = computeStats({
      time,
      close,
      engine: engine(EQUITY, TRADES),
      capital: 100,
      periodsPerYear: 252,
      riskFreePct: 0,
      minPeriods: 2,
      forecast: {
        predicted: Float64Array.from([0.01, -0.02, 0.03, NaN, 0.02, 0]),
        realized: Float64Array.from([0.02, 0.01, 0.05, 0.01, -0.01, NaN]),
        kind: 'return',
      },
    });
    // pairs: (0.01,0.02) hit, (-0.02,0.01) miss, (0.03,0.05) hit, (0.02,-0.01) miss
    expect(stats.directionalAccuracyPct).toBe(50);
    expect(stats.forecastRmse).toBeCloseTo(Math.sqrt((0.0001 + 0.0009 + 0.0004 + 0.0009) / 4), 12);
    // ranks: predicted [2,1,4,3], realized [3,2,4,1] -> Pearson of ranks = 0.4
    expect(stats.informationCoefficient).toBeCloseTo(0.4, 12);
  });
});

describe('gh-freqtrade-8248: a window too short to annualise', () => {
  it('reports annualised figures as null with a reason instead of absurd numbers', () => {
    const eq = [100, 150, 180, 200];
    const { stats, notMeaningful } = computeStats({
      time: time.subarray(0, 4),
      close: close.subarray(0, 4),
      engine: engine(eq, log([{ side: 1, entry: 1, exit: 3, price: 100, size: 1, pnl: 100, fees: 0 }])),
      capital: 100,
      periodsPerYear: 252,
      riskFreePct: 0,
    });
    for (const key of ['annualReturnPct', 'cagrPct', 'annualVolatilityPct', 'sharpe', 'sortino', 'calmar'] as const) {
      expect(stats[key], key).toBeNull();
      const reason = notMeaningful.find((x) => x.key === key)?.reason;
      expect(reason).toContain(`at least ${MIN_ANNUALISATION_PERIODS}`);
    }
    expect(stats.returnPct).toBeCloseTo(100, 12);
  });

  it('reports trade statistics as null with "no trades" when nothing traded', () => {
    const { stats, notMeaningful } = computeStats({
      time,
      close,
      engine: engine([100, 100, 100, 100, 100, 100], log([])),
      capital: 100,
      periodsPerYear: 252,
      riskFreePct: 0,
    });
    expect(stats.trades).toBe(0);
    expect(stats.winRatePct).toBeNull();
    expect(notMeaningful.find((x) => x.key === 'winRatePct')?.reason).toBe('no trades');
    expect(stats.maxDrawdownPct).toBe(0);
    expect(stats.exposurePct).toBe(0);
  });
});

describe('drawdowns', () => {
  it('depths, episodes and durations as backtesting.py defines them', () => {
    const eq = Float64Array.from([100, 120, 90, 120, 130, 117, 104]);
    const t = Float64Array.from([0, 1, 2, 3, 4, 5, 6], (d) => d * DAY);
    expect(Array.from(drawdownSeries(eq)).map((x) => Math.round(x * 1e9) / 1e9)).toEqual([0, 0, 25, 0, 0, 10, 20]);
    expect(maxDrawdown(eq)).toBeCloseTo(25, 12);
    const s = summariseDrawdowns(eq, t);
    // episodes: bars 1..3 (25 %, 2 days) and 4..6 unrecovered (20 %, 2 days)
    expect(s.episodes).toBe(2);
    expect(s.maxDurationMs).toBe(2 * DAY);
    expect(s.avgDrawdownPct).toBeCloseTo(22.5, 12);
    expect(s.avgDurationMs).toBe(2 * DAY);
  });

  it('has no episode and zero duration on a rising curve', () => {
    const s = summariseDrawdowns(Float64Array.from([1, 2, 3]), Float64Array.from([0, 1, 2]));
    expect([s.episodes, s.maxDrawdownPct, s.maxDurationMs, s.avgDrawdownPct]).toEqual([0, 0, 0, null]);
  });

  it('counts overlapping trade bars once in the exposure', () => {
    const e = engine([1, 1, 1, 1], log([
      { side: 1, entry: 0, exit: 2, price: 1, size: 1, pnl: 0, fees: 0 },
      { side: 1, entry: 2, exit: 2, price: 1, size: 1, pnl: 0, fees: 0 },
    ]));
    expect(exposurePct(e, 4)).toBe(75);
  });
});
