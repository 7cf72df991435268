import { describe, expect, it } from 'vitest';
import { DataError, UsageError } from '../../src/core/errors.js';
import { silentLogger } from '../../src/core/logger.js';
import { buildFeatureFrame } from '../../src/dataset/feature-frame.js';
import { parseFeatureSetSpec } from '../../src/features/feature-set.js';
import type { BarSeries } from '../../src/core/bars.js';
import { generateSeries } from '../../src/market/sources/synthetic.js';
import type { ModelFamily } from '../../src/models/model.js';
import { modelFromJSON } from '../../src/models/registry.js';
import { explainModel } from '../../src/lifecycle/explain.js';
import { readRegistryDocument } from '../../src/lifecycle/document.js';
import { getModel, readModelDocument, registerModel } from '../../src/registry/registry.js';
import { openStore, type Store } from '../../src/store/store.js';
import { parseTarget } from '../../src/lifecycle/targets.js';
import { trainJob } from '../../src/train/train-job.js';
import { useTempHome } from '../helpers/home.js';

const START = Date.UTC(2021, 0, 4);
const DAY = 86_400_000;
const SET = parseFeatureSetSpec({ name: 'small', version: 1, features: ['rsi_14', 'logret_1', 'logret_5', 'vol_20', 'roc_10', 'zscore_20', 'natr_14', 'dow_sin'] });

async function storeSeries(store: Store, s: BarSeries): Promise<void> {
  await store.bars.upsert(s.symbol, s.interval, { ...s, adjClose: null }, { source: 'test', now: 1 });
}

const FAST: Record<string, Record<string, unknown>> = {
  lightgbm: { num_iterations: 40, num_leaves: 7, min_data_in_leaf: 20, early_stopping_round: 10 },
  xgboost: { n_estimators: 40, max_depth: 3, early_stopping_rounds: 10 },
  rf: { num_iterations: 20, num_leaves: 7, min_data_in_leaf: 20 },
  ensemble: { 'gbdt.num_iterations': 30, 'gbdt.num_leaves': 7, inner_folds: 2 },
};

async function train(store: Store, home: string, family: ModelFamily, target: 'return' | 'direction', symbols = ['ACME'], pooled = false) {
  const result = await trainJob(
    {
      symbols, interval: '1d', family, target: parseTarget(target, { horizon: 1 }), set: SET, references: {}, params: FAST[family] ?? {},
      cv: 'walk-forward', folds: 2, window: { kind: 'expanding' }, embargo: 1, testSize: 0.15, pooled, seed: 5, activate: false, trigger: 'manual',
    },
    { store, home, now: () => 1_000, log: silentLogger },
  );
  return result.models[0].model;
}

/** The registered model's own prediction for one stored bar, computed independently of explain. */
async function predictAt(store: Store, id: string, barIndex: number): Promise<number[]> {
  const doc = readRegistryDocument(readModelDocument(await getModel(store, id)), id);
  const frame = await buildFeatureFrame(store, { symbol: doc.symbols[0], interval: doc.interval, set: doc.featureSet.spec });
  const columns = frame.columns.map((c) => Float64Array.of(c[barIndex]));
  return Array.from(modelFromJSON(doc.model).predict({ columns, numRows: 1, names: frame.names }));
}

function sumOf(e: { baseValue: number; contributions: { contribution: number }[]; rest: { contribution: number } }): number {
  return e.contributions.reduce((s, c) => s + c.contribution, e.baseValue) + e.rest.contribution;
}

