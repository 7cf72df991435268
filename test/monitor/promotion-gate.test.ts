import { describe, expect, it } from 'vitest';
import { DataError } from '../../src/core/errors.js';
import { promotionGate } from '../../src/monitor/promotion-gate.js';

/** The losses of the R oracle below: a = (sin(0.7 i) + 1.2)², c = 0.9 (sin(0.7 i + 0.3) + 1.1)², i = 0..n-1. */
function losses(n: number) {
  const a = Float64Array.from({ length: n }, (_, i) => (Math.sin(i * 0.7) + 1.2) ** 2);
  const c = Float64Array.from({ length: n }, (_, i) => (Math.sin(i * 0.7 + 0.3) + 1.1) ** 2 * 0.9);
  return { a, c };
}

describe('promotion gate', () => {
  it('promotes a significantly better candidate with the statistic and p-value of R forecast::dm.test', () => {
    // R 4.2, forecast 8.20: dm.test(c, a, alternative = "less", h = 3, power = 1) with n = 150.
    const { a, c } = losses(150);
    const r = promotionGate({ loss: 'squared-error', horizon: 3, lossActive: a, lossCandidate: c });
    expect(r.decision).toBe('promote');
    expect(r.n).toBe(150);
    expect(r.test.statistic).toBeCloseTo(-5.3865950369802809, 12);
    expect(r.test.pValue! / 1.3711690194174519e-7).toBeCloseTo(1, 10);
    expect(r.lossActive).toBeCloseTo(1.9708959740630623, 13);
    expect(r.lossCandidate).toBeCloseTo(1.5622679081549209, 13);
    expect(r.improvementPct).toBeCloseTo((100 * (1.9708959740630623 - 1.5622679081549209)) / 1.9708959740630623, 10);
    expect(r.reasons).toHaveLength(3);
  });

  it('refuses a worse candidate, naming the test and the loss increase', () => {
    // dm.test(a, c, alternative = "less", h = 1, power = 1): p = 0.99999999999999156.
    const { a, c } = losses(150);
    const r = promotionGate({ loss: 'squared-error', horizon: 1, lossActive: c, lossCandidate: a });
    expect(r.decision).toBe('refuse');
    expect(r.test.statistic).toBeCloseTo(8.5126462321811118, 12);
    expect(r.test.pValue).toBeCloseTo(0.99999999999999156, 14);
    expect(r.reasons).toEqual([
      expect.stringMatching(/^Diebold-Mariano DM = 8\.513, one-sided p = 1\.000 >= alpha 0\.05: the candidate is not significantly better$/),
      expect.stringMatching(/^mean squared-error 1\.971 against 1\.562: worse by 26\.16% \(at least 0% needed\)$/),
    ]);
  });

  it('refuses too little evidence and says how many more rows are needed', () => {
    const { a, c } = losses(60);
    const r = promotionGate({ loss: 'squared-error', horizon: 1, lossActive: a, lossCandidate: c });
    expect(r.decision).toBe('refuse');
    expect(r.reasons[0]).toBe('only 60 paired predictions with outcomes; 100 are needed (40 more)');
    expect(r.checks.map((ch) => [ch.name, ch.passed])).toEqual([['evidence', false], ['significance', true], ['improvement', true]]);
  });

  it('applies the minimum relative improvement as a separate threshold', () => {
    const { a, c } = losses(150);
    const r = promotionGate({ loss: 'squared-error', horizon: 1, lossActive: a, lossCandidate: c }, { shadowMin: 100, alpha: 0.05, minImprovementPct: 25 });
    expect(r.decision).toBe('refuse');
    expect(r.checks.find((ch) => ch.name === 'improvement')).toMatchObject({ passed: false });
    expect(r.reasons).toEqual([expect.stringContaining('improved by 20.73% (at least 25% needed)')]);
  });

  it('reports an undefined test for a constant loss differential instead of failing', () => {
    const a = new Float64Array(120).fill(1);
    const c = new Float64Array(120).fill(0.5);
    const r = promotionGate({ loss: 'log-loss', horizon: 1, lossActive: a, lossCandidate: c });
    expect(r.decision).toBe('refuse');
    expect(r.test.pValue).toBeNull();
    expect(r.reasons).toEqual(['the loss differential is constant, so the Diebold-Mariano test is undefined']);
  });

  it('refuses unpaired or non-finite losses with a DataError', () => {
    expect(() => promotionGate({ loss: 'squared-error', horizon: 1, lossActive: [1, 2], lossCandidate: [1] })).toThrow(DataError);
    expect(() => promotionGate({ loss: 'squared-error', horizon: 1, lossActive: [1, NaN], lossCandidate: [1, 1] })).toThrow(/row 1/);
  });
});
