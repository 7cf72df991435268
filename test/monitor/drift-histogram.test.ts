import { describe, expect, it } from 'vitest';
import { driftHistogram } from '../../src/monitor/drift/histogram.js';
import { Rng } from '../../src/core/rng.js';

describe('driftHistogram', () => {
  it('puts both windows on common bins as shares that sum to 1, skipping NaN', () => {
    const rng = new Rng(3);
    const ref = Float64Array.from({ length: 5000 }, () => rng.normal());
    const cur = Float64Array.from({ length: 500 }, (_, i) => (i % 50 === 0 ? NaN : rng.normal() + 1));
    const h = driftHistogram(ref, cur, 20);
    expect(h.edges).toHaveLength(21);
    for (let k = 1; k < h.edges.length; k++) expect(h.edges[k]).toBeGreaterThan(h.edges[k - 1]);
    const sum = (x: number[]) => x.reduce((a, b) => a + b, 0);
    expect(sum(h.reference)).toBeCloseTo(1, 12);
    expect(sum(h.current)).toBeCloseTo(1, 12);
    // The shifted window's mass sits to the right of the reference's.
    const mean = (w: number[]) => sum(w.map((s, k) => s * (h.edges[k] + h.edges[k + 1]) / 2));
    expect(mean(h.current) - mean(h.reference)).toBeGreaterThan(0.8);
  });

  it('keeps an outlier from squeezing the bins: it lands in the last bin', () => {
    const ref = Float64Array.from({ length: 1000 }, (_, i) => i / 1000);
    const cur = Float64Array.from([...Array.from({ length: 999 }, (_, i) => i / 999), 1e9]);
    const h = driftHistogram(ref, cur, 10);
    expect(h.edges[10]).toBeLessThan(2);
    expect(h.current[9]).toBeGreaterThan(0.09);
  });

  it('gives one bin to a constant column and refuses an empty window', () => {
    expect(driftHistogram([2, 2, 2], [2, 2], 30)).toEqual({ edges: [2, 2], reference: [1], current: [1] });
    expect(() => driftHistogram([NaN], [1], 5)).toThrow(RangeError);
  });
});
