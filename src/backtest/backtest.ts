/**
 * A backtest of one series: resolve and validate the options, build the signal (a rule strategy, model predictions
 * through a signal rule, or given signals), run the engine (engine.ts), then the baselines and the statistics.
 */
import { DataError, UsageError } from '../core/errors.js';
import { DEFAULT_SEED } from '../core/rng.js';
import type { BarSeries } from '../core/bars.js';
import { buyAndHoldBaseline, naiveForecastBaseline, randomSignalBaseline, type RunSignal } from './baselines.js';
import { averageTrueRange, slippageTable, validateFeeBps, validateSlippage } from './costs.js';
import { signalsFromPredictions, validateSignalRule, type SignalRule } from '../lifecycle/signals.js';
import { assertAligned, forwardLogReturns } from './returns.js';
import { validateSizing, sizingFractions } from './sizing.js';
import { periodsPerYear, validatePeriodsPerYear } from './stats/annualisation.js';
import type { Calendar } from '../market/calendars/calendar.js';
import { builtInCalendar } from '../market/calendars/registry.js';
import { computeStats, MIN_ANNUALISATION_PERIODS, type ForecastInput } from './stats/compute.js';
import { getStrategy } from './strategies/registry.js';
import { resolveStrategyParams } from './strategies/strategy.js';
import {
  BACKTEST_SCHEMA_VERSION,
  type BacktestParams,
  type BacktestResult,
  type Direction,
  type SizingSpec,
  type SlippageSpec,
  type Trade,
} from './types.js';
import { EXIT_END, EXIT_REASONS, runEngine, type EngineInput, type TradeLog } from './engine.js';

/** Where a backtest's signal comes from. */
export type SignalInput =
  /** Model predictions aligned with the bars, turned into signals by `rule`; scored against `realized`. */
  | {
      kind: 'model';
      modelId: string;
      predictions: Float64Array;
      rule: SignalRule;
      /** Realised returns each prediction forecasts (default: next-bar log return of the close). */
      realized?: Float64Array;
      /** Naive predictions (e.g. last return) run through the same rule as a baseline. */
      naivePredictions?: Float64Array;
    }
  /** A built-in rule strategy by name with optional parameters. */
  | { kind: 'strategy'; name: string; params?: Record<string, number> }
  /** Precomputed signals (+1 / -1 / 0 / NaN per bar). */
  | { kind: 'signal'; signal: Float64Array };

/** Backtest options; every field but `signal` has the documented default. */
export interface BacktestOptions {
  signal: SignalInput;
  /** Starting equity (default 10,000). */
  capital?: number;
  /** Fee per fill in bps (default 10). */
  feeBps?: number;
  /** Slippage (default 5 bps). */
  slippage?: SlippageSpec;
  /** Default long-only. */
  direction?: Direction;
  /** Default fixed sizing with fraction 1 (all equity). */
  sizing?: SizingSpec;
  /** Stop-loss distance in ATRs (default none). */
  stopLossAtr?: number | null;
  /** Take-profit distance in ATRs (default none). */
  takeProfitAtr?: number | null;
  /** ATR period in bars (default 14). */
  atrPeriod?: number;
  /** Default from `calendar` (stats/annualisation.ts); required when no calendar is given. */
  periodsPerYear?: number;
  /** The instrument's trading calendar, for the default `periodsPerYear` (default `none`: no default). */
  calendar?: Calendar;
  /** Annual risk-free rate in percent (default 0). */
  riskFreePct?: number;
  /** Seed of the random baseline (default {@link DEFAULT_SEED}). */
  seed?: number;
  /** Random baseline draws (default 1000; 0 disables). */
  bootstrapDraws?: number;
  /** Fewest per-bar returns for annualised figures (default {@link MIN_ANNUALISATION_PERIODS}). */
  minPeriods?: number;
}

/** Default random-baseline draws. */
export const DEFAULT_BOOTSTRAP_DRAWS = 1000;

function validateAtrMultiple(name: string, value: number | null): number | null {
  if (value === null) return null;
  if (!Number.isFinite(value) || value <= 0 || value > 100) {
    throw new UsageError(`${name} of ${value} ATR is out of range: it must be above 0 and at most 100`, `use e.g. --${name} 2`);
  }
  return value;
}

