import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { ModelFormatError } from '../../src/core/errors.js';
import { Rng } from '../../src/core/rng.js';
import { compressGbdt, quantiseLeaves } from '../../src/gbdt/compress.js';
import { mergeSiblingLeaves, roundUpSignificant } from '../../src/gbdt/compress-tree.js';
import { readPulseModel, writePulseModel } from '../../src/gbdt/format/pulse-json.js';
import { validateTree } from '../../src/gbdt/format/validate-ensemble.js';
import { FLOAT16_MAX, fromFloat16Bits, fromInt8Code, int8ScaleOf, toFloat16Bits, toInt8Code } from '../../src/gbdt/leaf-encoding.js';
import type { GbdtModel } from '../../src/gbdt/model.js';
import { predictBatchSync } from '../../src/gbdt/predict.js';
import { leafIndex } from '../../src/gbdt/tree.js';
import { randomModel, randomTree } from './random-model.js';

describe('float16 and int8 leaf encodings', () => {
  it('float16 round-trips within half a unit in the last place, exactly on float16 values, and agrees with known patterns', () => {
    expect(toFloat16Bits(1)).toBe(0x3c00);
    expect(toFloat16Bits(-2)).toBe(0xc000);
    expect(toFloat16Bits(65504)).toBe(0x7bff);
    expect(toFloat16Bits(2 ** -24)).toBe(0x0001);
    expect(toFloat16Bits(0.1)).toBe(0x2e66);
    expect(Object.is(fromFloat16Bits(toFloat16Bits(-0)), -0)).toBe(true);
    expect(toFloat16Bits(1 + 2 ** -11)).toBe(0x3c00); // a tie rounds to even
    expect(toFloat16Bits(1 + 3 * 2 ** -11)).toBe(0x3c02);
    expect(fromFloat16Bits(toFloat16Bits(70000))).toBe(Infinity);
    const rng = new Rng(1);
    for (let i = 0; i < 20000; i++) {
      const v = (rng.next() - 0.5) * 10 ** Math.floor(rng.next() * 10 - 7);
      const d = fromFloat16Bits(toFloat16Bits(v));
      // relative error <= 2^-11 for normal values; absolute <= 2^-25 in the subnormal range
      expect(Math.abs(d - v)).toBeLessThanOrEqual(Math.max(Math.abs(v) * 2 ** -11, 2 ** -25));
      expect(fromFloat16Bits(toFloat16Bits(d))).toBe(d);
    }
    for (let bits = 0; bits < 0x7c00; bits += 7) expect(toFloat16Bits(fromFloat16Bits(bits))).toBe(bits);
    expect(FLOAT16_MAX).toBe(fromFloat16Bits(0x7bff));
  });

  it('int8 codes stay within half a scale step of the value, and the largest value maps to +-127', () => {
    const rng = new Rng(2);
    for (let t = 0; t < 200; t++) {
      const values = Array.from({ length: 1 + Math.floor(rng.next() * 30) }, () => (rng.next() - 0.5) * 0.2);
      const scale = int8ScaleOf(values);
      const codes = values.map((v) => toInt8Code(v, scale));
      expect(Math.max(...codes.map(Math.abs))).toBe(127);
      values.forEach((v, i) => expect(Math.abs(fromInt8Code(codes[i], scale) - v)).toBeLessThanOrEqual(scale / 2 + 1e-18));
    }
    expect(int8ScaleOf([0, 0])).toBe(1);
  });
});

function model(seed: number, k = 1, numTrees = 40): GbdtModel {
  const m = randomModel(new Rng(seed), { numFeatures: 5, numTrees: numTrees * k, k, categorical: false });
  for (const t of m.ensemble.trees) for (let i = 0; i < t.leafValue.length; i++) t.leafValue[i] *= 0.1;
  return m;
}

function rows(seed: number, n: number, p: number): Float64Array {
  const rng = new Rng(seed);
  return Float64Array.from({ length: n * p }, () => (rng.next() < 0.05 ? NaN : Math.round((rng.next() - 0.3) * 600) / 100));
}

