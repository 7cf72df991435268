/**
 * Chi-square drift test (Evidently `chisquare`, src/evidently/legacy/calculations/stattests/chisquare_stattest.py
 * at Evidently 0.7.21, commit a4aa4c2b): SciPy's `chisquare(f_obs, f_exp)` with one category per distinct value,
 * the current counts observed and the reference counts scaled to the current size expected:
 * X² = Σ (o_i - e_i)² / e_i, p = P(χ²_{k-1} > X²); drift when p < threshold (0.05). A value seen only in the
 * current window has e_i = 0, so X² = ∞ and p = 0, as in SciPy.
 *
 * Beyond Evidently (which allows the test for categorical columns only, and whose auto rule gives it numerical
 * columns with 3 to 5 values, i.e. value bins): a numerical column with more than 20 distinct reference values is
 * counted over the Sturges bins PSI uses (binning.ts), so that a continuous feature is not split into one category
 * per value, and tested with the two-sample homogeneity test on the 2 x k table of counts (SciPy's
 * `chi2_contingency(table, correction=False)` over the bins that hold any value): expected counts come from both
 * windows, so a tail bin that only the current window reaches does not make X² infinite as the goodness-of-fit form
 * would. With 20 or fewer values, and for categorical columns, the test is Evidently's. As for every test the
 * column kind defaults to numerical: pass `columnKind: 'categorical'` for category codes.
 *
 * One deviation: with a single category in both windows SciPy's p-value is NaN (χ² with 0 degrees of freedom);
 * pulse reports X² = 0, p = 1 (nothing can have drifted).
 */
import { chiSquareSf } from '../../core/special-functions.js';
import { binnedCountsOf } from './binning.js';
import { driftResult, type DriftTest } from './drift-test.js';

/** Pearson's X² of observed counts against expected counts, and its p-value with k - 1 degrees of freedom. */
export function chiSquareTest(observed: Float64Array, expected: Float64Array): { statistic: number; pValue: number; df: number } {
  let statistic = 0;
  for (let i = 0; i < observed.length; i++) statistic += (observed[i] - expected[i]) ** 2 / expected[i];
  const df = observed.length - 1;
  if (df === 0) return { statistic: 0, pValue: 1, df };
  return { statistic, pValue: chiSquareSf(statistic, df), df };
}

/**
 * Pearson's X² homogeneity test of two rows of counts over the same bins (bins empty in both are left out) and its
 * p-value with (bins - 1) degrees of freedom: SciPy's `chi2_contingency([a, b], correction=False)`.
 */
export function chiSquareHomogeneity(a: Float64Array, b: Float64Array): { statistic: number; pValue: number; df: number } {
  let na = 0;
  let nb = 0;
  for (let i = 0; i < a.length; i++) {
    na += a[i];
    nb += b[i];
  }
  const total = na + nb;
  let statistic = 0;
  let bins = 0;
  for (let i = 0; i < a.length; i++) {
    const column = a[i] + b[i];
    if (column === 0) continue;
    bins++;
    const ea = (na * column) / total;
    const eb = (nb * column) / total;
    statistic += (a[i] - ea) ** 2 / ea + (b[i] - eb) ** 2 / eb;
  }
  const df = bins - 1;
  if (df === 0) return { statistic: 0, pValue: 1, df };
  return { statistic, pValue: chiSquareSf(statistic, df), df };
}

/** The chi-square drift test. */
export const chi2Test: DriftTest = {
  name: 'chi2',
  label: 'chi-square p-value',
  kind: 'p-value',
  rule: 'p < threshold',
  defaultThreshold: 0.05,
  columnKinds: ['categorical', 'numerical'],
  run(reference, current, options) {
    const counts = binnedCountsOf(reference, current, 'chi2', options?.columnKind ?? 'numerical');
    const scale = current.length / reference.length;
    const r =
      counts.method === 'sturges'
        ? chiSquareHomogeneity(counts.reference, counts.current)
        : chiSquareTest(counts.current, counts.reference.map((c) => c * scale));
    return driftResult(chi2Test, r.statistic, r.pValue, options, { binning: counts.method, bins: counts.reference.length, df: r.df });
  },
};
