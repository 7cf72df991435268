/**
 * The two windows' distributions of one column on common bins, for the drift report's charts (the tests judge the
 * raw values; this only draws them).
 *
 * Bins: `bins` equal-width bins between the 0.5% and 99.5% quantiles of both windows' finite values together, so
 * one far outlier does not squeeze the rest into a single bar; values beyond those quantiles fall into the first
 * or last bin, which the report marks as open-ended. A column with one distinct value gets one bin. Each window's
 * counts are divided by its own number of finite values, so windows of different sizes compare as shares.
 */
import { sortedCopy } from '../../core/sort-float64.js';

/** Bins drawn per column by default: enough to see a shift, few enough to read at a glance. */
export const DEFAULT_HISTOGRAM_BINS = 30;

/** Share of values cut from each tail when placing the bins (the cut values land in the end bins). */
const TAIL = 0.005;

export interface DriftHistogram {
  /** Bin edges, `bins + 1` increasing values; the first and last bins also hold the values beyond them. */
  edges: number[];
  /** Share of each window's finite values per bin (each sums to 1). */
  reference: number[];
  current: number[];
}

/** The finite values of a column, sorted. */
function finiteSorted(values: ArrayLike<number>): Float64Array {
  const out: number[] = [];
  for (let i = 0; i < values.length; i++) if (Number.isFinite(values[i])) out.push(values[i]);
  return sortedCopy(Float64Array.from(out));
}

/** Linear-interpolation quantile (numpy's default) of sorted values. */
function quantileSorted(sorted: Float64Array, q: number): number {
  const pos = q * (sorted.length - 1);
  const lo = Math.floor(pos);
  const hi = Math.min(lo + 1, sorted.length - 1);
  return sorted[lo] + (sorted[hi] - sorted[lo]) * (pos - lo);
}

function shares(sorted: Float64Array, edges: readonly number[]): number[] {
  const bins = edges.length - 1;
  const counts = new Array<number>(bins).fill(0);
  const lo = edges[0];
  const width = (edges[bins] - lo) / bins;
  for (const v of sorted) {
    const k = width > 0 ? Math.floor((v - lo) / width) : 0;
    counts[Math.min(bins - 1, Math.max(0, k))]++;
  }
  return counts.map((c) => (sorted.length ? c / sorted.length : 0));
}

/**
 * The histogram of both windows on common bins (see the module note).
 * @throws RangeError when a window has no finite value or `bins` is not a positive integer.
 */
export function driftHistogram(reference: ArrayLike<number>, current: ArrayLike<number>, bins = DEFAULT_HISTOGRAM_BINS): DriftHistogram {
  if (!Number.isInteger(bins) || bins < 1) throw new RangeError(`bins must be a positive integer, got ${bins}`);
  const ref = finiteSorted(reference);
  const cur = finiteSorted(current);
  if (ref.length === 0 || cur.length === 0) throw new RangeError('both windows need a finite value');
  const joined = new Float64Array(ref.length + cur.length);
  joined.set(ref);
  joined.set(cur, ref.length);
  const both = sortedCopy(joined);
  let lo = quantileSorted(both, TAIL);
  let hi = quantileSorted(both, 1 - TAIL);
  if (!(hi > lo)) {
    lo = both[0];
    hi = both[both.length - 1];
  }
  const n = hi > lo ? bins : 1;
  const edges = hi > lo ? Array.from({ length: n + 1 }, (_, k) => (k === n ? hi : lo + ((hi - lo) * k) / n)) : [lo, lo];
  return { edges, reference: shares(ref, edges), current: shares(cur, edges) };
}
