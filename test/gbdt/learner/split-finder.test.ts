import { heapAllocator } from '../../../src/gbdt/kernels/memory.js';
import { describe, expect, it } from 'vitest';
import { findBestSplit, leafOutput, leafScore, SplitInfo, type SplitConstraints } from '../../../src/gbdt/learner/split-finder.js';
import { DataPartition } from '../../../src/gbdt/learner/data-partition.js';
import { buildHistogramKernel, subtractHistogramKernel } from '../../../src/gbdt/learner/leaf-kernels.js';

const base: SplitConstraints = { lambdaL1: 0, lambdaL2: 0, minGainToSplit: 0, minDataInLeaf: 1, minSumHessianInLeaf: 0 };

/** One feature, value bins then the missing bin; entries are [grad, hess, count] per bin (the histogram keeps grad, hess). */
function hist(bins: [number, number, number][]): { pool: Float64Array; numBins: Int32Array; binOffset: Int32Array } {
  return { pool: Float64Array.from(bins.flatMap((b) => [b[0], b[1]])), numBins: Int32Array.of(bins.length), binOffset: Int32Array.of(0, bins.length) };
}

function totals(bins: [number, number, number][]): [number, number, number] {
  return bins.reduce((a, b) => [a[0] + b[0], a[1] + b[1], a[2] + b[2]], [0, 0, 0]);
}

describe('findBestSplit', () => {
  it('finds the hand-computed best threshold and gain', () => {
    const bins: [number, number, number][] = [[-4, 2, 2], [-2, 2, 2], [5, 2, 2], [3, 2, 2], [0, 0, 0]];
    const h = hist(bins);
    const [g, hs, c] = totals(bins);
    const out = new SplitInfo();
    findBestSplit(h.pool, 0, h.numBins, h.binOffset, Uint8Array.of(1), g, hs, c, base, out);
    expect(out.feature).toBe(0);
    expect(out.thresholdBin).toBe(1);
    // left G=-6 H=4, right G=8 H=4, parent G=2 H=8
    expect(out.gain).toBeCloseTo(36 / 4 + 64 / 4 - 4 / 8, 9);
    expect([out.leftGrad, out.leftHess, out.leftCount, out.rightCount]).toEqual([-6, 4, 4, 4]);
    // counts come from hessians: with hessians 2 per row the leaf holds half as many rows as hessian units
    findBestSplit(h.pool, 0, h.numBins, h.binOffset, Uint8Array.of(1), g, hs, 4, { ...base, minDataInLeaf: 2 }, out);
    expect(out.thresholdBin).toBe(1);
    findBestSplit(h.pool, 0, h.numBins, h.binOffset, Uint8Array.of(1), g, hs, 4, { ...base, minDataInLeaf: 3 }, out);
    expect(out.feature).toBe(-1);
  });

  it('applies L1/L2 regularisation to gains and leaf values', () => {
    const c = { ...base, lambdaL1: 1, lambdaL2: 2 };
    expect(leafScore(-6, 4, c)).toBeCloseTo(25 / 6, 9);
    expect(leafOutput(-6, 4, c)).toBeCloseTo(5 / 6, 9);
    expect(leafOutput(0.5, 4, c)).toBeCloseTo(0, 12);
    expect(leafOutput(-6, 4, base)).toBeCloseTo(1.5, 9);
  });

  it('honours min_data_in_leaf, min_sum_hessian_in_leaf and min_gain_to_split', () => {
    const bins: [number, number, number][] = [[-10, 1, 1], [1, 1, 1], [1, 1, 1], [1, 1, 1], [0, 0, 0]];
    const h = hist(bins);
    const [g, hs, c] = totals(bins);
    const out = new SplitInfo();
    findBestSplit(h.pool, 0, h.numBins, h.binOffset, Uint8Array.of(1), g, hs, c, base, out);
    expect(out.thresholdBin).toBe(0);
    findBestSplit(h.pool, 0, h.numBins, h.binOffset, Uint8Array.of(1), g, hs, c, { ...base, minDataInLeaf: 2 }, out);
    expect(out.thresholdBin).toBe(1);
    findBestSplit(h.pool, 0, h.numBins, h.binOffset, Uint8Array.of(1), g, hs, c, { ...base, minSumHessianInLeaf: 2.5 }, out);
    expect(out.feature).toBe(-1);
    findBestSplit(h.pool, 0, h.numBins, h.binOffset, Uint8Array.of(1), g, hs, c, { ...base, minGainToSplit: 1000 }, out);
    expect(out.feature).toBe(-1);
    findBestSplit(h.pool, 0, h.numBins, h.binOffset, Uint8Array.of(0), g, hs, c, base, out);
    expect(out.feature).toBe(-1);
  });

  it('learns the default direction of missing values', () => {
    // missing rows look like bin 0 (negative gradients): they should go left with it
    const bins: [number, number, number][] = [[-5, 5, 5], [5, 5, 5], [-5, 5, 5]];
    const h = hist(bins);
    const [g, hs, c] = totals(bins);
    const out = new SplitInfo();
    findBestSplit(h.pool, 0, h.numBins, h.binOffset, Uint8Array.of(1), g, hs, c, base, out);
    expect(out.thresholdBin).toBe(0);
    expect(out.defaultLeft).toBe(true);
    expect(out.leftCount).toBe(10);
    // and go right when they look like bin 1
    const h2 = hist([[-5, 5, 5], [5, 5, 5], [5, 5, 5]]);
    findBestSplit(h2.pool, 0, h2.numBins, h2.binOffset, Uint8Array.of(1), 5, 15, 15, base, out);
    expect(out.defaultLeft).toBe(false);
    expect(out.leftCount).toBe(5);
  });

  it('can separate missing values from a constant feature', () => {
    const h = hist([[-5, 5, 5], [5, 5, 5]]);
    const out = new SplitInfo();
    findBestSplit(h.pool, 0, h.numBins, h.binOffset, Uint8Array.of(1), 0, 10, 10, base, out);
    expect(out.feature).toBe(0);
    expect(out.thresholdBin).toBe(0);
    expect(out.defaultLeft).toBe(false);
  });
});

