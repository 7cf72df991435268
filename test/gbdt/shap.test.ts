import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { predictBatchSync } from '../../src/gbdt/predict.js';
import { featureImportance, treeShap } from '../../src/gbdt/shap.js';
import { DECISION_DEFAULT_LEFT, type Tree } from '../../src/gbdt/tree.js';
import type { GbdtModel } from '../../src/gbdt/model.js';
import { readModelFile } from '../../src/gbdt/format/model-file.js';
import { HAS_SHARED, sharedPath } from '../helpers/shared.js';
import { readDense } from './format/oracle-data.js';
import { FIXTURES, loadFixture } from './format/xgb-fixtures.js';

describe('TreeSHAP against XGBoost pred_contribs (committed fixtures)', () => {
  for (const name of FIXTURES) {
    it(`${name}: contributions match XGBoost and sum to the margin`, () => {
      const { model, oracle, X } = loadFixture(name);
      const phi = treeShap(model, X, oracle.rows);
      expect(phi.length).toBe(oracle.contribs.length);
      let worst = 0;
      for (let i = 0; i < phi.length; i++) worst = Math.max(worst, Math.abs(phi[i] - oracle.contribs[i]) / Math.max(1, Math.abs(oracle.contribs[i])));
      // XGBoost accumulates contributions in float32.
      expect(worst).toBeLessThan(2e-5);
      const k = model.ensemble.numTreePerIteration;
      const width = model.ensemble.numFeatures + 1;
      const margins = predictBatchSync(model, X, oracle.rows, { raw: true });
      for (let r = 0; r < oracle.rows; r++) {
        for (let c = 0; c < k; c++) {
          let sum = 0;
          for (let j = 0; j < width; j++) sum += phi[(r * k + c) * width + j];
          expect(Math.abs(sum - margins[r * k + c])).toBeLessThan(1e-4);
        }
      }
    });
  }
});

/** A depth-2 tree on features 0 and 1 with unequal covers, checked against brute-force Shapley values. */
function smallModel(): GbdtModel {
  const tree: Tree = {
    numLeaves: 3,
    splitFeature: Int32Array.of(0, 1),
    threshold: Float64Array.of(0.5, 2),
    decision: Uint8Array.of(DECISION_DEFAULT_LEFT, 0),
    leftChild: Int32Array.of(-1, -2),
    rightChild: Int32Array.of(1, -3),
    splitGain: Float64Array.of(10, 4),
    internalCover: Float64Array.of(10, 6),
    leafCover: Float64Array.of(4, 2, 4),
    leafValue: Float64Array.of(1, 3, -2),
    catBoundaries: Int32Array.of(0),
    catThreshold: new Uint32Array(0),
  };
  return {
    ensemble: { trees: [tree], numTreePerIteration: 1, baseScore: Float64Array.of(0.5), averageOutput: false, numFeatures: 3 },
    objective: { name: 'regression', numClass: 1, params: {} },
    featureNames: ['a', 'b', 'c'],
    mode: 'lightgbm',
    params: {},
    seed: null,
    bestIteration: null,
    dataHash: null,
    origin: 'pulse',
    engineVersion: '1.0.0',
  };
}