/** Resolve options to the params echoed in the result, validating every field. */
export function resolveParams(series: BarSeries, options: BacktestOptions, sourceParams: Record<string, number>): BacktestParams {
  const sig = options.signal;
  const draws = options.bootstrapDraws ?? DEFAULT_BOOTSTRAP_DRAWS;
  if (!Number.isInteger(draws) || draws < 0 || draws > 1_000_000) {
    throw new UsageError(`bootstrap draws ${draws} must be a whole number from 0 to 1000000`, 'use e.g. 1000');
  }
  const atrPeriod = options.atrPeriod ?? 14;
  if (!Number.isInteger(atrPeriod) || atrPeriod < 1 || atrPeriod > 10_000) {
    throw new UsageError(`ATR period ${atrPeriod} must be a whole number of bars from 1 to 10000`, 'use e.g. 14');
  }
  const riskFreePct = options.riskFreePct ?? 0;
  if (!Number.isFinite(riskFreePct) || riskFreePct <= -100 || riskFreePct >= 100) {
    throw new UsageError(`risk-free rate ${riskFreePct} % must be above -100 and below 100`, 'give an annual rate in percent, e.g. 2');
  }
  const seed = options.seed ?? DEFAULT_SEED;
  if (!Number.isInteger(seed) || seed < 0 || seed > 0xffffffff) {
    throw new UsageError(`seed ${seed} must be a whole number from 0 to 4294967295`, 'use e.g. --seed 42');
  }
  return {
    symbol: series.symbol,
    interval: series.interval,
    source:
      sig.kind === 'model'
        ? { kind: 'model', modelId: sig.modelId, rule: validateSignalRule(sig.rule) }
        : sig.kind === 'strategy'
          ? { kind: 'strategy', name: sig.name, params: sourceParams }
          : { kind: 'signal' },
    capital: options.capital ?? 10_000,
    feeBps: validateFeeBps(options.feeBps ?? 10),
    slippage: validateSlippage(options.slippage ?? { kind: 'bps', bps: 5 }),
    direction: options.direction ?? 'long-only',
    sizing: validateSizing(options.sizing ?? { kind: 'fixed', fraction: 1 }),
    stopLossAtr: validateAtrMultiple('stop-loss-atr', options.stopLossAtr ?? null),
    takeProfitAtr: validateAtrMultiple('take-profit-atr', options.takeProfitAtr ?? null),
    atrPeriod,
    periodsPerYear: validatePeriodsPerYear(options.periodsPerYear ?? periodsPerYear(options.calendar ?? builtInCalendar('none'), series.interval)),
    riskFreePct,
    seed,
    bootstrapDraws: draws,
  };
}

function scaled(atr: Float64Array, k: number | null): Float64Array | null {
  if (k === null) return null;
  const out = new Float64Array(atr.length);
  for (let i = 0; i < atr.length; i++) out[i] = k * atr[i];
  return out;
}

function tradesOf(log: TradeLog, time: Float64Array): Trade[] {
  const out: Trade[] = [];
  for (let k = 0; k < log.count; k++) {
    const size = log.size[k];
    out.push({
      side: log.side[k] > 0 ? 'long' : 'short',
      entryIndex: log.entryIndex[k],
      exitIndex: log.exitIndex[k],
      entryTime: time[log.entryIndex[k]],
      exitTime: time[log.exitIndex[k]],
      entryPrice: log.entryPrice[k],
      exitPrice: log.exitPrice[k],
      size,
      pnl: log.pnl[k],
      returnPct: (log.pnl[k] / (size * log.entryPrice[k])) * 100,
      barsHeld: log.exitIndex[k] - log.entryIndex[k],
      fees: log.fees[k],
      exitReason: EXIT_REASONS[log.exitReason[k]],
    });
  }
  return out;
}

/**
 * Run a complete backtest: signals, engine, statistics, baselines and warnings (see docs/backtest.md).
 * Deterministic: the same series, options and seed give a byte-identical JSON serialisation.
 */
