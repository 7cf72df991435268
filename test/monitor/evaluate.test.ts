/**
 * The figures of `pulse evaluate`: a model's metrics on hand-computed rows, periods, the degradation rule, and the
 * Wilson interval and ICs against R's prop.test and SciPy (skipped when Rscript or /usr/bin/python3 with SciPy is
 * missing).
 */
import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { wilsonInterval } from '../../src/backtest/stats/metrics.js';
import { Rng } from '../../src/core/rng.js';
import { METRICS } from '../../src/evaluation/metric/metrics.js';
import { judgeDegradation } from '../../src/monitor/degradation.js';
import { modelMetrics, periodOf } from '../../src/monitor/evaluate.js';
import type { ModelVersion } from '../../src/registry/registry.js';
import type { PredictionRecord } from '../../src/store/records.js';

const PYTHON = '/usr/bin/python3';
const HAS_SCIPY = spawnSync(PYTHON, ['-c', 'import scipy.stats'], { stdio: 'ignore' }).status === 0;
const HAS_R = spawnSync('Rscript', ['-e', 'invisible(0)'], { stdio: 'ignore' }).status === 0;

const version = (task: string, target: object, horizon = 1) =>
  ({ id: 'm1', status: 'active', horizon, target: (target as { name: string }).name, metrics: { task, target } }) as unknown as ModelVersion;

const prediction = (barTs: number, value: number, signal: 'long' | 'short' | 'flat', outcome: number, intervals: PredictionRecord['intervals'] = null): PredictionRecord => ({
  modelId: 'm1', symbol: 'AAA', interval: '1d', barTs, horizon: 1, value, intervals, signal, fallback: false, createdAt: 0, outcome, outcomeAt: 1,
});

describe('a model\'s metrics on its rows', () => {
  const returnTarget = { name: 'return', horizon: 1 };
  // forecasts and realised log returns
  const ps = [
    prediction(1, 0.02, 'long', 0.01),
    prediction(2, -0.01, 'short', 0.02),
    prediction(3, 0.0, 'flat', -0.03),
    prediction(4, 0.03, 'long', 0.04),
    prediction(5, -0.02, 'short', -0.01),
  ];
  const realised = Float64Array.from(ps, (p) => p.outcome!);

  it('errors, direction, ICs, hit rate with its Wilson interval, signal returns, Sharpe and profit factor', () => {
    const m = modelMetrics(version('regression', returnTarget), { predictions: ps, realised }, 252);
    const e = [0.01 - 0.02, 0.02 + 0.01, -0.03, 0.04 - 0.03, -0.01 + 0.02];
    expect(m.n).toBe(5);
    expect(m.rmse).toBeCloseTo(Math.sqrt(e.reduce((s, x) => s + x * x, 0) / 5), 15);
    expect(m.mae).toBeCloseTo(e.reduce((s, x) => s + Math.abs(x), 0) / 5, 15);
    expect(m.logLoss).toBeNull();
    // signs: + vs +, - vs +, 0 vs - (one half), + vs +, - vs -
    expect(m.directionalAccuracy).toBeCloseTo(3.5 / 5, 15);
    // the flat bar makes no call: 3 hits of 4 calls
    expect([m.hits, m.calls, m.hitRate]).toEqual([3, 4, 0.75]);
    expect(m.hitInterval).toEqual(wilsonInterval(3, 4));
    const r = [Math.expm1(0.01), -Math.expm1(0.02), 0, Math.expm1(0.04), -Math.expm1(-0.01)];
    expect(m.signalReturn).toBeCloseTo(r.reduce((a, b) => a + b, 0), 15);
    const mean = r.reduce((a, b) => a + b, 0) / 5;
    const sd = Math.sqrt(r.reduce((s, x) => s + (x - mean) ** 2, 0) / 4);
    expect(m.sharpe).toBeCloseTo((mean / sd) * Math.sqrt(252), 12);
    // gross gains of the four calls over the one loss
    expect(m.profitFactor).toBeCloseTo((r[0] + r[3] + r[4]) / -r[1], 12);
    expect(m.ic).toBeCloseTo(METRICS.ic.evaluate(realised, Float64Array.from(ps, (p) => p.value), 1), 15);
  });

  it('annualises over horizons: periods per year / horizon; no calendar schedule, no Sharpe', () => {
    const h5 = modelMetrics(version('regression', { ...returnTarget, horizon: 5 }, 5), { predictions: ps, realised }, 252);
    const h1 = modelMetrics(version('regression', returnTarget), { predictions: ps, realised }, 252);
    expect(h5.sharpe! / h1.sharpe!).toBeCloseTo(Math.sqrt(1 / 5), 12);
    expect(modelMetrics(version('regression', returnTarget), { predictions: ps, realised }, null).sharpe).toBeNull();
  });

  it('classification: log loss of the realised class, direction from P(up) - 1/2 against the realised return', () => {
    const target = { name: 'direction', horizon: 1, classes: 'binary' };
    const cs = [
      prediction(1, 0.7, 'long', 1, { '0': 0.3, '1': 0.7 }),
      prediction(2, 0.4, 'short', 1, { '0': 0.6, '1': 0.4 }),
      prediction(3, 0.2, 'short', 0, { '0': 0.8, '1': 0.2 }),
    ];
    const real = Float64Array.from([0.01, 0.02, -0.01]);
    const m = modelMetrics(version('binary', target), { predictions: cs, realised: real }, 252);
    expect(m.logLoss).toBeCloseTo(-(Math.log(0.7) + Math.log(0.4) + Math.log(0.8)) / 3, 15);
    expect([m.rmse, m.mae]).toEqual([null, null]);
    expect(m.directionalAccuracy).toBeCloseTo(2 / 3, 15);
    expect([m.hits, m.calls]).toEqual([2, 3]);
    expect(m.signalReturn).toBeCloseTo(Math.expm1(0.01) - Math.expm1(0.02) - Math.expm1(-0.01), 15);
  });

  it('no rows: n 0 and every figure null', () => {
    const m = modelMetrics(version('regression', returnTarget), { predictions: [], realised: new Float64Array(0) }, 252);
    expect(m).toMatchObject({ n: 0, rmse: null, mae: null, directionalAccuracy: null, ic: null, pearsonIc: null, hitRate: null, hitInterval: null, signalReturn: null, sharpe: null, profitFactor: null });
  });
});

