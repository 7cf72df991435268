/**
 * Baselines reported beside every backtest, all run through the same engine, costs and sizing as the strategy:
 * - buy-and-hold: long from the second bar's open to the last close;
 * - random signals: a bootstrap of `draws` runs whose trades copy the strategy's sides and holding lengths, placed
 *   at uniformly random non-overlapping positions (same exposure and trade count), giving the percentile of the
 *   strategy's Sharpe among them and a one-sided p-value;
 * - naive forecast: a caller-supplied naive prediction series turned into signals by the same rule.
 *
 * Baselines take a `RunSignal` callback (the engine bound to the run's costs) so they never diverge from the run.
 */
import { Rng } from '../core/rng.js';
import type { EngineOutput, TradeLog } from './engine.js';
import { computeStats } from './stats/compute.js';
import { perBarReturns, riskFreePerBar, sharpe } from './stats/metrics.js';
import type { BaselineSummary, RandomBaseline } from './types.js';

/** Runs a signal through the engine with the backtest's costs and sizing; `withStops` false disables stops. */
export type RunSignal = (signal: Float64Array, withStops: boolean) => EngineOutput;

/** What a baseline summary needs besides the engine output. */
export interface BaselineContext {
  time: Float64Array;
  close: Float64Array;
  capital: number;
  periodsPerYear: number;
  riskFreePct: number;
  minPeriods?: number;
}

/** The headline figures of one engine pass (same definitions as the full statistics). */
export function summariseRun(out: EngineOutput, ctx: BaselineContext): BaselineSummary {
  const { stats } = computeStats({
    time: ctx.time,
    close: ctx.close,
    engine: out,
    capital: ctx.capital,
    periodsPerYear: ctx.periodsPerYear,
    riskFreePct: ctx.riskFreePct,
    minPeriods: ctx.minPeriods,
  });
  return {
    returnPct: stats.returnPct as number,
    cagrPct: stats.cagrPct,
    sharpe: stats.sharpe,
    maxDrawdownPct: stats.maxDrawdownPct as number,
    trades: stats.trades as number,
    exposurePct: stats.exposurePct as number,
  };
}

/** Buy and hold through the same engine: signal +1 on every bar. */
export function buyAndHoldBaseline(run: RunSignal, ctx: BaselineContext): BaselineSummary {
  return summariseRun(run(new Float64Array(ctx.time.length).fill(1), true), ctx);
}

/** A naive forecast's signals (built by the caller with the strategy's signal rule) through the same engine. */
export function naiveForecastBaseline(naiveSignal: Float64Array, run: RunSignal, ctx: BaselineContext): BaselineSummary {
  return summariseRun(run(naiveSignal, true), ctx);
}

/**
 * Write one random layout of the strategy's trades into `signal` (zeroed first): trades keep their side and
 * signal length (bars held, at least 1) in a shuffled order, separated by at least one flat bar when they fit with
 * one (end to end otherwise, where neighbours of the same side merge), with the remaining flat bars spread uniformly
 * over the gaps. Signals live on bars 0..n-2 (the last bar's signal never executes). Returns false when the trades
 * do not fit at all.
 */
export function layoutRandomTrades(trades: TradeLog, n: number, rng: Rng, signal: Float64Array, order: Int32Array, starts: Float64Array): boolean {
  const m = trades.count;
  const slots = n - 1;
  let total = 0;
  for (let k = 0; k < m; k++) total += Math.max(1, trades.exitIndex[k] - trades.entryIndex[k]);
  // One flat bar between trades keeps them apart; a strategy that is almost always in the market (a long-short
  // reversal system) leaves no room for that, and its trades are laid end to end instead.
  const minGap = total + (m - 1) <= slots ? 1 : 0;
  const free = slots - total - minGap * (m - 1);
  if (m === 0 || free < 0) return false;
  signal.fill(0);
  for (let k = 0; k < m; k++) order[k] = k;
  rng.shuffle(order);
  for (let k = 0; k < m; k++) starts[k] = rng.int(free + 1);
  starts.sort();
  let offset = 0;
  for (let k = 0; k < m; k++) {
    const t = order[k];
    const len = Math.max(1, trades.exitIndex[t] - trades.entryIndex[t]);
    const start = starts[k] + offset;
    signal.fill(trades.side[t], start, start + len);
    offset += len + minGap;
  }
  return true;
}

/** Linear-interpolated quantile of sorted values (numpy's default), q in [0, 1]. */
export function sortedQuantile(sorted: Float64Array, q: number): number {
  const pos = (sorted.length - 1) * q;
  const lo = Math.floor(pos);
  const hi = Math.min(lo + 1, sorted.length - 1);
  return sorted[lo] + (sorted[hi] - sorted[lo]) * (pos - lo);
}

/**
 * The random-signal bootstrap (see the module note). Draws run without stops (the holding lengths already carry
 * their effect). Returns null when the strategy made no trade or its trades fill the whole window.
 * `strategySharpe` null leaves the percentile and p-value null.
 */
export function randomSignalBaseline(
  strategyTrades: TradeLog,
  strategySharpe: number | null,
  run: RunSignal,
  ctx: BaselineContext,
  draws: number,
  seed: number,
): RandomBaseline | null {
  const n = ctx.time.length;
  const m = strategyTrades.count;
  if (draws <= 0 || m === 0) return null;
  const rng = new Rng(seed);
  const signal = new Float64Array(n);
  const order = new Int32Array(m);
  const starts = new Float64Array(m);
  const sharpes = new Float64Array(draws);
  const rf = riskFreePerBar(ctx.riskFreePct, ctx.periodsPerYear);
  let valid = 0;
  for (let d = 0; d < draws; d++) {
    if (!layoutRandomTrades(strategyTrades, n, rng, signal, order, starts)) return null;
    const s = sharpe(perBarReturns(run(signal, false).equity), ctx.periodsPerYear, rf);
    if (s !== null) sharpes[valid++] = s;
  }
  if (valid === 0) {
    return { draws, seed, sharpeMean: null, sharpeP05: null, sharpeP50: null, sharpeP95: null, strategySharpePercentile: null, pValue: null };
  }
  const sorted = sharpes.slice(0, valid).sort();
  let sum = 0;
  let atOrBelow = 0;
  let atOrAbove = 0;
  for (let i = 0; i < valid; i++) {
    sum += sorted[i];
    if (strategySharpe !== null) {
      if (sorted[i] <= strategySharpe) atOrBelow++;
      if (sorted[i] >= strategySharpe) atOrAbove++;
    }
  }
  return {
    draws,
    seed,
    sharpeMean: sum / valid,
    sharpeP05: sortedQuantile(sorted, 0.05),
    sharpeP50: sortedQuantile(sorted, 0.5),
    sharpeP95: sortedQuantile(sorted, 0.95),
    strategySharpePercentile: strategySharpe === null ? null : (atOrBelow / valid) * 100,
    pValue: strategySharpe === null ? null : (1 + atOrAbove) / (1 + valid),
  };
}
