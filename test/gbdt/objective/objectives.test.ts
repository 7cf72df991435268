import { describe, expect, it } from 'vitest';
import { DataError } from '../../../src/core/errors.js';
import { OBJECTIVES } from '../../../src/gbdt/objective/objectives.js';
import { quantileInPlace } from '../../../src/gbdt/objective/objective.js';
import { resolveParams, type TrainObjectiveName } from '../../../src/gbdt/params.js';
import { Rng } from '../../../src/core/rng.js';

const cases: { name: TrainObjectiveName; params?: Record<string, unknown>; label: (rng: Rng) => number }[] = [
  { name: 'regression', label: (r) => r.normal() * 3 },
  { name: 'regression_l1', label: (r) => r.normal() * 3 },
  { name: 'huber', params: { alpha: 1.5 }, label: (r) => r.normal() * 3 },
  { name: 'quantile', params: { alpha: 0.3 }, label: (r) => r.normal() * 3 },
  { name: 'binary', label: (r) => (r.next() < 0.4 ? 1 : 0) },
  { name: 'multiclass', params: { num_class: 4 }, label: (r) => r.int(4) },
];

describe.each(cases)('objective $name', ({ name, params, label }) => {
  const p = resolveParams('lightgbm', { objective: name, ...params });
  const obj = OBJECTIVES[name](p);
  const K = obj.numClass;
  const n = 40;
  const rng = new Rng(7);
  const labels = Float64Array.from({ length: n }, () => label(rng));
  const scores = Float64Array.from({ length: n * K }, () => rng.normal() * 2);

  it('gives gradients equal to finite differences of its loss (and exact hessians where declared)', () => {
    const grad = new Float64Array(n * K);
    const hess = new Float64Array(n * K);
    obj.gradients(labels, scores, grad, hess);
    const h = 1e-5;
    for (let i = 0; i < n; i++) {
      for (let k = 0; k < K; k++) {
        const s = scores.slice();
        const at = (delta: number): number => {
          s[i * K + k] = scores[i * K + k] + delta;
          return obj.loss(labels, s, i);
        };
        // skip points within h of a kink (L1, quantile, Huber)
        const residual = scores[i * K + k] - labels[i];
        if (K === 1 && (Math.abs(residual) < 1e-3 || (name === 'huber' && Math.abs(Math.abs(residual) - 1.5) < 1e-3))) continue;
        const fd = (at(h) - at(-h)) / (2 * h);
        expect(grad[k * n + i]).toBeCloseTo(fd, 5);
        const fd2 = (at(h) - 2 * at(0) + at(-h)) / (h * h);
        if (obj.exactHessian) expect(hess[k * n + i]).toBeCloseTo(fd2, 3);
        else if (name === 'multiclass') expect(hess[k * n + i]).toBeCloseTo((K / (K - 1)) * fd2, 3);
        else expect(hess[k * n + i]).toBe(1);
        if (obj.unitHessian) expect(hess[k * n + i]).toBe(1);
      }
    }
  });

  it.skipIf(name === 'huber')('starts from the constant minimising the loss', () => {
    const init = obj.initScore(labels);
    expect(init.length).toBe(K);
    const total = (c: Float64Array): number => {
      const s = new Float64Array(n * K);
      for (let i = 0; i < n; i++) s.set(c, i * K);
      let l = 0;
      for (let i = 0; i < n; i++) l += obj.loss(labels, s, i);
      return l;
    };
    const base = total(init);
    for (let k = 0; k < K; k++) {
      for (const d of [-0.05, 0.05]) {
        const moved = init.slice();
        moved[k] += d;
        expect(total(moved)).toBeGreaterThanOrEqual(base - 1e-9);
      }
    }
  });
});

describe('huber initial score', () => {
  it('is the label mean, as LightGBM (boosting then corrects towards the Huber minimiser)', () => {
    const obj = OBJECTIVES.huber(resolveParams('lightgbm', { objective: 'huber' }));
    expect(obj.initScore(Float64Array.of(1, 2, 9))[0]).toBe(4);
  });
});

describe('objective label checks', () => {
  const binary = OBJECTIVES.binary(resolveParams('lightgbm', { objective: 'binary' }));
  const multi = OBJECTIVES.multiclass(resolveParams('lightgbm', { objective: 'multiclass', num_class: 3 }));
  it('binary needs 0/1 labels and both classes for training', () => {
    expect(() => binary.checkLabels(Float64Array.of(0, 1, 2), 'training labels', true)).toThrow(/row 2 is 2; labels must be 0 or 1/);
    expect(() => binary.checkLabels(Float64Array.of(1, 1, 1), 'training labels', true)).toThrow(DataError);
    expect(() => binary.checkLabels(Float64Array.of(1, 1, 1), 'training labels', true)).toThrow(/every label is 1; both classes are needed/);
    expect(() => binary.checkLabels(Float64Array.of(1, 1), 'valid', false)).not.toThrow();
  });
  it('multiclass needs integer labels below num_class', () => {
    expect(() => multi.checkLabels(Float64Array.of(0, 1, 3), 'training labels', true)).toThrow(/row 2 is 3; labels must be integers in \[0, 2\]/);
    expect(() => multi.checkLabels(Float64Array.of(0, 0.5), 'training labels', true)).toThrow(/row 1 is 0.5/);
    expect(() => multi.checkLabels(Float64Array.of(2, 2), 'training labels', true)).toThrow(/same class/);
  });
});

describe('quantileInPlace', () => {
  it('interpolates between order statistics', () => {
    expect(quantileInPlace(Float64Array.of(3, 1, 2, 4), 4, 0.5)).toBe(2.5);
    expect(quantileInPlace(Float64Array.of(5, 1, 3), 3, 0)).toBe(1);
    expect(quantileInPlace(Float64Array.of(5, 1, 3), 3, 1)).toBe(5);
    expect(quantileInPlace(Float64Array.of(0, 10), 2, 0.9)).toBeCloseTo(9, 12);
  });
});
