import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ModelFormatError } from '../../../src/core/errors.js';
import { parseXgboostJson } from '../../../src/gbdt/format/xgboost-json.js';
import { predictBatchSync } from '../../../src/gbdt/predict.js';
import { fixturePath } from '../../helpers/shared.js';
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
      expect(maxUlpF32(predictions, oracle.predictions)).toBe(0);
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

describe('XGBoost JSON: bad files are refused with a clear ModelFormatError', () => {
  const text = readFileSync(fixturePath('gbdt', 'xgb-regression.model.json'), 'utf8');
  // biome-ignore lint: test documents are edited freely
  const edit = (f: (doc: any) => void) => {
    const doc = JSON.parse(text);
    f(doc);
    return JSON.stringify(doc);
  };
  const trees = (doc: any) => doc.learner.gradient_booster.model.trees;
  const leafOf = (tree: any) => tree.left_children.indexOf(-1);
  const cases: [string, string, RegExp][] = [
    ['truncated', text.slice(0, 5000), /not valid JSON/],
    ['NaN leaf value', edit((d) => (trees(d)[2].split_conditions[leafOf(trees(d)[2])] = null)), /trees\[2\]: split_conditions \(leaf\)\[\d+\] = NaN is not a finite number/],
    ['child out of range', edit((d) => (trees(d)[1].left_children[0] = 999)), /trees\[1\].left_children\[0\] = 999 is out of range/],
    ['cycle', edit((d) => (trees(d)[0].right_children[0] = trees(d)[0].left_children[0])), /trees\[0\]: node \d+ is reached twice/],
    ['unknown objective', edit((d) => (d.learner.objective.name = 'rank:pairwise')), /unknown objective 'rank:pairwise'/],
    ['tree count mismatch', edit((d) => trees(d).pop()), /num_trees = 12 but the file has 11 trees/],
    ['multi-target tree', edit((d) => (trees(d)[0].tree_param.size_leaf_vector = '3')), /multi-target tree/],
    ['linear booster', edit((d) => (d.learner.gradient_booster.name = 'gblinear')), /booster 'gblinear' is not supported/],
    ['feature out of range', edit((d) => (trees(d)[0].split_indices[0] = 40)), /split_indices\[0\] = 40 is out of range \(6 features\)/],
    ['missing field', edit((d) => delete trees(d)[0].default_left), /trees\[0\].default_left is missing or not an array/],
  ];
  for (const [name, input, message] of cases) {
    it(name, () => {
      expect(() => parseXgboostJson(input)).toThrow(ModelFormatError);
      expect(() => parseXgboostJson(input)).toThrow(message);
    });
  }
});