describe('TreeSHAP on a hand-checked tree', () => {
  it('matches the exact Shapley values of the cover-weighted conditional expectation', () => {
    const model = smallModel();
    // Row x = (1, 1, 7): path right at node 0 (1 > 0.5), left at node 1 (1 <= 2) -> leaf 1 (value 3).
    // E[f] = (4*1 + 2*3 + 4*-2)/10 = 0.2. f({}) = 0.2, f({a}) = (2*3 + 4*-2)/6 = -1/3, f({b}) = 0.4*1 + 0.6*3 = 2.2,
    // f({a,b}) = 3. phi_a = ((-1/3 - 0.2) + (3 - 2.2)) / 2 = 0.1333..., phi_b = ((2.2 - 0.2) + (3 + 1/3)) / 2 = 2.6666...
    const phi = treeShap(model, Float64Array.of(1, 1, 7), 1);
    expect(phi[0]).toBeCloseTo(0.8 / 6, 12);
    expect(phi[1]).toBeCloseTo(16 / 6, 12);
    expect(phi[2]).toBe(0);
    expect(phi[3]).toBeCloseTo(0.2 + 0.5, 12);
    expect(phi[0] + phi[1] + phi[2] + phi[3]).toBeCloseTo(3.5, 12);
  });

  it('importance counts splits and sums gains per feature', () => {
    const imp = featureImportance(smallModel().ensemble);
    expect(Array.from(imp.splits)).toEqual([1, 1, 0]);
    expect(Array.from(imp.gain)).toEqual([10, 4, 0]);
  });

  it('refuses a model without node covers', () => {
    const model = smallModel();
    model.ensemble.trees[0] = { ...model.ensemble.trees[0], internalCover: new Float64Array(2) };
    expect(() => treeShap(model, Float64Array.of(1, 1, 7), 1)).toThrow(/cover/);
  });

  it('refuses a matrix of the wrong width', () => {
    expect(() => treeShap(smallModel(), new Float64Array(4), 1)).toThrow(/expects 3 features/);
  });
});

describe.skipIf(!HAS_SHARED)('TreeSHAP on the ../shared LightGBM and XGBoost models', () => {
  const files: [string, string, number][] = [
    ['lgb-regression-missing-categorical-autona/RegressionAutoNA.txt', 'lgb-regression-missing-categorical-autona/X_AutoNA.derived.csv', 1e-9],
    ['lgb-multiclass-categorical-kddcup99/lg_kddcup99.model', 'lgb-multiclass-categorical-kddcup99/kddcup99_test.tsv', 1e-9],
    ['xgb-json-3.4.1-regression-categorical-autona/LinearRegressionAutoNA.json', 'xgb-json-3.4.1-regression-categorical-autona/X_AutoNA.derived.csv', 1e-4],
  ];
  for (const [modelFile, dataFile, tol] of files) {
    it(`${modelFile}: contributions sum to the raw prediction`, () => {
      const model = readModelFile(sharedPath('data', 'gbdt-models', modelFile));
      const csv = dataFile.endsWith('.csv');
      const { X, rows } = readDense(sharedPath('data', 'gbdt-models', dataFile), { sep: csv ? ',' : '\t', header: csv });
      const n = Math.min(rows, 60);
      const Xs = X.subarray(0, n * model.ensemble.numFeatures);
      const phi = treeShap(model, Xs, n);
      const raw = predictBatchSync(model, Xs, n, { raw: true });
      const k = model.ensemble.numTreePerIteration;
      const width = model.ensemble.numFeatures + 1;
      for (let g = 0; g < n * k; g++) {
        let sum = 0;
        for (let j = 0; j < width; j++) sum += phi[g * width + j];
        expect(Math.abs(sum - raw[g])).toBeLessThan(tol);
      }
    });
  }
});

describe.skipIf(!HAS_SHARED)('feature importance of imported models', () => {
  it('split counts equal the feature_importances LightGBM wrote into its own model files', () => {
    for (const file of ['lgb-regression-missing-categorical-autona/RegressionAutoNA.txt', 'lgb-regression-housing/RegressionHousing.txt']) {
      const path = sharedPath('data', 'gbdt-models', file);
      const model = readModelFile(path);
      const text = readFileSync(path, 'utf8');
      const block = text.slice(text.indexOf('feature_importances:\n') + 21, text.indexOf('\n\nparameters:'));
      const expected = Object.fromEntries(block.split('\n').map((l) => [l.split('=')[0], Number(l.split('=')[1])]));
      const imp = featureImportance(model.ensemble);
      const got = Object.fromEntries(model.featureNames.map((n, i) => [n, imp.splits[i]]).filter(([, v]) => v !== 0));
      expect(got).toEqual(expected);
      expect(imp.gain.every((g) => g >= 0)).toBe(true);
    }
  });
});
