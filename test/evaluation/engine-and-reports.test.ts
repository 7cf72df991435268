/**
 * The GBDT engine's early-stopping metrics and the training reports are one metric set: the engine resolves its
 * `metric` parameter in src/evaluation's registry and the reports compose the same functions. These tests fail if
 * either side grows its own definition again, on ordinary data and on the degenerate cases where the two former
 * definitions disagreed (R2 on constant labels, AUC with one class).
 */
import { describe, expect, it } from 'vitest';
import { Rng } from '../../src/core/rng.js';
import { METRICS } from '../../src/evaluation/metric/metrics.js';
import { classificationMetrics, regressionMetrics } from '../../src/evaluation/reports.js';
import { METRICS as ENGINE_METRICS, trainGbdt, transformOutput, type TrainGbdtResult } from '../../src/gbdt/index.js';

function problem(numRows: number, seed: number, label: (x: number[], rng: Rng) => number): { X: Float64Array; y: Float64Array } {
  const rng = new Rng(seed);
  const X = new Float64Array(numRows * 3);
  const y = new Float64Array(numRows);
  for (let i = 0; i < numRows; i++) {
    const x = [rng.normal(), rng.normal(), rng.normal()];
    X.set(x, i * 3);
    y[i] = label(x, rng);
  }
  return { X, y };
}

/** Transformed predictions of the returned model on validation set `v` (what its last iteration was scored on). */
function validPredictions(r: TrainGbdtResult, v: number, numRows: number): Float64Array {
  return transformOutput(r.model.objective, r.validRawScores[v], numRows);
}

const last = (r: TrainGbdtResult, set: string, metric: keyof typeof METRICS): number => r.evals[set][metric]!.at(-1)!;

describe('one metric set for early stopping and reports', () => {
  it('the engine exports the evaluation registry itself', () => {
    expect(ENGINE_METRICS).toBe(METRICS);
  });

  it('regression: the last iteration\'s validation metrics equal the report fields, bit for bit', () => {
    const train = problem(600, 1, (x, r) => 0.02 * x[0] - 0.01 * x[1] + 0.01 * r.normal());
    const valid = problem(200, 2, (x, r) => 0.02 * x[0] - 0.01 * x[1] + 0.01 * r.normal());
    const flat = problem(50, 3, () => 0.5);
    const r = trainGbdt({
      features: train.X, numRows: 600, numFeatures: 3, labels: train.y,
      params: { num_iterations: 15, metric: 'rmse,mae,r2,directional_accuracy,ic' },
      valid: [{ name: 'valid', features: valid.X, numRows: 200, labels: valid.y }, { name: 'flat', features: flat.X, numRows: 50, labels: flat.y }],
    });
    const report = regressionMetrics(valid.y, validPredictions(r, 0, 200));
    expect(last(r, 'valid', 'rmse')).toBe(report.rmse);
    expect(last(r, 'valid', 'mae')).toBe(report.mae);
    expect(last(r, 'valid', 'r2')).toBe(report.r2);
    expect(last(r, 'valid', 'directional_accuracy')).toBe(report.directionalAccuracy);
    expect(last(r, 'valid', 'ic')).toBe(report.ic);
    expect(report.ic).toBeGreaterThan(0.3);
    // constant labels: the engine's R2 was 0 and the report's NaN; now both are NaN, and IC too
    const flatReport = regressionMetrics(flat.y, validPredictions(r, 1, 50));
    expect(flatReport.r2).toBeNaN();
    expect(r.evals.flat.r2!.every(Number.isNaN)).toBe(true);
    expect(r.evals.flat.ic!.every(Number.isNaN)).toBe(true);
    expect(last(r, 'flat', 'rmse')).toBe(flatReport.rmse);
  });

  it('binary: log loss, AUC, accuracy and Brier equal the report fields; one class gives NaN AUC on both', () => {
    const train = problem(600, 4, (x, r) => (x[0] + 0.5 * r.normal() > 0 ? 1 : 0));
    const valid = problem(200, 5, (x, r) => (x[0] + 0.5 * r.normal() > 0 ? 1 : 0));
    const ones = problem(40, 6, () => 1);
    const r = trainGbdt({
      features: train.X, numRows: 600, numFeatures: 3, labels: train.y,
      params: { objective: 'binary', num_iterations: 10, metric: 'logloss,auc,accuracy,brier' },
      valid: [{ name: 'valid', features: valid.X, numRows: 200, labels: valid.y }, { name: 'ones', features: ones.X, numRows: 40, labels: ones.y }],
    });
    const report = classificationMetrics(valid.y, validPredictions(r, 0, 200), 2);
    expect(last(r, 'valid', 'logloss')).toBe(report.logLoss);
    expect(last(r, 'valid', 'auc')).toBe(report.auc);
    expect(last(r, 'valid', 'accuracy')).toBe(report.accuracy);
    expect(last(r, 'valid', 'brier')).toBe(report.brier);
    expect(report.auc).toBeGreaterThan(0.8);
    // one class: the engine's AUC was 0.5 and the report's NaN; now both are NaN
    expect(classificationMetrics(ones.y, validPredictions(r, 1, 40), 2).auc).toBeNaN();
    expect(r.evals.ones.auc!.every(Number.isNaN)).toBe(true);
  });

  it('multiclass: multi_logloss is the report\'s logLoss, and AUC, accuracy and Brier agree', () => {
    const cls = (x: number[], r: Rng): number => { const z = x[0] + 0.4 * r.normal(); return z < -0.4 ? 0 : z < 0.4 ? 1 : 2; };
    const train = problem(600, 7, cls);
    const valid = problem(200, 8, cls);
    const r = trainGbdt({
      features: train.X, numRows: 600, numFeatures: 3, labels: train.y,
      params: { objective: 'multiclass', num_class: 3, num_iterations: 8, metric: 'multi_logloss,auc,accuracy,brier' },
      valid: [{ name: 'valid', features: valid.X, numRows: 200, labels: valid.y }],
    });
    const report = classificationMetrics(valid.y, validPredictions(r, 0, 200), 3);
    expect(last(r, 'valid', 'multi_logloss')).toBe(report.logLoss);
    expect(last(r, 'valid', 'auc')).toBe(report.auc);
    expect(last(r, 'valid', 'accuracy')).toBe(report.accuracy);
    expect(last(r, 'valid', 'brier')).toBe(report.brier);
  });
});

