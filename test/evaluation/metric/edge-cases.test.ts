/**
 * Every metric's value on the degenerate inputs, asserted once for the whole metric set. The engine's early stopping
 * and the training reports read these same functions, so this table is where an edge-case rule is decided; a new
 * metric fails the coverage check below until its row is added.
 */
import { describe, expect, it } from 'vitest';
import type { MetricName, TaskKind } from '../../../src/evaluation/metric/metric.js';
import { METRICS } from '../../../src/evaluation/metric/metrics.js';

interface Case {
  what: string;
  labels: number[];
  predictions: number[];
  width: number;
  expected: number;
}

const f64 = (a: number[]): Float64Array => Float64Array.from(a);

/** The shared cases every metric gets (src/evaluation/metric/metric.ts): empty input and NaN anywhere give NaN. */
function sharedCases(task: TaskKind): Case[] {
  const width = task === 'multiclass' ? 3 : 1;
  const y = task === 'multiclass' ? [0, 1, 2] : task === 'binary' ? [0, 1, 1] : [1, -2, 3];
  const p = task === 'multiclass' ? [0.6, 0.3, 0.1, 0.2, 0.5, 0.3, 0.1, 0.1, 0.8] : task === 'binary' ? [0.2, 0.7, 0.9] : [0.5, -1, 2];
  const withNaN = (a: number[], i: number): number[] => a.map((v, j) => (j === i ? NaN : v));
  return [
    { what: 'no rows', labels: [], predictions: [], width, expected: NaN },
    { what: 'a NaN label', labels: withNaN(y, 1), predictions: p, width, expected: NaN },
    { what: 'a NaN prediction', labels: y, predictions: withNaN(p, 1), width, expected: NaN },
  ];
}

