/**
 * pulse maintain folds the predictions it trims into the performance history: per model, symbol and calendar month,
 * with the figures evaluate computes on the same predictions, in the delete's transaction, once.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { Rng } from '../../src/core/rng.js';
import { DEFAULT_DEGRADATION } from '../../src/monitor/settings.js';
import { evaluate, scorePredictions } from '../../src/monitor/evaluate.js';
import { maintain } from '../../src/ops/maintain/maintain.js';
import { maintainSettingsSchema } from '../../src/ops/maintain/settings.js';
import { toModelVersion } from '../../src/registry/registry.js';
import type { ModelRecord, PredictionRecord } from '../../src/store/records.js';
import { openStore, type Store } from '../../src/store/store.js';
import { useTempHome } from '../helpers/home.js';

const tempHome = useTempHome();
const DAY = 86_400_000;
const NOW = Date.UTC(2026, 5, 15);
/** The default 90 days before NOW fall in March 2026: bars before 2026-03-01 are folded. */
const CUTOFF = Date.UTC(2026, 2, 1);
const settings = maintainSettingsSchema.parse({});
const SLOT = 'AAA|1d|return|h1';
const degradation = DEFAULT_DEGRADATION;

function model(id: string, status: ModelRecord['status'], version: number): ModelRecord {
  return {
    id, family: 'ridge', mode: 'ridge', symbols: ['AAA'], slot: SLOT, version, interval: '1d', target: 'return', horizon: 1, params: {}, seed: 7,
    featureSet: 'default', featureSetHash: 'h', featureNames: ['f'], trainFrom: 1, trainTo: 2, dataHash: 'd', metrics: { task: 'regression' }, status,
    statusChangedAt: NOW - 400 * DAY, parentId: null, jobId: null, createdAt: NOW - 400 * DAY, trainDurationMs: 1, engineVersion: 'e', filePath: `models/${id}.json`,
    fileSize: 1, fileSha256: 's', study: null,
  };
}

/**
 * An active model and a shadow predicting every daily bar from 2025-10-01 to 2026-05-31 with seeded forecasts,
 * outcomes and signals (some naive fallbacks, some flat), the outcomes known but for the last week's; a retired
 * model with predictions of 2025 only.
 */
async function home(): Promise<Store> {
  const dir = tempHome();
  mkdirSync(join(dir, 'models'));
  const store = await openStore(dir);
  await store.instruments.upsert('AAA', { calendar: 'crypto' }, 1); // a calendar with periods per year: Sharpe ratios
  for (const m of [model('act', 'active', 2), model('sha', 'shadow', 3), model('old', 'retired', 1)]) await store.models.insert(m);
  const rng = new Rng(20261206);
  await store.transaction(async (tx) => {
    for (let t = Date.UTC(2025, 9, 1); t < Date.UTC(2026, 5, 1); t += DAY) {
      const outcome = 0.01 * rng.normal();
      for (const modelId of ['act', 'sha', 'old']) {
        if (modelId === 'old' && t >= Date.UTC(2026, 0, 1)) continue;
        const value = 0.5 * outcome + 0.01 * rng.normal();
        const signal = Math.abs(value) < 0.002 ? 'flat' : value > 0 ? 'long' : 'short';
        await tx.predictions.upsert({ modelId, symbol: 'AAA', interval: '1d', barTs: t, horizon: 1, value, intervals: null, signal, fallback: rng.uniform(0, 1) < 0.05, createdAt: t + DAY });
        if (t < Date.UTC(2026, 4, 24)) await tx.predictions.setOutcome(modelId, t, outcome, t + 2 * DAY);
      }
    }
  });
  return store;
}

/** What evaluate's scoring gives each model and month on the predictions before the cutoff, read before the trim. */
async function expectedRows(store: Store): Promise<Map<string, Awaited<ReturnType<typeof scorePredictions>> & { start: number; end: number }>> {
  const out = new Map();
  for (const record of await store.models.list()) {
    const mine = (await store.predictions.withOutcomes(record.id)).filter((p) => p.barTs < CUTOFF && !p.fallback);
    const months = new Map<number, PredictionRecord[]>();
    for (const p of mine) {
      const d = new Date(p.barTs);
      const start = Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), 1);
      months.set(start, [...(months.get(start) ?? []), p]);
    }
    for (const [start, ps] of months) {
      const d = new Date(start);
      const metrics = await scorePredictions(store, toModelVersion(store, record), 'AAA', '1d', ps);
      out.set(`${record.id}@${start}`, { ...metrics, start, end: Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 1) });
    }
  }
  return out;
}

