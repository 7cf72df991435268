import { describe, expect, it } from 'vitest';
import { UsageError } from '../../src/core/errors.js';
import { Rng } from '../../src/core/rng.js';
import { conformalHalfWidth, conformalIntervals, empiricalCoverage } from '../../src/evaluation/conformal.js';

describe('split-conformal intervals', () => {
  it('takes the ceil((n + 1)(1 - alpha))-th smallest residual', () => {
    const r = Float64Array.from({ length: 9 }, (_, i) => i + 1); // 1..9
    expect(conformalHalfWidth(r, 0.8)).toBe(8); // ceil(10 * 0.8) = 8
    expect(conformalHalfWidth(r, 0.9)).toBe(9); // ceil(10 * 0.9) = 9 despite 10 * 0.9 = 9.000000000000002
    expect(conformalHalfWidth(r, 0.5)).toBe(5);
    expect(conformalHalfWidth(r, 0.95)).toBe(Infinity); // rank 10 > n
    expect(() => conformalHalfWidth(r, 1)).toThrow(UsageError);
  });

  it('counts rows on the interval edge as covered', () => {
    expect(empiricalCoverage(Float64Array.of(1, 2, 3), Float64Array.of(0, 0, 0), 2)).toBeCloseTo(2 / 3, 15);
    expect(empiricalCoverage(new Float64Array(0), new Float64Array(0), 1)).toBeNaN();
  });

  it('covers at least the target share of exchangeable new rows on average', () => {
    const rng = new Rng(3);
    let covered80 = 0;
    let covered90 = 0;
    const trials = 200;
    for (let t = 0; t < trials; t++) {
      const cal = Float64Array.from({ length: 50 }, () => rng.studentT(3));
      const test = Float64Array.from({ length: 50 }, () => rng.studentT(3));
      const res = conformalIntervals({ y: cal, pred: new Float64Array(50) }, { y: test, pred: new Float64Array(50) });
      covered80 += res.levels[0].testCoverage;
      covered90 += res.levels[1].testCoverage;
      expect(res.calibrationRows).toBe(50);
    }
    // the guarantee is E[coverage] in [1 - alpha, 1 - alpha + 1/(n+1)]; allow Monte Carlo error
    expect(covered80 / trials).toBeGreaterThan(0.79);
    expect(covered80 / trials).toBeLessThan(0.84);
    expect(covered90 / trials).toBeGreaterThan(0.89);
    expect(covered90 / trials).toBeLessThan(0.93);
  });
});
