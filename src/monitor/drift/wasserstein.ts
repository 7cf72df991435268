/**
 * Normed Wasserstein drift test (Evidently `wasserstein`, src/evidently/legacy/calculations/stattests/
 * wasserstein_distance_norm.py at Evidently 0.7.21, commit a4aa4c2b): SciPy's first Wasserstein distance
 * `wasserstein_distance(reference, current)` = ∫ |F_ref - F_cur| dx, divided by max(std(reference), 0.001) with the
 * population standard deviation (NumPy's default ddof = 0); drift when the distance >= threshold (0.1).
 * Numerical columns only.
 */
import { sortedCopy } from '../../core/sort-float64.js';
import { checkSample, driftResult, type DriftTest } from './drift-test.js';

/** Sum with Neumaier's compensation (NumPy's pairwise sum is close to exact; so is this). */
function compensatedSum(terms: (add: (x: number) => void) => void): number {
  let sum = 0;
  let c = 0;
  terms((x) => {
    const t = sum + x;
    c += Math.abs(sum) >= Math.abs(x) ? sum - t + x : x - t + sum;
    sum = t;
  });
  return sum + c;
}

/** Population standard deviation (two passes, compensated sums). */
export function populationStd(x: Float64Array): number {
  const n = x.length;
  const mean = compensatedSum((add) => { for (let i = 0; i < n; i++) add(x[i]); }) / n;
  const ss = compensatedSum((add) => { for (let i = 0; i < n; i++) add((x[i] - mean) ** 2); });
  return Math.sqrt(ss / n);
}

/** SciPy's `wasserstein_distance(u, v)` for two ascending-sorted samples: Σ |F_u - F_v| · gap over the merged values. */
export function wassersteinDistanceSorted(u: Float64Array, v: Float64Array): number {
  const nu = u.length;
  const nv = v.length;
  return compensatedSum((add) => {
    let iu = 0;
    let iv = 0;
    while (iu < nu || iv < nv) {
      const x = iv >= nv || (iu < nu && u[iu] <= v[iv]) ? u[iu] : v[iv];
      while (iu < nu && u[iu] <= x) iu++;
      while (iv < nv && v[iv] <= x) iv++;
      if (iu === nu && iv === nv) break; // the last value closes both CDFs
      const next = iv >= nv || (iu < nu && u[iu] <= v[iv]) ? u[iu] : v[iv];
      add(Math.abs(iu / nu - iv / nv) * (next - x));
    }
  });
}

/** Evidently's floor on the reference standard deviation, so that a constant reference does not divide by 0. */
export const MIN_WASSERSTEIN_NORM = 0.001;

/** The normed Wasserstein drift test. */
export const wassersteinTest: DriftTest = {
  name: 'wasserstein',
  label: 'Wasserstein distance (normed)',
  kind: 'distance',
  rule: 'score >= threshold',
  defaultThreshold: 0.1,
  columnKinds: ['numerical'],
  run(reference, current, options) {
    checkSample(reference, 'reference', 'wasserstein');
    checkSample(current, 'current', 'wasserstein');
    const distance = wassersteinDistanceSorted(sortedCopy(reference), sortedCopy(current));
    const norm = Math.max(populationStd(reference), MIN_WASSERSTEIN_NORM);
    return driftResult(wassersteinTest, distance / norm, null, options, { distance, norm });
  },
};
