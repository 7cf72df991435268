import { describe, expect, it } from 'vitest';
import { kolmogorovSf } from '../../src/core/kolmogorov.js';
import { monitorFixture, relErr } from '../helpers/monitor-samples.js';

const fixture = monitorFixture<{ kolmogorov: { n: number; d: number; sf: number }[] }>('ks.json');

describe('kolmogorovSf matches scipy.stats.kstwo.sf', () => {
  it('covers every method of kolmogn', () => {
    const cases = fixture.kolmogorov;
    const nxsq = (c: { n: number; d: number }) => c.n * c.d * c.d;
    // Ruben-Gambino, Durbin matrix (small and large n), Pomeranz, Pelz-Good, smirnov
    expect(cases.some((c) => c.n * c.d > 0.5 && c.n * c.d <= 1)).toBe(true);
    expect(cases.some((c) => c.n <= 140 && c.n * c.d > 1 && nxsq(c) <= 0.754693 && c.d < 0.5)).toBe(true);
    expect(cases.some((c) => c.n <= 140 && nxsq(c) > 0.754693 && nxsq(c) <= 4 && c.d < 0.5)).toBe(true);
    expect(cases.some((c) => c.n > 140 && c.n <= 100000 && c.n * c.d ** 1.5 <= 1.4 && nxsq(c) < 2.2 && c.n * c.d > 1)).toBe(true);
    expect(cases.some((c) => c.n > 140 && c.n * c.d ** 1.5 > 1.4 && nxsq(c) < 2.2)).toBe(true);
    expect(cases.some((c) => c.n > 140 && nxsq(c) >= 2.2 && nxsq(c) < 370)).toBe(true);
  });

  it.each(fixture.kolmogorov.map((c) => [`n=${c.n} d=${c.d}`, c] as const))('%s', (_name, c) => {
    expect(relErr(kolmogorovSf(c.n, c.d), c.sf)).toBeLessThanOrEqual(1e-11);
  });

  it('is 1 below the support, 0 at d = 1, NaN for a bad n', () => {
    expect(kolmogorovSf(10, 0.04)).toBe(1);
    expect(kolmogorovSf(10, 1)).toBe(0);
    expect(Number.isNaN(kolmogorovSf(0, 0.3))).toBe(true);
    expect(Number.isNaN(kolmogorovSf(3.5, 0.3))).toBe(true);
  });
});
