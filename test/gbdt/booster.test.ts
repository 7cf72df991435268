import { describe, expect, it } from 'vitest';
import { DataError, UsageError } from '../../src/core/errors.js';
import { trainGbdt, type TrainGbdtOptions } from '../../src/gbdt/booster.js';
import { OBJECTIVES } from '../../src/gbdt/objective/objectives.js';
import { resolveParams } from '../../src/gbdt/params.js';
import { leafIndex, predictRawRow, type Ensemble } from '../../src/gbdt/tree.js';
import { makeProblem, rmseOf } from './helpers.js';

function predictAll(ensemble: Ensemble, X: Float64Array, numRows: number, numFeatures: number): Float64Array {
  const K = ensemble.numTreePerIteration;
  const out = new Float64Array(numRows * K);
  for (let i = 0; i < numRows; i++) out.set(predictRawRow(ensemble, X.subarray(i * numFeatures, (i + 1) * numFeatures)), i * K);
  return out;
}

const step = makeProblem(2000, 3, 1, (x) => (x[0] > 0.3 ? 2 : -1));
const xor = makeProblem(3000, 4, 2, (x, r) => ((x[0] > 0) !== (x[1] > 0) ? 1 : 0) + 0.05 * r.normal());
const linear = makeProblem(3000, 3, 3, (x, r) => 2 * x[0] - x[1] + 0.1 * r.normal());

describe('trainGbdt learns known problems', () => {
  it('fits a step function exactly (every value its own bin)', () => {
    const r = trainGbdt({ features: step.X, numRows: step.numRows, numFeatures: 3, labels: step.y, params: { num_iterations: 60, num_leaves: 4, max_bin: 4000 } });
    expect(rmseOf(r.trainRawScores, step.y)).toBeLessThan(0.01);
    const coarse = trainGbdt({ features: step.X, numRows: step.numRows, numFeatures: 3, labels: step.y, params: { num_iterations: 60, num_leaves: 4, max_bin: 15 } });
    expect(rmseOf(coarse.trainRawScores, step.y)).toBeGreaterThan(0.02);
    // the first tree splits on the informative feature near 0.3
    const t = r.model.ensemble.trees[0];
    expect(t.splitFeature[0]).toBe(0);
    expect(Math.abs(t.threshold[0] - 0.3)).toBeLessThan(0.02);
    expect(r.importance.splits[0]).toBeGreaterThan(r.importance.splits[1]);
  });

  it('learns an XOR interaction (held-out error near the noise level)', () => {
    const test = makeProblem(1000, 4, 20, (x) => ((x[0] > 0) !== (x[1] > 0) ? 1 : 0));
    const r = trainGbdt({ features: xor.X, numRows: xor.numRows, numFeatures: 4, labels: xor.y, params: { num_iterations: 100, num_leaves: 8, learning_rate: 0.2 } });
    expect(rmseOf(predictAll(r.model.ensemble, test.X, 1000, 4), test.y)).toBeLessThan(0.2);
  });

  it('approximates a linear target', () => {
    const test = makeProblem(1000, 3, 30, (x) => 2 * x[0] - x[1]);
    const r = trainGbdt({ features: linear.X, numRows: linear.numRows, numFeatures: 3, labels: linear.y, params: { num_iterations: 300, num_leaves: 15 } });
    expect(rmseOf(predictAll(r.model.ensemble, test.X, 1000, 3), test.y)).toBeLessThan(0.2);
  });

  it('classifies with binary and multiclass objectives', () => {
    const yb = xor.y.map((v) => (v > 0.5 ? 1 : 0));
    const rb = trainGbdt({ features: xor.X, numRows: xor.numRows, numFeatures: 4, labels: yb, params: { objective: 'binary', num_iterations: 60, metric: 'auc,accuracy,logloss' }, evalTraining: true });
    expect(rb.evals.training.auc!.at(-1)).toBeGreaterThan(0.99);
    expect(rb.model.objective).toEqual({ name: 'binary', numClass: 1, params: { sigmoid: 1 } });
    const ym = linear.X.filter((_, i) => i % 3 === 0).map((x) => (x < -0.5 ? 0 : x < 0.5 ? 1 : 2));
    const rm = trainGbdt({ features: linear.X, numRows: linear.numRows, numFeatures: 3, labels: ym, params: { objective: 'multiclass', num_class: 3, num_iterations: 30 }, evalTraining: true });
    expect(rm.model.ensemble.numTreePerIteration).toBe(3);
    expect(rm.model.ensemble.trees.length).toBe(90);
    expect(rm.evals.training.multi_logloss!.at(-1)).toBeLessThan(0.1);
  });

  it('fits the median with L1 and the requested quantile with quantile regression', () => {
    const noisy = makeProblem(4000, 2, 4, (x, r) => x[0] + r.normal() * 2);
    const l1 = trainGbdt({ features: noisy.X, numRows: 4000, numFeatures: 2, labels: noisy.y, params: { objective: 'regression_l1', num_iterations: 50 } });
    const q = trainGbdt({ features: noisy.X, numRows: 4000, numFeatures: 2, labels: noisy.y, params: { objective: 'quantile', alpha: 0.9, num_iterations: 50 } });
    const share = (s: Float64Array): number => s.reduce((a, v, i) => a + (noisy.y[i] <= v ? 1 : 0), 0) / 4000;
    expect(share(l1.trainRawScores)).toBeCloseTo(0.5, 1);
    expect(share(q.trainRawScores)).toBeCloseTo(0.9, 1);
    const h = trainGbdt({ features: noisy.X, numRows: 4000, numFeatures: 2, labels: noisy.y, params: { objective: 'huber', alpha: 1, num_iterations: 50 } });
    expect(rmseOf(h.trainRawScores, noisy.X.filter((_, i) => i % 2 === 0))).toBeLessThan(0.6);
  });
});

