import { describe, expect, it } from 'vitest';
import { Rng } from '../../../src/core/rng.js';
import { binThreshold, findBins, valueToBin } from '../../../src/gbdt/dataset/bin-mapper.js';
import { buildBinnedDataset, encodeWithMappers } from '../../../src/gbdt/dataset/binned-dataset.js';
import { heapAllocator } from '../../../src/gbdt/kernels/memory.js';
import { toFeatureMatrix, toLabels } from '../../../src/gbdt/dataset/feature-matrix.js';

describe('findBins', () => {
  it('gives every distinct value its own bin when there are few, with bounds between them', () => {
    const m = findBins(Float64Array.of(3, 1, 2, 2, 1, NaN), 255, true);
    expect(Array.from(m.upperBounds)).toEqual([1.5, 2.5, Infinity]);
    expect(m.missingBin).toBe(3);
    expect(valueToBin(m, 1)).toBe(0);
    expect(valueToBin(m, 2)).toBe(1);
    expect(valueToBin(m, 100)).toBe(2);
    expect(valueToBin(m, NaN)).toBe(3);
    expect(m.isTrivial).toBe(false);
  });

  it('makes quantile bins of near-equal counts and never more than max_bin', () => {
    const rng = new Rng(3);
    const v = Float64Array.from({ length: 10000 }, () => rng.normal());
    const m = findBins(v.slice(), 16, false);
    expect(m.upperBounds.length).toBeLessThanOrEqual(16);
    expect(m.upperBounds.length).toBeGreaterThanOrEqual(14);
    const counts = new Array(m.upperBounds.length).fill(0);
    for (const x of v) counts[valueToBin(m, x)]++;
    for (const c of counts) expect(c).toBeGreaterThan(10000 / 16 / 2.5);
  });

  it('gives a dominant value a bin of its own', () => {
    const v = new Float64Array(1000);
    for (let i = 0; i < 1000; i++) v[i] = i < 600 ? 0 : i;
    const m = findBins(v, 10, false);
    expect(valueToBin(m, 0)).not.toBe(valueToBin(m, 601));
    expect(valueToBin(m, -1e-9)).toBe(valueToBin(m, 0));
  });

  it('marks a constant feature without missing values as trivial', () => {
    expect(findBins(Float64Array.of(5, 5, 5), 255, false).isTrivial).toBe(true);
    expect(findBins(Float64Array.of(5, 5, NaN), 255, true).isTrivial).toBe(false);
  });

  it('keeps bounds strictly between adjacent doubles and maps split bins to raw thresholds', () => {
    const a = 1;
    const b = 1 + Number.EPSILON;
    const m = findBins(Float64Array.of(a, b), 255, false);
    expect(valueToBin(m, a)).toBe(0);
    expect(valueToBin(m, b)).toBe(1);
    expect(a <= binThreshold(m, 0)).toBe(true);
    expect(b <= binThreshold(m, 0)).toBe(false);
    expect(binThreshold(m, 1)).toBe(Number.MAX_VALUE);
  });
});