describe('pulse maintain folds the predictions it trims into the performance history', () => {
  it('writes per model and month what evaluate computes on the same predictions, deletes them, and a second run adds nothing', async () => {
    const store = await home();
    const expected = await expectedRows(store);
    // 3 models x Oct..Dec 2025, 2 models x Jan..Feb 2026
    expect(expected.size).toBe(13);
    const before = (await store.predictions.total()).predictions;
    const trimmed = (await Promise.all(['act', 'sha', 'old'].map((id) => store.predictions.withOutcomes(id)))).flat().filter((p) => p.barTs < CUTOFF);
    const folded = trimmed.filter((p) => !p.fallback).length;

    const dry = await maintain(store, { settings, dryRun: true, now: NOW });
    expect(dry.cutoffs.predictionsWithOutcome).toBe(CUTOFF);
    expect(dry.folded).toEqual({ predictions: folded, periods: 13, deleted: trimmed.length, kept: 0 });
    expect(await store.performance.list({ slot: SLOT, limit: 1_000 })).toEqual([]);
    expect((await store.predictions.total()).predictions).toBe(before);

    const r = await maintain(store, { settings, dryRun: false, now: NOW });
    expect(r.folded).toEqual(dry.folded);
    expect(r.deleted.predictionsWithOutcome).toBe(trimmed.length);
    expect((await store.predictions.total()).predictions).toBe(before - trimmed.length);
    expect((await Promise.all(['act', 'sha', 'old'].map((id) => store.predictions.withOutcomes(id)))).flat().every((p) => p.barTs >= CUTOFF)).toBe(true);

    const rows = await store.performance.list({ slot: SLOT, limit: 1_000 });
    expect(rows).toHaveLength(13);
    for (const row of rows) {
      const m = expected.get(`${row.modelId}@${row.periodStart}`)!;
      expect(m, `${row.modelId}@${row.periodStart}`).toBeDefined();
      expect(row).toMatchObject({
        source: 'maintain', slot: SLOT, symbol: 'AAA', interval: '1d', periodStart: m.start, periodEnd: m.end, n: m.n, computedAt: NOW,
        rmse: m.rmse, mae: m.mae, logLoss: m.logLoss, directionalAccuracy: m.directionalAccuracy, ic: m.ic, pearsonIc: m.pearsonIc,
        hitRate: m.hitRate, hitLow: m.hitInterval?.[0] ?? null, hitHigh: m.hitInterval?.[1] ?? null,
        signalReturn: m.signalReturn, sharpe: m.sharpe, profitFactor: m.profitFactor,
      });
      expect(m.n).toBeGreaterThan(20);
      expect(m.rmse).not.toBeNull();
      expect(m.sharpe).not.toBeNull();
    }

    // again (later, too): nothing left to fold, nothing rewritten
    for (const now of [NOW, NOW + DAY]) {
      const again = await maintain(store, { settings, dryRun: false, now });
      expect(again.folded).toEqual({ predictions: 0, periods: 0, deleted: 0, kept: 0 });
      expect(await store.performance.list({ slot: SLOT, limit: 1_000 })).toEqual(rows);
    }

    // evaluate --by month writes its own rows for the months still held, beside the folded ones
    const e = await evaluate(store, { interval: '1d', by: 'month', degradation, now: NOW + 2 * DAY });
    expect(e.recorded).toBeGreaterThan(0);
    const all = await store.performance.list({ slot: SLOT, limit: 1_000 });
    expect(all.filter((x) => x.source === 'maintain')).toEqual(rows);
    expect(all.filter((x) => x.source === 'evaluate').every((x) => x.periodStart >= CUTOFF)).toBe(true);
    await store.close();
  });

  it('keeps predictions that reach a month already folded, and those of a model no longer registered', async () => {
    const store = await home();
    await maintain(store, { settings, dryRun: false, now: NOW });
    const rows = await store.performance.list({ slot: SLOT, limit: 1_000 });
    // a replay of an old bar of the active model, and a prediction of a model not in the registry
    const late = { symbol: 'AAA', interval: '1d', barTs: Date.UTC(2025, 10, 15, 12), horizon: 1, value: 0.01, intervals: null, signal: 'long' as const, fallback: false, createdAt: NOW };
    await store.predictions.upsert({ ...late, modelId: 'act' });
    await store.predictions.setOutcome('act', late.barTs, 0.02, NOW);
    await store.predictions.upsert({ ...late, modelId: 'gone' });
    await store.predictions.setOutcome('gone', late.barTs, 0.02, NOW);
    const r = await maintain(store, { settings, dryRun: false, now: NOW });
    expect(r.folded).toEqual({ predictions: 0, periods: 0, deleted: 0, kept: 2 });
    expect(await store.performance.list({ slot: SLOT, limit: 1_000 })).toEqual(rows);
    expect((await store.predictions.withOutcomes('act')).filter((p) => p.barTs < CUTOFF).map((p) => p.barTs)).toEqual([late.barTs]);
    await store.close();
  });
});
