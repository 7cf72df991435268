import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { METRICS } from '../../src/evaluation/metric/metrics.js';
import { reliabilityTable } from '../../src/evaluation/reliability.js';
import { classificationMetrics, meanMetrics, regressionMetrics } from '../../src/evaluation/reports.js';
import { fixturePath } from '../helpers/shared.js';

interface Oracles {
  regression: { y: number[]; pred: number[]; rmse: number; mae: number; r2: number; ic: number; directionalAccuracy: number };
  binary: {
    y: number[]; prob: number[]; logLoss: number; auc: number; accuracy: number; brier: number;
    reliability: { observedFrequency: number[]; meanPredicted: number[]; count: number[] };
  };
  multiclass: { y: number[]; prob: number[]; logLoss: number; auc: number; accuracy: number; brier: number };
}

const oracles = JSON.parse(readFileSync(fixturePath('train', 'oracles.json'), 'utf8')) as Oracles;
const f64 = (a: number[]): Float64Array => Float64Array.from(a);

describe('training reports match scikit-learn and SciPy under their stored keys', () => {
  it('regression report', () => {
    const { y, pred } = oracles.regression;
    const m = regressionMetrics(f64(y), f64(pred));
    expect(Object.keys(m)).toEqual(['rows', 'rmse', 'mae', 'r2', 'directionalAccuracy', 'ic']);
    expect(m.rows).toBe(y.length);
    for (const key of ['rmse', 'mae', 'r2', 'directionalAccuracy', 'ic'] as const) expect(m[key]).toBeCloseTo(oracles.regression[key], 12);
  });

  it('binary report', () => {
    const m = classificationMetrics(f64(oracles.binary.y), f64(oracles.binary.prob), 2);
    expect(Object.keys(m)).toEqual(['rows', 'logLoss', 'auc', 'accuracy', 'brier', 'reliability']);
    for (const key of ['logLoss', 'auc', 'accuracy', 'brier'] as const) expect(m[key]).toBeCloseTo(oracles.binary[key], 12);
    expect(m.reliability.map((b) => b.count)).toEqual(oracles.binary.reliability.count);
  });

  it('multiclass report', () => {
    const y = f64(oracles.multiclass.y);
    const m = classificationMetrics(y, f64(oracles.multiclass.prob), 3);
    for (const key of ['logLoss', 'auc', 'accuracy', 'brier'] as const) expect(m[key]).toBeCloseTo(oracles.multiclass[key], 12);
    expect(m.reliability.reduce((s, b) => s + b.count, 0)).toBe(y.length);
  });
});

describe('report fields are the metric set', () => {
  it('each field equals the registry metric of that meaning, bit for bit', () => {
    const { y, pred } = oracles.regression;
    const m = regressionMetrics(f64(y), f64(pred));
    expect(m.rmse).toBe(METRICS.rmse.evaluate(f64(y), f64(pred), 1));
    expect(m.r2).toBe(METRICS.r2.evaluate(f64(y), f64(pred), 1));
    expect(m.directionalAccuracy).toBe(METRICS.directional_accuracy.evaluate(f64(y), f64(pred), 1));
    expect(m.ic).toBe(METRICS.ic.evaluate(f64(y), f64(pred), 1));
    const ym = f64(oracles.multiclass.y);
    const pm = f64(oracles.multiclass.prob);
    expect(classificationMetrics(ym, pm, 3).logLoss).toBe(METRICS.multi_logloss.evaluate(ym, pm, 3));
    const yb = f64(oracles.binary.y);
    const pb = f64(oracles.binary.prob);
    expect(classificationMetrics(yb, pb, 2).logLoss).toBe(METRICS.logloss.evaluate(yb, pb, 1));
  });

  it('carries the edge-case rules: constant labels, one class, no rows', () => {
    const flat = regressionMetrics(f64([1, 1, 1]), f64([1, 2, 3]));
    expect(flat.r2).toBeNaN();
    expect(flat.ic).toBeNaN();
    expect(flat.rmse).toBeCloseTo(Math.sqrt(5 / 3), 15);
    const oneClass = classificationMetrics(f64([1, 1]), f64([0.2, 0.3]), 2);
    expect(oneClass.auc).toBeNaN();
    expect(oneClass.accuracy).toBe(0);
    const empty = classificationMetrics(f64([]), f64([]), 2);
    expect(empty.rows).toBe(0);
    expect([empty.logLoss, empty.auc, empty.accuracy, empty.brier].every(Number.isNaN)).toBe(true);
    expect(empty.reliability.every((b) => b.count === 0 && Number.isNaN(b.meanPredicted))).toBe(true);
  });
});

describe('reliability table', () => {
  it('bins as calibration_curve (edges such as 0.3 go to the lower bin)', () => {
    const table = reliabilityTable(f64(oracles.binary.y), f64(oracles.binary.prob));
    expect(table).toHaveLength(10);
    expect(table.map((b) => b.count)).toEqual(oracles.binary.reliability.count);
    const nonEmpty = table.filter((b) => b.count > 0);
    nonEmpty.forEach((b, i) => {
      expect(b.observedFrequency).toBeCloseTo(oracles.binary.reliability.observedFrequency[i], 12);
      expect(b.meanPredicted).toBeCloseTo(oracles.binary.reliability.meanPredicted[i], 12);
    });
    expect(table[2]).toMatchObject({ lower: 0.2, upper: 0.3 });
  });

  it('uses the top class and whether it was right for multiclass', () => {
    // rows: top 0.7 right, top 0.6 wrong, top 0.45 right
    const table = reliabilityTable(f64([0, 1, 2]), f64([0.7, 0.2, 0.1, 0.6, 0.3, 0.1, 0.3, 0.25, 0.45]), 3, 2);
    expect(table.map((b) => b.count)).toEqual([1, 2]);
    expect(table[1].observedFrequency).toBe(0.5);
    expect(table[1].meanPredicted).toBeCloseTo(0.65, 15);
    expect(table[0].observedFrequency).toBe(1);
  });
});

describe('fold means', () => {
  it('average fold metrics, skipping NaN folds and summing rows', () => {
    const a = regressionMetrics(f64([1, -1, 2]), f64([1, -1, 1]));
    const b = regressionMetrics(f64([1, 2]), f64([0, 0]));
    const mean = meanMetrics([a, b]);
    expect(mean.rows).toBe(5);
    expect(mean.rmse).toBeCloseTo((a.rmse + b.rmse) / 2, 15);
    expect(b.ic).toBeNaN();
    expect(mean.ic).toBe(a.ic);
  });

  it('are NaN when every fold is NaN and leave the reliability table out', () => {
    const a = classificationMetrics(f64([1, 1]), f64([0.2, 0.9]), 2);
    const mean = meanMetrics([a, a]);
    expect(mean.auc).toBeNaN();
    expect(mean.brier).toBeCloseTo(a.brier, 15);
    expect(Object.keys(mean)).not.toContain('reliability');
    expect(meanMetrics([])).toEqual({});
  });
});
