/**
 * The backtest engine: one pass over a series' bars executing a precomputed signal, with typed arrays throughout
 * and trades recorded column-wise ({@link TradeLog}).
 *
 * Execution rules (docs/backtest.md has the full text):
 * - `signal[i]` is the side wanted from the close of bar i: > 0 long, < 0 short, 0 flat (only the sign matters;
 *   sizing decides the size). It executes at the open of bar i + 1, never in bar i. NaN means "no opinion": flat,
 *   and counted in `nanSignals`. Long-only runs turn short signals into flat.
 * - A change of side exits at the open (reason `signal`) and, if a side is wanted, enters at the same open.
 *   An entry commits `fractions[i]` x equity including its fee; a fraction of 0 (e.g. vol-target warm-up) skips it.
 * - Fills pay slippage against the trader (buys higher, sells lower) and `feeRate` of their notional.
 * - Stop-loss and take-profit levels are fixed at entry from the entry fill and the distances known at the signal
 *   bar, and are checked in every bar the position is held, the entry bar included, against its low and high.
 *   Conservative fill rule: a bar that opens beyond the stop fills at the open (the gap is taken in full); a bar
 *   that touches both levels is assumed to hit the stop first; a take-profit fills at its level or a better open.
 *   After a stop or take-profit exit the same side is not re-entered until the signal leaves that side.
 * - A position still open after the last bar is closed at the last close (reason `end`), paying costs.
 * - Equity and exposure are marked at every close. Once equity is no longer positive the account stops trading.
 */
import { DataError, UsageError } from '../core/errors.js';
import { DEFAULT_SEED } from '../core/rng.js';
import type { BarSeries } from '../core/bars.js';
import { buyAndHoldBaseline, naiveForecastBaseline, randomSignalBaseline, type RunSignal } from './baselines.js';
import { averageTrueRange, slippageTable, validateFeeBps, validateSlippage, type SlippageTable } from './costs.js';
import { assertAligned, forwardLogReturns, signalsFromPredictions, validateSignalRule } from './signals.js';
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
  type ExitReason,
  type SignalRule,
  type SizingSpec,
  type SlippageSpec,
  type Trade,
} from './types.js';

/** Exit reasons by their code in {@link TradeLog.exitReason}. */
export const EXIT_REASONS: readonly ExitReason[] = ['signal', 'stop-loss', 'take-profit', 'end', 'liquidation'];
const EXIT_SIGNAL = 0;
const EXIT_STOP = 1;
const EXIT_TAKE = 2;
const EXIT_END = 3;
const EXIT_LIQUIDATION = 4;

/** Trades as columns; rows [0, count) are valid. Prices in price units, money in cash, side +1 long / -1 short. */
export interface TradeLog {
  count: number;
  side: Int8Array;
  entryIndex: Int32Array;
  exitIndex: Int32Array;
  entryPrice: Float64Array;
  exitPrice: Float64Array;
  /** Units held (> 0). */
  size: Float64Array;
  /** Net profit after both fees. */
  pnl: Float64Array;
  /** Entry plus exit fee. */
  fees: Float64Array;
  /** Index into {@link EXIT_REASONS}. */
  exitReason: Uint8Array;
}

/** Engine inputs, all arrays of the series' length. */
export interface EngineInput {
  series: BarSeries;
  /** Wanted side from each bar's close (sign only; NaN = flat, counted). */
  signal: Float64Array;
  /** Equity fraction an entry decided at each bar's close commits (see sizing.ts). */
  fractions: Float64Array;
  /** Starting equity, > 0. */
  capital: number;
  /** Fee per fill as a fraction of notional (bps / 10^4). */
  feeRate: number;
  slippage: SlippageTable;
  direction: Direction;
  /** Stop-loss distance (price units) for an entry decided at each bar's close; null for no stops. NaN = none. */
  stopDistance: Float64Array | null;
  /** Take-profit distance (price units), as `stopDistance`. */
  takeDistance: Float64Array | null;
}

