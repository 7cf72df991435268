import { describe, expect, it } from 'vitest';
import {
  MIN_SEGMENT_TRAIN_ROWS,
  classValuesOf,
  planSegments,
  runSegment,
  runWalkForward,
  type WalkForwardInput,
} from '../../src/backtest/walk-forward.js';
import { DataError, UsageError } from '../../src/core/errors.js';
import { Rng } from '../../src/core/rng.js';

/** Two noisy features and a label that depends linearly on the first: y = 0.5 x0 - 0.2 x1 + noise. */
function linearData(n: number, seed = 3): { columns: Float64Array[]; labels: Float64Array } {
  const rng = new Rng(seed);
  const x0 = new Float64Array(n);
  const x1 = new Float64Array(n);
  const y = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    x0[i] = rng.normal();
    x1[i] = rng.normal();
    y[i] = 0.5 * x0[i] - 0.2 * x1[i] + 0.01 * rng.normal();
  }
  return { columns: [x0, x1], labels: y };
}

function input(overrides: Partial<WalkForwardInput> = {}): WalkForwardInput {
  const { columns, labels } = linearData(400);
  return {
    columns,
    names: ['x0', 'x1'],
    labels,
    lookback: 10,
    horizon: 1,
    task: 'regression',
    family: 'ridge',
    // A light penalty: the default (1000 rows of evidence) is meant for noisy returns, not this clean relation.
    params: { alpha: 1 },
    seed: 11,
    retrainEvery: 50,
    trainWindow: 'expanding',
    start: 150,
    end: 400,
    workers: 1,
    ...overrides,
  };
}

describe('planSegments', () => {
  it('covers [start, end) with contiguous segments and purges the last horizon rows before each retrain point', () => {
    const segs = planSegments(input({ horizon: 3, retrainEvery: 60 }));
    expect(segs.map((s) => [s.predictFrom, s.predictTo])).toEqual([
      [150, 210],
      [210, 270],
      [270, 330],
      [330, 390],
      [390, 400],
    ]);
    for (const s of segs) {
      // The label of row r spans bars r+1..r+h; at the close of bar p-1 it is known only if r + h <= p - 1.
      expect(s.trainTo).toBe(s.retrainAt - 1 - 3);
      expect(s.trainTo + 3).toBeLessThan(s.retrainAt);
      expect(s.trainFrom).toBe(10);
      expect(s.trainRows).toBe(s.trainTo - s.trainFrom + 1);
    }
    expect(new Set(segs.map((s) => s.seed)).size).toBe(segs.length);
  });

  it('a rolling window trains on exactly the trailing rows, skipping unlabelled ones', () => {
    const base = input();
    const labels = base.labels.slice();
    labels[120] = NaN;
    const segs = planSegments({ ...base, labels, trainWindow: 100 });
    expect(segs[0]).toMatchObject({ trainFrom: 49, trainTo: 148, trainRows: 99 });
    expect(segs[1]).toMatchObject({ trainFrom: 99, trainTo: 198, trainRows: 99 });
    expect(segs[2]).toMatchObject({ trainFrom: 149, trainTo: 248, trainRows: 100 });
  });

  it('refuses bad schedules and too little training data', () => {
    expect(() => planSegments(input({ retrainEvery: 0 }))).toThrow(UsageError);
    expect(() => planSegments(input({ trainWindow: MIN_SEGMENT_TRAIN_ROWS - 1 }))).toThrow(UsageError);
    expect(() => planSegments(input({ start: 10 + MIN_SEGMENT_TRAIN_ROWS }))).toThrow(DataError);
    expect(() => planSegments(input({ start: 300, end: 300 }))).toThrow(DataError);
  });
});

