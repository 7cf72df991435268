/**
 * Two-proportion Z drift test (Evidently `z`, src/evidently/legacy/calculations/stattests/z_stattest.py at
 * Evidently 0.7.21, commit a4aa4c2b), meant for two-valued columns: with k0 the smallest value seen in either
 * window, p1 and p2 the shares of reference and current rows not equal to k0 and P the pooled share,
 * Z = (p1 - p2) / sqrt(P (1 - P) (1/n1 + 1/n2)) and p = 2 (1 - Φ(|Z|)) (formed as Evidently forms it, so it is 0 once
 * Φ(|Z|) rounds to 1); drift when p < threshold (0.05). When both windows hold one and the same value, p = 1.
 */
import { normalCdf } from '../../core/special-functions.js';
import { checkSample, driftResult, type DriftTest } from './drift-test.js';

/** The two-sided two-proportion Z test on counts: `ones1` of `n1` and `ones2` of `n2`. */
export function proportionsZTest(ones1: number, n1: number, ones2: number, n2: number): { statistic: number; pValue: number } {
  const p1 = ones1 / n1;
  const p2 = ones2 / n2;
  const pooled = (p1 * n1 + p2 * n2) / (n1 + n2);
  const statistic = (p1 - p2) / Math.sqrt(pooled * (1 - pooled) * (1 / n1 + 1 / n2));
  return { statistic, pValue: 2 * (1 - normalCdf(Math.abs(statistic))) };
}

/** The Z drift test. */
export const zTest: DriftTest = {
  name: 'z',
  label: 'Z-test p-value',
  kind: 'p-value',
  rule: 'p < threshold',
  defaultThreshold: 0.05,
  columnKinds: ['categorical'],
  run(reference, current, options) {
    checkSample(reference, 'reference', 'z');
    checkSample(current, 'current', 'z');
    let k0 = Infinity;
    for (const x of [reference, current]) for (let i = 0; i < x.length; i++) if (x[i] < k0) k0 = x[i];
    const others = (x: Float64Array): number => {
      let c = 0;
      for (let i = 0; i < x.length; i++) if (x[i] !== k0) c++;
      return c;
    };
    const o1 = others(reference);
    const o2 = others(current);
    if (o1 === 0 && o2 === 0) return driftResult(zTest, 0, 1, options, { singleValue: true });
    const r = proportionsZTest(o1, reference.length, o2, current.length);
    return driftResult(zTest, r.statistic, r.pValue, options, { singleValue: false });
  },
};
