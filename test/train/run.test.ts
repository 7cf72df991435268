import { beforeAll, describe, expect, it } from 'vitest';
import { DataError, UsageError } from '../../src/core/errors.js';
import { Rng } from '../../src/core/rng.js';
import type { RegressionMetrics, ClassificationMetrics } from '../../src/evaluation/reports.js';
import { runTraining, type RunTrainingInput, type RunTrainingResult, type TrainProgress } from '../../src/train/run.js';

const DAY = 86_400_000;

/** A synthetic bar series: features known at t, a forward label over `horizon` bars, NaN for the last bars. */
function series(n: number, horizon: number, seed: number): { X: RunTrainingInput['X']; ret: Float64Array; times: Float64Array } {
  const rng = new Rng(seed);
  const p = 6;
  const columns = Array.from({ length: p }, () => new Float64Array(n));
  const ret = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    for (let f = 0; f < p; f++) columns[f][i] = rng.normal();
    if (i < 3) columns[5][i] = NaN; // warm-up
    ret[i] = i >= n - horizon ? NaN : 0.5 * columns[0][i] + 0.3 * Math.sign(columns[1][i]) + rng.normal();
  }
  return { X: { columns, names: columns.map((_, f) => `f${f}`) }, ret, times: Float64Array.from({ length: n }, (_, i) => 1.7e12 + i * DAY) };
}

function input(over: Partial<RunTrainingInput>, n = 600, horizon = 3): RunTrainingInput {
  const s = series(n, horizon, 11);
  return {
    X: s.X, y: s.ret, times: s.times, horizon, family: 'lightgbm', params: { num_iterations: 80, learning_rate: 0.1, min_data_in_leaf: 20 },
    cv: 'walk-forward', folds: 4, window: { kind: 'expanding' }, embargo: 0, testSize: 0.15, seed: 42, task: 'regression', ...over,
  };
}

describe('runTraining: regression, walk-forward', () => {
  const events: TrainProgress[] = [];
  const fitEvents = new Map<number | 'final', number>();
  let result: RunTrainingResult;
  beforeAll(async () => {
    result = await runTraining(input({
      onProgress: (e) => events.push(e),
      onFitProgress: (fold, e) => fitEvents.set(fold, Math.max(fitEvents.get(fold) ?? 0, e.step)),
    }));
  });

  it('reports folds, baselines, test tail, conformal intervals and iterations', () => {
    expect(result.seed).toBe(42);
    expect(result.rows).toEqual({ total: 600, labelled: 597, development: 504, test: 90 });
    expect(result.cvMetrics.folds).toHaveLength(4);
    expect(result.baselineCvMetrics.folds).toHaveLength(4);
    expect(result.cvMetrics.mean.rows).toBe(result.cvMetrics.folds.reduce((s, f) => s + f.rows, 0));
    const cv = result.cvMetrics.mean;
    const base = result.baselineCvMetrics.mean;
    expect(cv.rmse).toBeLessThan(base.rmse);
    expect(cv.ic).toBeGreaterThan(0.2);
    expect(base.directionalAccuracy).toBe(0.5);
    const test = result.testMetrics as RegressionMetrics;
    expect(test.rows).toBe(90);
    expect(test.rmse).toBeLessThan((result.baselineTestMetrics as RegressionMetrics).rmse);
    expect(result.conformal!.levels.map((l) => l.coverage)).toEqual([0.8, 0.9]);
    expect(result.conformal!.calibrationRows).toBe(cv.rows);
    expect(result.conformal!.levels[1].halfWidth).toBeGreaterThan(result.conformal!.levels[0].halfWidth);
    for (const l of result.conformal!.levels) expect(Math.abs(l.testCoverage - l.coverage)).toBeLessThan(0.12);
    expect(result.bestIterations.folds.every((b) => b !== null && b >= 1)).toBe(true);
    expect(result.bestIterations.final).toBeGreaterThanOrEqual(1);
    expect(result.featureImportance![0].feature).toBe('f0');
    expect(events.map((e) => e.phase)).toEqual(['fold', 'fold', 'fold', 'fold', 'final', 'test']);
    expect([...fitEvents.keys()]).toEqual([1, 2, 3, 4, 'final']);
    expect(fitEvents.get('final')).toBe(result.bestIterations.final);
  });

  it('keeps every training label window clear of validation and test windows', () => {
    const h = result.horizon;
    const { development, test, folds } = result.ranges;
    expect(development.lastRow + h).toBeLessThan(test.firstRow);
    expect(result.ranges.final).toEqual(development);
    expect(test.lastRow).toBe(596); // the last 3 bars have no label
    expect(test.startTime).toBe(1.7e12 + test.firstRow * DAY);
    for (const f of folds) {
      expect(f.train.firstRow).toBe(0);
      expect(f.train.lastRow + h).toBeLessThan(f.valid.firstRow);
    }
    expect(folds[3].valid.lastRow).toBe(development.lastRow);
  });

  it('is deterministic for a seed and records it', async () => {
    const again = await runTraining(input({}));
    expect(again.cvMetrics).toEqual(result.cvMetrics);
    expect(again.testMetrics).toEqual(result.testMetrics);
    expect(again.model.toJSON()).toEqual(result.model.toJSON());
    const other = await runTraining(input({ seed: 43 }));
    expect(other.seed).toBe(43);
    expect(other.model.toJSON()).not.toEqual(result.model.toJSON());
  });
});

