/**
 * `runTraining` end to end on real daily bars from ../shared (skipped without it): the default feature set and a
 * 5-bar forward-return label on GOOG, about the size of the 2,500 x 60 benchmark.
 */
import { describe, expect, it } from 'vitest';
import { computeFeatureSet } from '../../src/features/compute.js';
import { DEFAULT_FEATURE_SET } from '../../src/features/feature-set.js';
import { computeLabels } from '../../src/features/labels.js';
import type { RegressionMetrics, ClassificationMetrics } from '../../src/evaluation/reports.js';
import { runTraining } from '../../src/train/run.js';
import { readCsvSeries } from '../features/helpers.js';
import { HAS_SHARED, sharedPath } from '../helpers/shared.js';

describe.skipIf(!HAS_SHARED)('training on real GOOG daily bars', () => {
  const series = HAS_SHARED ? readCsvSeries(sharedPath('data/market/backtesting.py/GOOG-1d.csv'), '1d', 'GOOG') : null;
  const features = series ? computeFeatureSet(DEFAULT_FEATURE_SET, series) : null;
  const labels = series ? computeLabels(series, [{ kind: 'forwardReturn', horizon: 5 }, { kind: 'direction', horizon: 5, deadZone: 0, classes: 'binary' }]) : null;

  it('runs lightgbm regression with baselines, intervals and leak-free ranges', async () => {
    const r = await runTraining({
      X: { columns: features!.columns, names: features!.names }, y: labels!.columns[0], times: series!.time, horizon: 5,
      family: 'lightgbm', params: { num_iterations: 300 }, cv: 'walk-forward', folds: 5, window: { kind: 'expanding' },
      embargo: 0, testSize: 0.15, seed: 7, task: 'regression',
    });
    expect(r.rows.total).toBe(series!.length);
    expect(r.rows.labelled).toBe(series!.length - 5);
    expect(r.ranges.test.lastRow).toBe(series!.length - 6);
    expect(r.ranges.test.endTime).toBe(series!.time[series!.length - 6]);
    expect(r.ranges.development.lastRow + 5).toBeLessThan(r.ranges.test.firstRow);
    for (const f of r.ranges.folds) expect(f.train.lastRow + 5).toBeLessThan(f.valid.firstRow);
    const test = r.testMetrics as RegressionMetrics;
    expect(Number.isFinite(test.rmse) && Number.isFinite(test.ic)).toBe(true);
    // returns are close to unpredictable: the model must not be wildly worse than the zero forecast
    expect(test.rmse).toBeLessThan(1.2 * (r.baselineTestMetrics as RegressionMetrics).rmse);
    for (const l of r.conformal!.levels) {
      expect(l.halfWidth).toBeGreaterThan(0);
      expect(l.testCoverage).toBeGreaterThan(l.coverage - 0.2);
    }
    const total = r.featureImportance!.reduce((s, e) => s + e.importance, 0);
    expect(total).toBeCloseTo(1, 10);
  });

  it('runs logistic direction classification with purged k-fold', async () => {
    const r = await runTraining({
      X: { columns: features!.columns, names: features!.names }, y: labels!.columns[1], times: series!.time, horizon: 5,
      family: 'logistic', params: {}, cv: 'purged-kfold', folds: 5, window: { kind: 'expanding' },
      embargo: 5, testSize: 0.15, seed: 7, task: 'binary',
    });
    expect(r.classValues).toEqual([0, 1]);
    const m = r.testMetrics as ClassificationMetrics;
    expect(m.auc).toBeGreaterThan(0.35);
    expect(m.auc).toBeLessThan(0.65);
    expect(m.logLoss).toBeLessThan(1);
    expect(r.model.describe().details.converged).toBe(true);
  });
});
