import { describe, expect, it } from 'vitest';
import { startAbTest } from '../../src/monitor/ab-test.js';
import { dashboardSnapshot } from '../../src/ops/dashboard/snapshot.js';
import { openStore } from '../../src/store/store.js';
import { useTempHome } from '../helpers/home.js';
import { columnsOf, hourlyBars, modelRecord } from '../store/contract.js';

const HOUR = 3_600_000;
const T0 = Date.UTC(2024, 0, 1);
const slot = 'AAA|1h|return|h1';
const target = { name: 'return', horizon: 1, deadZone: 0, classes: 'binary', profitTake: 2, stopLoss: 2, volWindow: 20 };
const metrics = (rmse: number) => ({ task: 'regression', test: { rmse }, baselineTest: { rmse: 0.9 }, target });

describe('dashboardSnapshot', () => {
  const tempHome = useTempHome();

  /** A home with a retired, an active and a shadow model, their predictions, an A/B test, jobs, drift checks and health runs. */
  async function setup() {
    const store = await openStore(tempHome());
    const bars = hourlyBars(60);
    await store.bars.upsert('AAA', '1h', columnsOf(bars), { source: 'test', now: 1 });
    await store.models.insert(modelRecord('ridge-AAA-1h-v0', { slot, interval: '1h', status: 'retired', createdAt: 1, metrics: metrics(0.7) }));
    await store.models.insert(modelRecord('ridge-AAA-1h-v1', { slot, interval: '1h', status: 'active', version: 2, createdAt: 2, statusChangedAt: 20, metrics: metrics(0.5) }));
    await store.models.insert(modelRecord('ridge-AAA-1h-v2', { slot, interval: '1h', status: 'shadow', version: 3, createdAt: 3, statusChangedAt: 30, metrics: metrics(0.4) }));
    const realised = (i: number) => bars[i + 1].close / bars[i].close - 1;
    const sides = ['long', 'short', 'flat'] as const;
    const predict = async (id: string, i: number, signal: 'long' | 'short' | 'flat', outcome: boolean) => {
      await store.predictions.upsert({ modelId: id, symbol: 'AAA', interval: '1h', barTs: bars[i].ts, horizon: 1, value: 0.001 * (i % 5), intervals: null, signal, fallback: false, createdAt: T0 + i * HOUR });
      if (outcome) await store.predictions.setOutcome(id, bars[i].ts, realised(i), T0 + (i + 1) * HOUR);
    };
    for (let i = 0; i < 40; i++) await predict('ridge-AAA-1h-v1', i, sides[i % 3], i < 30);
    for (let i = 0; i < 40; i++) await predict('ridge-AAA-1h-v2', i, 'long', i < 10);
    for (let i = 0; i < 5; i++) await predict('ridge-AAA-1h-v0', i, 'short', true);
    await startAbTest(store, { slot, challenger: 'ridge-AAA-1h-v2', split: 50, minDays: 7, minN: 100, seed: 3, now: T0 });
    const trained = await store.jobs.create({ type: 'train', trigger: 'manual', params: { symbols: ['AAA'], interval: '1h', family: 'ridge' }, now: T0, inlinePid: 1 });
    await store.jobs.finish(trained, { status: 'completed', succeeded: 1, failed: 0, now: T0 + 1000 });
    const retrain = await store.jobs.create({ type: 'retrain', trigger: 'drift', params: { slot, trigger: 'drift' }, maxAttempts: 2, now: T0 + HOUR });
    expect((await store.jobs.claim(1, T0 + HOUR))?.id).toBe(retrain);
    await store.jobs.finish(retrain, { status: 'failed', error: 'no bars', now: T0 + HOUR + 1 });
    await store.jobs.create({ type: 'backup', trigger: 'manual', params: { keep: 10 }, priority: 5, now: T0 + 2 * HOUR });
    const dataset = (checkId: string, symbol: string, interval: string, drifted: boolean, at: number) => ({
      checkId, symbol, interval, modelId: null, type: 'dataset' as const, feature: null, test: null, score: drifted ? 0.6 : 0.1, pValue: null, threshold: 0.5, drifted,
      severity: drifted ? 'high' : 'none', detectedAt: at, triggerRetraining: drifted,
    });
    await store.drift.insert([dataset('c1', 'AAA', '1h', true, T0), { ...dataset('c1', 'AAA', '1h', true, T0), type: 'feature', feature: 'rsi_14', test: 'ks' }]);
    await store.drift.insert([dataset('c2', 'AAA', '1h', false, T0 + HOUR)]);
    await store.drift.insert([dataset('c3', 'BBB', '1d', true, T0 + 2 * HOUR)]);
    await store.health.insert({ createdAt: T0, status: 'critical', critical: 1, warnings: 0, unknown: 0, durationMs: 5, results: [] });
    await store.health.insert({
      createdAt: T0 + HOUR, status: 'warn', critical: 0, warnings: 1, unknown: 0, durationMs: 7,
      results: [
        { check: 'store', subject: null, state: 'ok', message: 'integrity ok', metrics: {} },
        { check: 'disk', subject: null, state: 'warn', message: '12% free', metrics: { freeDiskPct: 12 } },
      ],
    });
    return { store, bars, realised, sides };
  }

  it('reads every pane from the store', async () => {
    const { store, bars, realised, sides } = await setup();
    const s = await dashboardSnapshot(store, T0 + 2 * HOUR);
    expect(s.takenAt).toBe(T0 + 2 * HOUR);
    expect(s.home).toBe(store.home);

    // Live models only, active first; their outcomes and hit rates from their own predictions.
    expect(s.models.map((m) => [m.id, m.status, m.since])).toEqual([['ridge-AAA-1h-v1', 'active', 20], ['ridge-AAA-1h-v2', 'shadow', 30]]);
    let calls = 0;
    let hits = 0;
    for (let i = 0; i < 30; i++) {
      const side = sides[i % 3];
      if (side === 'flat') continue;
      calls++;
      if ((side === 'long' && realised(i) > 0) || (side === 'short' && realised(i) < 0)) hits++;
    }
    expect(s.models[0]).toMatchObject({ slot, interval: '1h', horizon: 1, symbols: ['AAA'], metric: 'rmse', test: 0.5, naive: 0.9, predictions: 40, outcomes: 30 });
    expect(s.models[0].hitRate).toBeCloseTo(hits / calls, 12);
    const shadowHits = Array.from({ length: 10 }, (_, i) => realised(i) > 0).filter(Boolean).length;
    expect(s.models[1]).toMatchObject({ predictions: 40, outcomes: 10 });
    expect(s.models[1].hitRate).toBeCloseTo(shadowHits / 10, 12);
    expect(hits).toBeGreaterThan(0);
    expect(hits).toBeLessThan(calls);

    // Equity: side x realised return, summed in bar order, for the active model only.
    let total = 0;
    const curve: number[] = [];
    for (let i = 0; i < 30; i++) {
      total += (sides[i % 3] === 'long' ? 1 : sides[i % 3] === 'short' ? -1 : 0) * (bars[i + 1].close / bars[i].close - 1);
      curve.push(total);
    }
    expect(s.equity).toHaveLength(1);
    expect(s.equity[0]).toMatchObject({ modelId: 'ridge-AAA-1h-v1', slot, n: 30 });
    expect(s.equity[0].total).toBeCloseTo(total, 12);
    s.equity[0].points.forEach((p, i) => expect(p).toBeCloseTo(curve[i], 12));

    // Newest bar first, both live models' rows (and the retired one's, which forecast the same series), 20 at most.
    expect(s.predictions).toHaveLength(20);
    expect(s.predictions[0]).toMatchObject({ barTs: bars[39].ts, outcome: null, hit: null });
    expect(s.predictions.map((p) => p.barTs)).toEqual([...s.predictions.map((p) => p.barTs)].sort((a, b) => b - a));
    expect(new Set(s.predictions.map((p) => p.modelId))).toEqual(new Set(['ridge-AAA-1h-v1', 'ridge-AAA-1h-v2']));

    expect(s.abTests).toHaveLength(1);
    expect(s.abTests[0]).toMatchObject({ slot, split: 50, minN: 100, decision: 'collecting', control: { model: 'ridge-AAA-1h-v1' }, challenger: { model: 'ridge-AAA-1h-v2' } });

    expect(s.jobs.counts).toMatchObject({ pending: 1, running: 0, completed: 1, failed: 1 });
    expect(s.jobs.recent.map((j) => [j.type, j.status, j.trigger, j.attempts, j.maxAttempts, j.priority, j.what, j.error])).toEqual([
      ['backup', 'pending', 'manual', 0, 1, 5, '', null],
      ['retrain', 'failed', 'drift', 1, 2, 0, slot, 'no bars'],
      ['train', 'completed', 'manual', 1, 1, 0, 'AAA 1h ridge', null],
    ]);

    // The newest dataset verdict per series; feature rows do not count.
    expect(s.drift.map((d) => [d.symbol, d.interval, d.drifted, d.driftedShare, d.checkedAt])).toEqual([
      ['BBB', '1d', true, 0.6, T0 + 2 * HOUR],
      ['AAA', '1h', false, 0.1, T0 + HOUR],
    ]);

    expect(s.health).toEqual({ checkedAt: T0 + HOUR, status: 'warn', critical: 0, warnings: 1, unknown: 0, problems: [{ check: 'disk', subject: null, state: 'warn', message: '12% free' }] });
    await store.close();
  });

  it('is empty, not failing, on a home with nothing in it', async () => {
    const store = await openStore(tempHome());
    const s = await dashboardSnapshot(store, T0);
    expect(s).toEqual({ takenAt: T0, home: store.home, models: [], abTests: [], jobs: { counts: { pending: 0, running: 0, completed: 0, failed: 0, cancelled: 0, interrupted: 0 }, recent: [] }, predictions: [], drift: [], health: null, equity: [] });
    await store.close();
  });
});
