/** Loader for the committed XGBoost fixtures (scripts/make-gbdt-fixtures.py). */
import { readFileSync } from 'node:fs';
import { parseXgboostJson } from '../../../src/gbdt/format/xgboost-json.js';
import { fixturePath } from '../../helpers/shared.js';

/** Oracle written by scripts/make-gbdt-fixtures.py with XGBoost 1.7.4. */
export interface XgbOracle {
  rows: number;
  cols: number;
  X: (number | null)[];
  predictions: number[];
  margins: number[];
  contribs: number[];
}

export function loadFixture(name: string) {
  const model = parseXgboostJson(readFileSync(fixturePath('gbdt', `${name}.model.json`), 'utf8'));
  const oracle = JSON.parse(readFileSync(fixturePath('gbdt', `${name}.oracle.json`), 'utf8')) as XgbOracle;
  const X = Float64Array.from(oracle.X, (v) => (v === null ? NaN : v));
  return { model, oracle, X };
}

export const FIXTURES = ['xgb-regression', 'xgb-binary', 'xgb-softprob', 'xgb-softmax', 'xgb-poisson', 'xgb-gamma', 'xgb-dart', 'xgb-categorical', 'xgb-forest'];

