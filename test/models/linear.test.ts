import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { DataError, UsageError } from '../../src/core/errors.js';
import { medianOf } from '../../src/models/linear-algebra.js';
import { LogisticModel } from '../../src/models/logistic.js';
import type { FeatureColumns } from '../../src/models/model.js';
import { RidgeModel } from '../../src/models/ridge.js';
import { fixturePath } from '../helpers/shared.js';

interface LinearOracle {
  X: (number | null)[][];
  yRegression: number[];
  ridgeAlpha: number;
  ridgePred: number[];
  yBinary: number[];
  logisticAlpha: number;
  logisticProb: number[];
  yMulticlass: number[];
  multinomialProb: number[];
}

const oracle = (JSON.parse(readFileSync(fixturePath('train', 'oracles.json'), 'utf8')) as { linear: LinearOracle }).linear;
const n = oracle.X.length;
const p = oracle.X[0].length;
const frame: FeatureColumns = {
  columns: Array.from({ length: p }, (_, f) => Float64Array.from(oracle.X, (row) => row[f] ?? NaN)),
  numRows: n,
  names: Array.from({ length: p }, (_, f) => `x${f}`),
};

function maxDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i] - b[i]));
  return m;
}

describe('linear families match scikit-learn (median imputation, standardisation, L2 alpha)', () => {
  it('ridge equals Ridge(alpha) on the standardised features', async () => {
    const m = new RidgeModel('regression', { alpha: oracle.ridgeAlpha });
    await m.fit(frame, Float64Array.from(oracle.yRegression), { seed: 1 });
    expect(maxDiff(m.predict(frame), oracle.ridgePred)).toBeLessThan(1e-10);
  });

  it('binary logistic (Newton with line search) equals LogisticRegression(C = 1 / alpha)', async () => {
    const m = new LogisticModel('binary', 2, { alpha: oracle.logisticAlpha });
    const report = await m.fit(frame, Float64Array.from(oracle.yBinary), { seed: 1 });
    expect(maxDiff(m.predict(frame), oracle.logisticProb)).toBeLessThan(1e-6);
    expect(m.describe().details.converged).toBe(true);
    expect(report.iterations).toBeLessThan(20);
  });

  it('multinomial logistic (bound optimisation) equals the multinomial LogisticRegression', async () => {
    const m = new LogisticModel('multiclass', 3, { alpha: oracle.logisticAlpha, max_iter: 2000, tol: 1e-9 });
    await m.fit(frame, Float64Array.from(oracle.yMulticlass), { seed: 1 });
    const prob = m.predict(frame);
    expect(prob).toHaveLength(n * 3);
    expect(maxDiff(prob, oracle.multinomialProb)).toBeLessThan(1e-5);
    for (let r = 0; r < n; r++) expect(prob[r * 3] + prob[r * 3 + 1] + prob[r * 3 + 2]).toBeCloseTo(1, 12);
  });
});

