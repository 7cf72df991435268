import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { DataError } from '../../../src/core/errors.js';
import { rocAuc } from '../../../src/evaluation/metric/auc.js';
import { predictedClass } from '../../../src/evaluation/metric/metric.js';
import { METRICS, metricsFor } from '../../../src/evaluation/metric/metrics.js';
import { fixturePath } from '../../helpers/shared.js';

interface Oracles {
  regression: { y: number[]; pred: number[]; rmse: number; mae: number; r2: number; ic: number; directionalAccuracy: number };
  binary: { y: number[]; prob: number[]; logLoss: number; auc: number; accuracy: number; brier: number };
  multiclass: { y: number[]; prob: number[]; logLoss: number; auc: number; accuracy: number; brier: number };
}

const oracles = JSON.parse(readFileSync(fixturePath('train', 'oracles.json'), 'utf8')) as Oracles;
const f64 = (a: number[]): Float64Array => Float64Array.from(a);

describe('metrics match scikit-learn and SciPy (scripts/make-train-oracles.py)', () => {
  it('regression: rmse, mae, r2, ic (spearmanr), directional accuracy', () => {
    const { y, pred } = oracles.regression;
    const at = (name: keyof typeof METRICS): number => METRICS[name].evaluate(f64(y), f64(pred), 1);
    expect(at('rmse')).toBeCloseTo(oracles.regression.rmse, 12);
    expect(at('mae')).toBeCloseTo(oracles.regression.mae, 12);
    expect(at('r2')).toBeCloseTo(oracles.regression.r2, 12);
    expect(at('ic')).toBeCloseTo(oracles.regression.ic, 12);
    expect(at('directional_accuracy')).toBeCloseTo(oracles.regression.directionalAccuracy, 12);
  });

  it('binary: log loss, AUC with tied scores, accuracy, Brier', () => {
    const y = f64(oracles.binary.y);
    const p = f64(oracles.binary.prob);
    expect(METRICS.logloss.evaluate(y, p, 1)).toBeCloseTo(oracles.binary.logLoss, 12);
    expect(METRICS.auc.evaluate(y, p, 1)).toBeCloseTo(oracles.binary.auc, 12);
    expect(METRICS.accuracy.evaluate(y, p, 1)).toBeCloseTo(oracles.binary.accuracy, 12);
    expect(METRICS.brier.evaluate(y, p, 1)).toBeCloseTo(oracles.binary.brier, 12);
  });

  it('multiclass: log loss (softmax rows, where not renormalising agrees), one-vs-rest macro AUC, accuracy, Brier', () => {
    const y = f64(oracles.multiclass.y);
    const p = f64(oracles.multiclass.prob);
    expect(METRICS.multi_logloss.evaluate(y, p, 3)).toBeCloseTo(oracles.multiclass.logLoss, 12);
    expect(METRICS.auc.evaluate(y, p, 3)).toBeCloseTo(oracles.multiclass.auc, 12);
    expect(METRICS.accuracy.evaluate(y, p, 3)).toBeCloseTo(oracles.multiclass.accuracy, 12);
    expect(METRICS.brier.evaluate(y, p, 3)).toBeCloseTo(oracles.multiclass.brier, 12);
  });
});