describe('trainGbdt bookkeeping', () => {
  it('decreases the training loss at every iteration', () => {
    for (const objective of ['regression', 'binary'] as const) {
      const labels = objective === 'binary' ? xor.y.map((v) => (v > 0.5 ? 1 : 0)) : xor.y;
      const obj = OBJECTIVES[objective](resolveParams('lightgbm', { objective }));
      const losses: number[] = [];
      for (const iters of [1, 2, 5, 10, 20]) {
        const r = trainGbdt({ features: xor.X, numRows: xor.numRows, numFeatures: 4, labels, params: { objective, num_iterations: iters, num_leaves: 8 } });
        let l = 0;
        for (let i = 0; i < xor.numRows; i++) l += obj.loss(labels, r.trainRawScores, i);
        losses.push(l);
      }
      for (let i = 1; i < losses.length; i++) expect(losses[i]).toBeLessThan(losses[i - 1]);
    }
  });

  it('tracks exactly the scores predictRawRow gives for the returned model', () => {
    const withNaN = step.X.map((v, i) => (i % 11 === 0 ? NaN : v));
    const valid = makeProblem(300, 3, 9, (x) => x[0]);
    valid.X[4] = NaN;
    const modes = [
      { mode: 'lightgbm', params: { num_iterations: 20, bagging_fraction: 0.7, bagging_freq: 2, feature_fraction: 0.7 } },
      { mode: 'xgboost', params: { num_boost_round: 20, max_depth: 3 } },
      { mode: 'rf', params: { num_iterations: 10 } },
      { mode: 'lightgbm', params: { num_iterations: 8, objective: 'multiclass', num_class: 3 } },
    ] as const;
    for (const { mode, params } of modes) {
      const labels = 'objective' in params ? step.y.map((v, i) => (v > 0 ? 2 : i % 2)) : step.y;
      const r = trainGbdt({ mode, features: withNaN, numRows: step.numRows, numFeatures: 3, labels, params, valid: [{ features: valid.X, numRows: 300, labels: valid.y.map(() => 1) }] });
      expect(Array.from(predictAll(r.model.ensemble, withNaN, step.numRows, 3)), mode).toEqual(Array.from(r.trainRawScores));
      expect(Array.from(predictAll(r.model.ensemble, valid.X, 300, 3))).toEqual(Array.from(r.validRawScores[0]));
      expect(r.model.ensemble.averageOutput).toBe(mode === 'rf');
    }
  });

  it('stops early at the best validation iteration and keeps only its trees', () => {
    const train = makeProblem(400, 5, 5, (x, r) => x[0] + r.normal());
    const valid = makeProblem(400, 5, 6, (x, r) => x[0] + r.normal());
    const r = trainGbdt({
      features: train.X, numRows: 400, numFeatures: 5, labels: train.y, earlyStoppingRounds: 10,
      params: { num_iterations: 500, num_leaves: 31, min_data_in_leaf: 2, learning_rate: 0.3 },
      valid: [{ name: 'holdout', features: valid.X, numRows: 400, labels: valid.y }],
    });
    const curve = r.evals.holdout.rmse!;
    expect(r.iterationsTrained).toBeLessThan(500);
    expect(curve.length).toBe(r.iterationsTrained);
    expect(r.iterationsTrained - r.bestIteration).toBe(10);
    expect(Math.min(...curve)).toBe(curve[r.bestIteration - 1]);
    expect(r.model.ensemble.trees.length).toBe(r.bestIteration);
    expect(r.model.bestIteration).toBe(r.bestIteration);
    expect(rmseOf(r.validRawScores[0], valid.y)).toBeCloseTo(curve[r.bestIteration - 1], 12);
  });

  it('is deterministic for a seed and sensitive to it', () => {
    const opts: TrainGbdtOptions = {
      features: xor.X, numRows: xor.numRows, numFeatures: 4, labels: xor.y, seed: 7,
      params: { num_iterations: 15, bagging_fraction: 0.5, bagging_freq: 1, feature_fraction: 0.5, bin_construct_sample_cnt: 500 },
    };
    const a = trainGbdt(opts);
    const b = trainGbdt(opts);
    const c = trainGbdt({ ...opts, seed: 8 });
    expect(Array.from(a.trainRawScores)).toEqual(Array.from(b.trainRawScores));
    expect(a.model.dataHash).toBe(b.model.dataHash);
    expect(a.model.dataHash).toMatch(/^[0-9a-f]{64}$/);
    expect(a.model.seed).toBe(7);
    expect(a.model.params.seed).toBe(7);
    expect(Array.from(a.trainRawScores)).not.toEqual(Array.from(c.trainRawScores));
  });

  it('gives identical models for 1 and 2 threads', () => {
    const big = makeProblem(6000, 6, 8, (x, r) => Math.sin(x[0]) + x[1] * x[2] + 0.1 * r.normal());
    const run = (threads: number) => trainGbdt({
      features: big.X, numRows: 6000, numFeatures: 6, labels: big.y, minRowsForThreads: 1000,
      params: { num_iterations: 10, num_threads: threads, bagging_fraction: 0.8, bagging_freq: 1 },
    });
    const one = run(1);
    const two = run(2);
    expect(one.numThreads).toBe(1);
    expect(two.numThreads).toBe(2);
    expect(Array.from(two.trainRawScores)).toEqual(Array.from(one.trainRawScores));
    expect(two.model.ensemble.trees.map((t) => Array.from(t.threshold))).toEqual(one.model.ensemble.trees.map((t) => Array.from(t.threshold)));
  });

  it('keeps 2-thread training identical over thousands of back-to-back jobs, with either histogram kernel', () => {
    // a worker that ran a job twice (a late wake-up) once let the caller run ahead of it: stress the hand-off
    const n = 30000;
    const p = makeProblem(n, 8, 9, (x, r) => Math.sin(2 * x[0]) + x[1] * x[2] + 0.5 * r.normal());
    const run = (threads: number, wasmKernels: boolean) => trainGbdt({
      features: p.X, numRows: n, numFeatures: 8, labels: p.y, minRowsForThreads: 1000, wasmKernels,
      params: { num_iterations: 80, num_leaves: 63, min_data_in_leaf: 5, num_threads: threads },
    }).trainRawScores;
    const reference = Array.from(run(1, false));
    expect(Array.from(run(1, true))).toEqual(reference);
    for (let rep = 0; rep < 3; rep++) expect(Array.from(run(2, true))).toEqual(reference);
    expect(Array.from(run(2, false))).toEqual(reference);
  });

  it('routes missing values the way training learned', () => {
    // missing rows carry the high label: NaN must follow the high side
    const n = 1000;
    const X = new Float64Array(n);
    const y = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      if (i % 4 === 0) {
        X[i] = NaN;
        y[i] = 5;
      } else {
        X[i] = i / n;
        y[i] = X[i] < 0.5 ? 5 : -5;
      }
    }
    const r = trainGbdt({ features: X, numRows: n, numFeatures: 1, labels: y, params: { num_iterations: 30, num_leaves: 3, learning_rate: 0.5 } });
    expect(predictRawRow(r.model.ensemble, [NaN])[0]).toBeCloseTo(5, 1);
    expect(predictRawRow(r.model.ensemble, [0.9])[0]).toBeCloseTo(-5, 1);
    const t = r.model.ensemble.trees[0];
    expect(leafIndex(t, [NaN])).toBe(leafIndex(t, [0.1]));
  });

  it('grows depth-wise in xgboost mode within max_depth and leaf-wise within num_leaves', () => {
    const depthOf = (t: Ensemble['trees'][number], node = 0): number =>
      node < 0 ? 0 : 1 + Math.max(depthOf(t, t.leftChild[node]), depthOf(t, t.rightChild[node]));
    const x = trainGbdt({ mode: 'xgboost', features: linear.X, numRows: linear.numRows, numFeatures: 3, labels: linear.y, params: { max_depth: 3, num_boost_round: 5 } });
    for (const t of x.model.ensemble.trees) {
      expect(t.numLeaves).toBe(8);
      expect(depthOf(t)).toBe(3);
    }
    const l = trainGbdt({ features: linear.X, numRows: linear.numRows, numFeatures: 3, labels: linear.y, params: { num_leaves: 7, num_iterations: 5 } });
    for (const t of l.model.ensemble.trees) expect(t.numLeaves).toBe(7);
    const capped = trainGbdt({ features: linear.X, numRows: linear.numRows, numFeatures: 3, labels: linear.y, params: { num_leaves: 31, max_depth: 2, num_iterations: 3 } });
    for (const t of capped.model.ensemble.trees) expect(depthOf(t)).toBeLessThanOrEqual(2);
    expect(l.model.mode).toBe('lightgbm');
    expect(x.model.mode).toBe('xgboost');
    expect(x.model.params.learning_rate).toBe(0.3);
  });

  it('fills covers, gains and importance consistently', () => {
    const r = trainGbdt({ features: linear.X, numRows: linear.numRows, numFeatures: 3, labels: linear.y, params: { num_iterations: 5, num_leaves: 6 } });
    for (const t of r.model.ensemble.trees) {
      expect(t.internalCover[0]).toBe(linear.numRows);
      expect(t.leafCover.reduce((a, b) => a + b, 0)).toBeCloseTo(linear.numRows, 6);
      for (const g of t.splitGain) expect(g).toBeGreaterThan(0);
    }
    const gains = r.importance.gain;
    expect(gains[0]).toBeGreaterThan(gains[2]);
    expect(r.importance.splits.reduce((a, b) => a + b, 0)).toBe(25);
  });

  it('reports progress and evaluates all requested metrics', () => {
    const seen: number[] = [];
    const r = trainGbdt({
      features: linear.X, numRows: linear.numRows, numFeatures: 3, labels: linear.y, params: { num_iterations: 4, metric: ['rmse', 'mae', 'r2', 'mape'] },
      valid: [{ features: linear.X, numRows: linear.numRows, labels: linear.y }], onIteration: (p) => seen.push(p.iteration),
    });
    expect(seen).toEqual([1, 2, 3, 4]);
    expect(Object.keys(r.evals.valid_0)).toEqual(['rmse', 'mae', 'r2', 'mape']);
    expect(r.evals.valid_0.r2![3]).toBeGreaterThan(r.evals.valid_0.r2![0]);
  });
});