describe('linear edge cases', () => {
  it('medians handle odd and even counts and ignore NaN', () => {
    expect(medianOf(Float64Array.of(3, NaN, 1, 2))).toBe(2);
    expect(medianOf(Float64Array.of(4, 1, 3, 2))).toBe(2.5);
    expect(medianOf(Float64Array.of(NaN))).toBeNaN();
    expect(medianOf(Float64Array.of(5, 5, 5, 1, 9, 5))).toBe(5);
  });

  it('ignores constant and all-missing features and imputes NaN at prediction time', async () => {
    const x = Float64Array.from({ length: 50 }, (_, i) => i / 10);
    const X: FeatureColumns = { columns: [x, new Float64Array(50).fill(7), new Float64Array(50).fill(NaN)], numRows: 50, names: ['x', 'c', 'm'] };
    const y = x.map((v) => 2 * v + 1);
    const m = new RidgeModel('regression', { alpha: 0 });
    await m.fit(X, y, { seed: 1 });
    const pred = m.predict({ columns: [Float64Array.of(1, NaN), Float64Array.of(7, 7), Float64Array.of(NaN, 3)], numRows: 2, names: ['x', 'c', 'm'] });
    expect(pred[0]).toBeCloseTo(3, 10);
    // NaN x takes the training median of x (2.45)
    expect(pred[1]).toBeCloseTo(2 * 2.45 + 1, 10);
    const imp = m.describe().featureImportance!;
    expect(imp.map((e) => e.importance)).toEqual([1, 0, 0]);
  });

  it('clamps standardised features at clip in prediction (and fitting)', async () => {
    const x = Float64Array.from({ length: 100 }, (_, i) => (i % 10) - 4.5);
    const X: FeatureColumns = { columns: [x], numRows: 100, names: ['x'] };
    const y = x.map((v) => v);
    const m = new RidgeModel('regression', { alpha: 0, clip: 2 });
    await m.fit(X, y, { seed: 1 });
    const sd = Math.sqrt(x.reduce((s, v) => s + v * v, 0) / 100);
    const [far, edge, inside] = m.predict({ columns: [Float64Array.of(1e6, 2 * sd, 0.5)], numRows: 3, names: ['x'] });
    expect(far).toBeCloseTo(edge, 10);
    expect(inside).not.toBeCloseTo(edge, 3);
    const unclipped = new RidgeModel('regression', { alpha: 0, clip: 0 });
    await unclipped.fit(X, y, { seed: 1 });
    expect(unclipped.predict({ columns: [Float64Array.of(1e6)], numRows: 1, names: ['x'] })[0]).toBeCloseTo(1e6, 4);
  });

  it('fits logistic on separable data to finite coefficients thanks to the penalty', async () => {
    const x = Float64Array.from({ length: 40 }, (_, i) => i);
    const y = x.map((v) => (v >= 20 ? 1 : 0));
    const m = new LogisticModel('binary', 2, { alpha: 0.1 });
    await m.fit({ columns: [x], numRows: 40, names: ['x'] }, y, { seed: 1 });
    const pr = m.predict({ columns: [Float64Array.of(0, 39)], numRows: 2, names: ['x'] });
    expect(pr[0]).toBeLessThan(0.05);
    expect(pr[1]).toBeGreaterThan(0.95);
    expect(Number.isFinite(m.describe().details.intercept as number)).toBe(true);
  });

  it('refuses infinite features, wrong tasks and bad parameters with clear errors', async () => {
    const X: FeatureColumns = { columns: [Float64Array.of(1, Infinity, 3)], numRows: 3, names: ['x'] };
    await expect(new RidgeModel('regression').fit(X, Float64Array.of(1, 2, 3), { seed: 1 })).rejects.toThrow(/feature x is infinite in row 1/);
    expect(() => new RidgeModel('binary')).toThrow(UsageError);
    expect(() => new LogisticModel('regression', 1)).toThrow(UsageError);
    expect(() => new RidgeModel('regression', { alpha: -1 })).toThrow(/ridge parameter alpha = -1 is invalid: out of range/);
    expect(() => new LogisticModel('binary', 2, { max_iter: 1.5 })).toThrow(/max_iter = 1.5 is invalid: not an integer/);
    expect(() => new LogisticModel('binary', 2, { C: 1 })).toThrow(/unknown logistic parameter "C"/);
    const error = ((): unknown => {
      try {
        return new RidgeModel('regression', { alpha: 'abc' });
      } catch (e) {
        return e;
      }
    })();
    expect(error).toBeInstanceOf(UsageError);
    expect((error as UsageError).hint).toBe('alpha must be a number in [0, 1000000000000]');
    await expect(new LogisticModel('binary', 2).fit({ columns: [Float64Array.of(1, 2)], numRows: 2, names: ['x'] }, Float64Array.of(0, 2), { seed: 1 }))
      .rejects.toThrow(DataError);
  });
});
