import { describe, expect, it } from 'vitest';
import { forwardLogReturns } from '../../src/backtest/returns.js';
import { quantileSignals, signalsFromPredictions } from '../../src/lifecycle/signals.js';
import { UsageError } from '../../src/core/errors.js';
import { flatBars } from './bars.js';

describe('signals from predictions', () => {
  it('thresholds predicted returns symmetrically and keeps NaN as NaN', () => {
    const p = Float64Array.from([0.002, 0.0005, -0.0005, -0.003, NaN, 0.001]);
    expect(Array.from(signalsFromPredictions(p, { kind: 'threshold', threshold: 0.001 }))).toEqual([1, 0, 0, -1, NaN, 0]);
  });

  it('thresholds class probabilities around one half', () => {
    const p = Float64Array.from([0.7, 0.55, 0.5, 0.45, 0.3, NaN]);
    expect(Array.from(signalsFromPredictions(p, { kind: 'probability', threshold: 0.6 }))).toEqual([1, 0, 0, 0, -1, NaN]);
  });

  it('ranks quantiles among the trailing window only, flat during warm-up', () => {
    const p = Float64Array.from([5, 1, 9, 3, 7, 2, 8]);
    // window 4, q 0.25 (cut 1), warm-up 4: bar 3 window [5,1,9,3] -> 3 has 1 below and 2 above -> flat
    // bar 4 window [1,9,3,7]: 7 has 1 above and 2 below, neither fewer than 1 -> flat
    // bar 5 window [9,3,7,2]: 2 is the lowest (0 below < 1) -> short
    // bar 6 window [3,7,2,8]: 8 is the highest -> long
    expect(Array.from(quantileSignals(p, 0.25, 4, 4))).toEqual([0, 0, 0, 0, 0, -1, 1]);
  });

  it('does not look ahead: changing later predictions leaves earlier quantile signals unchanged', () => {
    const p = Float64Array.from({ length: 300 }, (_, i) => Math.sin(i * 0.7) + 0.1 * Math.cos(i * 3.1));
    const before = quantileSignals(p, 0.2, 50, 20);
    const q = p.slice();
    for (let i = 200; i < 300; i++) q[i] = -q[i] * 3;
    const after = quantileSignals(q, 0.2, 50, 20);
    expect(Array.from(after.subarray(0, 200))).toEqual(Array.from(before.subarray(0, 200)));
    expect(Array.from(after.subarray(200))).not.toEqual(Array.from(before.subarray(200)));
  });

  it('stays flat on ties across both tails', () => {
    expect(Array.from(quantileSignals(new Float64Array(6).fill(1), 0.2, 5, 3))).toEqual([0, 0, 0, 0, 0, 0]);
  });

  it.each([
    [{ kind: 'threshold', threshold: -1 }],
    [{ kind: 'probability', threshold: 0.4 }],
    [{ kind: 'probability', threshold: 1 }],
    [{ kind: 'quantile', quantile: 0.6, windowBars: 10, minObservations: 5 }],
    [{ kind: 'quantile', quantile: 0.2, windowBars: 1, minObservations: 1 }],
    [{ kind: 'quantile', quantile: 0.2, windowBars: 10, minObservations: 11 }],
  ] as const)('refuses the rule %j with a UsageError', (rule) => {
    expect(() => signalsFromPredictions(new Float64Array(3), rule)).toThrow(UsageError);
  });

  it('realised forward log returns are aligned with the bar they start at', () => {
    const r = forwardLogReturns(flatBars([100, 110, 99]), 1);
    expect(r[0]).toBeCloseTo(Math.log(1.1), 15);
    expect(r[1]).toBeCloseTo(Math.log(0.9), 15);
    expect(r[2]).toBeNaN();
  });
});
