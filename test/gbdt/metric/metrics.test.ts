import { describe, expect, it } from 'vitest';
import { METRICS } from '../../../src/gbdt/metric/metrics.js';

const y = Float64Array.of(1, 2, 3, 4);
const p = Float64Array.of(1.5, 2, 2, 5);

describe('regression metrics (hand-computed)', () => {
  it('rmse, mae, mape, r2', () => {
    expect(METRICS.rmse.evaluate(y, p, 1)).toBeCloseTo(Math.sqrt((0.25 + 0 + 1 + 1) / 4), 12);
    expect(METRICS.mae.evaluate(y, p, 1)).toBeCloseTo((0.5 + 0 + 1 + 1) / 4, 12);
    expect(METRICS.mape.evaluate(y, p, 1)).toBeCloseTo((0.5 / 1 + 0 + 1 / 3 + 1 / 4) / 4, 12);
    // SS_tot = 5, SS_res = 2.25
    expect(METRICS.r2.evaluate(y, p, 1)).toBeCloseTo(1 - 2.25 / 5, 12);
    expect(METRICS.r2.evaluate(Float64Array.of(2, 2), Float64Array.of(1, 3), 1)).toBe(0);
    expect(METRICS.mape.evaluate(Float64Array.of(0), Float64Array.of(0.5), 1)).toBe(0.5);
  });
});

describe('classification metrics (hand-computed)', () => {
  const yb = Float64Array.of(0, 0, 1, 1);
  it('logloss with clipping', () => {
    const pb = Float64Array.of(0.1, 0.4, 0.35, 0.8);
    const expected = -(Math.log(0.9) + Math.log(0.6) + Math.log(0.35) + Math.log(0.8)) / 4;
    expect(METRICS.logloss.evaluate(yb, pb, 1)).toBeCloseTo(expected, 12);
    expect(Number.isFinite(METRICS.logloss.evaluate(Float64Array.of(1), Float64Array.of(0), 1))).toBe(true);
  });
  it('auc with ties and degenerate labels', () => {
    expect(METRICS.auc.evaluate(yb, Float64Array.of(0.1, 0.4, 0.35, 0.8), 1)).toBe(0.75);
    expect(METRICS.auc.evaluate(yb, Float64Array.of(0.5, 0.5, 0.5, 0.5), 1)).toBe(0.5);
    expect(METRICS.auc.evaluate(yb, Float64Array.of(0.1, 0.2, 0.3, 0.4), 1)).toBe(1);
    expect(METRICS.auc.evaluate(Float64Array.of(1, 1), Float64Array.of(0.1, 0.2), 1)).toBe(0.5);
  });
  it('accuracy for binary and multiclass', () => {
    expect(METRICS.accuracy.evaluate(yb, Float64Array.of(0.1, 0.6, 0.7, 0.5), 1)).toBe(0.5);
    const ym = Float64Array.of(0, 2, 1);
    const pm = Float64Array.of(0.7, 0.2, 0.1, 0.1, 0.3, 0.6, 0.5, 0.4, 0.1);
    expect(METRICS.accuracy.evaluate(ym, pm, 3)).toBeCloseTo(2 / 3, 12);
    expect(METRICS.multi_logloss.evaluate(ym, pm, 3)).toBeCloseTo(-(Math.log(0.7) + Math.log(0.6) + Math.log(0.4)) / 3, 12);
  });
});

describe('metric registry', () => {
  it('declares direction and names match keys', () => {
    for (const [key, m] of Object.entries(METRICS)) expect(m.name).toBe(key);
    const higher = Object.values(METRICS).filter((m) => m.higherIsBetter).map((m) => m.name).sort();
    expect(higher).toEqual(['accuracy', 'auc', 'r2']);
  });
});
