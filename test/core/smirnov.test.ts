import { describe, expect, it } from 'vitest';
import { smirnovSf } from '../../src/core/smirnov.js';
import { monitorFixture, relErr } from '../helpers/monitor-samples.js';

const fixture = monitorFixture<{ scipy: string; smirnov: { n: number; x: number; sf: number }[] }>('ks.json');

describe('smirnovSf matches scipy.special.smirnov', () => {
  it('covers small n, both sum directions, n > 10^6 and the ends', () => {
    expect(fixture.scipy).toBe('1.10.1');
    const ns = new Set(fixture.smirnov.map((c) => c.n));
    for (const n of [1, 2, 1013, 200000, 3000000]) expect(ns.has(n)).toBe(true);
    expect(fixture.smirnov.some((c) => c.sf > 0 && c.sf < 1e-100)).toBe(true);
  });

  it.each(fixture.smirnov.map((c) => [`n=${c.n} x=${c.x}`, c] as const))('%s', (_name, c) => {
    expect(relErr(smirnovSf(c.n, c.x), c.sf)).toBeLessThanOrEqual(1e-12);
  });

  it('is NaN outside its domain', () => {
    expect(Number.isNaN(smirnovSf(0, 0.5))).toBe(true);
    expect(Number.isNaN(smirnovSf(2.5, 0.5))).toBe(true);
    expect(Number.isNaN(smirnovSf(10, 1.5))).toBe(true);
  });
});