describe('early stopping on metrics that can be NaN', () => {
  it('keeps the first iteration when the metric is NaN on every iteration (as a constant value does)', () => {
    const train = problem(400, 9, (x) => x[0]);
    const flat = problem(50, 10, () => 1);
    const r = trainGbdt({
      features: train.X, numRows: 400, numFeatures: 3, labels: train.y,
      params: { num_iterations: 30, metric: 'r2' }, earlyStoppingRounds: 3,
      valid: [{ name: 'flat', features: flat.X, numRows: 50, labels: flat.y }],
    });
    expect(r.bestIteration).toBe(1);
    expect(r.evals.flat.r2).toHaveLength(4);
  });

  it('lets a number replace a NaN best: IC is NaN while every validation prediction is equal, then improves', () => {
    // the first tree (learning rate 1, two leaves) fits the step in x0, on whose one side every validation row lies,
    // so IC is NaN after iteration 1; the next trees split on x1, which orders the validation labels
    const train = problem(800, 11, (x) => (x[0] > 0 ? 10 : 0) + 0.1 * x[1]);
    const raw = problem(200, 12, (x) => x[1]);
    const X = raw.X.map((v, i) => (i % 3 === 0 ? Math.abs(v) + 0.5 : v));
    const y = Float64Array.from({ length: 200 }, (_, i) => 10 + 0.1 * X[i * 3 + 1]);
    const r = trainGbdt({
      features: train.X, numRows: 800, numFeatures: 3, labels: train.y,
      params: { num_iterations: 10, num_leaves: 2, learning_rate: 1, min_data_in_leaf: 5, metric: 'ic' }, earlyStoppingRounds: 2,
      valid: [{ name: 'valid', features: X, numRows: 200, labels: y }],
    });
    expect(r.evals.valid.ic![0]).toBeNaN();
    expect(r.evals.valid.ic![1]).toBeGreaterThan(0.5);
    expect(r.bestIteration).toBeGreaterThan(1);
  });
});
