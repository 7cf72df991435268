/** pulse status: the document built from a real store, and the operator views of the store. */
import { describe, expect, it } from 'vitest';
import { clmSettingsSchema } from '../../src/monitor/settings.js';
import { STATUS_FIELDS, statusDocument } from '../../src/pipeline/status.js';
import type { ModelRecord } from '../../src/store/records.js';
import { openStore } from '../../src/store/store.js';
import { useTempHome } from '../helpers/home.js';
import { querySqlite } from '../helpers/sqlite.js';

const tempHome = useTempHome();
const clm = clmSettingsSchema.parse({ enabled: true });
const NOW = Date.now();

function model(id: string, slot: string, status: ModelRecord['status'], version: number, createdAt: number): ModelRecord {
  return {
    id, family: 'ridge', mode: 'ridge', symbols: [slot.split('|')[0]], slot, version, interval: '1d', target: 'return', horizon: 1, params: {}, seed: 7,
    featureSet: 'default', featureSetHash: 'h', featureNames: ['f'], trainFrom: 1, trainTo: 2, dataHash: 'd', metrics: {}, status, statusChangedAt: createdAt,
    parentId: null, jobId: null, createdAt, trainDurationMs: 1, engineVersion: 'e', filePath: `models/${id}.json`, fileSize: 1, fileSha256: 's', study: null,
  };
}

