/**
 * Bins shared by the reference and current windows for the binned drift tests (PSI, Jensen-Shannon, chi-square),
 * as Evidently 0.7.21 builds them (`get_binned_data` in src/evidently/legacy/calculations/stattests/utils.py,
 * commit a4aa4c2b):
 *
 * - `sturges`: NumPy's `histogram_bin_edges(reference ++ current, bins="sturges")`: equal-width bins over
 *   [min, max] of both windows together (widened by ±0.5 when min = max), their number ceil(range / width) with
 *   width = range / (log2(n1 + n2) + 1); a value falls in [edge_i, edge_i+1), the last bin closed on the right.
 * - `values`: one bin per distinct value seen in either window (Evidently's categorical bins).
 * - `auto`: Evidently's rule: `sturges` for a numerical column whose reference has more than 20 distinct values,
 *   `values` otherwise (and always for categorical columns).
 */
import type { ColumnKind } from './drift-test.js';

/** How to bin a column (see the module comment). */
export type Binning = 'auto' | 'sturges' | 'values';

/** Counts of the reference and current windows over shared bins. */
export interface BinnedCounts {
  /** The binning that was applied (`auto` resolved). */
  method: 'sturges' | 'values';
  /** Reference count per bin. */
  reference: Float64Array;
  /** Current count per bin. */
  current: Float64Array;
  /** For `sturges`, the bin edges (one more than bins); for `values`, the value of each bin, ascending. */
  edges: Float64Array;
}

/** Evidently's cut-off: more distinct reference values than this make a numerical column histogram-binned. */
export const MAX_VALUE_BINS = 20;

/**
 * The number of distinct values in the given samples together, counted up to `cap` + 1 and no further (so a
 * continuous column costs a few dozen rows, not a hash of all of them). +0 and -0 count as one value.
 */
export function countDistinct(samples: readonly Float64Array[], cap: number): number {
  const seen = new Set<number>();
  for (const x of samples) {
    for (let i = 0; i < x.length; i++) {
      seen.add(x[i]);
      if (seen.size > cap) return seen.size;
    }
  }
  return seen.size;
}

/** NumPy's `linspace(start, stop, num)` with endpoint: i · step + start, the last edge set to `stop`. */
function linspace(start: number, stop: number, num: number): Float64Array {
  const out = new Float64Array(num);
  const div = num - 1;
  const delta = stop - start;
  const step = delta / div;
  for (let i = 0; i < num; i++) out[i] = step === 0 ? (i / div) * delta + start : i * step + start;
  if (num > 1) out[num - 1] = stop;
  return out;
}

/** The Sturges edges NumPy computes for the two windows together. */
export function sturgesEdges(reference: Float64Array, current: Float64Array): Float64Array {
  let min = Infinity;
  let max = -Infinity;
  for (const x of [reference, current]) {
    for (let i = 0; i < x.length; i++) {
      const v = x[i];
      if (v < min) min = v;
      if (v > max) max = v;
    }
  }
  const ptp = max - min;
  let first = min;
  let last = max;
  if (first === last) {
    first -= 0.5;
    last += 0.5;
  }
  const width = ptp / (Math.log2(reference.length + current.length) + 1);
  const bins = width ? Math.ceil((last - first) / width) : 1;
  return linspace(first, last, bins + 1);
}

/** Counts of `x` per bin [edge_i, edge_i+1) (last bin closed), as NumPy's `histogram(x, edges)` counts them. */
export function histogramCounts(x: Float64Array, edges: Float64Array): Float64Array {
  const bins = edges.length - 1;
  const counts = new Float64Array(bins);
  const first = edges[0];
  const norm = bins / (edges[bins] - first);
  for (let i = 0; i < x.length; i++) {
    const v = x[i];
    if (!(v >= first && v <= edges[bins])) continue; // outside the range (NumPy ignores it)
    // Arithmetic guess, then corrected against the actual edges so that membership is decided by comparison.
    let k = Math.floor((v - first) * norm);
    if (k < 0) k = 0;
    else if (k > bins - 1) k = bins - 1;
    while (k > 0 && v < edges[k]) k--;
    while (k < bins - 1 && v >= edges[k + 1]) k++;
    counts[k]++;
  }
  return counts;
}

/** Per-value counts of both windows over the union of their distinct values (ascending). */
export function valueCounts(reference: Float64Array, current: Float64Array): BinnedCounts {
  const index = new Map<number, number>();
  for (const x of [reference, current]) for (let i = 0; i < x.length; i++) if (!index.has(x[i])) index.set(x[i], 0);
  const values = Float64Array.from(index.keys()).sort();
  values.forEach((v, i) => index.set(v, i));
  const count = (x: Float64Array): Float64Array => {
    const c = new Float64Array(values.length);
    for (let i = 0; i < x.length; i++) c[index.get(x[i]) as number]++;
    return c;
  };
  return { method: 'values', reference: count(reference), current: count(current), edges: values };
}

/** Bins both windows as Evidently's `get_binned_data` does (see the module comment). */
export function binCounts(reference: Float64Array, current: Float64Array, binning: Binning, columnKind: ColumnKind): BinnedCounts {
  const method =
    binning === 'auto'
      ? columnKind === 'numerical' && countDistinct([reference], MAX_VALUE_BINS) > MAX_VALUE_BINS
        ? 'sturges'
        : 'values'
      : binning;
  if (method === 'values') return valueCounts(reference, current);
  const edges = sturgesEdges(reference, current);
  return { method, reference: histogramCounts(reference, edges), current: histogramCounts(current, edges), edges };
}

/**
 * Shares of each bin (counts / sample size) with Evidently's zero filling (`feel_zeroes`): an empty bin gets
 * min(non-zero share) / 10^6 when that minimum is at most 1e-4, else 1e-4, so that PSI's logarithm stays finite.
 * The shares are not renormalised afterwards (as in Evidently).
 */
export function binShares(counts: Float64Array, size: number, fillZeroes: boolean): Float64Array {
  const shares = new Float64Array(counts.length);
  let minNonZero = Infinity;
  for (let i = 0; i < counts.length; i++) {
    shares[i] = counts[i] / size;
    if (shares[i] !== 0 && shares[i] < minNonZero) minNonZero = shares[i];
  }
  if (fillZeroes) {
    const fill = minNonZero <= 0.0001 ? minNonZero / 10 ** 6 : 0.0001;
    for (let i = 0; i < shares.length; i++) if (shares[i] === 0) shares[i] = fill;
  }
  return shares;
}
