import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseXgboostJson } from '../../../src/gbdt/format/xgboost-json.js';
import { predictBatchSync } from '../../../src/gbdt/predict.js';
import { predictRawRow } from '../../../src/gbdt/tree.js';
import { HAS_SHARED, sharedPath } from '../../helpers/shared.js';
import { type Matrix, maxAbsDiff, maxUlpF32, readCsvColumns, readDense, readLibsvm } from './oracle-data.js';

const dir = (...p: string[]) => sharedPath('data', 'gbdt-models', ...p);

interface Case {
  name: string;
  model: string[];
  data: () => Matrix;
  truth: () => Float64Array;
  iterations?: number;
  /** Max float32 ulps between pulse and the recorded truth. */
  ulps: number;
}

const jpmml = (folder: string, model: string, truth: string, cols: string[], ulps: number, iterations?: number): Case => ({
  name: `${folder}${iterations ? `@${iterations}` : ''}`,
  model: [folder, model],
  data: () => readDense(dir(folder, folder.includes('auditna') ? 'X_AuditNA.derived.csv' : folder.includes('irisna') ? 'X_IrisNA.derived.csv' : 'X_AutoNA.derived.csv'), { sep: ',', header: true }),
  truth: () => readCsvColumns(dir(folder, truth), cols),
  iterations,
  ulps,
});

const probs3 = ['probability(0)', 'probability(1)', 'probability(2)'];
const cases: Case[] = [
  jpmml('xgb-json-1.7.2-regression-autona', 'LinearRegressionAutoNA.json', 'LinearRegressionAutoNA.csv', ['_target'], 0),
  jpmml('xgb-json-1.7.2-binary-logistic-auditna', 'BinomialClassificationAuditNA.json', 'BinomialClassificationAuditNA.csv', ['probability(1)'], 0),
  jpmml('xgb-json-1.7.2-binary-logistic-auditna', 'BinomialClassificationAuditNA.json', 'BinomialClassificationAuditNA@31.csv', ['probability(1)'], 0, 31),
  jpmml('xgb-json-1.7.2-multi-softprob-irisna', 'MultinomialClassificationIrisNA.json', 'MultinomialClassificationIrisNA.csv', probs3, 0),
  jpmml('xgb-json-1.7.2-multi-softprob-irisna', 'MultinomialClassificationIrisNA.json', 'MultinomialClassificationIrisNA@11.csv', probs3, 0, 11),
  // best_iteration = 69 is applied by default: the truth uses the first 70 trees.
  jpmml('xgb-json-3.4.1-regression-categorical-autona', 'LinearRegressionAutoNA.json', 'LinearRegressionAutoNA.csv', ['_target'], 0),
  {
    name: 'xgb-json-1.4.0-categorical-toy',
    model: ['xgb-json-1.4.0-categorical-toy', 'xgb_toy_categorical_model.json'],
    data: () => readLibsvm(dir('xgb-json-1.4.0-categorical-toy', 'xgb_toy_categorical.test'), 2, NaN),
    truth: () => readDense(dir('xgb-json-1.4.0-categorical-toy', 'xgb_toy_categorical.test.pred'), { sep: '\t' }).X,
    ulps: 0,
  },
];

describe.skipIf(!HAS_SHARED)('XGBoost JSON models predict as XGBoost did (../shared oracles)', () => {
  for (const c of cases) {
    it(c.name, () => {
      const model = parseXgboostJson(readFileSync(dir(...c.model), 'utf8'));
      const { X, rows, cols } = c.data();
      expect(cols).toBe(model.ensemble.numFeatures);
      const truth = c.truth();
      const pred = predictBatchSync(model, X, rows, { iterations: c.iterations });
      expect(pred.length).toBe(truth.length);
      expect(maxUlpF32(pred, truth)).toBeLessThanOrEqual(c.ulps);
      // The float64 reference traversal takes the same paths: it differs only by float32 summation rounding.
      const raw = predictBatchSync(model, X, rows, { raw: true, iterations: c.iterations });
      const k = model.ensemble.numTreePerIteration;
      if (c.iterations === undefined && model.bestIteration === null) {
        for (let r = 0; r < rows; r += 5) {
          const ref = predictRawRow(model.ensemble, X.subarray(r * cols, (r + 1) * cols));
          expect(maxAbsDiff(ref, raw.subarray(r * k, (r + 1) * k))).toBeLessThan(1e-4);
        }
      }
    });
  }

  it('xgb-json-3.4.1 with all 71 trees differs from the best-iteration truth, as the README records', () => {
    const c = cases[5];
    const model = parseXgboostJson(readFileSync(dir(...c.model), 'utf8'));
    expect(model.bestIteration).toBe(70);
    const { X, rows } = c.data();
    const all = predictBatchSync(model, X, rows, { iterations: 71 });
    expect(maxAbsDiff(all, c.truth())).toBeGreaterThan(0.1);
  });
});
