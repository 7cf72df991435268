import { describe, expect, it } from 'vitest';
import { Rng } from '../../src/core/rng.js';
import { COMPRESSION_LEVELS, COMPRESSION_TOLERANCES } from '../../src/models/compression.js';
import { LogisticModel } from '../../src/models/logistic.js';
import type { FeatureColumns } from '../../src/models/model.js';
import { createModel, MODEL_REGISTRY, modelFromJSON } from '../../src/models/registry.js';
import { RidgeModel } from '../../src/models/ridge.js';

/** 8 features: two carry the signal, six are noise. */
function data(seed: number, n: number): { X: FeatureColumns; y: Float64Array; yClass: Float64Array } {
  const rng = new Rng(seed);
  const columns = Array.from({ length: 8 }, () => Float64Array.from({ length: n }, () => rng.next() - 0.5));
  const y = Float64Array.from({ length: n }, (_, i) => 2 * columns[0][i] - columns[1][i] + (rng.next() - 0.5) * 0.5);
  return { X: { columns, numRows: n, names: columns.map((_, f) => `x${f}`) }, y, yClass: y.map((v) => (v > 0 ? 1 : 0)) };
}

const mse = (y: Float64Array) => (p: Float64Array) => p.reduce((s, v, i) => s + (v - y[i]) ** 2, 0) / y.length;

describe('linear compression (coefficient pruning)', () => {
  it('prunes the small coefficients of the noise features within the loss budget and the share limit', async () => {
    const train = data(1, 2000);
    const test = data(2, 500);
    const m = new RidgeModel('regression', { alpha: 1 });
    await m.fit(train.X, train.y, { seed: 1 });
    const loss = mse(test.y);
    const original = loss(m.predict(test.X));
    for (const level of COMPRESSION_LEVELS) {
      const tol = COMPRESSION_TOLERANCES[level];
      const budget = original * (1 + tol.lossRise);
      const { model, steps } = await MODEL_REGISTRY.ridge.traits.compress!(m, tol, { X: test.X, loss, accept: (p) => loss(p) <= budget });
      const after = (steps as { coefficients: { before: number; after: number; pruned: number } }).coefficients;
      expect(after.pruned).toBeLessThanOrEqual(Math.floor(tol.coefPrune * 8));
      expect(after.pruned).toBeGreaterThan(0);
      const reread = modelFromJSON(JSON.parse(JSON.stringify(model.toJSON())));
      expect(loss(reread.predict(test.X))).toBeLessThanOrEqual(budget);
      const coef = (model.toJSON().state as { coef: number[] }).coef;
      expect(coef[0]).not.toBe(0);
      expect(coef[1]).not.toBe(0);
      expect(coef.filter((c) => c === 0)).toHaveLength(after.pruned);
    }
  });

  it('prunes nothing when no rise in loss is allowed and every coefficient helps', async () => {
    const train = data(3, 2000);
    const m = new RidgeModel('regression', { alpha: 1 });
    await m.fit(train.X, train.y, { seed: 1 });
    const loss = mse(train.y);
    const original = loss(m.predict(train.X));
    // on its own training rows every least-squares coefficient lowers the loss
    const { steps } = m.compress({ ...COMPRESSION_TOLERANCES.aggressive, lossRise: 0 }, { X: train.X, loss, accept: (p) => loss(p) <= original });
    expect((steps as { coefficients: { pruned: number } }).coefficients.pruned).toBe(0);
  });

  it('compresses logistic models too (through the family trait)', async () => {
    const train = data(4, 2000);
    const test = data(5, 500);
    const m = new LogisticModel('binary', 2, { alpha: 1 });
    await m.fit(train.X, train.yClass, { seed: 1 });
    const logloss = (p: Float64Array) => -p.reduce((s, v, i) => s + (test.yClass[i] ? Math.log(v) : Math.log(1 - v)), 0) / p.length;
    const budget = logloss(m.predict(test.X)) * 1.02;
    const { model } = await MODEL_REGISTRY.logistic.traits.compress!(m, COMPRESSION_TOLERANCES.aggressive, { X: test.X, loss: logloss, accept: (p) => logloss(p) <= budget });
    expect(logloss(model.predict(test.X))).toBeLessThanOrEqual(budget);
    expect((model.toJSON().state as { coef: number[] }).coef.some((c) => c === 0)).toBe(true);
  });

  it('compresses GBDT-family models through the trait, and the copy reads back with its leaf encoding', async () => {
    const train = data(6, 1500);
    const test = data(7, 400);
    const m = createModel('lightgbm', { task: 'regression', numClass: 1, params: { num_iterations: 60, early_stopping_round: 0, min_data_in_leaf: 20 } });
    await m.fit(train.X, train.y, { seed: 1 });
    const loss = mse(test.y);
    const reference = m.predict(test.X);
    const budget = loss(reference) * 1.005;
    const { model, steps } = await MODEL_REGISTRY.lightgbm.traits.compress!(m, COMPRESSION_TOLERANCES.moderate, { X: test.X, loss, accept: (p) => loss(p) <= budget });
    expect(steps).toMatchObject({ leafEncoding: 'int8' });
    const doc = JSON.parse(JSON.stringify(model.toJSON()));
    expect(doc.state.model.ensemble.leafEncoding).toBe('int8');
    const reread = modelFromJSON(doc);
    expect(Array.from(reread.predict(test.X))).toEqual(Array.from(model.predict(test.X)));
    expect(loss(reread.predict(test.X))).toBeLessThanOrEqual(budget);
    expect(JSON.stringify(doc).length).toBeLessThan(JSON.stringify(m.toJSON()).length);
  });

  it('naive and ensemble models cannot be compressed', () => {
    expect(MODEL_REGISTRY.naive.traits.compress).toBeUndefined();
    expect(MODEL_REGISTRY.ensemble.traits.compress).toBeUndefined();
  });
});
