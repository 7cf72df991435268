import { afterAll, describe, expect, it } from 'vitest';
import { Rng } from '../../src/core/rng.js';
import type { GbdtModel } from '../../src/gbdt/model.js';
import { predictModule } from '../../src/gbdt/kernels/memory.js';
import { compileForest, predictBatch, predictBatchSync, shutdownPredictionPool } from '../../src/gbdt/predict.js';
import { predictRowsKernel } from '../../src/gbdt/predict-kernel.js';
import { MISSING_NAN, MISSING_ZERO, missingTypeOf, predictRawRow } from '../../src/gbdt/tree.js';
import { randomModel, randomTree } from './random-model.js';

afterAll(() => shutdownPredictionPool());

/** A random model whose every split is numerical (zero-as-missing nodes become NaN-as-missing), so the WebAssembly kernel scores it. */
function numericalModel(rng: Rng, k: number, xgboost: boolean, averageOutput = false): GbdtModel {
  const model = randomModel(rng, { numFeatures: 9, numTrees: 24 * k, k, categorical: false, xgboost });
  for (const tree of model.ensemble.trees) {
    for (let n = 0; n < tree.numLeaves - 1; n++) {
      if (missingTypeOf(tree.decision[n]) === MISSING_ZERO) tree.decision[n] = (tree.decision[n] & ~12) | (MISSING_NAN << 2);
    }
  }
  // A single-leaf tree in every class (its root is a leaf).
  for (let c = 0; c < k; c++) model.ensemble.trees[c] = randomTree(rng, 9, 1, false, xgboost);
  return { ...model, origin: xgboost ? 'xgboost' : 'pulse', ensemble: { ...model.ensemble, averageOutput } };
}

/** Rows with NaN, signed zeros, infinities and values on the thresholds' half-unit grid. */
function matrix(rng: Rng, rows: number, cols: number): Float64Array {
  const specials = [NaN, 0, -0, Infinity, -Infinity, 0.5, -1.5, 3];
  const X = new Float64Array(rows * cols);
  for (let i = 0; i < X.length; i++) {
    const u = rng.next();
    X[i] = u < 0.1 ? specials[Math.floor(rng.next() * specials.length)] : u < 0.4 ? Math.round((rng.next() - 0.5) * 12) / 2 : (rng.next() - 0.5) * 8;
  }
  return X;
}

function jsKernel(model: GbdtModel, X: ArrayLike<number>, rows: number): Float64Array {
  const F = compileForest(model);
  const out = new Float64Array(rows * F.numClass);
  predictRowsKernel(F, X, F.numFeatures, 0, rows, out);
  return out;
}

describe('WebAssembly prediction kernel', () => {
  const cases = [
    { name: 'LightGBM-style float64 sums, one output', k: 1, xgboost: false },
    { name: 'LightGBM-style float64 sums, three classes', k: 3, xgboost: false },
    { name: 'XGBoost-style float32 sums, one output', k: 1, xgboost: true },
    { name: 'XGBoost-style float32 sums, three classes', k: 3, xgboost: true },
    { name: 'random-forest averaging', k: 2, xgboost: false, averageOutput: true },
  ];
  const rows = 2 * 1024 + 333; // two whole blocks and a partial one

  it('is available and scores these forests (every split numerical)', () => {
    expect(predictModule()).not.toBeNull();
    const rng = new Rng(3);
    for (const c of cases) expect(compileForest(numericalModel(rng, c.k, c.xgboost, c.averageOutput)).numericalOnly).toBe(1);
  });

  for (const c of cases) {
    it(`agrees bit for bit with the JavaScript kernel and the reference traversal: ${c.name}`, () => {
      const rng = new Rng(17 + c.k);
      const model = numericalModel(rng, c.k, c.xgboost, c.averageOutput);
      const X64 = matrix(rng, rows, 9);
      for (const X of [X64, Float32Array.from(X64)]) {
        const wasm = predictBatchSync(model, X, rows, { raw: true });
        expect(Array.from(wasm)).toEqual(Array.from(jsKernel(model, X, rows)));
        // predictRawRow sums in float64; XGBoost-style models accumulate in float32 (checked against XGBoost elsewhere).
        for (let r = 0; r < rows && !c.xgboost; r += 97) {
          expect(Array.from(wasm.subarray(r * c.k, (r + 1) * c.k))).toEqual(Array.from(predictRawRow(model.ensemble, X.subarray(r * 9, r * 9 + 9))));
        }
      }
    });
  }

  it('gives the same scores on 2 and 3 threads as in-thread, and the same as the JavaScript kernel below its batch size', async () => {
    const rng = new Rng(71);
    const model = numericalModel(rng, 2, false);
    const n = 3 * 4096 + 17;
    const X = matrix(rng, n, 9);
    const one = predictBatchSync(model, X, n);
    expect(Array.from(await predictBatch(model, X, n, { threads: 2 }))).toEqual(Array.from(one));
    expect(Array.from(await predictBatch(model, X, n, { threads: 3 }))).toEqual(Array.from(one));
    // 100 rows stay on the JavaScript kernel; they are scored as the same rows of the large batch.
    expect(Array.from(predictBatchSync(model, X.subarray(0, 900), 100))).toEqual(Array.from(one.subarray(0, 200)));
  });
});