/** Metric-specific degenerate inputs and their decided values. */
const SPECIFIC: Record<MetricName, Case[]> = {
  rmse: [
    { what: 'constant labels', labels: [2, 2, 2], predictions: [1, 2, 3], width: 1, expected: Math.sqrt(2 / 3) },
    { what: 'one row', labels: [1], predictions: [3], width: 1, expected: 2 },
  ],
  mae: [
    { what: 'constant labels', labels: [2, 2, 2], predictions: [1, 2, 3], width: 1, expected: 2 / 3 },
    { what: 'one row', labels: [1], predictions: [3], width: 1, expected: 2 },
  ],
  mape: [
    { what: 'zero labels (denominator floored at 1)', labels: [0, 0], predictions: [0.5, -0.25], width: 1, expected: 0.375 },
    { what: 'constant labels', labels: [4, 4], predictions: [2, 4], width: 1, expected: 0.25 },
  ],
  r2: [
    { what: 'constant labels, imperfect predictions (sklearn: 0)', labels: [2, 2, 2], predictions: [1, 2, 3], width: 1, expected: NaN },
    { what: 'constant labels, perfect predictions (sklearn: 1)', labels: [2, 2, 2], predictions: [2, 2, 2], width: 1, expected: NaN },
    { what: 'one row', labels: [1], predictions: [1], width: 1, expected: NaN },
    { what: 'constant predictions at the label mean', labels: [1, 2, 3], predictions: [2, 2, 2], width: 1, expected: 0 },
    { what: 'constant predictions off the mean', labels: [1, 2, 3], predictions: [0, 0, 0], width: 1, expected: -6 },
  ],
  directional_accuracy: [
    { what: 'every label zero', labels: [0, 0, 0], predictions: [1, -1, 0], width: 1, expected: NaN },
    { what: 'constant labels', labels: [2, 2, 2], predictions: [1, -1, 0], width: 1, expected: 0.5 },
    { what: 'every prediction zero', labels: [1, -2, 3], predictions: [0, 0, 0], width: 1, expected: 0.5 },
    { what: 'one row', labels: [-1], predictions: [-3], width: 1, expected: 1 },
  ],
  ic: [
    { what: 'constant labels', labels: [2, 2, 2], predictions: [1, 2, 3], width: 1, expected: NaN },
    { what: 'constant predictions', labels: [1, 2, 3], predictions: [0, 0, 0], width: 1, expected: NaN },
    { what: 'one row', labels: [1], predictions: [1], width: 1, expected: NaN },
    { what: 'reversed order with ties', labels: [1, 2, 2, 3], predictions: [3, 2, 2, 1], width: 1, expected: -1 },
  ],
  pearson_ic: [
    { what: 'constant labels', labels: [2, 2, 2], predictions: [1, 2, 3], width: 1, expected: NaN },
    { what: 'constant predictions', labels: [1, 2, 3], predictions: [0, 0, 0], width: 1, expected: NaN },
    { what: 'one row', labels: [1], predictions: [1], width: 1, expected: NaN },
    { what: 'an exact linear relation', labels: [1, 2, 3, 4], predictions: [-2, -4, -6, -8], width: 1, expected: -1 },
    { what: 'ranks agree but sizes do not', labels: [1, 2, 3], predictions: [0, 1, 10], width: 1, expected: 10 / Math.sqrt((2 * 546) / 9) },
  ],
  logloss: [
    { what: 'one class only', labels: [1, 1], predictions: [0.5, 0.25], width: 1, expected: -(Math.log(0.5) + Math.log(0.25)) / 2 },
    { what: 'confident miss (clipped at 1e-15)', labels: [1], predictions: [0], width: 1, expected: -Math.log(1e-15) },
    { what: 'perfect (clipped at 1 - 1e-15)', labels: [1, 0], predictions: [1, 0], width: 1, expected: -Math.log(1 - 1e-15) },
  ],
  multi_logloss: [
    { what: 'a class absent', labels: [0, 0], predictions: [0.5, 0.25, 0.25, 0.25, 0.5, 0.25], width: 3, expected: -(Math.log(0.5) + Math.log(0.25)) / 2 },
    { what: 'confident miss (floored at 1e-15)', labels: [2], predictions: [1, 0, 0], width: 3, expected: -Math.log(1e-15) },
    { what: 'perfect (no upper clip)', labels: [1], predictions: [0, 1, 0], width: 3, expected: 0 },
  ],
  auc: [
    { what: 'one class only (sklearn raises)', labels: [1, 1], predictions: [0.2, 0.9], width: 1, expected: NaN },
    { what: 'constant scores', labels: [0, 1, 0, 1], predictions: [0.5, 0.5, 0.5, 0.5], width: 1, expected: 0.5 },
    { what: 'a class absent (multiclass)', labels: [0, 1, 0], predictions: [0.6, 0.3, 0.1, 0.2, 0.7, 0.1, 0.5, 0.4, 0.1], width: 3, expected: NaN },
  ],
  accuracy: [
    { what: 'one class only', labels: [1, 1], predictions: [0.2, 0.9], width: 1, expected: 0.5 },
    { what: 'P(1) exactly 0.5 predicts 0', labels: [0, 1], predictions: [0.5, 0.5], width: 1, expected: 0.5 },
    { what: 'tied top classes predict the lowest index', labels: [0, 1], predictions: [0.4, 0.4, 0.2, 0.4, 0.4, 0.2], width: 3, expected: 0.5 },
  ],
  brier: [
    { what: 'one class only', labels: [1, 1], predictions: [0.2, 0.9], width: 1, expected: (0.64 + 0.01) / 2 },
    { what: 'a class absent (multiclass)', labels: [0], predictions: [0.5, 0.5, 0], width: 3, expected: 0.5 },
  ],
};

describe('edge cases of every metric', () => {
  it('every metric of the registry has its cases, and no case names an unknown metric', () => {
    expect(Object.keys(SPECIFIC).sort()).toEqual(Object.keys(METRICS).sort());
  });

  for (const metric of Object.values(METRICS)) {
    const cases = [...metric.tasks.flatMap(sharedCases), ...SPECIFIC[metric.name]];
    it.each(cases.map((c) => [c.what, c] as const))(`${metric.name}: %s`, (_, c) => {
      const value = metric.evaluate(f64(c.labels), f64(c.predictions), c.width);
      // relative tolerance, so tiny values (a clipped perfect log loss, 1.1e-15) are told apart from 0
      if (Number.isNaN(c.expected)) expect(value).toBeNaN();
      else if (c.expected === 0) expect(value).toBe(0);
      else expect(Math.abs(value - c.expected) / Math.abs(c.expected)).toBeLessThan(1e-12);
    });
  }
});
