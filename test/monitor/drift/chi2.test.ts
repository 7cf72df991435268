import { describe, expect, it } from 'vitest';
import { chiSquareSf } from '../../../src/core/special-functions.js';
import { chi2Test, chiSquareHomogeneity, chiSquareTest } from '../../../src/monitor/drift/chi2.js';
import { lcgSample } from '../../helpers/monitor-samples.js';

const f64 = (a: number[]) => Float64Array.from(a);

describe('chi-square forms', () => {
  it('homogeneity on a 2 x k table leaves out bins empty in both windows', () => {
    // column totals 30 and 30 of 60, row totals 30 and 30: every expected count is 15
    const r = chiSquareHomogeneity(f64([10, 0, 20]), f64([20, 0, 10]));
    expect(r.df).toBe(1);
    expect(r.statistic).toBeCloseTo((4 * 25) / 15, 13);
    expect(r.pValue).toBe(chiSquareSf(r.statistic, 1));
    expect(chiSquareHomogeneity(f64([5, 0]), f64([7, 0]))).toEqual({ statistic: 0, pValue: 1, df: 0 });
  });

  it('goodness of fit is infinite for a category the reference never had (as SciPy)', () => {
    expect(chiSquareTest(f64([5, 5]), f64([10, 0]))).toEqual({ statistic: Infinity, pValue: 0, df: 1 });
  });

  it('bins a continuous numerical column instead of one category per value', () => {
    const ref = lcgSample({ seed: 31, n: 600 });
    const cur = lcgSample({ seed: 32, n: 500 });
    const numerical = chi2Test.run(ref, cur);
    expect(numerical.details.binning).toBe('sturges');
    expect(numerical.drifted).toBe(false);
    const asCodes = chi2Test.run(ref, cur, { columnKind: 'categorical' });
    expect(asCodes.details.binning).toBe('values');
    expect(asCodes.pValue).toBe(0); // every current value is a category the reference never saw
  });
});
