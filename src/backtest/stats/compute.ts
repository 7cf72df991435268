/**
 * Assemble every statistic of {@link STAT_KEYS} from one engine pass. Figures that cannot be meaningful are null
 * and listed in `notMeaningful` with the reason; nothing is ever NaN or Infinity.
 *
 * Annualised figures (annualReturnPct, cagrPct, annualVolatilityPct, sharpe, sortino, calmar) need at least
 * `minPeriods` per-bar returns ({@link MIN_ANNUALISATION_PERIODS} by default): annualising a handful of bars
 * extrapolates noise into absurd numbers.
 */
import type { EngineOutput } from '../engine.js';
import { PER_TRADE_STAT_KEYS, type NotMeaningful, type StatKey } from '../types.js';
import { STAT_KEY_LIST } from '../types.js';
import { summariseDrawdowns, type DrawdownSummary } from './drawdown.js';
import {
  annualReturnPct,
  annualVolatilityPct,
  beta as betaOf,
  cagrPct,
  calmar,
  geometricMean,
  kelly,
  logReturns,
  omega,
  perBarReturns,
  profitFactor,
  riskFreePerBar,
  sharpe,
  sortino,
  spearman,
  sqn,
  wilsonInterval,
} from './metrics.js';

/** Fewest per-bar returns for which annualised figures are reported (fewer: null with a reason). */
export const MIN_ANNUALISATION_PERIODS = 30;

const DAY_MS = 86_400_000;
const YEAR_DAYS = 365.25;

/** Forecasts and the returns they forecast, aligned bar by bar (NaN pairs are skipped). */
export interface ForecastInput {
  predicted: Float64Array;
  realized: Float64Array;
  /** `return`: predictions are returns (RMSE is meaningful); `score`: a signed score such as p - 0.5. */
  kind: 'return' | 'score';
}

/** Inputs of {@link computeStats}. */
export interface StatsInput {
  time: Float64Array;
  close: Float64Array;
  engine: EngineOutput;
  capital: number;
  periodsPerYear: number;
  riskFreePct: number;
  minPeriods?: number;
  forecast?: ForecastInput | null;
}

/** Statistics plus the reasons for the null ones, and the drawdown curve (reused by the result). */
export interface ComputedStats {
  stats: Record<StatKey, number | null>;
  notMeaningful: NotMeaningful[];
  drawdown: DrawdownSummary;
}

/** Exposure in percent: bars in which a position was open at any moment (entry to exit bar, inclusive). */
export function exposurePct(engine: EngineOutput, bars: number): number {
  const t = engine.trades;
  if (bars === 0 || t.count === 0) return 0;
  let held = 0;
  let lastCovered = -1;
  for (let k = 0; k < t.count; k++) {
    const from = Math.max(t.entryIndex[k], lastCovered + 1);
    const to = t.exitIndex[k];
    if (to >= from) held += to - from + 1;
    if (to > lastCovered) lastCovered = to;
  }
  return (held / bars) * 100;
}

/** Compute every statistic (see the module note and docs/backtest.md). */
export function computeStats(input: StatsInput): ComputedStats {
  const { time, close, engine, capital, periodsPerYear } = input;
  const minPeriods = input.minPeriods ?? MIN_ANNUALISATION_PERIODS;
  const equity = engine.equity;
  const n = equity.length;
  const stats = {} as Record<StatKey, number | null>;
  for (const key of STAT_KEY_LIST) stats[key] = null;
  const notMeaningful: NotMeaningful[] = [];
  const set = (key: StatKey, value: number | null, reason: string): void => {
    if (value === null || !Number.isFinite(value)) {
      stats[key] = null;
      notMeaningful.push({ key, reason });
    } else {
      stats[key] = value;
    }
  };

  stats.startMs = time[0];
  stats.endMs = time[n - 1];
  const durationMs = time[n - 1] - time[0];
  stats.durationDays = durationMs / DAY_MS;
  stats.bars = n;
  stats.exposurePct = exposurePct(engine, n);
  stats.finalEquityCash = equity[n - 1];
  let peak = equity[0];
  for (let t = 1; t < n; t++) if (equity[t] > peak) peak = equity[t];
  stats.peakEquityCash = peak;
  stats.returnPct = (equity[n - 1] / capital - 1) * 100;
  stats.buyAndHoldReturnPct = (close[n - 1] / close[0] - 1) * 100;
  stats.totalFeesCash = engine.totalFees;

  const returns = perBarReturns(equity);
  const drawdown = summariseDrawdowns(equity, time);
  stats.maxDrawdownPct = drawdown.maxDrawdownPct;
  stats.maxDrawdownDays = drawdown.maxDurationMs / DAY_MS;
  set('avgDrawdownPct', drawdown.avgDrawdownPct, 'equity never fell below its peak');
  set('avgDrawdownDays', drawdown.avgDurationMs === null ? null : drawdown.avgDurationMs / DAY_MS, 'equity never fell below its peak');

  const tooShort = returns.length < minPeriods;
  const shortReason = `only ${returns.length} per-bar returns; annualised figures need at least ${minPeriods}`;
  const rf = riskFreePerBar(input.riskFreePct, periodsPerYear);
  if (tooShort) {
    for (const key of ['annualReturnPct', 'cagrPct', 'annualVolatilityPct', 'sharpe', 'sortino', 'calmar'] as const) {
      set(key, null, shortReason);
    }
  } else {
    const annual = annualReturnPct(returns, periodsPerYear);
    set('annualReturnPct', annual, 'no returns');
    set('cagrPct', cagrPct(capital, equity[n - 1], durationMs / DAY_MS / YEAR_DAYS), 'the window spans no time');
    set('annualVolatilityPct', annualVolatilityPct(returns, periodsPerYear), 'fewer than 2 returns');
    set('sharpe', sharpe(returns, periodsPerYear, rf), 'equity returns have zero volatility');
    set('sortino', sortino(returns, periodsPerYear, rf), 'no per-bar return fell below the risk-free rate');
    set('calmar', annual === null ? null : calmar(annual, drawdown.maxDrawdownPct), 'equity never fell below its peak');
  }
  set('omega', returns.length === 0 ? null : omega(returns), returns.length === 0 ? 'no returns' : 'no per-bar loss');

  const market = logReturns(close);
  const b = equity[n - 1] > 0 ? betaOf(logReturns(equity), market) : null;
  const betaReason = n < 3 ? 'fewer than 2 returns' : equity[n - 1] > 0 ? 'the close never changed' : 'equity was wiped out';
  set('beta', b, betaReason);
  set('alphaPct', b === null ? null : (stats.returnPct as number) - b * (stats.buyAndHoldReturnPct as number), betaReason);

  tradeStats(engine, time, set, stats);
  forecastStats(input.forecast ?? null, set);
  return { stats, notMeaningful, drawdown };
}