describe('histograms and partitions', () => {
  it('builds gradient/hessian/count sums per bin and derives a sibling by subtraction', () => {
    const bins = Uint8Array.of(0, 1, 1, 0, 2, 1); // 3 rows x 2 features
    const binOffset = Int32Array.of(0, 3, 5);
    const rows = Uint32Array.of(0, 1, 2);
    const grad = Float64Array.of(1, 2, 4);
    const hess = Float64Array.of(1, 1, 2);
    const pool = new Float64Array(2 * 5 * 2);
    buildHistogramKernel(bins, 2, 0, 2, binOffset, rows, 0, 3, grad, hess, 0, pool, 0);
    expect(Array.from(pool.subarray(0, 10))).toEqual([1, 1, 2, 1, 4, 2, /* f1 */ 2, 1, 5, 3]);
    buildHistogramKernel(bins, 2, 0, 2, binOffset, rows, 0, 1, grad, hess, 0, pool, 10);
    subtractHistogramKernel(pool, 0, 10, 0, 10);
    expect(Array.from(pool.subarray(0, 10))).toEqual([0, 0, 2, 1, 4, 2, 2, 1, 4, 2]);
    // a feature range only touches its own bins
    buildHistogramKernel(bins, 2, 1, 2, binOffset, rows, 0, 2, grad, hess, 0, pool, 10);
    expect(Array.from(pool.subarray(10, 20))).toEqual([1, 1, 0, 0, 0, 0, 2, 1, 1, 1]);
  });

  it('partitions rows stably, sending missing values the default way', () => {
    const p = new DataPartition(6, 4, heapAllocator(false));
    p.reset(null, 6);
    const bins = Uint8Array.of(0, 3, 1, 2, 3, 0); // one feature, missing bin 3
    const left = p.split(0, 1, bins, 0, 3, true);
    expect(left).toBe(4);
    expect(Array.from(p.indices)).toEqual([0, 1, 4, 5, 2, 3]);
    expect([p.leafBegin[1], p.leafCount[1]]).toEqual([4, 2]);
    p.reset(Uint32Array.of(1, 2, 3), 3);
    expect(p.split(0, 1, bins, 1, 3, false)).toBe(1);
    expect(Array.from(p.indices.subarray(0, 3))).toEqual([2, 1, 3]);
  });
});
