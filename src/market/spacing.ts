/**
 * The bar spacing of a file: which interval its rows are, inferred from the times themselves, so that a daily file
 * collected as `--interval 1h` (or a 5m file as 1h) is refused instead of being stored as the wrong thing.
 *
 * The rule, per calendar: for each interval from the finest, count the trading bars of that interval between
 * consecutive rows (the difference of their trading ordinals on the instrument's calendar). The file's interval
 * is the finest one for which the median count is exactly one and two rows almost never share a bar (at most 1%
 * of the steps). Counting in trading bars rather than milliseconds keeps weekends, nights and holidays out of the
 * steps: 4h bars of a 6.5-hour session are 4 hours apart within a session and 20 hours apart overnight, but one
 * 4h bar apart either way. Steps are sampled (at most {@link MAX_SAMPLED_STEPS}) so a million-row file costs
 * little.
 */
import { INTERVALS, type Interval } from '../core/interval.js';

/** Counts trading bar opens of an interval in [reference, ts) on the instrument's calendar. */
export type TradingOrdinal = (ts: number, interval: Interval) => number;

/** Consecutive-row steps examined at most (evenly spread over the file). */
export const MAX_SAMPLED_STEPS = 20_000;
/** Steps between two rows of the same bar allowed before the rows are judged finer than the interval. */
const MAX_SAME_BAR_SHARE = 0.01;

/** What {@link inferSpacing} found. */
export interface Spacing {
  /** The interval the rows are spaced at, or null when no interval fits (e.g. 2h or 8h bars). */
  interval: Interval | null;
  /** The median step between consecutive rows (ms). */
  medianStepMs: number;
  /** Steps examined. */
  steps: number;
}

/** How rows fall on the bars of one interval. */
export interface SpacingAt {
  steps: number;
  /** Share of steps between two rows of the same bar (0 bars apart). */
  sameBarShare: number;
  /** The (lower) median number of bars between consecutive rows. */
  medianBars: number;
}

/** Fewer steps than this cannot tell sparse bars of an interval from bars of a coarser one. */
export const MIN_STEPS_FOR_COARSER = 10;

/**
 * Infer the spacing of `times` (ms; file order, ascending for a well-formed file; NaN entries are skipped), or
 * undefined when fewer than two readable rows give no step. Only non-descending steps count, so a few unsorted rows
 * do not disturb the result; rows with equal times (daily keys of an intraday file) count as sharing a bar.
 */
export function inferSpacing(times: ArrayLike<number>, ordinal: TradingOrdinal): Spacing | undefined {
  const pairs = samplePairs(times);
  if (pairs.length === 0) return undefined;
  const medianStepMs = lowerMedian(pairs.map(([a, b]) => b - a));
  for (const interval of INTERVALS) {
    const at = spacingOf(pairs, interval, ordinal);
    if (at.sameBarShare > MAX_SAME_BAR_SHARE) break;
    if (at.medianBars === 1) return { interval, medianStepMs, steps: pairs.length };
  }
  return { interval: null, medianStepMs, steps: pairs.length };
}

/**
 * Whether `times` can be bars of `interval`: `finer` when rows share bars (they are closer than one bar apart),
 * `coarser` when consecutive rows are typically two or more bars apart over at least {@link MIN_STEPS_FOR_COARSER}
 * steps (sparse bars of the interval cannot be told apart from coarser bars with fewer), else `fits`.
 */
export function checkSpacing(times: ArrayLike<number>, interval: Interval, ordinal: TradingOrdinal): 'fits' | 'finer' | 'coarser' {
  const pairs = samplePairs(times);
  if (pairs.length === 0) return 'fits';
  const at = spacingOf(pairs, interval, ordinal);
  if (at.sameBarShare > MAX_SAME_BAR_SHARE) return 'finer';
  if (at.medianBars >= 2 && at.steps >= MIN_STEPS_FOR_COARSER) return 'coarser';
  return 'fits';
}

function spacingOf(pairs: readonly [number, number][], interval: Interval, ordinal: TradingOrdinal): SpacingAt {
  const counts = pairs.map(([a, b]) => ordinal(b, interval) - ordinal(a, interval));
  let sameBar = 0;
  for (const c of counts) if (c === 0) sameBar++;
  return { steps: counts.length, sameBarShare: sameBar / counts.length, medianBars: lowerMedian(counts) };
}

/** Non-descending consecutive pairs of readable times, evenly sampled. */
function samplePairs(times: ArrayLike<number>): [number, number][] {
  const n = times.length;
  const stride = Math.max(1, Math.floor(n / MAX_SAMPLED_STEPS));
  const pairs: [number, number][] = [];
  for (let i = 1; i < n; i += stride) {
    const a = times[i - 1];
    const b = times[i];
    if (b >= a) pairs.push([a, b]); // NaN fails the comparison; equal times are two rows of one bar
  }
  return pairs;
}

/** The lower median: an element of `values` (never the mean of two), so a bar count stays a whole number. */
function lowerMedian(values: number[]): number {
  const s = values.slice().sort((x, y) => x - y);
  return s[(s.length - 1) >> 1];
}

/** A step in words: `5m`, `1h`, `1d 2h`, `30d`. */
export function describeStep(ms: number): string {
  const units: [string, number][] = [['d', 86_400_000], ['h', 3_600_000], ['m', 60_000], ['s', 1000]];
  const parts: string[] = [];
  let rest = Math.round(ms);
  for (const [unit, size] of units) {
    const k = Math.floor(rest / size);
    if (k > 0) {
      parts.push(`${k}${unit}`);
      rest -= k * size;
    }
    if (parts.length === 2) break;
  }
  return parts.length > 0 ? parts.join(' ') : `${ms}ms`;
}
