/**
 * Chi-square drift test (Evidently `chisquare`, src/evidently/legacy/calculations/stattests/chisquare_stattest.py
 * at Evidently 0.7.21, commit a4aa4c2b): SciPy's `chisquare(f_obs, f_exp)` with one category per distinct value,
 * the current counts observed and the reference counts scaled to the current size expected:
 * X² = Σ (o_i - e_i)² / e_i, p = P(χ²_{k-1} > X²); drift when p < threshold (0.05). A value seen only in the
 * current window has e_i = 0, so X² = ∞ and p = 0, as in SciPy.
 *
 * One deviation: with a single category in both windows SciPy's p-value is NaN (χ² with 0 degrees of freedom);
 * pulse reports X² = 0, p = 1 (nothing can have drifted).
 */
import { chiSquareSf } from '../../core/special-functions.js';
import { valueCounts } from './binning.js';
import { checkSample, driftResult, type DriftTest } from './drift-test.js';

/** Pearson's X² of observed counts against expected counts, and its p-value with k - 1 degrees of freedom. */
export function chiSquareTest(observed: Float64Array, expected: Float64Array): { statistic: number; pValue: number; df: number } {
  let statistic = 0;
  for (let i = 0; i < observed.length; i++) statistic += (observed[i] - expected[i]) ** 2 / expected[i];
  const df = observed.length - 1;
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
  columnKinds: ['categorical'],
  run(reference, current, options) {
    checkSample(reference, 'reference', 'chi2');
    checkSample(current, 'current', 'chi2');
    const counts = valueCounts(reference, current);
    const scale = current.length / reference.length;
    const expected = counts.reference.map((c) => c * scale);
    const r = chiSquareTest(counts.current, expected);
    return driftResult(chi2Test, r.statistic, r.pValue, options, { categories: counts.edges.length, df: r.df });
  },
};
