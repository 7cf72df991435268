import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { looksLikeXgboostBinary, parseXgboostBinary } from '../../../src/gbdt/format/xgboost-binary.js';
import { predictBatchSync } from '../../../src/gbdt/predict.js';
import { HAS_SHARED, sharedPath } from '../../helpers/shared.js';
import { maxUlpF32, readDense, readLibsvm } from './oracle-data.js';

const dir = (...p: string[]) => sharedPath('data', 'gbdt-models', ...p);

describe.skipIf(!HAS_SHARED)('legacy binary XGBoost models (../shared oracles)', () => {
  it('xgb-binary-model-agaricus: binary:logistic probabilities', () => {
    const bytes = readFileSync(dir('xgb-binary-model-agaricus', 'xgagaricus.model'));
    expect(looksLikeXgboostBinary(bytes)).toBe(true);
    const model = parseXgboostBinary(bytes);
    expect(model.objective.name).toBe('binary');
    expect(model.ensemble.trees.length).toBe(3);
    const { X, rows } = readLibsvm(dir('xgb-binary-model-agaricus', 'agaricus_test.libsvm'), 127, NaN);
    const truth = readDense(dir('xgb-binary-model-agaricus', 'xgagaricus_true_predictions.txt'), { sep: '\t' }).X;
    expect(maxUlpF32(predictBatchSync(model, X, rows), truth)).toBe(0);
  });

  it('xgb-binary-model-multi-softmax-dermatology: raw margins and arg-max classes', () => {
    const model = parseXgboostBinary(readFileSync(dir('xgb-binary-model-multi-softmax-dermatology', 'xgdermatology.model')));
    expect(model.objective).toMatchObject({ name: 'multiclass', numClass: 6, outputClass: true });
    const { X, rows } = readLibsvm(dir('xgb-binary-model-multi-softmax-dermatology', 'dermatology_test.libsvm'), 33, NaN);
    const truth = readDense(dir('xgb-binary-model-multi-softmax-dermatology', 'xgdermatology_true_predictions.txt'), { sep: '\t' }).X;
    const raw = predictBatchSync(model, X, rows, { raw: true });
    expect(maxUlpF32(raw, truth)).toBe(0);
    const classes = predictBatchSync(model, X, rows);
    expect(classes.length).toBe(rows);
    for (let r = 0; r < rows; r++) {
      const row = Array.from(truth.subarray(r * 6, r * 6 + 6));
      expect(classes[r]).toBe(row.indexOf(Math.max(...row)));
    }
  });

  it('a truncated binary model is refused, naming where it ends', () => {
    const bytes = readFileSync(dir('xgb-binary-model-multi-softmax-dermatology', 'xgdermatology.model'));
    expect(() => parseXgboostBinary(bytes.subarray(0, 5000))).toThrow(/truncated/);
  });
});