/** What one engine pass produced. */
export interface EngineOutput {
  /** Equity at each close (the last one after closing any open position). */
  equity: Float64Array;
  /** Signed exposure at each close: position value / equity. */
  position: Float64Array;
  trades: TradeLog;
  /** Signals that were NaN (treated as flat). */
  nanSignals: number;
  /** Entries skipped because the sizing fraction was 0 or not finite. */
  skippedEntries: number;
  /** Entries made while a requested stop or take-profit distance was not yet known (ATR warm-up). */
  unprotectedEntries: number;
  /** Sum of all fees (cash). */
  totalFees: number;
  /** True when equity fell to zero or below and trading stopped. */
  ruined: boolean;
}

function allocTradeLog(capacity: number): TradeLog {
  return {
    count: 0,
    side: new Int8Array(capacity),
    entryIndex: new Int32Array(capacity),
    exitIndex: new Int32Array(capacity),
    entryPrice: new Float64Array(capacity),
    exitPrice: new Float64Array(capacity),
    size: new Float64Array(capacity),
    pnl: new Float64Array(capacity),
    fees: new Float64Array(capacity),
    exitReason: new Uint8Array(capacity),
  };
}

function growTradeLog(log: TradeLog): TradeLog {
  const next = allocTradeLog(Math.max(16, log.side.length * 2));
  next.count = log.count;
  next.side.set(log.side);
  next.entryIndex.set(log.entryIndex);
  next.exitIndex.set(log.exitIndex);
  next.entryPrice.set(log.entryPrice);
  next.exitPrice.set(log.exitPrice);
  next.size.set(log.size);
  next.pnl.set(log.pnl);
  next.fees.set(log.fees);
  next.exitReason.set(log.exitReason);
  return next;
}

/** Check the engine's inputs: a non-empty series and arrays of its length, a positive capital. */
export function validateEngineInput(input: EngineInput): void {
  const n = input.series.length;
  if (n === 0) throw new DataError(`no bars to backtest for ${input.series.symbol}`, 'collect bars first or widen --from/--to');
  const check = (name: string, a: Float64Array | null): void => {
    if (a && a.length !== n) {
      throw new DataError(
        `${name} has ${a.length} values but the series has ${n} bars`,
        'signals, sizing and stop distances must have one value per bar of the series',
      );
    }
  };
  check('the signal', input.signal);
  check('the sizing fractions', input.fractions);
  check('the stop-loss distances', input.stopDistance);
  check('the take-profit distances', input.takeDistance);
  check('the slippage table', input.slippage.abs);
  if (!Number.isFinite(input.capital) || input.capital <= 0) {
    throw new UsageError(`capital ${input.capital} must be a positive amount`, 'use e.g. --capital 10000');
  }
}

