/**
 * Population Stability Index drift test (Evidently `psi`, src/evidently/legacy/calculations/stattests/psi.py at
 * Evidently 0.7.21, commit a4aa4c2b): Σ (r_i - c_i) ln(r_i / c_i) over shared bins (binning.ts: Sturges bins of
 * both windows for numerical columns with more than 20 distinct reference values, else one bin per value), with
 * empty bins filled as Evidently does (`binShares`); drift when PSI >= threshold (0.1). Evidently's `n_bins = 30`
 * argument is unused by its binning, so there is none here either.
 */
import { binnedCountsOf, binShares } from './binning.js';
import { driftResult, type DriftTest } from './drift-test.js';

/** PSI of two share vectors (no zeros). */
export function populationStabilityIndex(reference: Float64Array, current: Float64Array): number {
  let psi = 0;
  for (let i = 0; i < reference.length; i++) psi += (reference[i] - current[i]) * Math.log(reference[i] / current[i]);
  return psi;
}

/** The PSI drift test. */
export const psiTest: DriftTest = {
  name: 'psi',
  label: 'PSI',
  kind: 'distance',
  rule: 'score >= threshold',
  defaultThreshold: 0.1,
  columnKinds: ['numerical', 'categorical'],
  run(reference, current, options) {
    const bins = binnedCountsOf(reference, current, 'psi', options?.columnKind ?? 'numerical');
    const psi = populationStabilityIndex(binShares(bins.reference, reference.length, true), binShares(bins.current, current.length, true));
    return driftResult(psiTest, psi, null, options, { binning: bins.method, bins: bins.reference.length });
  },
};
