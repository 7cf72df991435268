import { runTraining } from '../../src/train/run.js';
import { Rng } from '../../src/core/rng.js';
const n = Number(process.argv[2] ?? 2500), p = Number(process.argv[3] ?? 60);
const rng = new Rng(1);
const cols = Array.from({ length: p }, () => new Float64Array(n));
const y = new Float64Array(n);
for (let i = 0; i < n; i++) { for (let f = 0; f < p; f++) cols[f][i] = rng.normal(); y[i] = 0.1 * cols[0][i] - 0.05 * cols[1][i] * cols[2][i] + rng.normal(); }
for (let i = n - 5; i < n; i++) y[i] = NaN;
for (const family of (process.argv[4] ?? 'lightgbm,xgboost,rf,ridge,naive,ensemble').split(',')) {
  const t0 = performance.now();
  const r = runTraining({ X: { columns: cols, names: cols.map((_, f) => `f${f}`) }, y, times: Float64Array.from({ length: n }, (_, i) => i * 86400000),
    horizon: 5, family: family as never, cv: 'walk-forward', folds: 5, window: { kind: 'expanding' }, embargo: 0, testSize: 0.15, seed: 42, task: 'regression' });
  console.log(family, ((performance.now() - t0) / 1000).toFixed(2) + 's', JSON.stringify(r.cvMetrics.mean), JSON.stringify(r.testMetrics), JSON.stringify(r.conformal), JSON.stringify(r.bestIterations));
}
