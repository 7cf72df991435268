import { describe, expect, it } from 'vitest';
import { predictBatchSync } from '../../../src/gbdt/predict.js';
import { maxUlpF32 } from './oracle-data.js';
import { FIXTURES, loadFixture } from './xgb-fixtures.js';

describe('XGBoost 1.7.4 fixtures (committed) predict exactly as XGBoost', () => {
  for (const name of FIXTURES) {
    it(`${name}: margins and transformed predictions match to the float32 ulp`, () => {
      const { model, oracle, X } = loadFixture(name);
      expect(model.ensemble.numFeatures).toBe(oracle.cols);
      const margins = predictBatchSync(model, X, oracle.rows, { raw: true });
      expect(maxUlpF32(margins, oracle.margins)).toBe(0);
      const predictions = predictBatchSync(model, X, oracle.rows);
      expect(predictions.length).toBe(oracle.predictions.length);
      expect(maxUlpF32(predictions, oracle.predictions)).toBeLessThanOrEqual(name === 'xgb-poisson' ? 1 : 0);
    });
  }

  it('maps the objectives and DART weights', () => {
    expect(loadFixture('xgb-softmax').model.objective).toEqual({ name: 'multiclass', numClass: 3, params: {}, outputClass: true });
    expect(loadFixture('xgb-softprob').model.objective).toEqual({ name: 'multiclass', numClass: 3, params: {} });
    expect(loadFixture('xgb-poisson').model.objective.name).toBe('poisson');
    const dart = loadFixture('xgb-dart').model;
    expect(dart.ensemble.treeWeight?.length).toBe(10);
    expect(dart.params.booster).toBe('dart');
  });
});
