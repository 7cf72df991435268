/**
 * Trading costs: fees and slippage, validated once at the edge, plus the Wilder ATR that ATR slippage and the
 * stops use. Every fill pays `feeBps` of its notional; slippage moves every fill against the trader (buys fill
 * higher, sells lower) by `bps` of the price or by `fraction` x ATR, where the ATR is the one known at the close
 * of the bar before the fill (never the fill bar's own range).
 */
import { UsageError } from '../core/errors.js';
import type { BarSeries } from '../core/bars.js';
import type { SlippageSpec } from './types.js';

/** Largest fee or slippage accepted, in basis points (10 %): anything larger is a typo, not a cost. */
export const MAX_COST_BPS = 1000;
/** Largest ATR slippage fraction accepted (5 ATRs per fill). */
export const MAX_SLIPPAGE_ATR = 5;

/** Validate a fee in basis points (0..{@link MAX_COST_BPS}); throws a UsageError naming the value. */
export function validateFeeBps(feeBps: number): number {
  if (!Number.isFinite(feeBps) || feeBps < 0 || feeBps > MAX_COST_BPS) {
    throw new UsageError(
      `fee of ${feeBps} bps is not a valid cost: it must be a number from 0 to ${MAX_COST_BPS} bps`,
      'give the fee per fill in basis points, e.g. --fee-bps 10 for 0.1 %',
    );
  }
  return feeBps;
}

/** Validate a slippage spec (bps in 0..1000, ATR fraction in 0..5); throws a UsageError naming the value. */
export function validateSlippage(spec: SlippageSpec): SlippageSpec {
  if (spec.kind === 'bps') {
    if (!Number.isFinite(spec.bps) || spec.bps < 0 || spec.bps > MAX_COST_BPS) {
      throw new UsageError(
        `slippage of ${spec.bps} bps is not a valid cost: it must be a number from 0 to ${MAX_COST_BPS} bps`,
        'give slippage per fill in basis points, e.g. --slippage-bps 5',
      );
    }
  } else if (!Number.isFinite(spec.fraction) || spec.fraction < 0 || spec.fraction > MAX_SLIPPAGE_ATR) {
    throw new UsageError(
      `slippage of ${spec.fraction} ATR is not a valid cost: it must be a number from 0 to ${MAX_SLIPPAGE_ATR}`,
      'give slippage as a fraction of the ATR, e.g. --slippage-atr 0.1',
    );
  }
  return spec;
}

/**
 * Wilder's average true range (price units). TR_i = max(H_i, C_(i-1)) - min(L_i, C_(i-1)) for i >= 1; the ATR is
 * seeded at bar `period` with the mean TR of bars 1..period and smoothed as ATR_i = ATR_(i-1) + (TR_i - ATR_(i-1)) / period.
 * Bars before `period` are NaN. A non-finite TR leaves the ATR unchanged.
 */
export function averageTrueRange(series: BarSeries, period: number): Float64Array {
  if (!Number.isInteger(period) || period < 1) {
    throw new UsageError(`ATR period ${period} is not a positive whole number of bars`, 'use e.g. --atr-period 14');
  }
  const { high, low, close, length: n } = series;
  const out = new Float64Array(n).fill(NaN);
  let sum = 0;
  let atr = NaN;
  for (let i = 1; i < n; i++) {
    const prev = close[i - 1];
    const tr = Math.max(high[i], prev) - Math.min(low[i], prev);
    if (i <= period) {
      sum += tr;
      if (i === period) atr = sum / period;
    } else if (Number.isFinite(tr)) {
      atr += (tr - atr) / period;
    }
    if (i >= period) out[i] = atr;
  }
  return out;
}

/**
 * Per-bar slippage for the engine: `bps` is a fraction of the fill price (bps / 10^4) used when `abs` is null;
 * otherwise `abs[i]` is the absolute price offset of a fill in bar i (fraction x ATR of bar i - 1; 0 while the ATR
 * is unknown, so the warm-up pays no ATR slippage).
 */
export interface SlippageTable {
  rate: number;
  abs: Float64Array | null;
}

/** Build the slippage table for a series. `atr` is {@link averageTrueRange} (needed only for ATR slippage). */
export function slippageTable(spec: SlippageSpec, atr: Float64Array | null, length: number): SlippageTable {
  validateSlippage(spec);
  if (spec.kind === 'bps') return { rate: spec.bps / 10_000, abs: null };
  if (!atr) throw new UsageError('ATR slippage needs the ATR series', 'pass the series ATR to slippageTable');
  const abs = new Float64Array(length);
  for (let i = 1; i < length; i++) {
    const a = atr[i - 1];
    abs[i] = Number.isFinite(a) ? spec.fraction * a : 0;
  }
  return { rate: 0, abs };
}