describe('sibling leaf merging', () => {
  it('keeps every row within the tolerance of the original tree and yields a valid tree', () => {
    const rng = new Rng(3);
    for (let t = 0; t < 200; t++) {
      const tree = randomTree(rng, 4, 2 + Math.floor(rng.next() * 20), false);
      const spread = Math.max(...tree.leafValue) - Math.min(...tree.leafValue);
      const tol = spread * rng.next() * 0.6;
      const { tree: merged, merged: count } = mergeSiblingLeaves(tree, tol);
      expect(merged.numLeaves).toBe(tree.numLeaves - count);
      validateTree(merged, 'merged', 4);
      const X = rows(t, 100, 4);
      for (let r = 0; r < 100; r++) {
        const row = X.subarray(r * 4, r * 4 + 4);
        expect(Math.abs(merged.leafValue[leafIndex(merged, row)] - tree.leafValue[leafIndex(tree, row)])).toBeLessThanOrEqual(tol + 1e-15);
      }
    }
  });

  it('merges two leaves with equal values into one and collapses a whole tree when every leaf is within the tolerance', () => {
    const tree = randomTree(new Rng(4), 3, 6, false);
    tree.leafValue.fill(0.25);
    const { tree: merged, merged: count } = mergeSiblingLeaves(tree, 1e-12);
    expect(count).toBe(5);
    expect(merged.numLeaves).toBe(1);
    expect(Array.from(merged.leafValue)).toEqual([0.25]);
    expect(mergeSiblingLeaves(tree, 0).merged).toBe(0);
  });
});

describe('threshold rounding', () => {
  it('rounds up to the significant digits, never below the threshold', () => {
    expect(roundUpSignificant(0.6234898018587335, 9)).toBe(0.623489802);
    expect(roundUpSignificant(-0.04740510186126223, 5)).toBe(-0.047405);
    expect(roundUpSignificant(4527.489547125842, 5)).toBe(4527.5);
    expect(roundUpSignificant(1.23456, 3)).toBe(1.24);
    const rng = new Rng(5);
    for (let i = 0; i < 5000; i++) {
      const v = (rng.next() - 0.5) * 10 ** Math.floor(rng.next() * 8 - 4);
      const r = roundUpSignificant(v, 1 + Math.floor(rng.next() * 9));
      expect(r).toBeGreaterThanOrEqual(v);
    }
  });
});

describe('compressGbdt', () => {
  const spec = { thresholdDigits: 7, leafMerge: 0.05, leafEncoding: 'int8' as const };
  const rmse = (y: Float64Array) => (p: Float64Array) => Math.sqrt(p.reduce((s, v, i) => s + (v - y[i]) ** 2, 0) / y.length);

  it('keeps the loss within the budget, drops iterations only when allowed, and the written file predicts the same', () => {
    const m = { ...model(6), objective: { name: 'regression' as const, numClass: 1, params: {} } };
    const n = 300;
    const X = rows(7, n, 5);
    const truth = predictBatchSync(m, X, n);
    const rng = new Rng(8);
    const y = truth.map((v) => v + (rng.next() - 0.5) * 0.2);
    const loss = rmse(y);
    const original = loss(truth);
    for (const rise of [0, 0.001, 0.02, 0.2]) {
      const budget = original * (1 + rise);
      const { model: c, report } = compressGbdt(m, { X, numRows: n, loss, accept: (p) => loss(p) <= budget }, spec);
      expect(report.loss.compressed).toBeLessThanOrEqual(budget);
      expect(report.loss.original).toBe(original);
      const again = readPulseModel(writePulseModel(c));
      expect(Array.from(predictBatchSync(again, X, n))).toEqual(Array.from(predictBatchSync(c, X, n)));
      expect(loss(predictBatchSync(again, X, n))).toBeLessThanOrEqual(budget);
      if (rise === 0.2) expect(report.iterations.after).toBeLessThan(report.iterations.before);
    }
  });

  it('keeps every prediction within an allowed shift, for multiclass models too (whole iterations dropped)', () => {
    const m = model(9, 3, 30);
    const n = 200;
    const X = rows(10, n, 5);
    const ref = predictBatchSync(m, X, n);
    const shift = 0.01;
    const accept = (p: Float64Array) => p.every((v, i) => Math.abs(v - ref[i]) <= shift);
    const { model: c, report } = compressGbdt(m, { X, numRows: n, loss: () => 0, accept }, spec);
    expect(c.ensemble.trees.length % 3).toBe(0);
    expect(c.ensemble.trees.length / 3).toBe(report.iterations.after);
    const p = predictBatchSync(readPulseModel(writePulseModel(c)), X, n);
    p.forEach((v, i) => expect(Math.abs(v - ref[i])).toBeLessThanOrEqual(shift));
  });

  it('falls back to a finer leaf encoding when int8 alone breaks the tolerance', () => {
    const m = model(11);
    const n = 100;
    const X = rows(12, n, 5);
    const ref = predictBatchSync(m, X, n);
    const accept = (p: Float64Array) => p.every((v, i) => Math.abs(v - ref[i]) <= 1e-6);
    const { report } = compressGbdt(m, { X, numRows: n, loss: () => 0, accept }, { ...spec, leafMerge: 0 });
    expect(report.leafEncoding).not.toBe('int8');
  });
});

