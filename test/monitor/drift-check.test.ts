/** pulse drift-check's windows, verdicts and records on a series with a known volatility regime change (gh-13). */
import { describe, expect, it } from 'vitest';
import { Rng } from '../../src/core/rng.js';
import { parseFeatureSetSpec } from '../../src/features/feature-set.js';
import { driftCheck, type DriftCheckRequest } from '../../src/monitor/drift-check.js';
import { openStore, type Store } from '../../src/store/store.js';
import { useTempHome } from '../helpers/home.js';

const tempHome = useTempHome();
const DAY = 86_400_000;
const T0 = Date.UTC(2020, 0, 1);
const SET = { spec: parseFeatureSetSpec({ name: 'stationary', version: 1, features: ['logret_1', 'natr_14', 'rsi_14'] }), references: {} };

/** 1,400 daily bars: daily volatility 1% for the first 1,000, then 4%. */
async function regimeChange(): Promise<Store> {
  const store = await openStore(tempHome());
  const rng = new Rng(11);
  const n = 1400;
  const cols = { length: n, time: [] as number[], open: [] as number[], high: [] as number[], low: [] as number[], close: [] as number[], volume: [] as number[], adjClose: null };
  let price = 100;
  for (let i = 0; i < n; i++) {
    const vol = i < 1000 ? 0.01 : 0.04;
    const open = price;
    price = open * Math.exp(vol * rng.normal());
    const span = Math.abs(price - open) + open * vol * Math.abs(rng.normal()) * 0.5;
    cols.time.push(T0 + i * DAY);
    cols.open.push(open);
    cols.close.push(price);
    cols.high.push(Math.max(open, price) + span * 0.5);
    cols.low.push(Math.min(open, price) - span * 0.5);
    cols.volume.push(1000);
  }
  await store.instruments.upsert('VOL', { calendar: 'crypto' }, 1);
  await store.bars.upsert('VOL', '1d', cols, { source: 'test', now: 1 });
  return store;
}

const request = (over: Partial<DriftCheckRequest>): DriftCheckRequest => ({ symbol: 'VOL', interval: '1d', set: SET, method: 'auto', driftShare: 0.5, now: 5, ...over });

describe('pulse drift-check', () => {
  it('finds the volatility regime change in the newest 300 bars, and records every column and the verdict', async () => {
    const store = await regimeChange();
    const r = await driftCheck(store, request({ current: { bars: 300 } }));
    expect(r.reference).toMatchObject({ from: T0, rows: 1100 });
    expect(r.current).toMatchObject({ from: T0 + 1100 * DAY, to: T0 + 1399 * DAY, rows: 300 });
    expect(r.datasetDrift).toBe(true);
    const byName = Object.fromEntries(r.features.map((f) => [f.feature, f]));
    // Evidently's rule: numerical columns with more than 1,000 reference rows use the normed Wasserstein distance.
    expect(byName.natr_14).toMatchObject({ test: 'wasserstein', drifted: true, severity: 'high' });
    expect(byName.logret_1.drifted).toBe(true);
    expect(r.features[0].drifted).toBe(true);
    expect(byName.natr_14.dropped).toBe(14); // the warm-up rows of the reference window
    const events = await store.drift.list({ symbol: 'VOL', limit: 10 });
    expect(events.map((e) => e.type).sort()).toEqual(['dataset', 'feature', 'feature', 'feature']);
    expect(events.find((e) => e.type === 'dataset')).toMatchObject({ drifted: true, threshold: 0.5, checkId: r.checkId, triggerRetraining: false });
    await store.close();
  });

  it('finds no drift in returns between two windows of one regime, with KS when a window is small', async () => {
    const store = await regimeChange();
    const returns = { spec: parseFeatureSetSpec({ name: 'returns', version: 1, features: ['logret_1'] }), references: {} };
    const r = await driftCheck(store, request({ set: returns, reference: { from: T0 + 100 * DAY, to: T0 + 600 * DAY }, current: { from: T0 + 600 * DAY, to: T0 + 1000 * DAY } }));
    expect(r.reference.rows).toBe(500);
    expect(r.current.rows).toBe(400);
    expect(r.features).toEqual([expect.objectContaining({ feature: 'logret_1', test: 'ks', drifted: false })]);
    expect(r.features[0].pValue).toBeGreaterThan(0.05);
    expect(r.datasetDrift).toBe(false);
    // Rolling-window features are autocorrelated, so a p-value test on them over-flags even within one regime;
    // this is why the drift share, not one column, decides, and why long windows get Wasserstein distances.
    const rolling = await driftCheck(store, request({ reference: { from: T0 + 100 * DAY, to: T0 + 600 * DAY }, current: { from: T0 + 600 * DAY, to: T0 + 1000 * DAY } }));
    expect(rolling.features.find((f) => f.feature === 'natr_14')!.test).toBe('ks');
    await store.close();
  });

  it('refuses empty windows and a check with neither a model nor a set', async () => {
    const store = await regimeChange();
    await expect(driftCheck(store, request({ current: { from: T0 + 5000 * DAY } }))).rejects.toThrow('the current window holds 0 bars of VOL 1d');
    await expect(driftCheck(store, request({ set: undefined }))).rejects.toThrow('name a model (--model ID|active) or a feature set (--set NAME)');
    await expect(driftCheck(store, request({ model: 'active', set: undefined }))).rejects.toThrow('no active model for VOL 1d');
    await store.close();
  });
});
