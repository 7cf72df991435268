/**
 * Quantile binning of one feature. Distinct sample values are grouped greedily into at most `maxBin` value bins
 * of roughly equal row counts (a value holding a large share of rows gets a bin of its own); bin `b` holds values
 * `x` with `upperBounds[b-1] < x <= upperBounds[b]`, the last bound being +Infinity. Missing values (NaN) go to
 * one extra bin after the value bins. Bounds sit half-way between neighbouring distinct values, so a split
 * "bin <= b" is exactly the raw-value test `x <= upperBounds[b]` used by `decide` in tree.ts.
 */

/** Bin boundaries of one feature. */
export interface BinMapper {
  /** Ascending upper bounds of the value bins; the last is +Infinity. Its length is the number of value bins. */
  readonly upperBounds: Float64Array;
  /** Index of the missing-value bin (= number of value bins). */
  readonly missingBin: number;
  /** Whether the training data had any NaN for this feature. */
  readonly hasMissing: boolean;
  /** True when a split on this feature is impossible: one value bin and no missing values. */
  readonly isTrivial: boolean;
}

/** A boundary strictly between distinct values a < b, so that a goes below it and b above. */
function boundary(a: number, b: number): number {
  const m = a + (b - a) / 2;
  if (!(m < b) || !Number.isFinite(m)) return a;
  return m;
}

/**
 * Build the mapper of one feature from sampled values (NaN allowed; the array is sorted in place).
 * `maxBin` >= 2 is the maximum number of value bins.
 */
export function findBins(sample: Float64Array, maxBin: number, hasMissing: boolean): BinMapper {
  sample.sort(); // typed-array sort: numeric ascending, NaN last
  let n = sample.length;
  while (n > 0 && Number.isNaN(sample[n - 1])) n--;
  // distinct values and their counts
  const values = new Float64Array(n);
  const counts = new Float64Array(n);
  let d = 0;
  for (let i = 0; i < n; i++) {
    if (d > 0 && sample[i] === values[d - 1]) counts[d - 1]++;
    else {
      values[d] = sample[i];
      counts[d] = 1;
      d++;
    }
  }
  const bounds: number[] = [];
  if (d <= maxBin) {
    for (let i = 0; i + 1 < d; i++) bounds.push(boundary(values[i], values[i + 1]));
  } else {
    let rest = n;
    let binsLeft = maxBin;
    let cur = 0;
    let target = rest / binsLeft;
    for (let i = 0; i + 1 < d && binsLeft > 1; i++) {
      cur += counts[i];
      if (cur >= target || counts[i + 1] >= target) {
        bounds.push(boundary(values[i], values[i + 1]));
        rest -= cur;
        binsLeft--;
        cur = 0;
        target = rest / binsLeft;
      }
    }
  }
  bounds.push(Infinity);
  const upperBounds = Float64Array.from(bounds);
  const missingBin = upperBounds.length;
  return { upperBounds, missingBin, hasMissing, isTrivial: upperBounds.length === 1 && !hasMissing };
}

/** The bin of raw value `x` (binary search; NaN goes to the missing bin). */
export function valueToBin(mapper: BinMapper, x: number): number {
  if (Number.isNaN(x)) return mapper.missingBin;
  const ub = mapper.upperBounds;
  let lo = 0;
  let hi = ub.length - 1;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (x <= ub[mid]) hi = mid;
    else lo = mid + 1;
  }
  return lo;
}

/**
 * The raw threshold equivalent to the bin split "bin <= b goes left": the bin's upper bound, or the largest
 * finite double when `b` is the last value bin (a split that only separates missing values).
 */
export function binThreshold(mapper: BinMapper, b: number): number {
  const t = mapper.upperBounds[b];
  return t === Infinity ? Number.MAX_VALUE : t;
}