describe('runWalkForward', () => {
  it('predicts out of sample what the data supports (ridge recovers a linear relation)', async () => {
    const inp = input();
    const out = await runWalkForward(inp);
    expect(out.predictions.length).toBe(250);
    expect(out.workersUsed).toBe(1);
    let sse = 0;
    for (let i = 0; i < out.predictions.length; i++) sse += (out.predictions[i] - inp.labels[150 + i]) ** 2;
    expect(Math.sqrt(sse / out.predictions.length)).toBeLessThan(0.05);
  });

  it('a segment never sees labels it could not know, nor features after its rows', async () => {
    const inp = input({ horizon: 2 });
    const before = await runWalkForward(inp);
    const seg = planSegments(inp)[1];
    // Corrupt every label the segment must not know (r > retrainAt - 1 - h) and every feature after its last row.
    const labels = inp.labels.slice();
    for (let r = seg.trainTo + 1; r < labels.length; r++) labels[r] = 1e6;
    const columns = inp.columns.map((c) => {
      const d = c.slice();
      for (let r = seg.predictTo; r < d.length; r++) d[r] = -1e6;
      return d;
    });
    const after = new Float64Array(inp.end - inp.start);
    await runSegment({ columns, names: inp.names, labels, task: 'regression', family: 'ridge', params: inp.params, classValues: [], horizon: 2 }, seg, inp.start, after);
    const from = seg.predictFrom - inp.start;
    const to = seg.predictTo - inp.start;
    expect(Array.from(after.subarray(from, to))).toEqual(Array.from(before.predictions.subarray(from, to)));
    // And the corruption is visible to a later segment (the check above is not vacuous).
    const later = planSegments({ ...inp, labels })[3];
    const laterOut = new Float64Array(inp.end - inp.start);
    await runSegment({ columns, names: inp.names, labels, task: 'regression', family: 'ridge', params: inp.params, classValues: [], horizon: 2 }, later, inp.start, laterOut);
    expect(laterOut[later.predictFrom - inp.start]).not.toBe(before.predictions[later.predictFrom - inp.start]);
  });

  it('gives identical predictions however the segments are split between workers (boosting with per-segment seeds)', async () => {
    const inp = input({ family: 'lightgbm', params: { num_iterations: 30, bagging_fraction: 0.7, bagging_freq: 1, min_data_in_leaf: 10 }, retrainEvery: 80 });
    const all = await runWalkForward(inp);
    const segs = planSegments(inp);
    const data = { columns: inp.columns, names: inp.names, labels: inp.labels, task: inp.task, family: inp.family, params: inp.params, classValues: [], horizon: 1 };
    // Two "workers" running alternate segments in reverse order, each into its own part of the output.
    const split = new Float64Array(inp.end - inp.start);
    for (const s of segs.filter((x) => x.index % 2 === 1).reverse()) await runSegment(data, s, inp.start, split);
    for (const s of segs.filter((x) => x.index % 2 === 0)) await runSegment(data, s, inp.start, split);
    expect(Array.from(split)).toEqual(Array.from(all.predictions));
    // The seed matters: another base seed changes the bagged boosting predictions.
    const other = await runWalkForward({ ...inp, seed: 12 });
    expect(Array.from(other.predictions)).not.toEqual(Array.from(all.predictions));
  });

  it('classification: binary gives P(higher class); multiclass gives the expected class value', async () => {
    const base = input();
    const bin = base.labels.map((v) => (v > 0 ? 1 : -1));
    const b = await runWalkForward({ ...base, labels: bin, task: 'binary', family: 'logistic', params: { alpha: 1 } });
    expect(b.classValues).toEqual([-1, 1]);
    let hits = 0;
    for (let i = 0; i < b.predictions.length; i++) {
      expect(b.predictions[i]).toBeGreaterThanOrEqual(0);
      expect(b.predictions[i]).toBeLessThanOrEqual(1);
      if (b.predictions[i] > 0.5 === bin[150 + i] > 0) hits++;
    }
    expect(hits / b.predictions.length).toBeGreaterThan(0.8);
    const tri = base.labels.map((v) => (v > 0.3 ? 1 : v < -0.3 ? -1 : 0));
    const m = await runWalkForward({ ...base, labels: tri, task: 'multiclass', family: 'logistic', params: { alpha: 1 } });
    expect(m.classValues).toEqual([-1, 0, 1]);
    for (const v of m.predictions) expect(Math.abs(v)).toBeLessThanOrEqual(1 + 1e-12);
    let agree = 0;
    for (let i = 0; i < m.predictions.length; i++) if (Math.sign(Math.round(m.predictions[i])) === tri[150 + i]) agree++;
    expect(agree / m.predictions.length).toBeGreaterThan(0.6);
  });

  it('refuses a label set without the classes of its task and bad parameters before fitting', async () => {
    expect(() => classValuesOf(Float64Array.of(1, 1, NaN), 'binary')).toThrow(DataError);
    expect(classValuesOf(Float64Array.of(0.5, -1), 'regression')).toEqual([]);
    await expect(runWalkForward(input({ params: { no_such_param: 1 } }))).rejects.toThrow(UsageError);
    await expect(runWalkForward(input({ workers: 0 }))).rejects.toThrow(UsageError);
  });
});