describe('periods', () => {
  it('UTC day, ISO week from Monday, calendar month', () => {
    const t = Date.UTC(2024, 1, 29, 15, 30); // Thursday 29 February 2024
    expect(periodOf(t, 'day')).toEqual([Date.UTC(2024, 1, 29), Date.UTC(2024, 2, 1)]);
    expect(periodOf(t, 'week')).toEqual([Date.UTC(2024, 1, 26), Date.UTC(2024, 2, 4)]);
    expect(periodOf(Date.UTC(2024, 2, 3, 23), 'week')).toEqual([Date.UTC(2024, 1, 26), Date.UTC(2024, 2, 4)]); // Sunday
    expect(periodOf(Date.UTC(2024, 2, 4), 'week')).toEqual([Date.UTC(2024, 2, 4), Date.UTC(2024, 2, 11)]); // Monday
    expect(periodOf(t, 'month')).toEqual([Date.UTC(2024, 1, 1), Date.UTC(2024, 2, 1)]);
    expect(periodOf(Date.UTC(2024, 11, 31), 'month')).toEqual([Date.UTC(2024, 11, 1), Date.UTC(2025, 0, 1)]);
  });
});

describe('the degradation rule', () => {
  const policy = { degradationPct: 25, degradationMin: 30 };
  const input = { loss: 'rmse' as const, n: 100, rollingLoss: 0.011, testLoss: 0.01, naiveLoss: 0.012 };

  it('within the threshold of the test loss and better than naive: not degraded', () => {
    const d = judgeDegradation(input, policy);
    expect(d.degraded).toBe(false);
    expect(d.vsTestPct).toBeCloseTo(10, 12);
    expect(d.reasons).toEqual(['rolling rmse 0.01100 is within 25% of the test rmse 0.01000', 'rolling rmse 0.01100 beats the naive baseline\'s 0.01200 on the same 100 bars']);
  });

  it('more than the threshold above the test loss: degraded', () => {
    const d = judgeDegradation({ ...input, rollingLoss: 0.0126, naiveLoss: 0.02 }, policy);
    expect(d.degraded).toBe(true);
    expect(d.reasons[0]).toBe('rolling rmse 0.01260 is 26.00% above the test rmse 0.01000 (more than 25%)');
    // exactly at the threshold is not above it
    expect(judgeDegradation({ ...input, rollingLoss: 0.0125, naiveLoss: 0.02 }, policy).degraded).toBe(false);
  });

  it('not beating the naive baseline on the same bars: degraded, even near the test loss', () => {
    const d = judgeDegradation({ ...input, naiveLoss: 0.011 }, policy);
    expect(d.degraded).toBe(true);
    expect(d.reasons[1]).toBe('rolling rmse 0.01100 does not beat the naive baseline\'s 0.01100 on the same 100 bars');
  });

  it('too few outcomes: no judgement; no test loss: judged on the baseline alone', () => {
    expect(judgeDegradation({ ...input, n: 29, rollingLoss: 1 }, policy)).toMatchObject({ degraded: false, reasons: ['only 29 outcomes; the rule judges from 30 on'] });
    const d = judgeDegradation({ ...input, testLoss: null, naiveLoss: 0.01 }, policy);
    expect(d.degraded).toBe(true);
    expect(d.reasons[0]).toBe('no test rmse stored with the model (trained without a test tail)');
  });
});

