/**
 * Two-sample Kolmogorov-Smirnov drift test (Evidently `ks`, src/evidently/legacy/calculations/stattests/
 * ks_stattest.py at Evidently 0.7.21, commit a4aa4c2b): the two-sided p-value of SciPy's `ks_2samp` with
 * method "auto" (see ks-two-sample.ts for the exact / asymptotic switch); drift when p <= threshold (0.05).
 * Numerical columns only.
 */
import { checkSample, driftResult, type DriftTest } from './drift-test.js';
import { ksTwoSample } from './ks-two-sample.js';

/** The KS drift test. */
export const ksTest: DriftTest = {
  name: 'ks',
  label: 'Kolmogorov-Smirnov p-value',
  kind: 'p-value',
  rule: 'p <= threshold',
  defaultThreshold: 0.05,
  columnKinds: ['numerical'],
  run(reference, current, options) {
    checkSample(reference, 'reference', 'ks');
    checkSample(current, 'current', 'ks');
    const r = ksTwoSample(reference, current);
    return driftResult(ksTest, r.statistic, r.pValue, options, { method: r.method, exactFailed: r.exactFailed });
  },
};
