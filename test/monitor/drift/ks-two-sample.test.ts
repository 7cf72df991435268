import { describe, expect, it } from 'vitest';
import { ksStatisticSorted, ksTwoSample, roundHalfEven } from '../../../src/monitor/drift/ks-two-sample.js';
import { monitorFixture, relErr, sampleOf, type SampleSpec } from '../../helpers/monitor-samples.js';

interface KsCase {
  name: string;
  reference: SampleSpec;
  current: SampleSpec;
  statistic: number;
  pValue: number;
  method: 'exact' | 'asymptotic';
  exactFailed: boolean;
}
const cases = monitorFixture<{ ks2samp: KsCase[] }>('ks.json').ks2samp;

describe('ksTwoSample matches scipy.stats.ks_2samp(method="auto")', () => {
  it('covers tiny, tied, switch-boundary, large and real-data samples', () => {
    const sizes = cases.map((c) => [sampleOf(c.reference).length, sampleOf(c.current).length]);
    expect(sizes.some(([a, b]) => a === 1 || b === 1)).toBe(true);
    expect(sizes.some(([a, b]) => Math.max(a, b) === 10000)).toBe(true);
    expect(sizes.some(([a, b]) => Math.max(a, b) === 10001)).toBe(true);
    expect(sizes.some(([a, b]) => a === 20000 && b === 5000)).toBe(true);
    expect(cases.some((c) => c.exactFailed)).toBe(true);
    expect(cases.filter((c) => c.reference.window !== undefined).length).toBeGreaterThanOrEqual(5);
    expect(new Set(cases.map((c) => c.method))).toEqual(new Set(['exact', 'asymptotic']));
  });

  it.each(cases.map((c) => [c.name, c] as const))('%s', (_name, c) => {
    const r = ksTwoSample(sampleOf(c.reference), sampleOf(c.current));
    expect(r.method).toBe(c.method);
    expect(r.exactFailed).toBe(c.exactFailed);
    expect(relErr(r.statistic, c.statistic)).toBeLessThanOrEqual(1e-12);
    expect(relErr(r.pValue, c.pValue)).toBeLessThanOrEqual(1e-9);
  });
});

describe('KS statistic details', () => {
  it('evaluates the ECDFs after all tied values', () => {
    // F1 - F2 at 1: 2/3 - 1/3; at 2: 1 - 2/3; sup = 1/3 (a naive walk that steps through ties would see 2/3 at 1)
    expect(ksStatisticSorted(Float64Array.from([1, 1, 2]), Float64Array.from([1, 2, 2]))).toBeCloseTo(1 / 3, 15);
  });

  it('rounds half to even like numpy', () => {
    expect([0.5, 1.5, 2.5, -0.5, 2.4, 2.6].map(roundHalfEven)).toEqual([0, 2, 2, -0, 2, 3]);
  });

  it('is symmetric in its samples', () => {
    const a = sampleOf({ seed: 9, n: 300 });
    const b = sampleOf({ seed: 10, n: 200, shift: 0.1 });
    const ab = ksTwoSample(a, b);
    const ba = ksTwoSample(b, a);
    expect(ba.statistic).toBe(ab.statistic);
    expect(ba.pValue).toBe(ab.pValue);
  });
});
