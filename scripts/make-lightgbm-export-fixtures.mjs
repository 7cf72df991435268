// Fixtures proving that real LightGBM loads pulse's LightGBM text export and predicts what pulse predicts.
//
//   npm run build && node scripts/make-lightgbm-export-fixtures.mjs && python3 scripts/lightgbm-export-oracle.py
//
// This script trains small seeded pulse models (one per objective and growth mode, with missing values) and writes,
// per case, into test/fixtures/gbdt/lgb-export/: <case>.pulse.json (the model in pulse's format), <case>.txt (its
// LightGBM text export) and <case>.rows.json (test rows, null = missing). The Python script then loads every
// <case>.txt with LightGBM (pip package lightgbm 4.x) and writes <case>.oracle.json with LightGBM's raw and
// transformed predictions. test/gbdt/format/lightgbm-export-oracle.test.ts checks pulse against them.
import { mkdirSync, writeFileSync } from 'node:fs';
import { Rng } from '../dist/src/core/rng.js';
import { trainGbdt } from '../dist/src/gbdt/booster.js';
import { writeLightGbmText } from '../dist/src/gbdt/format/lightgbm-text.js';
import { writePulseModel } from '../dist/src/gbdt/format/pulse-json.js';

const OUT = 'test/fixtures/gbdt/lgb-export';
const F = 5;

function data(rng, rows, label) {
  const X = new Float64Array(rows * F);
  const y = new Float64Array(rows);
  for (let i = 0; i < rows; i++) {
    for (let f = 0; f < F; f++) X[i * F + f] = rng.next() < 0.05 ? NaN : rng.normal();
    const x = (f) => (Number.isNaN(X[i * F + f]) ? 0.3 : X[i * F + f]);
    const s = Math.sin(2 * x(0)) + x(1) * x(2) + (x(3) > 0.5 ? 1 : 0) + 0.3 * rng.normal();
    y[i] = label(s);
  }
  return { X, y };
}

const cases = [
  { name: 'regression', mode: 'lightgbm', label: (s) => s, params: { num_iterations: 30, num_leaves: 15 } },
  { name: 'binary', mode: 'lightgbm', label: (s) => (s > 0.5 ? 1 : 0), params: { objective: 'binary', num_iterations: 25, num_leaves: 7 } },
  { name: 'multiclass', mode: 'lightgbm', label: (s) => (s < 0 ? 0 : s < 1 ? 1 : 2), params: { objective: 'multiclass', num_class: 3, num_iterations: 15, num_leaves: 7 } },
  { name: 'depthwise', mode: 'xgboost', label: (s) => s, params: { max_depth: 4, eta: 0.2, num_round: 20, lambda: 1 } },
  { name: 'forest', mode: 'rf', label: (s) => s, params: { num_iterations: 12, num_leaves: 15, bagging_fraction: 0.7, bagging_freq: 1, feature_fraction: 0.8 } },
  { name: 'huber-l1', mode: 'lightgbm', label: (s) => s, params: { objective: 'huber', num_iterations: 20, num_leaves: 7, lambda_l1: 0.5, lambda_l2: 2 } },
];

mkdirSync(OUT, { recursive: true });
for (const c of cases) {
  const rng = new Rng(2024);
  const train = data(rng, 600, c.label);
  const test = data(rng, 60, c.label);
  const { model } = trainGbdt({ mode: c.mode, features: train.X, numRows: 600, numFeatures: F, labels: train.y, params: c.params, seed: 11 });
  writeFileSync(`${OUT}/${c.name}.pulse.json`, writePulseModel(model));
  writeFileSync(`${OUT}/${c.name}.txt`, writeLightGbmText(model));
  const rows = Array.from({ length: 60 }, (_, i) => Array.from(test.X.subarray(i * F, (i + 1) * F), (v) => (Number.isNaN(v) ? null : v)));
  writeFileSync(`${OUT}/${c.name}.rows.json`, JSON.stringify(rows) + '\n');
  console.log(`${c.name}: ${model.ensemble.trees.length} trees`);
}
