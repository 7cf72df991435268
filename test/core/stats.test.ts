import { describe, expect, it } from 'vitest';
import { averageRanks, pearson, spearman } from '../../src/core/stats.js';

const f64 = (a: number[]): Float64Array => Float64Array.from(a);

describe('rank statistics', () => {
  it('averages tied ranks (1-based, as scipy.stats.rankdata)', () => {
    expect(Array.from(averageRanks(f64([10, 20, 10, 30, 20])))).toEqual([1.5, 3.5, 1.5, 5, 3.5]);
  });

  it('pearson and spearman are NaN for constant series and fewer than two values', () => {
    expect(pearson(f64([1, 2, 3]), f64([2, 4, 7]))).toBeCloseTo(0.9933992677987828, 14);
    expect(pearson(f64([1, 1, 1]), f64([1, 2, 3]))).toBeNaN();
    expect(spearman(f64([1]), f64([2]))).toBeNaN();
    expect(spearman(f64([1, 2, 3]), f64([2, 4, 7]))).toBe(1);
  });
});
