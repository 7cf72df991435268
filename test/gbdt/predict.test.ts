import { afterAll, describe, expect, it } from 'vitest';
import { DataError, UsageError } from '../../src/core/errors.js';
import { Rng } from '../../src/core/rng.js';
import { poolAvailable } from '../../src/gbdt/predict-pool.js';
import { predictBatch, predictBatchSync, predictRow, shutdownPredictionPool } from '../../src/gbdt/predict.js';
import { predictRawRow } from '../../src/gbdt/tree.js';
import { loadFixture } from './format/xgb-fixtures.js';
import { randomModel } from './random-model.js';

afterAll(() => shutdownPredictionPool());

function randomMatrix(rng: Rng, rows: number, cols: number, nanRate: number): Float64Array {
  const X = new Float64Array(rows * cols);
  for (let i = 0; i < X.length; i++) X[i] = rng.next() < nanRate ? NaN : rng.next() < 0.1 ? 0 : (rng.next() - 0.5) * 8;
  return X;
}

describe('batch prediction', () => {
  it('agrees bit for bit with the reference row traversal (float64 models, every decision type)', () => {
    const rng = new Rng(11);
    for (const k of [1, 3]) {
      const model = randomModel(rng, { numFeatures: 7, numTrees: 12 * k, k, categorical: true });
      const X = randomMatrix(rng, 300, 7, 0.1);
      const raw = predictBatchSync(model, X, 300, { raw: true });
      for (let r = 0; r < 300; r++) {
        const ref = predictRawRow(model.ensemble, X.subarray(r * 7, r * 7 + 7));
        expect(Array.from(raw.subarray(r * k, r * k + k))).toEqual(Array.from(ref));
      }
    }
  });

  it('takes the same paths as decide() at and around float32 thresholds (XGBoost-style nodes)', () => {
    const rng = new Rng(21);
    const model = randomModel(rng, { numFeatures: 3, numTrees: 40, k: 1, categorical: true, xgboost: true });
    const probes: number[] = [NaN, 0, -0, 1e-46, -1e-46, 3, 35, -1];
    const f = new Float32Array(1);
    const bits = new Int32Array(f.buffer);
    for (const tree of model.ensemble.trees) {
      for (let n = 0; n < tree.numLeaves - 1; n++) {
        if (tree.decision[n] & 1) continue;
        f[0] = tree.threshold[n];
        const below = (() => {
          bits[0] += tree.threshold[n] > 0 ? -1 : 1;
          const v = f[0];
          f[0] = tree.threshold[n];
          return v;
        })();
        const mid = (below + tree.threshold[n]) / 2;
        probes.push(tree.threshold[n], below, mid, mid + Number.EPSILON * Math.abs(mid), mid - Number.EPSILON * Math.abs(mid));
      }
    }
    const X = new Float64Array(probes.length * 3);
    probes.forEach((p, i) => {
      X[i * 3] = p;
      X[i * 3 + 1] = probes[(i * 7) % probes.length];
      X[i * 3 + 2] = Math.abs(Math.trunc(probes[(i * 13) % probes.length])) % 40;
    });
    const raw = predictBatchSync(model, X, probes.length, { raw: true });
    for (let r = 0; r < probes.length; r++) expect(raw[r]).toBe(predictRawRow(model.ensemble, X.subarray(r * 3, r * 3 + 3))[0]);
  });

  it('truncates LightGBM categories like LightGBM (-0.5 is category 0) but sends negative XGBoost categories right', () => {
    const rng = new Rng(1);
    const model = randomModel(rng, { numFeatures: 1, numTrees: 2, k: 1, categorical: false });
    const catTree = (decision: number) => ({
      ...model.ensemble.trees[0],
      numLeaves: 2,
      splitFeature: Int32Array.of(0),
      threshold: Float64Array.of(0),
      decision: Uint8Array.of(decision),
      leftChild: Int32Array.of(-1),
      rightChild: Int32Array.of(-2),
      splitGain: Float64Array.of(1),
      internalCover: Float64Array.of(2),
      leafCover: Float64Array.of(1, 1),
      leafValue: Float64Array.of(10, 20),
      catBoundaries: Int32Array.of(0, 1),
      catThreshold: Uint32Array.of(1),
    });
    const lgb = { ...model, ensemble: { ...model.ensemble, trees: [catTree(1), catTree(1)], baseScore: Float64Array.of(0) } };
    const xgb = { ...model, ensemble: { ...model.ensemble, trees: [catTree(1 | 16), catTree(1 | 16)], baseScore: Float64Array.of(0) } };
    const X = Float64Array.of(-0.5, -1, 0, 0.9, 1, NaN, 2 ** 40);
    expect(Array.from(predictBatchSync(lgb, X, 7, { raw: true }))).toEqual([20, 40, 20, 20, 40, 40, 40]);
    expect(Array.from(predictBatchSync(xgb, X, 7, { raw: true }))).toEqual([40, 40, 20, 20, 40, 40, 40]);
    for (let r = 0; r < 7; r++) {
      expect(predictRawRow(lgb.ensemble, [X[r]])[0]).toBe(predictBatchSync(lgb, X.subarray(r, r + 1), 1, { raw: true })[0]);
      expect(predictRawRow(xgb.ensemble, [X[r]])[0]).toBe(predictBatchSync(xgb, X.subarray(r, r + 1), 1, { raw: true })[0]);
    }
  });

  it('predictRow gives the same values as the batch, raw and transformed', () => {
    const { model, oracle, X } = loadFixture('xgb-softprob');
    const batch = predictBatchSync(model, X, oracle.rows);
    const out = new Float64Array(3);
    for (let r = 0; r < oracle.rows; r++) {
      expect(Array.from(predictRow(model, X.subarray(r * oracle.cols, (r + 1) * oracle.cols), {}, out))).toEqual(Array.from(batch.subarray(r * 3, r * 3 + 3)));
    }
  });

  it('uses the first n iterations when asked', () => {
    const rng = new Rng(5);
    const model = randomModel(rng, { numFeatures: 4, numTrees: 10, k: 1, categorical: false });
    const X = randomMatrix(rng, 20, 4, 0);
    const three = { ...model, ensemble: { ...model.ensemble, trees: model.ensemble.trees.slice(0, 3) } };
    expect(Array.from(predictBatchSync(model, X, 20, { raw: true, iterations: 3 }))).toEqual(Array.from(predictBatchSync(three, X, 20, { raw: true })));
    expect(() => predictBatchSync(model, X, 20, { iterations: 0 })).toThrow(UsageError);
  });

  it('refuses a matrix with the wrong feature count, naming both counts', () => {
    const { model } = loadFixture('xgb-regression');
    expect(() => predictBatchSync(model, new Float64Array(10), 2)).toThrow(DataError);
    expect(() => predictBatchSync(model, new Float64Array(10), 2)).toThrow(/5 per row\), but the model expects 6 features/);
    expect(() => predictRow(model, [1, 2, 3])).toThrow(/expects 6 features/);
  });

  it('gives identical results whatever the thread count (worker pool)', async () => {
    const rng = new Rng(99);
    const model = randomModel(rng, { numFeatures: 8, numTrees: 30, k: 2, categorical: true });
    const rows = 3 * 4096 + 17;
    const X = randomMatrix(rng, rows, 8, 0.05);
    const one = predictBatchSync(model, X, rows);
    const two = await predictBatch(model, X, rows, { threads: 2 });
    const three = await predictBatch(model, X, rows, { threads: 3 });
    expect(poolAvailable()).toBe(true);
    expect(Array.from(two)).toEqual(Array.from(one));
    expect(Array.from(three)).toEqual(Array.from(one));
    const { model: xgbModel } = loadFixture('xgb-categorical');
    const Xc = randomMatrix(rng, 9000, 6, 0.05).map((v, i) => (i % 6 === 1 || i % 6 === 4 ? Math.abs(Math.round(v)) : v));
    expect(Array.from(await predictBatch(xgbModel, Xc, 9000, { threads: 2, raw: true }))).toEqual(Array.from(predictBatchSync(xgbModel, Xc, 9000, { raw: true })));
  });
});