export function runBacktest(series: BarSeries, options: BacktestOptions): BacktestResult {
  if (series.length === 0) {
    throw new DataError(`no bars to backtest for ${series.symbol} ${series.interval}`, 'collect bars first or widen --from/--to');
  }
  const sig = options.signal;
  let signal: Float64Array;
  let strategyParams: Record<string, number> = {};
  if (sig.kind === 'model') {
    assertAligned('the predictions', sig.predictions, series);
    signal = signalsFromPredictions(sig.predictions, sig.rule);
  } else if (sig.kind === 'strategy') {
    const strategy = getStrategy(sig.name);
    strategyParams = resolveStrategyParams(strategy, sig.params);
    signal = strategy.signals(series, strategyParams);
  } else {
    assertAligned('the signal', sig.signal, series);
    signal = sig.signal;
  }
  const params = resolveParams(series, options, strategyParams);
  const needAtr = params.slippage.kind === 'atr' || params.stopLossAtr !== null || params.takeProfitAtr !== null;
  const atr = needAtr ? averageTrueRange(series, params.atrPeriod) : null;
  const base: EngineInput = {
    series,
    signal,
    fractions: sizingFractions(series, params.sizing, params.periodsPerYear),
    capital: params.capital,
    feeRate: params.feeBps / 10_000,
    slippage: slippageTable(params.slippage, atr, series.length),
    direction: params.direction,
    stopDistance: atr ? scaled(atr, params.stopLossAtr) : null,
    takeDistance: atr ? scaled(atr, params.takeProfitAtr) : null,
  };
  const out = runEngine(base);
  const run: RunSignal = (s, withStops) =>
    runEngine(withStops ? { ...base, signal: s } : { ...base, signal: s, stopDistance: null, takeDistance: null });

  let forecast: ForecastInput | null = null;
  if (sig.kind === 'model') {
    const realized = sig.realized ?? forwardLogReturns(series, 1);
    assertAligned('the realised returns', realized, series);
    if (sig.rule.kind === 'probability') {
      const score = new Float64Array(series.length);
      for (let i = 0; i < score.length; i++) score[i] = sig.predictions[i] - 0.5;
      forecast = { predicted: score, realized, kind: 'score' };
    } else {
      forecast = { predicted: sig.predictions, realized, kind: 'return' };
    }
  }
  const ctx = {
    time: series.time,
    close: series.close,
    capital: params.capital,
    periodsPerYear: params.periodsPerYear,
    riskFreePct: params.riskFreePct,
    minPeriods: options.minPeriods,
  };
  const { stats, notMeaningful, drawdown } = computeStats({ ...ctx, engine: out, forecast });

  const naive =
    sig.kind === 'model' && sig.naivePredictions
      ? (assertAligned('the naive predictions', sig.naivePredictions, series),
        naiveForecastBaseline(signalsFromPredictions(sig.naivePredictions, sig.rule), run, ctx))
      : null;
  const baselines = {
    buyAndHold: buyAndHoldBaseline(run, ctx),
    random: randomSignalBaseline(out.trades, stats.sharpe, run, ctx, params.bootstrapDraws, params.seed),
    naive,
  };

  const warnings: string[] = [];
  const notes: string[] = [];
  if (out.nanSignals > 0) {
    const what = sig.kind === 'model' ? 'predictions' : 'signals';
    warnings.push(`${out.nanSignals} of ${series.length} ${what} were NaN and were traded as flat`);
  }
  const entries = (k: number): string => (k === 1 ? '1 entry was' : `${k} entries were`);
  if (out.skippedEntries > 0) notes.push(`${entries(out.skippedEntries)} skipped because the position size was 0 (sizing warm-up)`);
  if (out.unprotectedEntries > 0) {
    notes.push(`${entries(out.unprotectedEntries)} made without stop-loss or take-profit because the ATR was not yet known`);
  }
  if (out.ruined) warnings.push('equity fell to zero or below; the position was liquidated and trading stopped');
  const last = out.trades.count - 1;
  if (last >= 0 && out.trades.exitReason[last] === EXIT_END) notes.push('the last trade was still open and was closed at the final close');

  return {
    schemaVersion: BACKTEST_SCHEMA_VERSION,
    params,
    stats,
    notMeaningful,
    trades: tradesOf(out.trades, series.time),
    equity: { time: series.time.slice(), equity: out.equity, drawdownPct: drawdown.drawdownPct, position: out.position },
    baselines,
    warnings,
    notes,
  };
}
