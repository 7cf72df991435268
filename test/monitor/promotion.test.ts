/** pulse promote: paired losses from stored predictions, the gate's decision, --force, --dry-run, rollback, audit. */
import { describe, expect, it } from 'vitest';
import { UsageError } from '../../src/core/errors.js';
import { pairedLosses, promote, rollback } from '../../src/monitor/promotion.js';
import { getModel } from '../../src/registry/registry.js';
import type { ModelRecord } from '../../src/store/records.js';
import { openStore, type Store } from '../../src/store/store.js';
import { useTempHome } from '../helpers/home.js';

const tempHome = useTempHome();
const DAY = 86_400_000;
const T0 = Date.UTC(2025, 0, 1);
const SLOT = 'AAA|1d|return|h1';

function model(id: string, status: ModelRecord['status'], createdAt: number): ModelRecord {
  return {
    id, family: 'ridge', mode: 'ridge', symbols: ['AAA'], slot: SLOT, version: 1, interval: '1d', target: 'return', horizon: 1, params: {}, seed: 1,
    featureSet: 'default', featureSetHash: 'h', featureNames: ['f'], trainFrom: 0, trainTo: 1, dataHash: 'd', metrics: {}, status, statusChangedAt: createdAt,
    parentId: null, jobId: null, study: null, createdAt, trainDurationMs: 1, engineVersion: 'e', filePath: `models/${id}.json`, fileSize: 1, fileSha256: 's',
  };
}

/** `n` daily bars after T0 where both models predicted; the candidate's errors are `ratio` times the active's. */
async function withPredictions(n: number, ratio: number, classify = false): Promise<Store> {
  const store = await openStore(tempHome());
  await store.models.insert(model('old', 'active', T0 - 10 * DAY));
  await store.models.insert({ ...model('new', 'shadow', T0), version: 2 });
  for (let i = 0; i < n; i++) {
    const barTs = T0 + i * DAY;
    const outcome = classify ? (i % 3 === 0 ? -1 : 1) : Math.sin(i);
    const err = 0.5 + 0.4 * Math.cos(i * 1.7);
    for (const [id, scale] of [['old', 1], ['new', ratio]] as const) {
      const pUp = Math.min(0.99, Math.max(0.01, outcome === 1 ? 1 - 0.5 * err * scale : 0.5 * err * scale));
      await store.predictions.upsert({
        modelId: id, symbol: 'AAA', interval: '1d', barTs, horizon: 1, value: classify ? 2 * pUp - 1 : outcome + err * scale,
        intervals: classify ? { '-1': 1 - pUp, '1': pUp } : null, signal: 'flat', fallback: false, createdAt: barTs + DAY / 2,
      });
      await store.predictions.setOutcome(id, barTs, outcome, barTs + DAY);
    }
  }
  return store;
}

describe('pulse promote', () => {
  it('pairs the predictions of both models with outcomes, squared error for returns, log loss for classes', async () => {
    const store = await withPredictions(5, 0.5);
    const p = await pairedLosses(store, await getModel(store, 'old'), await getModel(store, 'new'));
    expect(p.loss).toBe('squared-error');
    expect(p.bars).toHaveLength(5);
    expect(p.lossCandidate[1]).toBeCloseTo(p.lossActive[1] / 4, 12);
    await store.close();
    const cls = await withPredictions(4, 0.5, true);
    const q = await pairedLosses(cls, await getModel(cls, 'old'), await getModel(cls, 'new'));
    expect(q.loss).toBe('log-loss');
    const err = 0.5 + 0.4 * Math.cos(0);
    expect(q.lossActive[0]).toBeCloseTo(-Math.log(1 - 0.5 * err), 12); // bar 0: outcome -1, pUp = 0.5 err, P(-1) = 1 - pUp
    await cls.close();
  });

  it('promotes a significantly better candidate and audits it; a rollback reactivates the previous model', async () => {
    const store = await withPredictions(120, 0.6);
    const r = await promote(store, { id: 'new', dryRun: false, force: false, now: T0 + 200 * DAY });
    expect(r).toMatchObject({ decision: 'promote', applied: true, forced: false, candidate: 'new', active: 'old', n: 120, test: { name: 'diebold-mariano', horizon: 1, loss: 'squared-error' } });
    expect(r.test!.pValue!).toBeLessThan(0.05);
    expect((await store.models.get('new'))!.status).toBe('active');
    expect((await store.models.get('old'))!.status).toBe('retired');
    const back = await rollback(store, SLOT, T0 + 201 * DAY);
    expect(back).toEqual({ slot: SLOT, activated: 'old', retired: 'new' });
    expect((await store.modelEvents.list({ slot: SLOT, limit: 10 })).map((e) => [e.kind, e.modelId, e.previousId])).toEqual([['rollback', 'old', 'new'], ['promote', 'new', 'old']]);
    await store.close();
  });

  it('refuses with too little evidence, promotes nothing on a dry run, and records a forced promotion', async () => {
    const store = await withPredictions(60, 0.6);
    const dry = await promote(store, { id: 'new', dryRun: true, force: false, now: T0 + 100 * DAY });
    expect(dry).toMatchObject({ decision: 'refuse', applied: false });
    expect(dry.reasons[0]).toBe('only 60 paired predictions with outcomes; 100 are needed (40 more)');
    expect(await store.modelEvents.list({ slot: SLOT, limit: 10 })).toEqual([]);
    const refused = await promote(store, { id: 'new', dryRun: false, force: false, now: T0 + 100 * DAY });
    expect(refused.applied).toBe(false);
    expect((await store.models.get('new'))!.status).toBe('shadow');
    const forced = await promote(store, { id: 'new', dryRun: false, force: true, now: T0 + 101 * DAY });
    expect(forced).toMatchObject({ decision: 'refuse', forced: true, applied: true });
    expect(forced.reasons.at(-1)).toBe('forced: the gate was skipped with --force');
    expect((await store.modelEvents.list({ slot: SLOT, limit: 10 })).map((e) => e.kind)).toEqual(['force', 'refuse']);
    await store.close();
  });

  it('refuses a worse candidate, and explains an impossible rollback', async () => {
    const store = await withPredictions(150, 1.4);
    const r = await promote(store, { id: 'new', dryRun: false, force: false, now: T0 + 200 * DAY });
    expect(r.decision).toBe('refuse');
    expect(r.reasons.some((x) => x.includes('worse by'))).toBe(true);
    await expect(rollback(store, SLOT, T0)).rejects.toThrow(UsageError);
    await expect(rollback(store, SLOT, T0)).rejects.toThrow(`${SLOT} has no previous active model to roll back to`);
    await store.close();
  });
});
