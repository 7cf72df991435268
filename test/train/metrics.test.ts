import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  accuracy, auc, aucOneVsRest, averageRanks, brier, classificationMetrics, directionalAccuracy, informationCoefficient,
  logLoss, mae, meanMetrics, r2, regressionMetrics, reliabilityTable, rmse,
} from '../../src/train/metrics.js';
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

describe('regression metrics match scikit-learn and SciPy', () => {
  const { y, pred } = oracles.regression;
  it.each([
    ['rmse', rmse],
    ['mae', mae],
    ['r2', r2],
    ['ic', informationCoefficient],
    ['directionalAccuracy', directionalAccuracy],
  ] as const)('%s', (name, fn) => {
    expect(fn(f64(y), f64(pred))).toBeCloseTo(oracles.regression[name], 12);
  });

  it('bundles them in regressionMetrics', () => {
    const m = regressionMetrics(f64(y), f64(pred));
    expect(m.rows).toBe(y.length);
    expect(m.ic).toBeCloseTo(oracles.regression.ic, 12);
  });
});

describe('binary metrics match scikit-learn', () => {
  const y = f64(oracles.binary.y);
  const p = f64(oracles.binary.prob);
  it('log loss, AUC with tied scores, accuracy, Brier', () => {
    expect(logLoss(y, p)).toBeCloseTo(oracles.binary.logLoss, 12);
    expect(auc(y, p)).toBeCloseTo(oracles.binary.auc, 12);
    expect(accuracy(y, p)).toBeCloseTo(oracles.binary.accuracy, 12);
    expect(brier(y, p)).toBeCloseTo(oracles.binary.brier, 12);
  });

  it('reliability table bins as calibration_curve (edges such as 0.3 go to the lower bin)', () => {
    const table = reliabilityTable(y, p);
    expect(table).toHaveLength(10);
    expect(table.map((b) => b.count)).toEqual(oracles.binary.reliability.count);
    const nonEmpty = table.filter((b) => b.count > 0);
    nonEmpty.forEach((b, i) => {
      expect(b.observedFrequency).toBeCloseTo(oracles.binary.reliability.observedFrequency[i], 12);
      expect(b.meanPredicted).toBeCloseTo(oracles.binary.reliability.meanPredicted[i], 12);
    });
    expect(table[2]).toMatchObject({ lower: 0.2, upper: 0.3 });
  });
});

describe('multiclass metrics match scikit-learn', () => {
  const y = f64(oracles.multiclass.y);
  const p = f64(oracles.multiclass.prob);
  it('log loss, one-vs-rest macro AUC, accuracy, Brier', () => {
    expect(logLoss(y, p, 3)).toBeCloseTo(oracles.multiclass.logLoss, 12);
    expect(aucOneVsRest(y, p, 3)).toBeCloseTo(oracles.multiclass.auc, 12);
    expect(accuracy(y, p, 3)).toBeCloseTo(oracles.multiclass.accuracy, 12);
    expect(brier(y, p, 3)).toBeCloseTo(oracles.multiclass.brier, 12);
    const m = classificationMetrics(y, p, 3);
    expect(m.reliability.reduce((s, b) => s + b.count, 0)).toBe(y.length);
  });
});

describe('hand-checked values and degenerate inputs', () => {
  it('averages tied ranks', () => {
    expect(Array.from(averageRanks(f64([10, 20, 10, 30, 20])))).toEqual([1.5, 3.5, 1.5, 5, 3.5]);
  });

  it('AUC counts a tied positive/negative pair as one half', () => {
    // pairs (pos, neg): (0.5 vs 0.5) tie = 0.5, (0.5 vs 0.2) = 1, (0.9 vs 0.5) = 1, (0.9 vs 0.2) = 1 -> 3.5 / 4
    expect(auc(f64([1, 0, 1, 0]), f64([0.5, 0.5, 0.9, 0.2]))).toBe(0.875);
    expect(auc(f64([1, 1]), f64([0.2, 0.3]))).toBeNaN();
  });

  it('directional accuracy skips zero returns and scores zero predictions one half', () => {
    expect(directionalAccuracy(f64([0.1, -0.2, 0, 0.3]), f64([0.5, 0.1, 1, 0]))).toBeCloseTo((1 + 0 + 0.5) / 3, 15);
    expect(directionalAccuracy(f64([0.1, -0.1]), f64([0, 0]))).toBe(0.5);
    expect(directionalAccuracy(f64([0, 0]), f64([1, 1]))).toBeNaN();
  });

  it('gives NaN for undefined statistics instead of a misleading number', () => {
    expect(informationCoefficient(f64([1, 2, 3]), f64([0, 0, 0]))).toBeNaN();
    expect(r2(f64([1, 1, 1]), f64([1, 2, 3]))).toBeNaN();
    expect(rmse(f64([]), f64([]))).toBeNaN();
    expect(logLoss(f64([]), f64([]))).toBeNaN();
  });

  it('clips log loss at 1e-15 like scikit-learn', () => {
    expect(logLoss(f64([1]), f64([0]))).toBeCloseTo(-Math.log(1e-15), 10);
  });

  it('averages fold metrics, skipping NaN folds and summing rows', () => {
    const a = regressionMetrics(f64([1, -1, 2]), f64([1, -1, 1]));
    const b = { ...regressionMetrics(f64([1, 2]), f64([0, 0])) };
    const mean = meanMetrics([a, b]);
    expect(mean.rows).toBe(5);
    expect(mean.rmse).toBeCloseTo((a.rmse + b.rmse) / 2, 15);
    expect(b.ic).toBeNaN();
    expect(mean.ic).toBe(a.ic);
  });
});