describe('pulse JSON leaf encodings', () => {
  const base = model(13, 1, 5);
  const encoded = (name: 'float16' | 'int8') => {
    const q = quantiseLeaves(base.ensemble.trees, name);
    return { ...base, ensemble: { ...base.ensemble, trees: q.trees }, leafEncoding: q.encoding };
  };

  it('writes version 2 with the encoding and reads back the same model; float64 models stay version 1', () => {
    for (const name of ['float16', 'int8'] as const) {
      const m = encoded(name);
      const text = writePulseModel(m);
      const doc = JSON.parse(text);
      expect(doc.formatVersion).toBe(2);
      expect(doc.ensemble.leafEncoding).toBe(name);
      expect(readPulseModel(text)).toEqual(m);
      expect(text.length).toBeLessThan(writePulseModel(base).length);
    }
    expect(JSON.parse(writePulseModel(base)).formatVersion).toBe(1);
  });

  it('refuses to write leaves the encoding cannot hold exactly', () => {
    const m = encoded('float16');
    m.ensemble.trees[0].leafValue[0] += 1e-9;
    expect(() => writePulseModel(m)).toThrow(/not exactly representable as float16/);
  });

  // biome-ignore lint: test documents are edited freely
  const resign = (text: string, edit: (d: Record<string, any>) => void): string => {
    const doc = JSON.parse(text);
    edit(doc);
    delete doc.checksum;
    doc.checksum = createHash('sha256').update(JSON.stringify(doc)).digest('hex');
    return JSON.stringify(doc);
  };
  const f16 = writePulseModel(encoded('float16'));
  const i8 = writePulseModel(encoded('int8'));
  const bad: [string, string, RegExp][] = [
    ['unknown encoding', resign(f16, (d) => (d.ensemble.leafEncoding = 'int4')), /ensemble.leafEncoding = "int4" must be one of float16, int8/],
    ['float64 named in version 2', resign(f16, (d) => (d.ensemble.leafEncoding = 'float64')), /leafEncoding = "float64" must be one of/],
    ['missing encoding in version 2', resign(f16, (d) => delete d.ensemble.leafEncoding), /ensemble.leafEncoding is missing/],
    ['encoding in version 1', resign(writePulseModel(base), (d) => (d.ensemble.leafEncoding = 'float16')), /unknown field 'leafEncoding'/],
    ['float16 pattern out of range', resign(f16, (d) => (d.ensemble.trees[0].leafValue[0] = 70000)), /trees\[0\].leafValue\[0\] = 70000 must be an integer in \[0, 65535\]/],
    ['float16 infinity', resign(f16, (d) => (d.ensemble.trees[0].leafValue[0] = 0x7c00)), /leafValue\[0\] = 31744 is the float16 pattern of an infinity or NaN/],
    ['fractional float16 pattern', resign(f16, (d) => (d.ensemble.trees[0].leafValue[0] = 1.5)), /must be an integer/],
    ['int8 code out of range', resign(i8, (d) => (d.ensemble.trees[1].leafValue[0] = 128)), /trees\[1\].leafValue\[0\] = 128 must be an integer in \[-127, 127\]/],
    ['int8 without scale', resign(i8, (d) => delete d.ensemble.trees[0].leafScale), /trees\[0\].leafScale is missing/],
    ['int8 zero scale', resign(i8, (d) => (d.ensemble.trees[0].leafScale = 0)), /leafScale = 0 must be a positive finite number/],
    ['int8 string scale', resign(i8, (d) => (d.ensemble.trees[0].leafScale = 'NaN')), /leafScale = "NaN" must be a positive finite number/],
    ['scale on a float16 tree', resign(f16, (d) => (d.ensemble.trees[0].leafScale = 0.1)), /unknown field 'leafScale'/],
  ];
  it.each(bad)('refuses %s with a ModelFormatError naming the field', (_name, text, message) => {
    expect(() => readPulseModel(text)).toThrow(ModelFormatError);
    expect(() => readPulseModel(text)).toThrow(message);
  });
});