describe('pulse status', () => {
  it('is empty on a new home, with the fields whose source is still to come null or empty', async () => {
    const home = tempHome();
    const store = await openStore(home);
    expect(await statusDocument({ store, clm, now: NOW })).toEqual({
      enabled: true,
      lastCycle: null,
      lastRetraining: null,
      lastDriftCheck: null,
      lastPerformanceCheck: null,
      lastModelDecision: null,
      config: clm,
      active: {},
      shadows: {},
      abTests: [],
      jobs: { pending: 0, running: 0, failed: 0 },
    });
    expect(Object.keys(STATUS_FIELDS)).toEqual(Object.keys(await statusDocument({ store, clm, now: NOW })));
    await store.close();
  });

  it('shows each slot\'s active and shadow models, the newest job, drift check and decision, and jobs by status', async () => {
    const home = tempHome();
    const store = await openStore(home);
    for (const m of [
      model('a1', 'AAA|1d|return|h1', 'retired', 1, 1),
      model('a2', 'AAA|1d|return|h1', 'active', 2, 2),
      model('a3', 'AAA|1d|return|h1', 'shadow', 3, 3),
      model('a4', 'AAA|1d|return|h1', 'shadow', 4, 4),
      model('b1', 'BBB|1d|return|h1', 'shadow', 1, 5),
    ]) await store.models.insert(m);
    const failed = await store.jobs.create({ type: 'train', trigger: 'manual', params: {}, inlinePid: 1, now: 10 });
    await store.jobs.finish(failed, { status: 'failed', succeeded: 0, failed: 1, error: 'x', now: 11 });
    const newest = await store.jobs.create({ type: 'train', trigger: 'drift', params: {}, inlinePid: 1, now: 12 });
    const row = { checkId: 'c1', symbol: 'AAA', interval: '1d', modelId: 'a2', type: 'dataset' as const, feature: null, test: null, score: 0.75, pValue: null, threshold: 0.5, drifted: true, severity: 'high', detectedAt: NOW - 1000, triggerRetraining: true };
    await store.drift.insert([{ ...row, type: 'feature', feature: 'f', score: 0.001 }, row]);
    await store.modelEvents.insert({ slot: 'AAA|1d|return|h1', kind: 'refuse', modelId: 'a3', previousId: 'a2', reason: 'too few outcomes', details: null, createdAt: 20 });
    const doc = await statusDocument({ store, clm, now: NOW });
    expect(doc.active).toEqual({ 'AAA|1d|return|h1': 'a2' });
    expect(doc.shadows).toEqual({ 'AAA|1d|return|h1': ['a4', 'a3'], 'BBB|1d|return|h1': ['b1'] });
    expect(doc.lastRetraining).toEqual({ jobId: newest, trigger: 'drift', status: 'running', createdAt: 12, finishedAt: null, modelsSucceeded: 0, modelsFailed: 0 });
    expect(doc.lastDriftCheck).toEqual({ checkId: 'c1', symbol: 'AAA', interval: '1d', modelId: 'a2', drifted: true, severity: 'high', score: 0.75, triggerRetraining: true, detectedAt: NOW - 1000 });
    expect(doc.lastModelDecision).toMatchObject({ kind: 'refuse', modelId: 'a3', previousId: 'a2' });
    expect(doc.jobs).toEqual({ pending: 0, running: 1, failed: 1 });

    await store.predictions.upsert({ modelId: 'a3', symbol: 'AAA', interval: '1d', barTs: 1, horizon: 1, value: 0, intervals: null, signal: 'flat', fallback: false, createdAt: 1 });
    await store.predictions.setOutcome('a3', 1, 0.1, 2);
    const period = { modelId: 'a2', slot: 'AAA|1d|return|h1', symbol: 'AAA', interval: '1d', rmse: 0.02, logLoss: null, directionalAccuracy: 0.5, ic: 0.1, pearsonIc: 0.1, hitLow: 0.4, hitHigh: 0.7, profitFactor: 1.2, computedAt: 5, source: 'evaluate' as const };
    await store.performance.upsert([
      { ...period, periodStart: 0, periodEnd: 10, n: 10, mae: 0.01, hitRate: 0.5, signalReturn: 0.02, sharpe: 1 },
      { ...period, periodStart: 10, periodEnd: 20, n: 30, mae: 0.03, hitRate: 0.7, signalReturn: -0.01, sharpe: 2 },
      // folded by pulse maintain: the first overlaps an evaluated period and is not counted again, the second is
      { ...period, periodStart: 0, periodEnd: 10, n: 99, mae: 0.5, hitRate: 0.1, signalReturn: 1, sharpe: 9, source: 'maintain' as const },
      { ...period, periodStart: -10, periodEnd: 0, n: 5, mae: 0.02, hitRate: 0.4, signalReturn: 0.03, sharpe: 3, source: 'maintain' as const },
    ]);
    await store.close();
    // The operator views answer plain sqlite3 queries.
    expect(querySqlite(home, 'SELECT slot, id, predictions FROM active_models_summary')).toEqual([{ slot: 'AAA|1d|return|h1', id: 'a2', predictions: 0 }]);
    expect(querySqlite(home, 'SELECT id, active_id, predictions, predictions_with_outcome FROM shadow_models_summary ORDER BY id')).toEqual([
      { id: 'a3', active_id: 'a2', predictions: 1, predictions_with_outcome: 1 },
      { id: 'a4', active_id: 'a2', predictions: 0, predictions_with_outcome: 0 },
      { id: 'b1', active_id: null, predictions: 0, predictions_with_outcome: 0 },
    ]);
    expect(querySqlite(home, 'SELECT type, score FROM recent_drift_events')).toHaveLength(2);
    const [perf] = querySqlite(home, 'SELECT model_id, status, periods, outcomes, hit_rate, mae, signal_return, last_sharpe FROM model_performance_dashboard');
    expect(perf).toMatchObject({ model_id: 'a2', status: 'active', periods: 3, outcomes: 45, last_sharpe: 2 });
    expect(perf.hit_rate).toBeCloseTo((0.5 * 10 + 0.7 * 30 + 0.4 * 5) / 45, 12);
    expect(perf.mae).toBeCloseTo((0.01 * 10 + 0.03 * 30 + 0.02 * 5) / 45, 12);
    expect(perf.signal_return).toBeCloseTo(0.04, 12);
    expect(querySqlite(home, "SELECT detected_utc FROM recent_drift_events LIMIT 1")[0].detected_utc).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
  });
});