type Setter = (key: StatKey, value: number | null, reason: string) => void;

function tradeStats(engine: EngineOutput, time: Float64Array, set: Setter, stats: Record<StatKey, number | null>): void {
  const t = engine.trades;
  const count = t.count;
  stats.trades = count;
  const noTrades = 'no trades';
  if (count === 0) {
    for (const key of PER_TRADE_STAT_KEYS) set(key, null, noTrades);
    return;
  }
  const pnl = t.pnl.subarray(0, count);
  const ret = new Float64Array(count);
  let wins = 0;
  let best = -Infinity;
  let worst = Infinity;
  let retSum = 0;
  let durSum = 0;
  let durMax = 0;
  let barsSum = 0;
  for (let k = 0; k < count; k++) {
    const r = pnl[k] / (t.size[k] * t.entryPrice[k]);
    ret[k] = r;
    retSum += r;
    if (r > best) best = r;
    if (r < worst) worst = r;
    if (pnl[k] > 0) wins++;
    const dur = time[t.exitIndex[k]] - time[t.entryIndex[k]];
    durSum += dur;
    if (dur > durMax) durMax = dur;
    barsSum += t.exitIndex[k] - t.entryIndex[k];
  }
  set('winRatePct', (wins / count) * 100, noTrades);
  const wilson = wilsonInterval(wins, count);
  set('winRateLowPct', wilson === null ? null : wilson[0] * 100, noTrades);
  set('winRateHighPct', wilson === null ? null : wilson[1] * 100, noTrades);
  set('bestTradePct', best * 100, noTrades);
  set('worstTradePct', worst * 100, noTrades);
  const g = geometricMean(ret);
  set('avgTradePct', g === null ? null : g * 100, noTrades);
  set('avgTradeDays', durSum / count / DAY_MS, noTrades);
  set('maxTradeDays', durMax / DAY_MS, noTrades);
  set('avgTradeBars', barsSum / count, noTrades);
  set('profitFactor', profitFactor(pnl), 'no losing trade');
  set('expectancyPct', (retSum / count) * 100, noTrades);
  set('sqn', sqn(pnl), count < 2 ? 'fewer than 2 trades' : 'every trade had the same pnl');
  set('kelly', kelly(pnl), 'needs at least one winning and one losing trade');
}

function forecastStats(forecast: ForecastInput | null, set: Setter): void {
  const keys = ['directionalAccuracyPct', 'informationCoefficient', 'forecastRmse'] as const;
  if (forecast === null) {
    for (const key of keys) set(key, null, 'not model-driven: no forecasts to score');
    return;
  }
  const { predicted, realized } = forecast;
  const n = Math.min(predicted.length, realized.length);
  let pairs = 0;
  for (let i = 0; i < n; i++) if (Number.isFinite(predicted[i]) && Number.isFinite(realized[i])) pairs++;
  const p = new Float64Array(pairs);
  const r = new Float64Array(pairs);
  let j = 0;
  let hits = 0;
  let signed = 0;
  let se = 0;
  for (let i = 0; i < n; i++) {
    const a = predicted[i];
    const b = realized[i];
    if (!Number.isFinite(a) || !Number.isFinite(b)) continue;
    p[j] = a;
    r[j] = b;
    j++;
    se += (a - b) * (a - b);
    if (a !== 0 && b !== 0) {
      signed++;
      if (a > 0 === b > 0) hits++;
    }
  }
  set('directionalAccuracyPct', signed > 0 ? (hits / signed) * 100 : null, 'no forecast and realised return were both non-zero');
  set('informationCoefficient', spearman(p, r), pairs < 2 ? 'fewer than 2 scored forecasts' : 'forecasts or returns are constant');
  if (forecast.kind === 'return') set('forecastRmse', pairs > 0 ? Math.sqrt(se / pairs) : null, 'no scored forecasts');
  else set('forecastRmse', null, 'forecasts are scores, not returns');
}