describe('pulse models explain', () => {
  const tempHome = useTempHome();

  async function fixture(families: [ModelFamily, 'return' | 'direction'][]) {
    const home = tempHome();
    const store = await openStore(home);
    const series = generateSeries({ symbol: 'ACME', interval: '1d', bars: 420, seed: 11, start: START });
    await storeSeries(store, series);
    const ids: string[] = [];
    for (const [family, target] of families) ids.push((await train(store, home, family, target)).id);
    return { home, store, series, ids };
  }

  it('TreeSHAP contributions of a GBDT regression model add up to its raw prediction, which is its output', async () => {
    const { store, series, ids } = await fixture([['lightgbm', 'return'], ['rf', 'return']]);
    for (const id of ids) {
      const e = await explainModel(store, id, { top: 3 });
      expect(e.explained).toEqual({ family: (await getModel(store, id)).family, member: null, method: 'treeshap' });
      expect(e.barTime).toBe(series.time[series.length - 1]);
      expect(e.contributions).toHaveLength(3);
      expect(e.rest.features).toBe(e.featureCount - 3);
      expect(e.featureCount).toBe(8);
      expect(sumOf(e)).toBeCloseTo(e.prediction.raw, 12);
      expect(e.sum).toBeCloseTo(e.prediction.raw, 12);
      expect(e.prediction.transformed).toBe(e.prediction.raw);
      expect(e.modelOutput).toEqual(await predictAt(store, id, series.length - 1));
      expect(e.prediction.transformed).toBeCloseTo(e.modelOutput[0], 12);
      const mags = e.contributions.map((c) => Math.abs(c.contribution));
      expect(mags).toEqual([...mags].sort((a, b) => b - a));
      expect(mags[0]).toBeGreaterThan(0);
      expect(Math.abs(e.rest.contribution)).toBeLessThanOrEqual(mags[2] * e.rest.features + 1e-15);
      // the listed values are the row's stored feature values
      const frame = await buildFeatureFrame(store, { symbol: 'ACME', interval: '1d', set: SET });
      for (const c of e.contributions) expect(c.value).toBe(frame.columns[frame.names.indexOf(c.feature)][series.length - 1]);
    }
    await store.close();
  });

  it('explains the bar at or before --at, and refuses a time before the first bar', async () => {
    const { store, series, ids } = await fixture([['xgboost', 'direction']]);
    const k = 300;
    const e = await explainModel(store, ids[0], { at: series.time[k] + DAY / 2, top: 8 });
    expect(e.barTime).toBe(series.time[k]);
    expect(e.requestedAt).toBe(series.time[k] + DAY / 2);
    expect(e.rest).toEqual({ features: 0, contribution: 0 });
    expect(e.task).toBe('binary');
    // raw is the log-odds of "up"; the output is its probability
    expect(e.prediction.transformed).toBeCloseTo(1 / (1 + Math.exp(-e.prediction.raw)), 12);
    expect(e.modelOutput[0]).toBeCloseTo((await predictAt(store, ids[0], k))[0], 12);
    expect(sumOf(e)).toBeCloseTo(e.prediction.raw, 12);
    expect(Math.abs(e.contributions[0].contribution)).toBeGreaterThan(0);
    expect((await explainModel(store, ids[0], { at: series.time[k], top: 1 })).barTime).toBe(series.time[k]);
    await expect(explainModel(store, ids[0], { at: series.time[0] - 1, top: 5 })).rejects.toThrow(DataError);
    await expect(explainModel(store, ids[0], { top: 0 })).rejects.toThrow(UsageError);
    await store.close();
  });

  it('gives exact linear contributions (coefficient x standardised value) for ridge and logistic', async () => {
    const { store, series, ids } = await fixture([['ridge', 'return'], ['logistic', 'direction']]);
    const [ridge, logistic] = await Promise.all(ids.map((id) => explainModel(store, id, { top: 8, at: series.time[250] })));
    expect(ridge.explained.method).toBe('linear');
    expect(ridge.sum).toBeCloseTo(ridge.prediction.raw, 14);
    expect(ridge.prediction.raw).toBeCloseTo((await predictAt(store, ids[0], 250))[0], 14);
    expect(logistic.sum).toBeCloseTo(logistic.prediction.raw, 14);
    expect(logistic.prediction.transformed).toBeCloseTo((await predictAt(store, ids[1], 250))[0], 14);
    expect(1 / (1 + Math.exp(-logistic.prediction.raw))).toBeCloseTo(logistic.prediction.transformed, 14);
    // an independent check of one contribution from the stored coefficients and standardiser
    const doc = readRegistryDocument(readModelDocument(await getModel(store, ids[0])), ids[0]);
    const state = (doc.model as { state: { median: number[]; mean: number[]; scale: number[]; coef: number[]; intercept: number[] } }).state;
    expect(ridge.baseValue).toBe(state.intercept[0]);
    const top = ridge.contributions[0];
    const f = doc.featureSet.names.indexOf(top.feature);
    const x = top.value ?? state.median[f];
    // standardised values are clamped to +-clip where the family has that parameter
    const clip = typeof (doc.model as { params: Record<string, unknown> }).params.clip === 'number' ? (doc.model as { params: { clip: number } }).params.clip || Infinity : Infinity;
    const z = Math.max(-clip, Math.min(clip, (x - state.mean[f]) / state.scale[f]));
    expect(top.contribution).toBeCloseTo(z * state.coef[f], 14);
    await store.close();
  });

  it('stacks exact ensemble contributions (regression and binary); a clamped member goes into the base value', async () => {
    const { store, series, ids } = await fixture([['ensemble', 'return'], ['ensemble', 'direction']]);
    const k = 300;
    const [reg, bin] = await Promise.all(ids.map((id) => explainModel(store, id, { top: 8, at: series.time[k] })));
    for (const [e, id] of [[reg, ids[0]], [bin, ids[1]]] as const) {
      expect(e.explained).toEqual({ family: 'ensemble', member: null, method: 'stacked' });
      expect(e.sum).toBeCloseTo(e.prediction.raw, 12);
      expect(e.modelOutput).toEqual(await predictAt(store, id, k));
      expect(Math.abs(e.contributions[0].contribution)).toBeGreaterThan(0);
    }
    expect(reg.prediction.raw).toBeCloseTo(reg.modelOutput[0], 12);
    expect(1 / (1 + Math.exp(-bin.prediction.raw))).toBeCloseTo(bin.modelOutput[0], 12);

    // narrow both meta features' fitted ranges to a point: prediction clamps them, so no feature moves the
    // forecast and everything is in the base value
    const m = await getModel(store, ids[0]);
    const doc = JSON.parse(readModelDocument(m));
    doc.model.state.metaMax = [...doc.model.state.metaMin];
    const forged = await registerModel(store, {
      family: 'ensemble', mode: m.mode, symbols: m.symbols, interval: '1d', target: 'return', horizon: 4, params: m.params, seed: m.seed,
      featureSet: { name: 'small', hash: m.featureSetHash, names: m.featureNames }, trainFrom: m.trainFrom, trainTo: m.trainTo,
      dataHash: m.dataHash, metrics: {}, trainDurationMs: 0, engineVersion: m.engineVersion, document: JSON.stringify(doc),
    }, 2_000);
    const e = await explainModel(store, forged.id, { top: 4, at: series.time[k] });
    expect(e.explained.method).toBe('stacked');
    expect(e.note).toMatch(/the GBDT member's output .* was clamped to .*: its part is in the base value; the linear member's output/);
    expect(e.contributions.every((c) => c.contribution === 0)).toBe(true);
    expect(e.baseValue).toBeCloseTo(e.prediction.raw, 14);
    expect(e.prediction.raw).toBeCloseTo(e.modelOutput[0], 14);
    expect(e.modelOutput[0]).not.toBe(reg.modelOutput[0]);
    await store.close();
  });

  it('explains the GBDT member of a multiclass ensemble for the class the ensemble predicts, and says so', async () => {
    const home = tempHome();
    const store = await openStore(home);
    await storeSeries(store, generateSeries({ symbol: 'ACME', interval: '1d', bars: 420, seed: 11, start: START }));
    const result = await trainJob(
      {
        symbols: ['ACME'], interval: '1d', family: 'ensemble', target: parseTarget('triple-barrier', { horizon: 5 }), set: SET, references: {}, params: FAST.ensemble,
        cv: 'walk-forward', folds: 2, window: { kind: 'expanding' }, embargo: 5, testSize: 0.15, pooled: false, seed: 5, activate: false, trigger: 'manual',
      },
      { store, home, now: () => 1_000, log: silentLogger },
    );
    const e = await explainModel(store, result.models[0].model.id, { top: 3 });
    expect(e.explained).toEqual({ family: 'lightgbm', member: 'gbdt', method: 'treeshap' });
    expect(e.note).toMatch(/lightgbm member is explained: multiclass stacking/);
    expect(e.outputClass?.index).toBe(e.modelOutput.indexOf(Math.max(...e.modelOutput)));
    expect(sumOf(e)).toBeCloseTo(e.prediction.raw, 12);
    await store.close();
  });

  it('explains the most probable class of a multiclass model in its own margin', async () => {
    const home = tempHome();
    const store = await openStore(home);
    const series = generateSeries({ symbol: 'ACME', interval: '1d', bars: 420, seed: 11, start: START });
    await storeSeries(store, series);
    const result = await trainJob(
      {
        symbols: ['ACME'], interval: '1d', family: 'lightgbm', target: parseTarget('triple-barrier', { horizon: 5 }), set: SET, references: {}, params: FAST.lightgbm,
        cv: 'walk-forward', folds: 2, window: { kind: 'expanding' }, embargo: 5, testSize: 0.15, pooled: false, seed: 5, activate: false, trigger: 'manual',
      },
      { store, home, now: () => 1_000, log: silentLogger },
    );
    const id = result.models[0].model.id;
    const e = await explainModel(store, id, { top: 8 });
    expect(e.task).toBe('multiclass');
    const probs = (await predictAt(store, id, series.length - 1));
    expect(probs).toHaveLength(3);
    const best = probs.indexOf(Math.max(...probs));
    expect(e.outputClass).toEqual({ index: best, value: [-1, 0, 1][best] });
    expect(e.prediction.transformed).toBe(probs[best]);
    expect(sumOf(e)).toBeCloseTo(e.prediction.raw, 12);
    await store.close();
  });

  it('refuses naive models: they read no features', async () => {
    const { store, ids } = await fixture([['naive', 'return']]);
    await expect(explainModel(store, ids[0], { top: 4 })).rejects.toThrow(/naive baseline: it reads no features/);
    await expect(explainModel(store, ids[0], { top: 4 })).rejects.toThrow(UsageError);
    await store.close();
  });

  it('refuses a model whose stored feature-set hash no longer matches its spec', async () => {
    const { store, ids } = await fixture([['ridge', 'return']]);
    const m = await getModel(store, ids[0]);
    const doc = JSON.parse(readModelDocument(m));
    doc.featureSet.hash = 'f'.repeat(64);
    const forged = await registerModel(store, {
      family: m.family, mode: m.mode, symbols: m.symbols, interval: '1d', target: 'return', horizon: 3, params: m.params, seed: m.seed,
      featureSet: { name: 'small', hash: doc.featureSet.hash, names: m.featureNames }, trainFrom: m.trainFrom, trainTo: m.trainTo,
      dataHash: m.dataHash, metrics: {}, trainDurationMs: 0, engineVersion: m.engineVersion, document: JSON.stringify(doc),
    }, 2_000);
    await expect(explainModel(store, forged.id, { top: 3 })).rejects.toThrow(/no longer computes the features/);
    await expect(explainModel(store, 'lgbm-NOPE-1d-v1', { top: 3 })).rejects.toThrow(DataError);
    await store.close();
  });

  it('explains each symbol of a pooled model with its symbol_id', async () => {
    const home = tempHome();
    const store = await openStore(home);
    await storeSeries(store, generateSeries({ symbol: 'ACME', interval: '1d', bars: 300, seed: 1, start: START }));
    await storeSeries(store, generateSeries({ symbol: 'BOLT', interval: '1d', bars: 300, seed: 2, start: START }));
    const model = await train(store, home, 'lightgbm', 'return', ['ACME', 'BOLT'], true);
    const a = await explainModel(store, model.id, { top: 9 });
    const b = await explainModel(store, model.id, { top: 9, symbol: 'BOLT' });
    expect([a.symbol, b.symbol]).toEqual(['ACME', 'BOLT']);
    expect(a.featureCount).toBe(9);
    expect(b.contributions.find((c) => c.feature === 'symbol_id')?.value).toBe(1);
    expect(a.contributions.find((c) => c.feature === 'symbol_id')?.value).toBe(0);
    expect(sumOf(b)).toBeCloseTo(b.prediction.raw, 12);
    await expect(explainModel(store, model.id, { top: 3, symbol: 'CARD' })).rejects.toThrow(UsageError);
    await store.close();
  });
});
