/** pulse maintain on a real store with old rows: retention, archiving, compaction, the dry run and the home lock. */
import { existsSync, mkdirSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/config.js';
import { acquireLocks, BusyError } from '../../src/core/lock.js';
import { maintain } from '../../src/ops/maintain/maintain.js';
import { maintainSettingsSchema } from '../../src/ops/maintain/settings.js';
import type { ModelRecord } from '../../src/store/records.js';
import { openStore, type Store } from '../../src/store/store.js';
import { useTempHome } from '../helpers/home.js';

const tempHome = useTempHome();
const DAY = 86_400_000;
const HOUR = 3_600_000;
const NOW = Date.UTC(2026, 5, 1);
const settings = maintainSettingsSchema.parse({});

function model(id: string, status: ModelRecord['status'], statusChangedAt: number, version: number): ModelRecord {
  return {
    id, family: 'ridge', mode: 'ridge', symbols: ['AAA'], slot: 'AAA|1d|return|h1', version, interval: '1d', target: 'return', horizon: 1, params: {}, seed: 7,
    featureSet: 'default', featureSetHash: 'h', featureNames: ['f'], trainFrom: 1, trainTo: 2, dataHash: 'd', metrics: {}, status, statusChangedAt, parentId: null,
    jobId: null, createdAt: statusChangedAt, trainDurationMs: 1, engineVersion: 'e', filePath: `models/${id}.json`, fileSize: 1000, fileSha256: 's', study: null,
  };
}

/**
 * A home a year in use: 8,000 predictions with outcomes of hourly bars from January to November 2025 and 1,000 of
 * bars from March 2026 (after the default cutoff, 2026-03-01), 300 waiting for theirs; an old retired model, a recently retired one and the active one (with files); old and recent runs, jobs
 * and health runs; a quarantined row of an old run.
 */
async function oldHome(): Promise<{ home: string; store: Store }> {
  const home = tempHome();
  const store = await openStore(home);
  mkdirSync(join(home, 'models'));
  const models = [model('old-retired', 'retired', NOW - 200 * DAY, 1), model('new-retired', 'retired', NOW - 10 * DAY, 2), model('active', 'active', NOW - 10 * DAY, 3)];
  for (const m of models) {
    await store.models.insert(m);
    writeFileSync(join(home, m.filePath), 'x'.repeat(1000));
  }
  await store.transaction(async (tx) => {
    for (let i = 0; i < 9_300; i++) {
      const barTs = i < 8_000 ? Date.UTC(2025, 0, 1) + i * HOUR : NOW - 90 * DAY + (i - 8_000) * HOUR;
      const p = { modelId: 'active', symbol: 'AAA', interval: '1d', barTs, horizon: 1, value: i, intervals: { '80': [i - 1, i + 1] as [number, number] }, signal: 'long' as const, fallback: false, createdAt: NOW - 400 * DAY };
      await tx.predictions.upsert(p);
      if (i < 8_000) await tx.predictions.setOutcome('active', p.barTs, i, NOW - 365 * DAY);
      else if (i < 9_000) await tx.predictions.setOutcome('active', p.barTs, i, NOW - 5 * DAY);
    }
  });
  const counts = { fetched: 1, inserted: 1, updated: 0, unchanged: 0, quarantined: 1, gaps: 0 };
  for (const at of [NOW - 300 * DAY, NOW - DAY]) {
    const run = await store.runs.start({ source: 'csv', interval: '1d', symbols: ['AAA'], pid: 1, now: at });
    await store.runs.finish(run, { status: 'ok', counts, now: at + 1, startedAt: at });
    await store.quarantine.add(run, [{ symbol: 'AAA', interval: '1d', source: 'csv', ts: at, reason: 'bad_ohlc', detail: 'high < low', raw: `row ${at}` }], at);
    const job = await store.jobs.create({ type: 'train', trigger: 'manual', params: {}, inlinePid: 1, now: at });
    await store.jobs.finish(job, { status: 'completed', succeeded: 1, failed: 0, now: at + 1 });
    await store.health.insert({ createdAt: at, status: 'ok', critical: 0, warnings: 0, unknown: 0, durationMs: 1, results: [] });
  }
  return { home, store };
}

describe('pulse maintain', () => {
  it('reports what would go in a dry run and changes nothing', async () => {
    const { home, store } = await oldHome();
    const before = await store.maintenance.tableCounts();
    const r = await maintain(store, { settings, dryRun: true, now: NOW });
    expect(r.deleted).toEqual({ predictionsWithOutcome: 8_000, collectRuns: 1, jobs: 1, healthRuns: 1 });
    expect(r.cutoffs.predictionsWithOutcome).toBe(Date.UTC(2026, 2, 1));
    expect(r.folded).toEqual({ predictions: 8_000, periods: 11, deleted: 8_000, kept: 0 });
    expect(r.archived).toEqual([{ id: 'old-retired', slot: 'AAA|1d|return|h1', retiredAt: NOW - 200 * DAY, fileBytes: 1000 }]);
    expect(r.storeBytes.reclaimed).toBe(0);
    expect(r.checkpointed).toBeNull();
    expect(await store.maintenance.tableCounts()).toEqual(before);
    expect((await store.models.get('old-retired'))?.status).toBe('retired');
    expect(existsSync(join(home, 'models', 'old-retired.json'))).toBe(true);
    await store.close();
  });

  it('deletes old rows, archives old retired models with their files, vacuums and reports the bytes reclaimed', async () => {
    const { home, store } = await oldHome();
    const r = await maintain(store, { settings, dryRun: false, now: NOW });
    expect(r.deleted).toEqual({ predictionsWithOutcome: 8_000, collectRuns: 1, jobs: 1, healthRuns: 1 });
    expect(r.folded).toEqual({ predictions: 8_000, periods: 11, deleted: 8_000, kept: 0 });
    expect((await store.performance.list({ modelId: 'active', source: 'maintain', limit: 100 })).reduce((n, row) => n + row.n, 0)).toBe(8_000);
    expect(r.archived.map((a) => a.id)).toEqual(['old-retired']);
    expect(r.modelFileBytes).toBe(1000);
    expect(await store.models.countByStatus()).toEqual({ shadow: 0, active: 1, retired: 1, archived: 1 });
    expect(existsSync(join(home, 'models', 'old-retired.json'))).toBe(false);
    expect(existsSync(join(home, 'models', 'new-retired.json'))).toBe(true);
    expect(await store.predictions.total()).toEqual({ predictions: 1_300, withOutcome: 1_000 });
    // Both runs' quarantined rows are kept; the old one's run link is gone.
    expect((await store.quarantine.list({ limit: 10 })).map((q) => q.runId === null)).toEqual([false, true]);
    // 8,000 rows freed far more than the 20% share: VACUUM ran, the WAL was truncated, and the file shrank.
    expect(r.vacuum.ran).toBe(true);
    expect(r.checkpointed).toBe(true);
    expect(r.storeBytes.reclaimed).toBeGreaterThan(256 << 10);
    expect(r.storeBytes.after).toBe(statSync(join(home, 'data', 'pulse.db')).size + (existsSync(join(home, 'data', 'pulse.db-wal')) ? statSync(join(home, 'data', 'pulse.db-wal')).size : 0));
    expect((await store.maintenance.pageStats()).freelistCount).toBe(0);
    expect(await store.maintenance.checkIntegrity()).toEqual([]);
    // A second run finds nothing to do and does not vacuum.
    const again = await maintain(store, { settings, dryRun: false, now: NOW });
    expect(again.deleted).toEqual({ predictionsWithOutcome: 0, collectRuns: 0, jobs: 0, healthRuns: 0 });
    expect(again.folded).toEqual({ predictions: 0, periods: 0, deleted: 0, kept: 0 });
    expect(again.archived).toEqual([]);
    expect(again.vacuum.ran).toBe(false);
    await store.close();
  });

  it('follows its settings (PULSE__MAINTAIN__* through the config loader) and leaves a small store unvacuumed', async () => {
    const { home, store } = await oldHome();
    const env = { PULSE__MAINTAIN__PREDICTION_DAYS: '2', PULSE__MAINTAIN__RETIRED_MODEL_DAYS: '5', PULSE__MAINTAIN__COLLECT_RUN_DAYS: '400', PULSE__MAINTAIN__JOB_DAYS: '400', PULSE__MAINTAIN__HEALTH_RUN_DAYS: '400', PULSE__MAINTAIN__VACUUM_MIN_FREE_MIB: '1000', PULSE__MAINTAIN__VACUUM_MIN_FREE_PCT: '100' };
    const custom = loadConfig(home, env).maintain;
    const r = await maintain(store, { settings: custom, dryRun: false, now: NOW });
    expect(r.deleted).toEqual({ predictionsWithOutcome: 9_000, collectRuns: 0, jobs: 0, healthRuns: 0 });
    expect(r.archived.map((a) => a.id).sort()).toEqual(['new-retired', 'old-retired']);
    expect(r.vacuum.ran).toBe(false);
    expect(r.vacuum.freeBytes).toBeGreaterThan(0);
    expect(() => loadConfig(home, { PULSE__MAINTAIN__PREDICTION_DAYS: '0' })).toThrow(/maintain\.predictionDays/);
    await store.close();
  });

  it('takes the home lock: busy while another run holds it', async () => {
    const { home, store } = await oldHome();
    const lock = (scopes: readonly string[]) => acquireLocks(join(home, 'locks'), scopes, { command: 'test', waitMs: 0 });
    const held = await lock(['home']);
    await expect(maintain(store, { settings, dryRun: false, now: NOW, lock })).rejects.toBeInstanceOf(BusyError);
    held.release();
    expect((await maintain(store, { settings, dryRun: true, now: NOW, lock })).deleted.jobs).toBe(1);
    await store.close();
  });
});