/** Run the engine over the whole series (see the module note for the rules). */
export function runEngine(input: EngineInput): EngineOutput {
  validateEngineInput(input);
  const { series, signal, fractions, feeRate, direction, stopDistance, takeDistance } = input;
  const { open, high, low, close } = series;
  const n = series.length;
  const rate = input.slippage.rate;
  const slipAbs = input.slippage.abs;
  const longShort = direction === 'long-short';
  const equity = new Float64Array(n);
  const position = new Float64Array(n);
  let log = allocTradeLog(Math.min(Math.max(16, n >> 4), 1 << 16));

  let cash = input.capital;
  let units = 0; // signed
  let side = 0;
  let entryIndex = 0;
  let entryPrice = 0;
  let entryFee = 0;
  let stopPrice = NaN;
  let takePrice = NaN;
  let lockedSide = 0;
  let nanSignals = 0;
  let skipped = 0;
  let unprotected = 0;
  let totalFees = 0;
  let ruined = false;

  for (let i = 0; i < n; i++) if (signal[i] !== signal[i]) nanSignals++;

  const record = (exitIdx: number, exitPrice: number, exitFee: number, reason: number): void => {
    if (log.count === log.side.length) log = growTradeLog(log);
    const k = log.count++;
    const size = units < 0 ? -units : units;
    log.side[k] = side;
    log.entryIndex[k] = entryIndex;
    log.exitIndex[k] = exitIdx;
    log.entryPrice[k] = entryPrice;
    log.exitPrice[k] = exitPrice;
    log.size[k] = size;
    log.fees[k] = entryFee + exitFee;
    log.pnl[k] = units * (exitPrice - entryPrice) - entryFee - exitFee;
    log.exitReason[k] = reason;
  };

  // Close the position at `price` (before slippage) in bar i.
  const exitAt = (i: number, price: number, reason: number): void => {
    const slip = slipAbs === null ? price * rate : slipAbs[i];
    const fill = side > 0 ? price - slip : price + slip;
    const fee = Math.abs(units * fill) * feeRate;
    cash += units * fill - fee;
    totalFees += fee;
    record(i, fill, fee, reason);
    units = 0;
    side = 0;
  };

  equity[0] = cash;
  for (let i = 1; i < n; i++) {
    const s = signal[i - 1];
    let want = s > 0 ? 1 : s < 0 ? (longShort ? -1 : 0) : 0;
    if (lockedSide !== 0) {
      if (want === lockedSide) want = 0;
      else lockedSide = 0;
    }
    const o = open[i];
    if (want !== side) {
      if (side !== 0) exitAt(i, o, EXIT_SIGNAL);
      if (want !== 0 && !ruined) {
        const f = fractions[i - 1];
        if (f > 0 && f < Infinity) {
          const slip = slipAbs === null ? o * rate : slipAbs[i];
          const fill = want > 0 ? o + slip : o - slip;
          const notional = (f * cash) / (1 + feeRate);
          entryFee = notional * feeRate;
          units = (want * notional) / fill;
          cash -= units * fill + entryFee;
          totalFees += entryFee;
          side = want;
          entryIndex = i;
          entryPrice = fill;
          const sd = stopDistance === null ? NaN : stopDistance[i - 1];
          const td = takeDistance === null ? NaN : takeDistance[i - 1];
          stopPrice = fill - want * sd;
          takePrice = fill + want * td;
          if ((stopDistance !== null && sd !== sd) || (takeDistance !== null && td !== td)) unprotected++;
        } else {
          skipped++;
        }
      }
    }
    if (side !== 0) {
      // Intrabar exits: the stop is checked first, so a bar touching both levels counts as a stop.
      if (side > 0) {
        if (low[i] <= stopPrice) {
          lockedSide = side;
          exitAt(i, o < stopPrice ? o : stopPrice, EXIT_STOP);
        } else if (high[i] >= takePrice) {
          lockedSide = side;
          exitAt(i, o > takePrice ? o : takePrice, EXIT_TAKE);
        }
      } else if (high[i] >= stopPrice) {
        lockedSide = side;
        exitAt(i, o > stopPrice ? o : stopPrice, EXIT_STOP);
      } else if (low[i] <= takePrice) {
        lockedSide = side;
        exitAt(i, o < takePrice ? o : takePrice, EXIT_TAKE);
      }
    }
    if (side !== 0 && i === n - 1) exitAt(i, close[i], EXIT_END);
    const value = units * close[i];
    const eq = cash + value;
    equity[i] = eq;
    position[i] = eq > 0 ? value / eq : 0;
    if (eq <= 0 && !ruined) {
      ruined = true;
      if (side !== 0) {
        exitAt(i, close[i], EXIT_LIQUIDATION);
        equity[i] = cash;
        position[i] = 0;
      }
    }
  }
  return { equity, position, trades: log, nanSignals, skippedEntries: skipped, unprotectedEntries: unprotected, totalFees, ruined };
}

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
