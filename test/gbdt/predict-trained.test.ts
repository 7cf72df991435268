import { describe, expect, it } from 'vitest';
import { Rng } from '../../src/core/rng.js';
import { trainGbdt } from '../../src/gbdt/booster.js';
import { parseLightGbmText, writeLightGbmText } from '../../src/gbdt/format/lightgbm-text.js';
import { readPulseModel, writePulseModel } from '../../src/gbdt/format/pulse-json.js';
import { predictBatchSync } from '../../src/gbdt/predict.js';
import { treeShap } from '../../src/gbdt/shap.js';
import { predictRawRow } from '../../src/gbdt/tree.js';

/** Models trained by pulse's own booster go through prediction, both formats and TreeSHAP consistently. */
describe('pulse-trained models: prediction, formats and TreeSHAP agree', () => {
  const rng = new Rng(17);
  const rows = 600;
  const cols = 5;
  const X = new Float64Array(rows * cols);
  for (let i = 0; i < X.length; i++) X[i] = rng.next() < 0.05 ? NaN : rng.normal();
  const signal = (r: number) => Math.sin(X[r * cols] || 0) + (X[r * cols + 1] || 0) * (X[r * cols + 2] || 0);
  const cases = [
    { name: 'regression', mode: 'lightgbm' as const, params: { objective: 'regression', num_iterations: 15, num_leaves: 8 }, label: (r: number) => signal(r) },
    { name: 'binary', mode: 'lightgbm' as const, params: { objective: 'binary', num_iterations: 15, num_leaves: 8 }, label: (r: number) => (signal(r) > 0 ? 1 : 0) },
    { name: 'multiclass', mode: 'lightgbm' as const, params: { objective: 'multiclass', num_class: 3, num_iterations: 8, num_leaves: 6 }, label: (r: number) => (signal(r) < -0.5 ? 0 : signal(r) < 0.5 ? 1 : 2) },
    { name: 'xgboost mode', mode: 'xgboost' as const, params: { objective: 'reg:squarederror', num_boost_round: 10, max_depth: 3 }, label: (r: number) => signal(r) },
  ];
  for (const c of cases) {
    it(c.name, () => {
      const labels = Float64Array.from({ length: rows }, (_, r) => c.label(r));
      const { model } = trainGbdt({ mode: c.mode, params: c.params, features: X, numRows: rows, numFeatures: cols, labels, seed: 3 });
      const k = model.ensemble.numTreePerIteration;
      const raw = predictBatchSync(model, X, rows, { raw: true, iterations: model.ensemble.trees.length / k });
      for (let r = 0; r < rows; r += 11) {
        expect(Array.from(raw.subarray(r * k, (r + 1) * k))).toEqual(Array.from(predictRawRow(model.ensemble, X.subarray(r * cols, (r + 1) * cols))));
      }
      const again = readPulseModel(writePulseModel(model));
      expect(Array.from(predictBatchSync(again, X, rows))).toEqual(Array.from(predictBatchSync(model, X, rows)));
      const lgb = parseLightGbmText(writeLightGbmText(model));
      const a = predictBatchSync(model, X, rows, { raw: true });
      const b = predictBatchSync(lgb, X, rows, { raw: true, iterations: model.bestIteration ?? undefined });
      for (let i = 0; i < a.length; i++) expect(Math.abs(a[i] - b[i])).toBeLessThan(1e-9);
      const phi = treeShap(model, X.subarray(0, 40 * cols), 40);
      for (let g = 0; g < 40 * k; g++) {
        let sum = 0;
        for (let j = 0; j <= cols; j++) sum += phi[g * (cols + 1) + j];
        expect(Math.abs(sum - a[g])).toBeLessThan(1e-9);
      }
    });
  }
});