describe.skipIf(!HAS_R)('Wilson score interval against R prop.test(correct = FALSE)', () => {
  it('matches to 1e-12 across counts, including 0 and n successes', () => {
    const cases: [number, number][] = [[7, 10], [0, 5], [5, 5], [1, 1], [53, 100], [512, 1000], [3, 250], [999, 1000]];
    const script = cases.map(([k, n]) => `r <- prop.test(${k}, ${n}, correct = FALSE)$conf.int; cat(sprintf("%.17g %.17g\\n", r[1], r[2]))`).join('; ');
    const out = spawnSync('Rscript', ['-e', script], { encoding: 'utf8' });
    expect(out.status, out.stderr).toBe(0);
    const lines = out.stdout.trim().split('\n').map((l) => l.split(' ').map(Number));
    cases.forEach(([k, n], i) => {
      const [lo, hi] = wilsonInterval(k, n)!;
      expect(lo).toBeCloseTo(lines[i][0], 12);
      expect(hi).toBeCloseTo(lines[i][1], 12);
    });
  });
});

describe.skipIf(!HAS_SCIPY)('IC against scipy.stats.spearmanr and pearsonr', () => {
  it('Spearman (ties averaged) and Pearson ICs of a seeded sample with ties match to 1e-12', () => {
    const rng = new Rng(7);
    const y = Array.from({ length: 300 }, () => Math.round((rng.next() - 0.5) * 40) / 1000);
    const p = y.map((v) => Math.round((0.3 * v + (rng.next() - 0.5) * 0.02) * 2000) / 2000);
    const code = 'import json,sys; from scipy.stats import spearmanr, pearsonr; d=json.load(sys.stdin); print(json.dumps([float(spearmanr(d["p"], d["y"])[0]), float(pearsonr(d["p"], d["y"])[0])]))';
    const out = spawnSync(PYTHON, ['-c', code], { input: JSON.stringify({ y, p }), encoding: 'utf8' });
    expect(out.status, out.stderr).toBe(0);
    const [rho, r] = JSON.parse(out.stdout) as [number, number];
    const m = modelMetrics(version('regression', { name: 'return', horizon: 1 }), { predictions: y.map((v, i) => prediction(i, p[i], p[i] > 0 ? 'long' : p[i] < 0 ? 'short' : 'flat', v)), realised: Float64Array.from(y) }, 252);
    expect(Math.abs(rho)).toBeGreaterThan(0.1);
    expect(m.ic).toBeCloseTo(rho, 12);
    expect(m.pearsonIc).toBeCloseTo(r, 12);
  });
});
