import { describe, expect, it } from 'vitest';
import {
  binCounts, binnedCountsOf, binShares, countDistinct, histogramCounts, sturgesEdges, valueCounts,
} from '../../../src/monitor/drift/binning.js';

import { Rng } from '../../../src/core/rng.js';
import { sampleExtent } from '../../../src/monitor/drift/drift-test.js';

const f64 = (a: number[]) => Float64Array.from(a);

describe('binning as Evidently get_binned_data', () => {
  it('builds NumPy sturges edges over both windows', () => {
    // 8 values in all: log2(8) + 1 = 4 bins over [0, 8]
    expect(Array.from(sturgesEdges(f64([0, 1, 2, 3]), f64([5, 6, 7, 8])))).toEqual([0, 2, 4, 6, 8]);
    // 6 values: 1 + log2(6) = 3.58 -> ceil(range / width) = 4 bins
    expect(sturgesEdges(f64([0, 1, 2]), f64([3, 4, 10])).length).toBe(5);
    // a constant column is widened by 0.5 on each side into one bin
    expect(Array.from(sturgesEdges(f64([2, 2]), f64([2])))).toEqual([1.5, 2.5]);
  });

  it('counts [edge_i, edge_i+1) with the last bin closed, and what falls in no bin', () => {
    const h = histogramCounts(f64([0, 1.999, 2, 7.999, 8, 9, NaN, -1]), f64([0, 2, 4, 6, 8]));
    expect(Array.from(h.counts)).toEqual([2, 1, 0, 2]);
    expect(h.outside).toBe(3);
  });

  it('counts as a binary search over the edges would, at every length and on the edges themselves', () => {
    const rng = new Rng(5);
    for (const n of [1, 2, 3, 4, 5, 101, 1000]) {
      // normal values, some exactly on edges, some outside them
      const edges = sturgesEdges(f64([-3, 3]), f64([0]));
      const x = f64(Array.from({ length: n }, (_, i) => (i % 7 === 0 ? edges[i % edges.length] : i % 11 === 0 ? 9 : rng.normal())));
      const expected = new Array<number>(edges.length - 1).fill(0);
      let outside = 0;
      for (const v of x) {
        if (!(v >= edges[0] && v <= edges[edges.length - 1])) outside++;
        else {
          let k = 0; // the last edge <= v, the last bin closed
          while (k < edges.length - 2 && edges[k + 1] <= v) k++;
          expected[k]++;
        }
      }
      const h = histogramCounts(x, edges);
      expect(Array.from(h.counts), `n = ${n}`).toEqual(expected);
      expect(h.outside).toBe(outside);
    }
  });

  it('finds a sample\'s extent at every length', () => {
    const rng = new Rng(6);
    for (let n = 1; n <= 13; n++) {
      const x = f64(Array.from({ length: n }, () => rng.normal()));
      expect(sampleExtent(x, 'reference', 'psi')).toEqual({ min: Math.min(...x), max: Math.max(...x) });
    }
  });

  it('checks the windows on the way (binnedCountsOf)', () => {
    const ok = f64(Array.from({ length: 50 }, (_, i) => i / 7));
    expect(binnedCountsOf(ok, ok, 'psi', 'numerical').method).toBe('sturges');
    expect(() => binnedCountsOf(f64([...ok, NaN]), ok, 'psi', 'numerical')).toThrow(/reference sample has a non-finite value \(NaN\) at row 50/);
    expect(() => binnedCountsOf(ok, f64([...ok, -Infinity]), 'psi', 'numerical')).toThrow(/current sample has a non-finite value \(-Infinity\)/);
    expect(() => binnedCountsOf(f64([1, 2, NaN]), f64([1]), 'psi', 'numerical')).toThrow(/NaN\) at row 2/); // value bins
    expect(() => binnedCountsOf(new Float64Array(0), ok, 'jensenshannon', 'numerical')).toThrow(/reference sample is empty/);
  });

  it('puts every value in its own bin when the reference has at most 20 values', () => {
    const ref = f64(Array.from({ length: 100 }, (_, i) => i % 20));
    const cur = f64([0, 0, 25]);
    const bins = binCounts(ref, cur, 'auto', 'numerical');
    expect(bins.method).toBe('values');
    expect(bins.edges.length).toBe(21);
    expect(bins.edges[20]).toBe(25);
    expect(bins.current[0]).toBe(2);
    expect(binCounts(f64([...ref, 20.5]), cur, 'auto', 'numerical').method).toBe('sturges');
    expect(binCounts(f64([...ref, 20.5]), cur, 'auto', 'categorical').method).toBe('values');
  });

  it('fills empty bins as Evidently does and leaves the rest', () => {
    expect(Array.from(binShares(f64([0, 3, 1]), 4, true))).toEqual([0.0001, 0.75, 0.25]);
    const tiny = binShares(f64([0, 1, 99999]), 100000, true);
    expect(tiny[0]).toBe(0.00001 / 1e6);
    expect(Array.from(binShares(f64([0, 3, 1]), 4, false))).toEqual([0, 0.75, 0.25]);
  });

  it('counts distinct values up to a cap, +0 and -0 as one', () => {
    expect(countDistinct([f64([0, -0, 1]), f64([1, 2])], 10)).toBe(3);
    expect(countDistinct([f64(Array.from({ length: 1000 }, (_, i) => i))], 5)).toBe(6);
    const vc = valueCounts(f64([3, 1, 3]), f64([2]));
    expect([Array.from(vc.edges), Array.from(vc.reference), Array.from(vc.current)]).toEqual([[1, 2, 3], [1, 0, 2], [0, 1, 0]]);
  });
});
