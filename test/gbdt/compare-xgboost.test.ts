/**
 * Accuracy against the real XGBoost (Debian python3-xgboost) on a small problem, in xgboost mode with the same
 * parameters. Skips when /usr/bin/python3 or its xgboost module is missing (e.g. on a fresh clone).
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { trainGbdt } from '../../src/gbdt/booster.js';
import { predictRawRow } from '../../src/gbdt/tree.js';
import { makeProblem, rmseOf } from './helpers.js';

const PYTHON = '/usr/bin/python3';
const HAS_XGBOOST = spawnSync(PYTHON, ['-c', 'import xgboost'], { stdio: 'ignore' }).status === 0;

const SCRIPT = `
import sys, json, numpy as np, xgboost as xgb
d = sys.argv[1]; m = json.load(open(d + "/meta.json"))
X = np.fromfile(d + "/X.f64").reshape(m["rows"], m["cols"]); y = np.fromfile(d + "/y.f64")
tr = m["train"]
params = {"tree_method": "hist", "max_depth": 4, "eta": 0.3, "lambda": 1, "min_child_weight": 1, "max_bin": 255, "base_score": float(np.mean(y[:tr]))}
b = xgb.train(params, xgb.DMatrix(X[:tr], label=y[:tr]), 60)
p = b.predict(xgb.DMatrix(X[tr:]))
print(json.dumps({"rmse": float(np.sqrt(np.mean((p - y[tr:]) ** 2)))}))
`;

describe.skipIf(!HAS_XGBOOST)('xgboost mode against python XGBoost', () => {
  it('reaches the holdout error of XGBoost on a nonlinear problem (within 6%: hist and exact XGBoost differ by ~3% here)', () => {
    const rows = 6000;
    const train = 4000;
    const p = makeProblem(rows, 6, 77, (x, r) => Math.sin(2 * x[0]) + x[1] * x[2] + 0.5 * Math.abs(x[3]) + 0.3 * r.normal());
    for (let i = 0; i < rows; i += 37) p.X[i * 6 + 4] = NaN;
    const dir = mkdtempSync(join(tmpdir(), 'pulse-xgb-'));
    try {
      writeFileSync(join(dir, 'X.f64'), new Uint8Array(p.X.buffer));
      writeFileSync(join(dir, 'y.f64'), new Uint8Array(p.y.buffer));
      writeFileSync(join(dir, 'meta.json'), JSON.stringify({ rows, cols: 6, train }));
      const out = spawnSync(PYTHON, ['-c', SCRIPT, dir], { encoding: 'utf8' });
      expect(out.status, out.stderr).toBe(0);
      const xgbRmse = (JSON.parse(out.stdout) as { rmse: number }).rmse;
      const r = trainGbdt({
        mode: 'xgboost', features: p.X.subarray(0, train * 6), numRows: train, numFeatures: 6, labels: p.y.subarray(0, train),
        params: { max_depth: 4, eta: 0.3, lambda: 1, min_child_weight: 1, num_boost_round: 60 },
      });
      const pred = new Float64Array(rows - train);
      for (let i = train; i < rows; i++) pred[i - train] = predictRawRow(r.model.ensemble, p.X.subarray(i * 6, i * 6 + 6))[0];
      const ours = rmseOf(pred, p.y.subarray(train));
      expect(ours).toBeLessThan(xgbRmse * 1.06);
      expect(ours).toBeGreaterThan(xgbRmse * 0.9);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