describe('trainGbdt rejects bad input with clear errors', () => {
  const base = { features: linear.X, numRows: linear.numRows, numFeatures: 3, labels: linear.y };
  const cases: [string, () => unknown, RegExp, typeof DataError | typeof UsageError][] = [
    ['NaN label', () => trainGbdt({ ...base, labels: linear.y.map((v, i) => (i === 17 ? NaN : v)) }), /label of row 17 is NaN/, DataError],
    ['infinite label', () => trainGbdt({ ...base, labels: linear.y.map((v, i) => (i === 3 ? -Infinity : v)) }), /row 3 is -Infinity/, DataError],
    ['empty data', () => trainGbdt({ ...base, features: new Float64Array(0), numRows: 0, labels: [] }), /0 rows; at least 2/, DataError],
    ['single row', () => trainGbdt({ ...base, features: new Float64Array(3), numRows: 1, labels: [1] }), /1 rows; at least 2/, DataError],
    ['constant features', () => trainGbdt({ ...base, features: new Float64Array(linear.X.length).fill(4) }), /all 3 features are constant/, DataError],
    ['one class only', () => trainGbdt({ ...base, labels: linear.y.map(() => 1), params: { objective: 'binary' } }), /every label is 1; both classes are needed/, DataError],
    ['wrong feature count', () => trainGbdt({ ...base, numFeatures: 4 }), /do not form 3000 rows x 4 features/, DataError],
    ['wrong validation width', () => trainGbdt({ ...base, valid: [{ features: new Float64Array(10), numRows: 5, labels: [1, 2, 3, 4, 5] }] }), /validation set valid_0: 10 values do not form 5 rows x 3 features/, DataError],
    ['feature names', () => trainGbdt({ ...base, featureNames: ['a', 'b'] }), /2 feature names for 3 features/, DataError],
    ['unknown parameter', () => trainGbdt({ ...base, params: { num_leafs: 3 } }), /unknown lightgbm parameter "num_leafs"/, UsageError],
    ['out-of-range value', () => trainGbdt({ ...base, params: { feature_fraction: 0 } }), /feature_fraction = 0 is invalid: out of range/, UsageError],
    ['metric for another task', () => trainGbdt({ ...base, params: { metric: 'auc' } }), /metric auc does not apply to the regression objective/, UsageError],
    ['contradicting seed', () => trainGbdt({ ...base, seed: 1, params: { seed: 2 } }), /seed option = 1 contradicts parameter seed = 2/, UsageError],
    ['unknown mode', () => trainGbdt({ ...base, mode: 'catboost' as 'rf' }), /unknown training mode "catboost"/, UsageError],
  ];
  it.each(cases)('%s', (_name, run, message, type) => {
    expect(run).toThrow(type);
    expect(run).toThrow(message);
  });

  it('ignores constant features when others are usable', () => {
    const X = linear.X.map((v, i) => (i % 3 === 2 ? 1 : v));
    const r = trainGbdt({ ...base, features: X, params: { num_iterations: 3 } });
    expect(r.importance.splits[2]).toBe(0);
  });
});
