import type { BarSeries } from '../core/bars.js';

/**
 * Feature groups. Every feature belongs to exactly one; the default set is organised by them and the docs
 * table is grouped by them.
 */
export const FEATURE_GROUPS = ['trend', 'momentum', 'volatility', 'volume', 'returns', 'time', 'context'] as const;
/** One of {@link FEATURE_GROUPS}. */
export type FeatureGroup = (typeof FEATURE_GROUPS)[number];

/** The bar columns a feature may read. `time` is the bar open time in ms since the Unix epoch (UTC). */
export type InputName = 'time' | 'open' | 'high' | 'low' | 'close' | 'volume';

/** One numeric parameter of a feature family, e.g. the period of an RSI. */
export interface ParamSpec {
  /** Parameter name as shown in docs and errors (`period`, `fast`, `k`). */
  name: string;
  /** Smallest allowed value (inclusive). */
  min: number;
  /** Largest allowed value (inclusive). */
  max: number;
  /** Whether only integers are allowed (bar counts are integers; band widths need not be). */
  integer: boolean;
}

/**
 * What a feature computation can see: the bar series and a memo shared by every feature of one computation,
 * so that e.g. `macd_signal_12_26_9` reuses the EMAs that `macd_12_26` already computed.
 * Memoised arrays are shared: callers must never write into an array they got from `memo`.
 */
export interface ComputeContext {
  /** The bars; all columns have `series.length` rows. */
  readonly series: BarSeries;
  /** Return the array cached under `key`, computing it with `make` the first time. */
  memo(key: string, make: () => Float64Array): Float64Array;
}

/**
 * A family of features sharing a name prefix and a formula, e.g. `rsi` (features `rsi_7`, `rsi_14`, ...).
 * A feature name is the prefix followed by its parameters joined with `_` (`bb_upper_20_2`).
 *
 * Contract: `compute` returns a fresh or memoised Float64Array of `series.length` rows that is NaN exactly for
 * rows `< lookback(params)` and finite from there on (for valid bars), and whose value at row t depends only
 * on rows `<= t` (no look-ahead; `checkNoLookahead` verifies it).
 */
export interface FeatureFamily {
  /** Name prefix, e.g. `bb_upper`. Lower-case letters, digits and `_`; never ends in a number token. */
  readonly prefix: string;
  /** Group the family belongs to. */
  readonly group: FeatureGroup;
  /** Bar columns read. */
  readonly inputs: readonly InputName[];
  /** Parameters, in name order. */
  readonly params: readonly ParamSpec[];
  /** True when the feature only makes sense for intraday bars (hour of day); dropped for daily and coarser. */
  readonly intradayOnly?: boolean;
  /** One-line definition with the parameters filled in (units included). */
  describe(params: readonly number[]): string;
  /** Warm-up length: number of leading rows that are NaN (the index of the first defined value). */
  lookback(params: readonly number[]): number;
  /** Compute the column (see the interface contract). */
  compute(ctx: ComputeContext, params: readonly number[]): Float64Array;
}

/** One indicator: a file's worth of related feature families (Bollinger Bands gives five). */
export interface Indicator {
  /** Indicator name, e.g. `bollinger`. */
  readonly name: string;
  /** The families it provides. */
  readonly families: readonly FeatureFamily[];
}

/** Shorthand for an integer period parameter between `min` and 100,000 bars. */
export function periodParam(name = 'period', min = 1): ParamSpec {
  return { name, min, max: 100_000, integer: true };
}

/** Shorthand for a positive real multiplier parameter (band widths in standard deviations or ATRs). */
export function multiplierParam(name = 'k'): ParamSpec {
  return { name, min: 0, max: 100, integer: false };
}

let poison: number | null = null;

/**
 * Tests only: write `value` (null: nothing) into the rows `nanArray` leaves to its caller, so a kernel that leaves
 * one unwritten shows this value rather than whatever the memory held before.
 */
export function poisonUnwrittenRows(value: number | null): void {
  poison = value;
}

/**
 * A new Float64Array of `n` rows whose rows before `first` are NaN (the warm-up fill); `first` defaults to `n`
 * (all NaN). The rows from `first` on are NOT initialised: the caller must write every one of them. Kernels write
 * every row anyway, so the zero fill of `new Float64Array` would be wasted, and for a column of a million rows it
 * is a large part of a fast kernel's time (a memset of 8 MB when the allocator recycles memory).
 */
export function nanArray(n: number, first = n): Float64Array {
  const out = new Float64Array(Buffer.allocUnsafeSlow(n * Float64Array.BYTES_PER_ELEMENT).buffer, 0, n);
  const warmUp = Math.min(Math.max(first, 0), n);
  out.fill(NaN, 0, warmUp);
  if (poison !== null) out.fill(poison, warmUp);
  return out;
}
