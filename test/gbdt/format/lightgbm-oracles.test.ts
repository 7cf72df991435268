import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseLightGbmText, writeLightGbmText } from '../../../src/gbdt/format/lightgbm-text.js';
import { predictBatchSync } from '../../../src/gbdt/predict.js';
import { predictRawRow } from '../../../src/gbdt/tree.js';
import { HAS_SHARED, sharedPath } from '../../helpers/shared.js';
import { type Matrix, maxAbsDiff, readCsvColumns, readDense, readLibsvm } from './oracle-data.js';

const dir = (...p: string[]) => sharedPath('data', 'gbdt-models', ...p);
const load = (...p: string[]) => parseLightGbmText(readFileSync(dir(...p), 'utf8'));

interface Case {
  name: string;
  model: string[];
  data: () => Matrix;
  truth: () => Float64Array;
  raw: boolean;
  iterations?: number;
  tol: number;
}

const jpmml = (folder: string, model: string, x: string, truth: string, cols: string[], iterations?: number): Case => ({
  name: `${folder}${iterations ? `@${iterations}` : ''}`,
  model: [folder, model],
  data: () => readDense(dir(folder, x), { sep: ',', header: true }),
  truth: () => readCsvColumns(dir(folder, truth), cols),
  raw: false,
  iterations,
  tol: 0,
});

const cases: Case[] = [
  jpmml('lgb-regression-housing', 'RegressionHousing.txt', 'X_Housing.derived.csv', 'RegressionHousing.csv', ['_target']),
  jpmml('lgb-regression-housing', 'RegressionHousing.txt', 'X_Housing.derived.csv', 'RegressionHousing@31.csv', ['_target'], 31),
  jpmml('lgb-regression-missing-categorical-autona', 'RegressionAutoNA.txt', 'X_AutoNA.derived.csv', 'RegressionAutoNA.csv', ['_target']),
  jpmml('lgb-regression-missing-categorical-autona', 'RegressionAutoNA.txt', 'X_AutoNA.derived.csv', 'RegressionAutoNA@17.csv', ['_target'], 17),
  { ...jpmml('lgb-binary-versicolor', 'ClassificationVersicolor.txt', 'X_Versicolor.derived.csv', 'ClassificationVersicolor.csv', ['probability(1)']), tol: 2.3e-16 },
  { ...jpmml('lgb-binary-versicolor', 'ClassificationVersicolor.txt', 'X_Versicolor.derived.csv', 'ClassificationVersicolor@9.csv', ['probability(1)'], 9), tol: 2.3e-16 },
  {
    name: 'lgb-binary-dart-breast-cancer',
    model: ['lgb-binary-dart-breast-cancer', 'lg_dart_breast_cancer.model'],
    data: () => readDense(dir('lgb-binary-dart-breast-cancer', 'breast_cancer_test.tsv'), { sep: '\t' }),
    truth: () => readDense(dir('lgb-binary-dart-breast-cancer', 'lg_dart_breast_cancer_true_predictions.txt'), { sep: '\t' }).X,
    raw: false,
    tol: 2.3e-16,
  },
  {
    name: 'lgb-multiclass raw',
    model: ['lgb-multiclass', 'lgmulticlass.model'],
    data: () => readDense(dir('lgb-multiclass', 'multiclass_test.tsv'), { sep: '\t', skipCols: 1 }),
    truth: () => readDense(dir('lgb-multiclass', 'lgmulticlass_true_raw_predictions.txt'), { sep: '\t' }).X,
    raw: true,
    tol: 0,
  },
  {
    name: 'lgb-multiclass softmax',
    model: ['lgb-multiclass', 'lgmulticlass.model'],
    data: () => readDense(dir('lgb-multiclass', 'multiclass_test.tsv'), { sep: '\t', skipCols: 1 }),
    truth: () => readDense(dir('lgb-multiclass', 'lgmulticlass_true_predictions.txt'), { sep: '\t' }).X,
    raw: false,
    tol: 2.3e-16,
  },
  {
    name: 'lgb-multiclass-categorical-kddcup99 raw',
    model: ['lgb-multiclass-categorical-kddcup99', 'lg_kddcup99.model'],
    data: () => readDense(dir('lgb-multiclass-categorical-kddcup99', 'kddcup99_test.tsv'), { sep: '\t' }),
    truth: () => readDense(dir('lgb-multiclass-categorical-kddcup99', 'lg_kddcup99_true_predictions.txt'), { sep: '\t' }).X,
    raw: true,
    tol: 0,
  },
  {
    name: 'lgb-poisson-categorical-fmtp',
    model: ['lgb-poisson-categorical-fmtp', 'genlin_fmtp_poisson_Frequency.model'],
    data: () => readDense(dir('lgb-poisson-categorical-fmtp', 'genlin_fmtp_poisson_Frequency_features.tsv'), { sep: '\t' }),
    truth: () => readDense(dir('lgb-poisson-categorical-fmtp', 'genlin_fmtp_poisson_Frequency_true_predictions.txt'), { sep: '\t' }).X,
    raw: false,
    tol: 2.3e-16,
  },
  {
    name: 'lgb-regression-categorical-toy',
    model: ['lgb-regression-categorical-toy', 'toy_categorical_model.txt'],
    data: () => readLibsvm(dir('lgb-regression-categorical-toy', 'toy_categorical.test'), 2, 0),
    truth: () => readDense(dir('lgb-regression-categorical-toy', 'toy_categorical.test.pred'), { sep: '\t' }).X,
    raw: false,
    tol: 0,
  },
];

// Raw and identity outputs are bit-exact (LightGBM sums leaf values in float64 in tree order); transformed
// outputs may differ by the libm rounding of exp (at most 2.2e-16 here).
describe.skipIf(!HAS_SHARED)('LightGBM text models predict as LightGBM did (../shared oracles)', () => {
  for (const c of cases) {
    it(c.name, () => {
      const model = load(...c.model);
      const { X, rows, cols } = c.data();
      expect(cols).toBe(model.ensemble.numFeatures);
      const truth = c.truth();
      const pred = predictBatchSync(model, X, rows, { raw: c.raw, iterations: c.iterations });
      expect(pred.length).toBe(truth.length);
      expect(maxAbsDiff(pred, truth)).toBeLessThanOrEqual(c.tol);
      // The batch kernel agrees bit for bit with the reference row traversal.
      if (c.raw && c.iterations === undefined) {
        const k = model.ensemble.numTreePerIteration;
        for (let r = 0; r < rows; r += 7) {
          expect(Array.from(predictRawRow(model.ensemble, X.subarray(r * cols, (r + 1) * cols)))).toEqual(Array.from(pred.subarray(r * k, (r + 1) * k)));
        }
      }
    });
  }

  it('export as LightGBM text and import again gives the same raw scores', () => {
    for (const c of cases.filter((x) => x.iterations === undefined)) {
      const model = load(...c.model);
      const again = parseLightGbmText(writeLightGbmText(model));
      const { X, rows } = c.data();
      expect(Array.from(predictBatchSync(again, X, rows, { raw: true }))).toEqual(Array.from(predictBatchSync(model, X, rows, { raw: true })));
      expect(again.objective).toEqual(model.objective);
      expect(again.featureNames).toEqual(model.featureNames);
    }
  });
});
