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
import type { BarSeries } from '../core/bars.js';
import { DataError, UsageError } from '../core/errors.js';
import type { SlippageTable } from './costs.js';
import type { Direction, ExitReason } from './types.js';

/** Exit reasons by their code in {@link TradeLog.exitReason}. */
export const EXIT_REASONS: readonly ExitReason[] = ['signal', 'stop-loss', 'take-profit', 'end', 'liquidation'];
const EXIT_SIGNAL = 0;
const EXIT_STOP = 1;
const EXIT_TAKE = 2;
/** The exit-reason code of a position closed at the last bar. */
export const EXIT_END = 3;
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
