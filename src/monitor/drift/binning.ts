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
import { checkSample, sampleExtent, type ColumnKind, type DriftTestName, type SampleExtent } from './drift-test.js';

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
  /** Values outside the edges and so in no bin (for `sturges`, only NaN can be; 0 for `values`). */
  outside: number;
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

/** Smallest and largest value of a sample, starting from `min0` and `max0`. */
function extent(x: Float64Array, min0: number, max0: number): [number, number] {
  let min = min0;
  let max = max0;
  for (let i = 0; i < x.length; i++) {
    const v = x[i];
    if (v < min) min = v;
    if (v > max) max = v;
  }
  return [min, max];
}

/**
 * The Sturges edges NumPy computes for the two windows together. Pass the windows' extents when they are known
 * (`checkSampleExtent`) to save a pass over the data.
 */
export function sturgesEdges(reference: Float64Array, current: Float64Array, extents?: [SampleExtent, SampleExtent]): Float64Array {
  const [refMin, refMax] = extents ? [extents[0].min, extents[0].max] : extent(reference, Infinity, -Infinity);
  const [min, max] = extents ? [Math.min(refMin, extents[1].min), Math.max(refMax, extents[1].max)] : extent(current, refMin, refMax);
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

/**
 * The bin of `v` (first <= v <= last edge): an arithmetic guess (truncation is floor here: v >= first), then
 * corrected against the actual edges so that membership is decided by comparison exactly as a binary search would.
 */
function binOf(v: number, edges: Float64Array, first: number, norm: number, top: number): number {
  let k = ((v - first) * norm) | 0;
  if (k > top) k = top;
  if (v < edges[k]) {
    do k--;
    while (k > 0 && v < edges[k]);
  } else if (k < top && v >= edges[k + 1]) {
    do k++;
    while (k < top && v >= edges[k + 1]);
  }
  return k;
}

/**
 * Counts of `x` per bin [edge_i, edge_i+1) (last bin closed), as NumPy's `histogram(x, edges)` counts them;
 * `outside` is the number of values in no bin (NaN included), which NumPy leaves out. Even and odd rows count
 * into separate arrays, so that two neighbouring rows in one bin do not wait on each other's increment.
 */
export function histogramCounts(x: Float64Array, edges: Float64Array): { counts: Float64Array; outside: number } {
  const bins = edges.length - 1;
  const even = new Uint32Array(bins);
  const odd = new Uint32Array(bins);
  const first = edges[0];
  const last = edges[bins];
  const norm = bins / (last - first);
  const top = bins - 1;
  let outside = 0;
  const n = x.length;
  let i = 0;
  for (; i + 1 < n; i += 2) {
    const v = x[i];
    const w = x[i + 1];
    if (v >= first && v <= last) even[binOf(v, edges, first, norm, top)]++;
    else outside++;
    if (w >= first && w <= last) odd[binOf(w, edges, first, norm, top)]++;
    else outside++;
  }
  if (i < n) {
    const v = x[i];
    if (v >= first && v <= last) even[binOf(v, edges, first, norm, top)]++;
    else outside++;
  }
  const counts = new Float64Array(bins);
  for (let k = 0; k < bins; k++) counts[k] = even[k] + odd[k];
  return { counts, outside };
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
  return { method: 'values', reference: count(reference), current: count(current), edges: values, outside: 0 };
}

/** Bins both windows as Evidently's `get_binned_data` does (see the module comment); `extents` as for `sturgesEdges`. */
export function binCounts(
  reference: Float64Array,
  current: Float64Array,
  binning: Binning,
  columnKind: ColumnKind,
  extents?: [SampleExtent, SampleExtent],
): BinnedCounts {
  const method =
    binning === 'auto'
      ? columnKind === 'numerical' && countDistinct([reference], MAX_VALUE_BINS) > MAX_VALUE_BINS
        ? 'sturges'
        : 'values'
      : binning;
  if (method === 'values') return valueCounts(reference, current);
  const edges = sturgesEdges(reference, current, extents);
  const ref = histogramCounts(reference, edges);
  const cur = histogramCounts(current, edges);
  return { method, reference: ref.counts, current: cur.counts, edges, outside: ref.outside + cur.outside };
}

/**
 * Checks both windows (the `DriftTest.run` contract) and bins them with Evidently's `auto` rule, for the binned
 * tests. The checks ride on passes the binning makes anyway: the extents that the Sturges edges need reveal empty
 * windows and infinities, the histogram's range test reveals NaN (then `checkSample` names the row); value bins,
 * which would count NaN as a value, are checked up front.
 */
export function binnedCountsOf(reference: Float64Array, current: Float64Array, test: DriftTestName, columnKind: ColumnKind): BinnedCounts {
  const extents: [SampleExtent, SampleExtent] = [sampleExtent(reference, 'reference', test), sampleExtent(current, 'current', test)];
  const sturges = columnKind === 'numerical' && countDistinct([reference], MAX_VALUE_BINS) > MAX_VALUE_BINS;
  if (!sturges) {
    checkSample(reference, 'reference', test);
    checkSample(current, 'current', test);
    return valueCounts(reference, current);
  }
  const bins = binCounts(reference, current, 'sturges', columnKind, extents);
  if (bins.outside > 0) {
    checkSample(reference, 'reference', test);
    checkSample(current, 'current', test);
  }
  return bins;
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
