import { describe, expect, it } from 'vitest';
import { METRICS } from '../../src/evaluation/metric/metrics.js';
import { rowLosses, rowLossName } from '../../src/evaluation/row-loss.js';

const mean = (x: Float64Array) => x.reduce((s, v) => s + v, 0) / x.length;

describe('row losses', () => {
  it('average to the metric of the same name, clipping included', () => {
    const y = [1.5, -0.5, 2, 0];
    const p = [1, 0, 2.5, -1];
    expect(mean(rowLosses('regression', y, p))).toBeCloseTo(METRICS.rmse.evaluate(new Float64Array(y), new Float64Array(p), 1) ** 2, 14);
    const yb = [1, 0, 1, 0, 1];
    const pb = [0.9, 0.2, 0, 1, 0.6];
    expect(mean(rowLosses('binary', yb, pb))).toBeCloseTo(METRICS.logloss.evaluate(new Float64Array(yb), new Float64Array(pb), 1), 12);
    const ym = [0, 2, 1];
    const pm = [0.7, 0.2, 0.1, 0.1, 0.1, 0.8, 0, 1, 0];
    expect(mean(rowLosses('multiclass', ym, pm, 3))).toBeCloseTo(METRICS.multi_logloss.evaluate(new Float64Array(ym), new Float64Array(pm), 3), 12);
    expect(rowLossName('regression')).toBe('squared-error');
    expect(rowLossName('multiclass')).toBe('log-loss');
  });

  it('refuses layouts that do not fit and class codes out of range', () => {
    expect(() => rowLosses('regression', [1, 2], [1])).toThrow(/1 predictions for 2 labels/);
    expect(() => rowLosses('multiclass', [3], [0.5, 0.5, 0], 3)).toThrow(/class 3 of row 0/);
  });
});
