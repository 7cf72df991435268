/**
 * Jensen-Shannon distance drift test (Evidently `jensenshannon`, src/evidently/legacy/calculations/stattests/
 * jensenshannon.py at Evidently 0.7.21, commit a4aa4c2b): SciPy's `spatial.distance.jensenshannon(r, c)` with
 * Evidently's default `base=None`, i.e. natural logarithms, so the distance lies in [0, sqrt(ln 2)]:
 * sqrt((KL(r || m) + KL(c || m)) / 2) with m = (r + c) / 2, r and c the bin shares renormalised to sum 1, over the
 * same bins as PSI but without zero filling; drift when the distance >= threshold (0.1).
 */
import { binnedCountsOf, binShares } from './binning.js';
import { driftResult, type DriftTest } from './drift-test.js';

/** x ln(x / y) with SciPy's `rel_entr` conventions for x = 0. */
function relEntr(x: number, y: number): number {
  if (x > 0 && y > 0) return x * Math.log(x / y);
  return x === 0 && y >= 0 ? 0 : Infinity;
}

/** SciPy's Jensen-Shannon distance of two non-negative weight vectors, natural logarithm. */
export function jensenShannonDistance(p: Float64Array, q: Float64Array): number {
  let sp = 0;
  let sq = 0;
  for (let i = 0; i < p.length; i++) {
    sp += p[i];
    sq += q[i];
  }
  let left = 0;
  let right = 0;
  for (let i = 0; i < p.length; i++) {
    const pi = p[i] / sp;
    const qi = q[i] / sq;
    const m = (pi + qi) / 2;
    left += relEntr(pi, m);
    right += relEntr(qi, m);
  }
  return Math.sqrt((left + right) / 2);
}

/** The Jensen-Shannon drift test. */
export const jensenShannonTest: DriftTest = {
  name: 'jensenshannon',
  label: 'Jensen-Shannon distance',
  kind: 'distance',
  rule: 'score >= threshold',
  defaultThreshold: 0.1,
  columnKinds: ['numerical', 'categorical'],
  run(reference, current, options) {
    const bins = binnedCountsOf(reference, current, 'jensenshannon', options?.columnKind ?? 'numerical');
    const distance = jensenShannonDistance(binShares(bins.reference, reference.length, false), binShares(bins.current, current.length, false));
    return driftResult(jensenShannonTest, distance, null, options, { binning: bins.method, bins: bins.reference.length });
  },
};
