/**
 * One training function: `pulse train` (runTraining) and walk-forward retraining fit through `fitModel`, so a
 * model trained either way on the same rows with the same seed predicts the same numbers.
 */
import { describe, expect, it } from 'vitest';
import { runWalkForward, type WalkForwardInput } from '../../src/backtest/walk-forward.js';
import { Rng } from '../../src/core/rng.js';
import { EARLY_STOPPING_SHARE, fitModel, type FitSpec } from '../../src/lifecycle/fit.js';
import type { FeatureColumns, ModelFamily } from '../../src/models/model.js';
import { runTraining } from '../../src/train/run.js';

const N = 420;
const HORIZON = 2;

/** Two noisy features and a noisy label that leans on the first. */
function data(seed = 4): { columns: Float64Array[]; labels: Float64Array } {
  const rng = new Rng(seed);
  const x0 = new Float64Array(N);
  const x1 = new Float64Array(N);
  const y = new Float64Array(N);
  for (let i = 0; i < N; i++) {
    x0[i] = rng.normal();
    x1[i] = rng.normal();
    y[i] = 0.3 * x0[i] - 0.1 * x1[i] * x0[i] + 0.5 * rng.normal();
  }
  return { columns: [x0, x1], labels: y };
}

const PARAMS: Partial<Record<ModelFamily, Record<string, unknown>>> = {
  lightgbm: { num_iterations: 60, num_leaves: 5, min_data_in_leaf: 10, early_stopping_round: 5, learning_rate: 0.1 },
  ensemble: { 'gbdt.num_iterations': 15, 'gbdt.num_leaves': 5, 'gbdt.min_data_in_leaf': 10, inner_folds: 2 },
  ridge: { alpha: 1 },
};

function rows(columns: readonly Float64Array[], from: number, to: number): FeatureColumns {
  return { columns: columns.map((c) => c.subarray(from, to)), names: ['x0', 'x1'], numRows: to - from };
}

describe('one training function', () => {
  it.each(['lightgbm', 'ensemble', 'ridge'] as const)('%s: a walk-forward segment predicts what the training function fits on its window', async (family) => {
    const { columns, labels } = data();
    const params = PARAMS[family]!;
    const input: WalkForwardInput = {
      columns, names: ['x0', 'x1'], labels, lookback: 5, horizon: HORIZON, task: 'regression', family, params,
      seed: 21, retrainEvery: 100, trainWindow: 'expanding', start: 220, end: N, workers: 1,
    };
    const wf = await runWalkForward(input);
    const seg = wf.segments[1];
    const X = rows(columns, seg.trainFrom, seg.trainTo + 1);
    const y = labels.slice(seg.trainFrom, seg.trainTo + 1);
    expect(y.every(Number.isFinite)).toBe(true);
    const spec: FitSpec = { family, task: 'regression', numClass: 1, params, horizon: HORIZON };
    // The iteration count of a boosting family, picked as documented: early stopping on the newest fifth, purged.
    let iterations: number | undefined;
    if (family === 'lightgbm') {
      const n = X.numRows;
      const nValid = Math.floor(n * EARLY_STOPPING_SHARE);
      const nFit = n - nValid - HORIZON;
      const sub = (a: number, b: number) => rows(X.columns, a, b);
      const probe = await fitModel(spec, sub(0, nFit), y.subarray(0, nFit), { seed: seg.seed, valid: { X: sub(n - nValid, n), y: y.subarray(n - nValid) } });
      iterations = probe.report.bestIteration!;
      expect(iterations).toBeGreaterThan(0);
    }
    const { model } = await fitModel(spec, X, y, { seed: seg.seed, iterations });
    const expected = model.predict(rows(columns, seg.predictFrom, seg.predictTo));
    const got = wf.predictions.subarray(seg.predictFrom - input.start, seg.predictTo - input.start);
    expect(Array.from(got)).toEqual(Array.from(expected));
  });

  it('pulse train\'s final model is the training function\'s model on the development rows (ensemble purge included)', async () => {
    const { columns, labels } = data(7);
    const times = Float64Array.from({ length: N }, (_, i) => i * 86_400_000);
    const y = labels.slice();
    y.fill(NaN, 0, 5);
    const params = PARAMS.ensemble!;
    const result = await runTraining({
      X: { columns, names: ['x0', 'x1'] }, y, times, horizon: HORIZON, family: 'ensemble', params, cv: 'walk-forward', folds: 2,
      window: { kind: 'expanding' }, embargo: 0, testSize: 0, seed: 13, task: 'regression',
    });
    const { model } = await fitModel({ family: 'ensemble', task: 'regression', numClass: 1, params, horizon: HORIZON }, rows(columns, 5, N), y.subarray(5), { seed: 13 });
    expect(model.describe().params.purge).toBe(HORIZON);
    const all = rows(columns, 0, N);
    expect(Array.from(result.model.predict(all))).toEqual(Array.from(model.predict(all)));
  });
});