describe('runTraining: classification and other schemes', () => {
  it('encodes raw class values, reports classification metrics and no intervals', async () => {
    const s = series(500, 2, 5);
    // a dead zone: small returns have no label and are excluded
    const y = s.ret.map((r) => (Number.isNaN(r) || Math.abs(r) < 0.1 ? NaN : r > 0 ? 1 : -1));
    const labelled = y.filter((v) => !Number.isNaN(v)).length;
    const r = await runTraining(input({ X: s.X, y, times: s.times, horizon: 2, task: 'binary', family: 'logistic', params: {}, cv: 'purged-kfold', embargo: 5 }));
    expect(r.classValues).toEqual([-1, 1]);
    expect(r.conformal).toBeNull();
    expect(r.bestIterations).toEqual({ folds: [null, null, null, null], final: null });
    const m = r.testMetrics as ClassificationMetrics;
    expect(m.auc).toBeGreaterThan(0.6);
    expect(r.cvMetrics.mean.logLoss).toBeLessThan(r.baselineCvMetrics.mean.logLoss);
    expect(m.reliability).toHaveLength(10);
    expect(r.rows.labelled).toBe(labelled);
    expect(r.rows.labelled).toBeLessThan(480);
    expect(r.rows.development + r.rows.test).toBeLessThanOrEqual(labelled);
    // purged k-fold: middle folds train on both sides of their validation block
    const f = r.ranges.folds[1];
    expect(f.train.firstRow).toBe(0);
    expect(f.train.lastRow).toBeGreaterThan(f.valid.lastRow + 2 + 5);
  });

  it('trains a multiclass ensemble with inner folds purged by the horizon', async () => {
    const s = series(500, 3, 6);
    const y = s.ret.map((r) => (Number.isNaN(r) ? NaN : r > 0.5 ? 1 : r < -0.5 ? -1 : 0));
    const r = await runTraining(input({
      X: s.X, y, times: s.times, task: 'multiclass', family: 'ensemble', folds: 3,
      params: { 'gbdt.num_iterations': 40, 'gbdt.learning_rate': 0.1, inner_folds: 3 },
    }));
    expect(r.classValues).toEqual([-1, 0, 1]);
    expect(r.model.describe().params.purge).toBe(3);
    expect((r.testMetrics as ClassificationMetrics).rows).toBe(r.rows.test);
    expect(r.cvMetrics.mean.logLoss).toBeLessThan(r.baselineCvMetrics.mean.logLoss);
  });

  it('trains ridge on a rolling window without a test tail', async () => {
    const r = await runTraining(input({ family: 'ridge', params: {}, testSize: 0, window: { kind: 'rolling', size: 150 } }));
    expect(r.testMetrics).toBeNull();
    expect(r.baselineTestMetrics).toBeNull();
    expect(r.conformal!.levels[0].testCoverage).toBeNaN();
    for (const f of r.ranges.folds) expect(f.train.rows).toBeLessThanOrEqual(150);
    expect(r.ranges.final.rows).toBe(150);
    expect(r.ranges.final.lastRow).toBe(r.ranges.development.lastRow);
  });
});

describe('runTraining: refusals', () => {
  it('says how many bars are needed when there are too few', async () => {
    await expect(runTraining(input({}, 80))).rejects.toThrow(DataError);
    await expect(runTraining(input({}, 80))).rejects.toThrow(/at least \d+ are needed/);
  });

  it('names the fold when a fold cannot be fitted', async () => {
    const s = series(400, 2, 3);
    // the first 150 bars are all one class: the first walk-forward fold trains on one class only
    const y = s.ret.map((r, i) => (Number.isNaN(r) ? NaN : i < 150 ? 0 : r > 0 ? 1 : 0));
    await expect(runTraining(input({ X: s.X, y, times: s.times, horizon: 2, task: 'binary', folds: 4 })))
      .rejects.toThrow(/cross-validation fold 1 of 4 \(training bars 0\.\.\d+\): .*both classes are needed/);
  });

  it('refuses bad labels, shapes, options and parameters', async () => {
    const s = series(300, 3, 1);
    await expect(runTraining(input({ X: s.X, y: s.ret, times: s.times, task: 'binary' }))).rejects.toThrow(/binary task needs exactly 2 label classes/);
    await expect(runTraining(input({ times: new Float64Array(3) }))).rejects.toThrow(/3 bar times for 600 labels/);
    await expect(runTraining(input({ folds: 0 }))).rejects.toThrow(UsageError);
    await expect(runTraining(input({ testSize: 0.99 }))).rejects.toThrow(UsageError);
    await expect(runTraining(input({ params: { num_leaves: 0 } }))).rejects.toThrow(/num_leaves/);
    await expect(runTraining(input({ seed: -1 }))).rejects.toThrow(/seed -1 is invalid/);
  });
});