describe('buildBinnedDataset', () => {
  it('encodes exactly as valueToBin on awkward distributions (heavy tails, huge ranges, ties, infinities)', () => {
    const rng = new Rng(9);
    const n = 4000;
    const columns: Record<string, (i: number) => number> = {
      lognormal: () => Math.exp(3 * rng.normal()),
      outlier: (i) => (i === 7 ? 1e300 : rng.next()),
      tinySpan: () => 1 + rng.next() * 1e-12,
      ties: () => Math.round(rng.normal() * 2) / 2,
      infinities: (i) => (i % 50 === 0 ? -Infinity : i % 51 === 0 ? Infinity : i % 53 === 0 ? NaN : rng.normal()),
      twoValues: (i) => (i % 3 === 0 ? -1 : 2),
      negativeHuge: () => -1e200 * rng.next(),
    };
    const names = Object.keys(columns);
    const X = new Float64Array(n * names.length);
    for (let i = 0; i < n; i++) names.forEach((name, f) => (X[i * names.length + f] = columns[name](i)));
    const d = buildBinnedDataset(toFeatureMatrix(X, n, names.length, 't'), { maxBin: 255, sampleCount: 1000, seed: 4, shared: false });
    names.forEach((name, f) => {
      for (let i = 0; i < n; i++) {
        const expected = valueToBin(d.mappers[f], X[i * names.length + f]);
        if (d.bins[i * names.length + f] !== expected || d.columns![f * n + i] !== expected) {
          throw new Error(`${name} row ${i} (${X[i * names.length + f]}): code ${d.bins[i * names.length + f]}, expected ${expected}`);
        }
      }
    });
  });

  it('encodes row-major uint8 codes consistent with valueToBin, for both input layouts', () => {
    const rng = new Rng(5);
    const n = 500;
    const X = Float64Array.from({ length: n * 3 }, (_, i) => (i % 3 === 2 && i % 7 === 0 ? NaN : rng.normal()));
    const cols = [0, 1, 2].map((f) => Float32Array.from({ length: n }, (_, i) => X[i * 3 + f]));
    const Xf32 = Float32Array.from(X);
    const a = buildBinnedDataset(toFeatureMatrix(Xf32, n, 3, 't'), { maxBin: 32, sampleCount: 1000, seed: 1, shared: false });
    const b = buildBinnedDataset(toFeatureMatrix(cols, n, 3, 't'), { maxBin: 32, sampleCount: 1000, seed: 1, shared: true });
    expect(a.bins).toBeInstanceOf(Uint8Array);
    expect(b.bins.buffer).toBeInstanceOf(SharedArrayBuffer);
    expect(Array.from(a.bins)).toEqual(Array.from(b.bins));
    for (let i = 0; i < n; i++) for (let f = 0; f < 3; f++) expect(a.bins[i * 3 + f]).toBe(valueToBin(a.mappers[f], Xf32[i * 3 + f]));
    expect(a.mappers[2].hasMissing).toBe(true);
    expect(a.binOffset[3]).toBe(a.totalBins);
    const valid = encodeWithMappers(toFeatureMatrix(Xf32.subarray(0, 30), 10, 3, 'v'), a.mappers, heapAllocator(false));
    expect(Array.from(valid.bins)).toEqual(Array.from(a.bins.subarray(0, 30)));
  });

  it('switches to uint16 codes above 256 bins per feature', () => {
    const n = 2000;
    const X = Float64Array.from({ length: n }, (_, i) => i);
    const d = buildBinnedDataset(toFeatureMatrix(X, n, 1, 't'), { maxBin: 1000, sampleCount: n, seed: 1, shared: false });
    expect(d.bins).toBeInstanceOf(Uint16Array);
    expect(d.numBins[0]).toBe(1001);
  });

  it('finds bins on a seeded sample: same seed, same bins', () => {
    const rng = new Rng(9);
    const n = 5000;
    const X = Float64Array.from({ length: n }, () => rng.normal());
    const opts = { maxBin: 64, sampleCount: 1000, seed: 11, shared: false };
    const a = buildBinnedDataset(toFeatureMatrix(X, n, 1, 't'), opts);
    const b = buildBinnedDataset(toFeatureMatrix(X, n, 1, 't'), opts);
    const c = buildBinnedDataset(toFeatureMatrix(X, n, 1, 't'), { ...opts, seed: 12 });
    expect(Array.from(a.mappers[0].upperBounds)).toEqual(Array.from(b.mappers[0].upperBounds));
    expect(Array.from(a.mappers[0].upperBounds)).not.toEqual(Array.from(c.mappers[0].upperBounds));
  });
});

describe('feature matrix and label checks', () => {
  it('names shape problems', () => {
    expect(() => toFeatureMatrix(new Float64Array(10), 3, 3, 'training features')).toThrow(/training features: 10 values do not form 3 rows x 3 features/);
    expect(() => toFeatureMatrix([new Float64Array(3)], 3, 2, 'training features')).toThrow(/got 1 feature columns, expected 2/);
    expect(() => toFeatureMatrix([new Float64Array(3), new Float64Array(2)], 3, 2, 'x')).toThrow(/feature column 1 has 2 values/);
  });
  it('rejects NaN and infinite labels naming the row', () => {
    expect(() => toLabels([1, NaN], 2, 'training labels')).toThrow(/label of row 1 is NaN/);
    expect(() => toLabels([Infinity, 1], 2, 'training labels')).toThrow(/label of row 0 is Infinity/);
    expect(() => toLabels([1], 2, 'training labels')).toThrow(/1 labels for 2 rows/);
  });
});