describe('hand-computed values', () => {
  const y = f64([1, 2, 3, 4]);
  const p = f64([1.5, 2, 2, 5]);
  it('rmse, mae, mape (floor of 1 on |y|), r2', () => {
    expect(METRICS.rmse.evaluate(y, p, 1)).toBeCloseTo(Math.sqrt((0.25 + 0 + 1 + 1) / 4), 12);
    expect(METRICS.mae.evaluate(y, p, 1)).toBeCloseTo((0.5 + 0 + 1 + 1) / 4, 12);
    expect(METRICS.mape.evaluate(y, p, 1)).toBeCloseTo((0.5 / 1 + 0 + 1 / 3 + 1 / 4) / 4, 12);
    // SS_tot = 5, SS_res = 2.25
    expect(METRICS.r2.evaluate(y, p, 1)).toBeCloseTo(1 - 2.25 / 5, 12);
    expect(METRICS.mape.evaluate(f64([0]), f64([0.5]), 1)).toBe(0.5);
  });

  it('directional accuracy skips zero labels and scores zero predictions one half', () => {
    const da = METRICS.directional_accuracy;
    expect(da.evaluate(f64([0.1, -0.2, 0, 0.3]), f64([0.5, 0.1, 1, 0]), 1)).toBeCloseTo((1 + 0 + 0.5) / 3, 15);
    expect(da.evaluate(f64([0.1, -0.1]), f64([0, 0]), 1)).toBe(0.5);
  });

  it('binary log loss with clipping at 1e-15', () => {
    const yb = f64([0, 0, 1, 1]);
    const expected = -(Math.log(0.9) + Math.log(0.6) + Math.log(0.35) + Math.log(0.8)) / 4;
    expect(METRICS.logloss.evaluate(yb, f64([0.1, 0.4, 0.35, 0.8]), 1)).toBeCloseTo(expected, 12);
    expect(METRICS.logloss.evaluate(f64([1]), f64([0]), 1)).toBeCloseTo(-Math.log(1e-15), 10);
  });

  it('AUC counts a tied positive/negative pair as one half', () => {
    const yb = f64([0, 0, 1, 1]);
    expect(METRICS.auc.evaluate(yb, f64([0.1, 0.4, 0.35, 0.8]), 1)).toBe(0.75);
    expect(METRICS.auc.evaluate(yb, f64([0.5, 0.5, 0.5, 0.5]), 1)).toBe(0.5);
    expect(METRICS.auc.evaluate(yb, f64([0.1, 0.2, 0.3, 0.4]), 1)).toBe(1);
    // pairs (pos, neg): (0.5 vs 0.5) tie = 0.5, (0.5 vs 0.2) = 1, (0.9 vs 0.5) = 1, (0.9 vs 0.2) = 1 -> 3.5 / 4
    expect(METRICS.auc.evaluate(f64([1, 0, 1, 0]), f64([0.5, 0.5, 0.9, 0.2]), 1)).toBe(0.875);
    expect(rocAuc(f64([2, 0, 2, 0]), f64([0.5, 0.5, 0.9, 0.2]), 2)).toBe(0.875);
  });

  it('accuracy, multiclass log loss and Brier on row-major probabilities', () => {
    expect(METRICS.accuracy.evaluate(f64([0, 0, 1, 1]), f64([0.1, 0.6, 0.7, 0.5]), 1)).toBe(0.5);
    const ym = f64([0, 2, 1]);
    const pm = f64([0.7, 0.2, 0.1, 0.1, 0.3, 0.6, 0.5, 0.4, 0.1]);
    expect(METRICS.accuracy.evaluate(ym, pm, 3)).toBeCloseTo(2 / 3, 12);
    expect(METRICS.multi_logloss.evaluate(ym, pm, 3)).toBeCloseTo(-(Math.log(0.7) + Math.log(0.6) + Math.log(0.4)) / 3, 12);
    const brier = ((0.3 ** 2 + 0.2 ** 2 + 0.1 ** 2) + (0.1 ** 2 + 0.3 ** 2 + 0.4 ** 2) + (0.5 ** 2 + 0.6 ** 2 + 0.1 ** 2)) / 3;
    expect(METRICS.brier.evaluate(ym, pm, 3)).toBeCloseTo(brier, 12);
  });

  it('predicted class: P(1) > 0.5 for binary, the first arg-max for multiclass', () => {
    expect(predictedClass(f64([0.5, 0.51]), 0, 1)).toBe(0);
    expect(predictedClass(f64([0.5, 0.51]), 1, 1)).toBe(1);
    expect(predictedClass(f64([0.1, 0.45, 0.45]), 0, 3)).toBe(1);
  });

  it('rejects predictions of the wrong length', () => {
    expect(() => METRICS.rmse.evaluate(f64([1, 2]), f64([1]), 1)).toThrow(DataError);
    expect(() => METRICS.accuracy.evaluate(f64([1, 2]), f64([0.2, 0.8]), 3)).toThrow(/2 predictions for 2 labels of 3 value/);
  });
});

describe('metric registry', () => {
  it('keys are the metric names and the directions are declared', () => {
    for (const [key, m] of Object.entries(METRICS)) expect(m.name).toBe(key);
    const higher = Object.values(METRICS).filter((m) => m.higherIsBetter).map((m) => m.name).sort();
    expect(higher).toEqual(['accuracy', 'auc', 'directional_accuracy', 'ic', 'pearson_ic', 'r2']);
  });

  it('declares which tasks each metric scores', () => {
    expect(metricsFor('regression').map((m) => m.name)).toEqual(['rmse', 'mae', 'mape', 'r2', 'directional_accuracy', 'ic', 'pearson_ic']);
    expect(metricsFor('binary').map((m) => m.name)).toEqual(['logloss', 'auc', 'accuracy', 'brier']);
    expect(metricsFor('multiclass').map((m) => m.name)).toEqual(['multi_logloss', 'auc', 'accuracy', 'brier']);
  });
});
