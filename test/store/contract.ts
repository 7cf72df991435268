/**
 * The repository contract: the behaviour every store implementation must show, whatever its SQL dialect. Each
 * dialect's test calls {@link describeStoreContract} with a function that opens a fresh store in a new home
 * (test/store/sqlite-contract.test.ts for SQLite).
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Bar } from '../../src/core/bars.js';
import type { ModelRecord } from '../../src/store/records.js';
import type { Store } from '../../src/store/store.js';

const HOUR = 3_600_000;
const T0 = Date.UTC(2024, 0, 1);

/** `n` hourly bars from `start`; `shift` moves every price. */
export function hourlyBars(n: number, start = T0, shift = 0): Bar[] {
  return Array.from({ length: n }, (_, i) => {
    const c = 100 + Math.sin(i / 10) * 5 + shift;
    return { ts: start + i * HOUR, open: c - 0.5, high: c + 1, low: c - 1, close: c, volume: 1000 + i, adjClose: null };
  });
}

/** Bars as the columns `bars.upsert` takes. */
export function columnsOf(bars: readonly Bar[]) {
  return {
    length: bars.length,
    time: bars.map((b) => b.ts),
    open: bars.map((b) => b.open),
    high: bars.map((b) => b.high),
    low: bars.map((b) => b.low),
    close: bars.map((b) => b.close),
    volume: bars.map((b) => b.volume),
    adjClose: bars.map((b) => b.adjClose ?? NaN),
  };
}

/** A model record for repository tests (no file behind it). */
export function modelRecord(id: string, over: Partial<ModelRecord> = {}): ModelRecord {
  return {
    id,
    family: 'ridge',
    mode: 'ridge',
    symbols: ['AAA'],
    slot: 'AAA|1d|return|h1',
    version: 1,
    interval: '1d',
    target: 'return',
    horizon: 1,
    params: { alpha: 1 },
    seed: 7,
    featureSet: 'default',
    featureSetHash: 'abc',
    featureNames: ['f1', 'f2'],
    trainFrom: 1,
    trainTo: 2,
    dataHash: 'd',
    metrics: { task: 'regression' },
    status: 'shadow',
    statusChangedAt: 10,
    parentId: null,
    jobId: null,
    study: null,
    createdAt: 10,
    trainDurationMs: 5,
    engineVersion: 'e',
    filePath: `models/${id}.json`,
    fileSize: 3,
    fileSha256: 'f',
    ...over,
  };
}

/** The contract, against stores opened by `open(home)` in fresh homes from `tempHome()`. */
export function describeStoreContract(name: string, open: (home: string) => Promise<Store>, tempHome: () => string): void {
  const fresh = () => open(tempHome());

  describe(`${name}: bars and series`, () => {
    it('counts inserted, updated and unchanged bars, and bumps the series version only on change', async () => {
      const store = await fresh();
      const up = (list: Bar[], now = 1) => store.bars.upsert('X', '1h', columnsOf(list), { source: 'test', now });
      expect(await up(hourlyBars(300))).toEqual({ inserted: 300, updated: 0, unchanged: 0 });
      expect(await store.series.version('X', '1h')).toBe(1);
      const stamp = await store.series.stamp('X', '1h');
      expect(await up(hourlyBars(300), 2)).toEqual({ inserted: 0, updated: 0, unchanged: 300 });
      expect(await store.series.version('X', '1h')).toBe(1);
      const revised = hourlyBars(310);
      revised[5] = { ...revised[5], close: revised[5].close + 0.01 };
      revised[7] = { ...revised[7], adjClose: 99 };
      expect(await up(revised, 3)).toEqual({ inserted: 10, updated: 2, unchanged: 298 });
      expect(await store.series.version('X', '1h')).toBe(2);
      expect(await store.series.stamp('X', '1h')).not.toBe(stamp);
      expect(await store.series.stamp('NOPE', '1h')).toBeUndefined();
      expect(await store.series.version('NOPE', '1h')).toBe(0);
      await store.close();
    });

    it('merges a batch that interleaves stored, revised and new bars (inserts past the first chunk included)', async () => {
      const store = await fresh();
      const all = hourlyBars(1000);
      // Every third bar stored first; the batch then holds all 1000, one stored bar in ten revised.
      const stored = all.filter((_, i) => i % 3 === 0);
      await store.bars.upsert('X', '1h', columnsOf(stored), { source: 'a', now: 1 });
      const batch = all.map((b, i) => (i % 30 === 0 ? { ...b, close: b.close + 1 } : b));
      const counts = await store.bars.upsert('X', '1h', columnsOf(batch), { source: 'b', now: 2 });
      expect(counts).toEqual({ inserted: 1000 - stored.length, updated: 34, unchanged: stored.length - 34 });
      const rows: unknown[][] = [];
      for await (const page of store.bars.pages('X', '1h')) rows.push(...page);
      expect(rows.map((r) => r[0])).toEqual(all.map((b) => b.ts));
      expect(rows.map((r) => r[4])).toEqual(batch.map((b) => b.close));
      // New and revised rows carry the batch's source; unchanged rows keep theirs.
      expect(rows.map((r) => r[7])).toEqual(all.map((_, i) => (i % 3 === 0 && i % 30 !== 0 ? 'a' : 'b')));
      await store.close();
    });

    it('reads bars by range, time, count, history and tail, and streams them in order', async () => {
      const store = await fresh();
      const list = hourlyBars(310);
      await store.bars.upsert('X', '1h', columnsOf(list), { source: 'test', now: 1 });
      expect(await store.bars.lastTime('X', '1h')).toBe(T0 + 309 * HOUR);
      expect(await store.bars.lastTime('X', '1h', T0 + 5 * HOUR)).toBe(T0 + 4 * HOUR);
      expect(await store.bars.lastTime('Y', '1h')).toBeUndefined();
      expect(await store.bars.count('X', '1h', T0, T0 + 10 * HOUR)).toBe(10);
      expect(await store.bars.times('X', '1h', T0 + HOUR, T0 + 3 * HOUR)).toEqual([T0 + HOUR, T0 + 2 * HOUR]);
      expect((await store.bars.before('X', '1h', T0 + 3 * HOUR, 10)).map((b) => b.ts)).toEqual([T0, T0 + HOUR, T0 + 2 * HOUR]);
      const tail = await store.bars.tail('X', '1h', 2);
      expect(tail.map((b) => [b.ts, b.source, b.originInterval])).toEqual([[T0 + 308 * HOUR, 'test', null], [T0 + 309 * HOUR, 'test', null]]);
      const part = await store.bars.load('X', '1h', { from: T0 + 10 * HOUR, to: T0 + 13 * HOUR });
      expect(Array.from(part.time)).toEqual([T0 + 10 * HOUR, T0 + 11 * HOUR, T0 + 12 * HOUR]);
      expect(part.close[0]).toBe(list[10].close);
      expect(part.symbol).toBe('X');
      expect((await store.bars.load('X', '1h')).length).toBe(310);
      expect((await store.bars.load('Y', '1h')).length).toBe(0);
      const streamed: number[] = [];
      for await (const page of store.bars.pages('X', '1h', { from: T0 + 300 * HOUR })) streamed.push(...page.map((row) => row[0]));
      expect(streamed).toEqual(list.slice(300).map((b) => b.ts));
      await store.close();
    });

    it('lists series, keeps source records and source changes, and deletes a series', async () => {
      const store = await fresh();
      await store.bars.upsert('X', '1h', columnsOf(hourlyBars(5)), { source: 'csv', now: 1 });
      await store.bars.upsert('X', '4h', columnsOf(hourlyBars(2, T0)), { source: 'resample', originInterval: '1h', now: 1 });
      expect(await store.series.list()).toMatchObject([
        { symbol: 'X', interval: '1h', rows: 5, first: T0, last: T0 + 4 * HOUR, version: 1, derivedFrom: null },
        { symbol: 'X', interval: '4h', rows: 2, derivedFrom: '1h' },
      ]);
      expect(await store.series.list({ interval: '4h' })).toHaveLength(1);
      expect(await store.series.source('X', '1h')).toEqual({ source: null, synthetic: null });
      await store.series.recordSource('X', '1h', { source: 'csv', synthetic: false });
      await store.series.recordSource('X', '1h', { source: null, synthetic: false });
      expect(await store.series.source('X', '1h')).toEqual({ source: 'csv', synthetic: false });
      expect(await store.series.source('Y', '1h')).toBeUndefined();
      await store.series.recordSourceChange({ symbol: 'X', interval: '1h', previous: 'csv', next: 'yahoo', runId: null, changedAt: 5 });
      await store.series.recordSourceChange({ symbol: 'X', interval: '1h', previous: 'yahoo', next: 'binance', runId: null, changedAt: 6 });
      expect((await store.series.sourceChanges('X')).map((c) => c.next)).toEqual(['binance', 'yahoo']);
      expect(await store.series.sourceChanges('X', '4h')).toEqual([]);
      expect(await store.series.delete('X', '1h')).toBe(5);
      expect(await store.series.source('X', '1h')).toBeUndefined();
      expect((await store.series.list()).map((s) => s.interval)).toEqual(['4h']);
      await store.close();
    });
  });

  describe(`${name}: streaming`, () => {
    it('streams a range of more than one page in order, each row once', async () => {
      const store = await fresh();
      const list = hourlyBars(70_000);
      await store.bars.upsert('X', '1h', columnsOf(list), { source: 'test', now: 1 });
      const times: number[] = [];
      let pages = 0;
      for await (const page of store.bars.pages('X', '1h', { from: list[5].ts, to: list[69_990].ts })) {
        pages++;
        for (const row of page) times.push(row[0]);
      }
      expect(pages).toBeGreaterThan(1);
      expect(times.length).toBe(69_985);
      expect(times[0]).toBe(list[5].ts);
      expect(times.at(-1)).toBe(list[69_989].ts);
      expect(times.every((t, i) => i === 0 || t - times[i - 1] === HOUR)).toBe(true);
      await store.close();
    });
  });

  describe(`${name}: instruments, runs, quarantine, sources`, () => {
    it('keeps instrument facts a later source does not report, and the calendar', async () => {
      const store = await fresh();
      expect(await store.instruments.calendar('AAPL')).toBeNull();
      await store.instruments.upsert('AAPL', { currency: 'USD', calendar: 'XNAS' }, 1);
      await store.instruments.upsert('AAPL', { name: 'Apple' }, 2);
      expect(await store.instruments.calendar('AAPL')).toBe('XNAS');
      await store.instruments.upsert('AAPL', { calendar: 'XNYS' }, 3);
      expect(await store.instruments.calendar('AAPL')).toBe('XNYS');
      expect(await store.instruments.upsertExternal('s', [{ ts: 1, value: 0.5 }, { ts: 2, value: 1 }], 'csv', 1)).toEqual({ inserted: 2, updated: 0, unchanged: 0 });
      const stamp = await store.instruments.externalStamp('s');
      expect(await store.instruments.upsertExternal('s', [{ ts: 1, value: 0.5 }, { ts: 2, value: 2 }], 'csv', 2)).toEqual({ inserted: 0, updated: 1, unchanged: 1 });
      expect(await store.instruments.externalStamp('s')).not.toBe(stamp);
      const loaded = await store.instruments.loadExternal('s');
      expect([Array.from(loaded.time), Array.from(loaded.value)]).toEqual([[1, 2], [0.5, 2]]);
      expect(await store.instruments.listExternal()).toEqual([{ name: 's', points: 2, first: 1, last: 2 }]);
      await store.close();
    });

    it('audits runs, fails the runs of dead processes, and keeps each rejected row once', async () => {
      const store = await fresh();
      const a = await store.runs.start({ source: 'csv', interval: null, symbols: ['X'], pid: 111, now: 1 });
      const b = await store.runs.start({ source: 'yahoo', interval: '1d', symbols: ['Y', 'Z'], pid: 222, now: 2 });
      await store.runs.setInterval(a, '1h');
      const counts = { fetched: 3, inserted: 2, updated: 0, unchanged: 0, quarantined: 1, gaps: 0 };
      await store.runs.finish(a, { status: 'ok', counts, details: { note: 'x' }, now: 5, startedAt: 1 });
      expect(await store.runs.failOrphaned((pid) => pid !== 222, 9)).toBe(1);
      const [rb, ra] = await store.runs.list(10);
      expect(ra).toMatchObject({ id: a, interval: '1h', status: 'ok', symbols: ['X'], details: { note: 'x' }, durationMs: 4, ...counts });
      expect(rb).toMatchObject({ id: b, status: 'failed', finishedAt: 9, durationMs: 7 });
      expect(rb.error).toMatch(/ended without finishing/);
      const entry = { symbol: 'X', interval: '1h', source: 'csv', ts: 5, reason: 'non_finite', detail: 'd', raw: 'line' };
      expect(await store.quarantine.add(a, [entry, { ...entry, ts: null, raw: 'other' }], 1)).toBe(2);
      expect(await store.quarantine.add(a, [entry], 2)).toBe(0);
      const rows = await store.quarantine.list({ limit: 10 });
      expect(rows.map((r) => r.raw)).toEqual(['other', 'line']);
      expect(await store.quarantine.get(rows[1].id)).toMatchObject({ ...entry, runId: a, createdAt: 1 });
      expect(await store.quarantine.reasons('X')).toEqual([{ reason: 'non_finite', count: 2 }]);
      expect(await store.quarantine.purge(2, 'Y')).toBe(0);
      expect(await store.quarantine.purge(2)).toBe(2);
      await store.close();
    });

    it('keeps source health', async () => {
      const store = await fresh();
      const rec = { source: 'yahoo', consecutiveFailures: 2, totalFailures: 2, totalSuccesses: 5, lastError: 'x', lastFailureAt: 3, lastSuccessAt: 1, openUntil: null, updatedAt: 3 };
      await store.sources.put(rec);
      await store.sources.put({ ...rec, source: 'binance', consecutiveFailures: 0 });
      await store.sources.put({ ...rec, openUntil: 99 });
      expect(await store.sources.get('yahoo')).toEqual({ ...rec, openUntil: 99 });
      expect((await store.sources.list()).map((s) => s.source)).toEqual(['binance', 'yahoo']);
      await store.close();
    });
  });

  describe(`${name}: models, jobs, predictions, backtests`, () => {
    it('finds models by status, slot and any symbol they were trained on, and numbers versions', async () => {
      const store = await fresh();
      await store.models.insert(modelRecord('ridge-AAA-1d-v1', { status: 'active' }));
      await store.models.insert(modelRecord('ridge-AAA-1d-v2', { version: 2, createdAt: 20, params: { alpha: 2 }, study: 'aaa-ridge' }));
      await store.models.insert(modelRecord('ens-AAA+BBB-1d-v1', { symbols: ['BBB', 'AAA'], slot: 'AAA+BBB|1d|return|h1', createdAt: 30 }));
      await store.models.insert(modelRecord('x_y-1d-v1', { symbols: ['X_Y'], slot: 'X_Y|1d|return|h1', createdAt: 5 }));
      expect((await store.models.get('ens-AAA+BBB-1d-v1'))?.symbols).toEqual(['AAA', 'BBB']);
      expect((await store.models.get('ridge-AAA-1d-v2'))?.params).toEqual({ alpha: 2 });
      expect((await store.models.get('ridge-AAA-1d-v2'))?.study).toBe('aaa-ridge');
      expect((await store.models.get('ridge-AAA-1d-v1'))?.study).toBeNull();
      expect((await store.models.list({ symbol: 'BBB' })).map((m) => m.id)).toEqual(['ens-AAA+BBB-1d-v1']);
      expect((await store.models.list({ symbol: 'AAA' })).map((m) => m.id)).toEqual(['ens-AAA+BBB-1d-v1', 'ridge-AAA-1d-v2', 'ridge-AAA-1d-v1']);
      // A symbol is matched as a whole, never as part of another (no pattern matching on text).
      expect(await store.models.list({ symbol: 'AA' })).toEqual([]);
      expect((await store.models.list({ status: 'active' })).map((m) => m.id)).toEqual(['ridge-AAA-1d-v1']);
      expect((await store.models.active('AAA|1d|return|h1'))?.id).toBe('ridge-AAA-1d-v1');
      expect(await store.models.nextVersion('AAA|1d|return|h1')).toBe(3);
      expect(await store.models.nextVersion('NEW|1d|return|h1')).toBe(1);
      expect((await store.models.idsWithPrefix('ridge-AAA-1d-v')).sort()).toEqual(['ridge-AAA-1d-v1', 'ridge-AAA-1d-v2']);
      // `_` is a literal in ids, not a wildcard.
      expect(await store.models.idsWithPrefix('x_')).toEqual(['x_y-1d-v1']);
      expect(await store.models.idsWithPrefix('xy')).toEqual([]);
      await store.close();
    });

    it('allows at most one active model per slot, and deletes a model with its predictions', async () => {
      const store = await fresh();
      await store.models.insert(modelRecord('a', { status: 'active' }));
      await store.models.insert(modelRecord('b', { version: 2 }));
      await expect(store.models.setStatus('b', 'active', 20)).rejects.toThrow();
      await store.models.setStatus('a', 'retired', 20);
      await store.models.setStatus('b', 'active', 20);
      expect(await store.models.get('a')).toMatchObject({ status: 'retired', statusChangedAt: 20 });
      const prediction = { modelId: 'b', symbol: 'AAA', interval: '1d', barTs: 1, horizon: 1, value: 0.1, intervals: null, signal: 'long' as const, fallback: false, createdAt: 1 };
      await store.predictions.upsert(prediction);
      await store.models.delete('b');
      expect(await store.models.get('b')).toBeUndefined();
      expect(await store.predictions.counts()).toEqual(new Map());
      await store.close();
    });

    it('records inline jobs as running, ends them once, and interrupts the jobs of dead processes', async () => {
      const store = await fresh();
      const a = await store.jobs.create({ type: 'train', trigger: 'manual', params: { symbols: ['X'] }, inlinePid: 1, now: 1 });
      const b = await store.jobs.create({ type: 'train', trigger: 'drift', params: {}, inlinePid: 2, now: 2 });
      expect(await store.jobs.finish(a, { status: 'completed', succeeded: 1, failed: 0, now: 5 })).toBe(true);
      expect(await store.jobs.finish(a, { status: 'failed', error: 'late', now: 6 })).toBe(false);
      expect(await store.jobs.get(a)).toMatchObject({ status: 'completed', trigger: 'manual', inline: true, params: { symbols: ['X'] }, modelsSucceeded: 1, durationMs: 4, attempts: 1, dependsOn: [] });
      expect((await store.jobs.interruptOrphaned((pid) => pid === 1, 9)).map((j) => j.id)).toEqual([b]);
      expect(await store.jobs.get(b)).toMatchObject({ status: 'interrupted', finishedAt: 9 });
      expect((await store.jobs.list(10)).map((j) => j.id)).toEqual([b, a]);
      expect((await store.jobs.list(10, { status: ['interrupted'] })).map((j) => j.id)).toEqual([b]);
      expect((await store.jobs.events(b)).map((e) => [e.from, e.to, e.at])).toEqual([[null, 'pending', 2], ['pending', 'running', 2], ['running', 'interrupted', 9]]);
      expect(await store.jobs.claim(7, 10)).toBeUndefined(); // inline jobs are never claimed
      await store.close();
    });

    it('claims queued jobs by priority then age, once each, only when due and with every dependency completed', async () => {
      const store = await fresh();
      const job = (over: Partial<Parameters<typeof store.jobs.create>[0]> = {}) => store.jobs.create({ type: 'health', trigger: 'manual', params: {}, now: 1, ...over });
      const low = await job();
      const high = await job({ priority: 5 });
      const after = await job({ priority: 9, dependsOn: [low, high] });
      expect(await store.jobs.get(after)).toMatchObject({ status: 'pending', dependsOn: [low, high], attempts: 0, inline: false });
      expect(await store.jobs.readyCount(1)).toBe(2); // `after` waits for the other two
      const first = await store.jobs.claim(100, 10);
      expect(first).toMatchObject({ id: high, status: 'running', attempts: 1, pid: 100, startedAt: 10 });
      expect((await store.jobs.claim(100, 10))?.id).toBe(low);
      expect(await store.jobs.claim(100, 10)).toBeUndefined(); // `after` waits for both
      await store.jobs.finish(high, { status: 'completed', now: 11 });
      expect(await store.jobs.claim(100, 12)).toBeUndefined();
      await store.jobs.setWorker(low, 4242);
      expect(await store.jobs.get(low)).toMatchObject({ workerPid: 4242 });
      await store.jobs.finish(low, { status: 'failed', error: 'boom', now: 13 });
      expect(await store.jobs.requeue(low, { from: ['failed'], runAfter: 50, reason: 'retry', now: 14 })).toBe(true);
      expect(await store.jobs.requeue(low, { from: ['failed'], runAfter: 50, reason: 'retry', now: 14 })).toBe(false);
      expect(await store.jobs.claim(100, 49)).toBeUndefined(); // not due yet
      expect(await store.jobs.readyCount(49)).toBe(0); // neither the retry nor the job behind it
      expect(await store.jobs.readyCount(50)).toBe(1);
      expect(await store.jobs.claim(100, 50)).toMatchObject({ id: low, attempts: 2, error: null, runAfter: null });
      await store.jobs.finish(low, { status: 'completed', result: { ok: 1 }, now: 51 });
      expect(await store.jobs.claim(100, 52)).toMatchObject({ id: after, attempts: 1 });
      expect(await store.jobs.get(low)).toMatchObject({ result: { ok: 1 } });
      expect((await store.jobs.dependents(low)).map((j) => j.id)).toEqual([after]);
      expect((await store.jobs.events(low)).map((e) => `${e.from}>${e.to}`)).toEqual(['null>pending', 'pending>running', 'running>failed', 'failed>pending', 'pending>running', 'running>completed']);
      await store.close();
    });

    it('cancels jobs, and the jobs whose dependency ended for good without completing', async () => {
      const store = await fresh();
      const job = (over: Partial<Parameters<typeof store.jobs.create>[0]> = {}) => store.jobs.create({ type: 'health', trigger: 'manual', params: {}, now: 1, ...over });
      const a = await job({ maxAttempts: 2 });
      const b = await job({ dependsOn: [a] });
      const c = await job({ dependsOn: [b] });
      await store.jobs.claim(1, 2);
      await store.jobs.finish(a, { status: 'failed', error: 'x', now: 3 });
      expect(await store.jobs.cancelBlocked(4)).toEqual([]); // a has an attempt left
      expect(await store.jobs.cancel(a, 'by hand', 5)).toBe(false); // failed: neither pending nor running
      await store.jobs.requeue(a, { from: ['failed'], runAfter: null, reason: 'retry', now: 5 });
      await store.jobs.claim(1, 6);
      expect(await store.jobs.cancel(a, 'by hand', 7)).toBe(true);
      expect(await store.jobs.cancelBlocked(8)).toEqual([b, c]);
      expect(await store.jobs.get(c)).toMatchObject({ status: 'cancelled', error: `dependency #${b} cancelled`, finishedAt: 8 });
      expect(await store.jobs.readyCount(100)).toBe(0);
      expect(await store.jobs.requeue(b, { from: ['cancelled'], runAfter: null, resetAttempts: true, reason: 'retried', now: 9 })).toBe(true);
      expect(await store.jobs.get(b)).toMatchObject({ status: 'pending', attempts: 0 });
      await store.close();
    });

    it('stores one prediction per (model, bar), keeps its outcome, and lists them newest first', async () => {
      const store = await fresh();
      await store.models.insert(modelRecord('m'));
      const p = { modelId: 'm', symbol: 'AAA', interval: '1d', barTs: 1, horizon: 1, value: 0.1, intervals: { '80': [0, 0.2] as [number, number] }, signal: 'long' as const, fallback: false, createdAt: 1 };
      await store.predictions.upsert(p);
      await store.predictions.upsert({ ...p, barTs: 2, intervals: { '1': 0.7, '-1': 0.3 } });
      expect((await store.predictions.pending('AAA', '1d')).map((x) => x.barTs)).toEqual([1, 2]);
      await store.predictions.setOutcome('m', 1, 0.05, 9);
      await store.predictions.upsert({ ...p, value: 0.2, createdAt: 3 });
      const listed = await store.predictions.list({ symbol: 'AAA', limit: 10 });
      expect(listed.map((x) => [x.barTs, x.value, x.outcome])).toEqual([[2, 0.1, null], [1, 0.2, 0.05]]);
      expect(listed[0].intervals).toEqual({ '1': 0.7, '-1': 0.3 });
      expect(listed[1].intervals).toEqual({ '80': [0, 0.2] });
      expect((await store.predictions.pending('AAA', '1d')).map((x) => x.barTs)).toEqual([2]);
      expect(await store.predictions.counts()).toEqual(new Map([['m', 2]]));
      expect(await store.predictions.purge(2)).toBe(1);
      await store.close();
    });

    it('lists the predictions with outcomes of bars before a time and deletes a model\'s by symbol and bar range, outcomes only', async () => {
      const store = await fresh();
      const p = { modelId: 'm', symbol: 'AAA', interval: '1d', barTs: 1, horizon: 1, value: 0.1, intervals: null, signal: 'long' as const, fallback: false, createdAt: 1 };
      for (const [modelId, symbol, barTs] of [['m', 'AAA', 30], ['m', 'AAA', 10], ['m', 'AAA', 20], ['m', 'AAA', 40], ['n', 'BBB', 5], ['m', 'AAA', 50]] as const) {
        await store.predictions.upsert({ ...p, modelId, symbol, barTs });
      }
      for (const [modelId, barTs] of [['m', 10], ['m', 20], ['m', 40], ['n', 5], ['m', 50]] as const) await store.predictions.setOutcome(modelId, barTs, 0.01, 99);
      // bar 30 has no outcome; bar 50 is not before 45
      expect((await store.predictions.withOutcomesBefore(45)).map((x) => `${x.modelId}@${x.barTs}`)).toEqual(['m@10', 'm@20', 'm@40', 'n@5']);
      expect(await store.predictions.deleteWithOutcomes({ modelId: 'm', symbol: 'AAA', from: 10, to: 40 })).toBe(2);
      expect(await store.predictions.deleteWithOutcomes({ modelId: 'm', symbol: 'BBB', from: 0, to: 100 })).toBe(0);
      expect((await store.predictions.list({ symbol: 'AAA', limit: 10 })).map((x) => x.barTs)).toEqual([50, 40, 30]);
      await store.close();
    });

    it('keeps a performance history per (model, symbol, period): a re-evaluated period replaces its row', async () => {
      const store = await fresh();
      const base = {
        modelId: 'm', slot: 'AAA|1d|return|h1', symbol: 'AAA', interval: '1d', periodStart: 0, periodEnd: 10, n: 5, rmse: 0.1, mae: 0.08, logLoss: null,
        directionalAccuracy: 0.6, ic: 0.2, pearsonIc: 0.25, hitRate: 0.6, hitLow: 0.23, hitHigh: 0.88, signalReturn: 0.01, sharpe: 1.5, profitFactor: null, computedAt: 1,
        source: 'evaluate' as const,
      };
      await store.performance.upsert([base, { ...base, periodStart: 10, periodEnd: 20 }, { ...base, modelId: 'n', periodStart: 10, periodEnd: 20 }, { ...base, slot: 'BBB|1d|return|h1', symbol: 'BBB' }]);
      await store.performance.upsert([{ ...base, n: 7, rmse: 0.2, computedAt: 2 }]);
      const mine = await store.performance.list({ modelId: 'm', symbol: 'AAA', limit: 10 });
      expect(mine.map((r) => [r.periodStart, r.n, r.rmse, r.computedAt])).toEqual([[0, 7, 0.2, 2], [10, 5, 0.1, 1]]);
      expect(mine[0]).toMatchObject({ ...base, n: 7, rmse: 0.2, computedAt: 2, id: expect.any(Number) });
      expect((await store.performance.list({ slot: 'AAA|1d|return|h1', limit: 10 })).map((r) => `${r.modelId}@${r.periodStart}`).sort()).toEqual(['m@0', 'm@10', 'n@10']);
      expect((await store.performance.list({ slot: 'AAA|1d|return|h1', limit: 2 })).map((r) => r.periodStart)).toEqual([10, 10]);
      expect(await store.performance.list({ modelId: 'x', limit: 10 })).toEqual([]);
      expect(await store.performance.newest()).toMatchObject({ modelId: 'm', periodStart: 0, computedAt: 2 });
      // a maintain row of the same period sits beside the evaluate row; the newest evaluation ignores it
      await store.performance.upsert([{ ...base, n: 9, computedAt: 3, source: 'maintain' }]);
      expect((await store.performance.list({ modelId: 'm', symbol: 'AAA', limit: 10 })).map((r) => [r.periodStart, r.source, r.n])).toEqual([[0, 'evaluate', 7], [0, 'maintain', 9], [10, 'evaluate', 5]]);
      expect((await store.performance.list({ modelId: 'm', source: 'maintain', limit: 10 })).map((r) => r.n)).toEqual([9]);
      expect((await store.performance.list({ slot: 'AAA|1d|return|h1', source: 'evaluate', limit: 10 })).every((r) => r.source === 'evaluate')).toBe(true);
      expect(await store.performance.newest()).toMatchObject({ source: 'evaluate', computedAt: 2 });
      await store.close();
      const empty = await fresh();
      expect(await empty.performance.newest()).toBeUndefined();
      await empty.close();
    });

    it('records backtests with their parameters and statistics', async () => {
      const store = await fresh();
      const rec = { symbol: 'AAA', interval: '1d', kind: 'strategy', source: 'sma-cross', modelId: null, fromTs: 1, toTs: 2, bars: 2, seed: 1, params: { fee: 10 }, stats: { sharpe: 1 }, returnPct: 1, sharpe: 1, maxDrawdownPct: 2, trades: 3, reportPath: null, assertPassed: null, durationMs: 4, createdAt: 5 };
      const a = await store.backtests.insert(rec);
      const b = await store.backtests.insert({ ...rec, symbol: 'BBB', createdAt: 6 });
      expect(b).toBeGreaterThan(a);
      await store.backtests.setReportPath(a, '/r.html');
      expect(await store.backtests.get(a)).toMatchObject({ ...rec, id: a, reportPath: '/r.html' });
      expect((await store.backtests.list({ limit: 10 })).map((x) => x.id)).toEqual([b, a]);
      expect((await store.backtests.list({ symbol: 'AAA', limit: 10 })).map((x) => x.id)).toEqual([a]);
      await store.close();
    });
  });

  describe(`${name}: transactions`, () => {
    it('commits a transaction whole, and rolls it back whole when it throws', async () => {
      const store = await fresh();
      await store.transaction(async (tx) => {
        await tx.bars.upsert('X', '1h', columnsOf(hourlyBars(3)), { source: 'test', now: 1 });
        await tx.instruments.upsert('X', { calendar: 'crypto' }, 1);
      });
      await expect(
        store.transaction(async (tx) => {
          await tx.bars.upsert('X', '1h', columnsOf(hourlyBars(5)), { source: 'test', now: 2 });
          await tx.instruments.upsert('X', { calendar: 'XNYS' }, 2);
          throw new Error('no');
        }),
      ).rejects.toThrow('no');
      expect(await store.bars.count('X', '1h', 0, Number.MAX_SAFE_INTEGER)).toBe(3);
      expect(await store.instruments.calendar('X')).toBe('crypto');
      expect(await store.transaction(async () => 42)).toBe(42);
      await store.close();
    });

    it('keeps other callers out of an open transaction until it ends, and refuses the store inside its own transaction', async () => {
      const store = await fresh();
      const order: string[] = [];
      let inside!: () => void;
      const entered = new Promise<void>((r) => (inside = r));
      let finish!: () => void;
      const held = new Promise<void>((r) => (finish = r));
      const tx = store.transaction(async (t) => {
        await t.instruments.upsert('X', { calendar: 'crypto' }, 1);
        inside();
        await held;
        order.push('tx done');
      });
      await entered;
      const outside = store.instruments.calendar('X').then((c) => order.push(`read ${c}`));
      await new Promise((r) => setTimeout(r, 20));
      expect(order).toEqual([]);
      finish();
      await Promise.all([tx, outside]);
      expect(order).toEqual(['tx done', 'read crypto']);
      await expect(store.transaction(async () => store.instruments.calendar('X'))).rejects.toThrow(/inside its own transaction/);
      expect(await store.instruments.calendar('X')).toBe('crypto');
      await store.close();
    });
  });

  describe(`${name}: maintenance and backups`, () => {
    it('snapshots the store while it is written, counts rows per table and checks integrity', async () => {
      const home = tempHome();
      const store = await open(home);
      await store.bars.upsert('X', '1h', columnsOf(hourlyBars(300)), { source: 'test', now: 1 });
      const snapshotHome = tempHome();
      mkdirSync(join(snapshotHome, 'data'));
      const writing = store.bars.upsert('X', '1h', columnsOf(hourlyBars(50, T0 + 300 * HOUR)), { source: 'test', now: 2 });
      await store.maintenance.snapshot(join(snapshotHome, 'data', 'pulse.db'));
      await writing;
      expect((await store.maintenance.tableCounts()).bars).toBe(350);
      expect(await store.maintenance.checkIntegrity()).toEqual([]);
      expect(await store.maintenance.checkIntegrity({ quick: true })).toEqual([]);
      await store.close();
      const copy = await open(snapshotHome);
      const counts = await copy.maintenance.tableCounts();
      expect([300, 350]).toContain(counts.bars);
      expect(counts).toMatchObject({ models: 0, series_versions: 1 });
      expect(copy.maintenance.schemaVersion).toBeGreaterThanOrEqual(6);
      await copy.close();
    });

    it('counts models, jobs and predictions by status, and finds the newest run per source and drift row per series', async () => {
      const store = await fresh();
      expect(await store.models.countByStatus()).toEqual({ shadow: 0, active: 0, retired: 0, archived: 0 });
      await store.models.insert(modelRecord('a', { status: 'active' }));
      await store.models.insert(modelRecord('b', { version: 2 }));
      await store.models.insert(modelRecord('c', { version: 3 }));
      expect(await store.models.countByStatus()).toEqual({ shadow: 2, active: 1, retired: 0, archived: 0 });
      const j = await store.jobs.create({ type: 'train', trigger: 'manual', params: {}, inlinePid: 1, now: 1 });
      await store.jobs.create({ type: 'health', trigger: 'manual', params: {}, now: 2 });
      await store.jobs.finish(j, { status: 'failed', succeeded: 0, failed: 1, now: 3 });
      expect(await store.jobs.countByStatus()).toEqual({ pending: 1, running: 0, completed: 0, failed: 1, cancelled: 0, interrupted: 0 });
      const p = { modelId: 'a', symbol: 'AAA', interval: '1d', barTs: 1, horizon: 1, value: 0.1, intervals: null, signal: 'long' as const, fallback: false, createdAt: 1 };
      await store.predictions.upsert(p);
      await store.predictions.upsert({ ...p, barTs: 2 });
      await store.predictions.setOutcome('a', 1, 0.2, 5);
      expect(await store.predictions.total()).toEqual({ predictions: 2, withOutcome: 1 });

      const r1 = await store.runs.start({ source: 'yahoo', interval: '1d', symbols: ['A'], pid: 1, now: 10 });
      const r2 = await store.runs.start({ source: 'csv', interval: '1d', symbols: ['A'], pid: 1, now: 11 });
      const r3 = await store.runs.start({ source: 'yahoo', interval: '1d', symbols: ['B'], pid: 1, now: 12 });
      await store.runs.finish(r1, { status: 'ok', counts: { fetched: 0, inserted: 0, updated: 0, unchanged: 0, quarantined: 0, gaps: 0 }, now: 13, startedAt: 10 });
      expect((await store.runs.lastBySource()).map((r) => [r.source, r.id, r.status])).toEqual([['csv', r2, 'running'], ['yahoo', r3, 'running']]);

      const row = { checkId: 'c1', symbol: 'AAA', interval: '1d', modelId: null, type: 'dataset' as const, feature: null, test: null, score: 0.2, pValue: null, threshold: 0.5, drifted: false, severity: 'none', detectedAt: 100, triggerRetraining: false };
      await store.drift.insert([row, { ...row, type: 'feature', feature: 'f1', score: 0.01, detectedAt: 300 }]);
      await store.drift.insert([{ ...row, checkId: 'c2', score: 0.7, drifted: true, detectedAt: 200 }, { ...row, checkId: 'c3', symbol: 'BBB', detectedAt: 50 }]);
      expect((await store.drift.latestPerSeries('dataset')).map((d) => [d.symbol, d.checkId, d.score])).toEqual([['AAA', 'c2', 0.7], ['BBB', 'c3', 0.2]]);
      expect((await store.drift.latestPerSeries('feature')).map((d) => d.feature)).toEqual(['f1']);
      await store.close();
    });

    it('sizes each series from its key index, and counts a series again once its bars change', async () => {
      const store = await fresh();
      expect(await store.series.sizes()).toEqual([]);
      await store.bars.upsert('X', '1h', columnsOf(hourlyBars(30)), { source: 'test', now: 1 });
      await store.bars.upsert('A', '1d', columnsOf(hourlyBars(5)), { source: 'test', now: 1 });
      const first = await store.series.sizes();
      expect(first).toEqual([{ symbol: 'A', interval: '1d', rows: 5, last: T0 + 4 * HOUR }, { symbol: 'X', interval: '1h', rows: 30, last: T0 + 29 * HOUR }]);
      expect(await store.series.sizes()).toEqual(first);
      await store.bars.upsert('X', '1h', columnsOf(hourlyBars(10, T0 + 30 * HOUR)), { source: 'test', now: 2 });
      expect((await store.series.sizes()).find((s) => s.symbol === 'X')).toEqual({ symbol: 'X', interval: '1h', rows: 40, last: T0 + 39 * HOUR });
      // Deleted and stored again with fewer bars: never the old count.
      await store.series.delete('X', '1h');
      expect((await store.series.sizes()).map((s) => s.symbol)).toEqual(['A']);
      await store.bars.upsert('X', '1h', columnsOf(hourlyBars(3)), { source: 'test', now: 3 });
      expect((await store.series.sizes()).find((s) => s.symbol === 'X')?.rows).toBe(3);
      await store.close();
    });

    it('finds each series\' newest bar without counting its bars', async () => {
      const store = await fresh();
      expect(await store.series.newest()).toEqual([]);
      await store.bars.upsert('X', '1h', columnsOf(hourlyBars(30)), { source: 'test', now: 1 });
      await store.bars.upsert('A', '1d', columnsOf(hourlyBars(5)), { source: 'test', now: 1 });
      expect(await store.series.newest()).toEqual([{ symbol: 'A', interval: '1d', last: T0 + 4 * HOUR }, { symbol: 'X', interval: '1h', last: T0 + 29 * HOUR }]);
      await store.bars.upsert('X', '1h', columnsOf(hourlyBars(10, T0 + 30 * HOUR)), { source: 'test', now: 2 });
      expect((await store.series.newest()).find((s) => s.symbol === 'X')?.last).toBe(T0 + 39 * HOUR);
      // a deleted series is gone, not listed without bars
      await store.series.delete('X', '1h');
      expect((await store.series.newest()).map((s) => s.symbol)).toEqual(['A']);
      await store.close();
    });

    it('trims old rows past their cutoffs in one go, keeps quarantine, predictions and unfinished work, and counts without deleting in a dry run', async () => {
      const store = await fresh();
      await store.models.insert(modelRecord('m'));
      const p = { modelId: 'm', symbol: 'AAA', interval: '1d', barTs: 1, horizon: 1, value: 0.1, intervals: null, signal: 'long' as const, fallback: false, createdAt: 1 };
      for (const barTs of [1, 2, 3]) await store.predictions.upsert({ ...p, barTs });
      await store.predictions.setOutcome('m', 1, 0.1, 100); // predictions are not trimmed here (maintain folds them first)
      const counts = { fetched: 0, inserted: 0, updated: 0, unchanged: 0, quarantined: 1, gaps: 0 };
      const oldRun = await store.runs.start({ source: 'csv', interval: '1d', symbols: ['A'], pid: 1, now: 10 });
      await store.runs.finish(oldRun, { status: 'ok', counts, now: 11, startedAt: 10 });
      await store.quarantine.add(oldRun, [{ symbol: 'A', interval: '1d', source: 'csv', ts: 1, reason: 'bad_ohlc', detail: 'd', raw: 'r' }], 11);
      await store.runs.start({ source: 'csv', interval: '1d', symbols: ['A'], pid: 1, now: 12 }); // still running: stays
      const oldJob = await store.jobs.create({ type: 'train', trigger: 'manual', params: {}, inlinePid: 1, now: 10 });
      await store.jobs.finish(oldJob, { status: 'completed', succeeded: 1, failed: 0, now: 11 });
      await store.jobs.create({ type: 'health', trigger: 'manual', params: {}, now: 10 }); // pending: stays
      await store.health.insert({ createdAt: 10, status: 'ok', critical: 0, warnings: 0, unknown: 0, durationMs: 1, results: [] });
      await store.health.insert({ createdAt: 900, status: 'ok', critical: 0, warnings: 0, unknown: 0, durationMs: 1, results: [] });
      const cutoffs = { collectRuns: 500, jobs: 500, healthRuns: 500 };
      const expected = { collectRuns: 1, jobs: 1, healthRuns: 1 };
      const before = await store.maintenance.tableCounts();
      expect(await store.maintenance.trim(cutoffs, { dryRun: true })).toEqual(expected);
      expect(await store.maintenance.tableCounts()).toEqual(before);
      expect(await store.maintenance.trim(cutoffs, { dryRun: false })).toEqual(expected);
      expect(await store.maintenance.trim(cutoffs, { dryRun: false })).toEqual({ collectRuns: 0, jobs: 0, healthRuns: 0 });
      expect((await store.predictions.list({ symbol: 'AAA', limit: 10 })).map((x) => x.barTs)).toEqual([3, 2, 1]);
      expect((await store.runs.list(10)).map((r) => r.status)).toEqual(['running']);
      expect((await store.jobs.list(10)).map((j) => j.status)).toEqual(['pending']);
      // the trimmed job's audit rows went with it; the pending job keeps its own
      const kept = (await store.jobs.list(10))[0].id;
      expect(await store.jobs.events(oldJob)).toEqual([]);
      expect((await store.jobs.events(kept)).length).toBeGreaterThan(0);
      expect((await store.health.list(10)).map((h) => h.createdAt)).toEqual([900]);
      expect((await store.quarantine.list({ limit: 10 })).map((q) => [q.reason, q.runId])).toEqual([['bad_ohlc', null]]);
      const pages = await store.maintenance.pageStats();
      expect(pages.pageSize).toBeGreaterThan(0);
      expect(pages.pageCount).toBeGreaterThan(pages.freelistCount);
      expect(await store.maintenance.optimize({ vacuum: true })).toEqual({ checkpointed: true, vacuumed: true });
      expect((await store.maintenance.pageStats()).freelistCount).toBe(0);
      expect(await store.maintenance.checkIntegrity()).toEqual([]);
      await store.close();
    });

    it('records backups, their verification and pruning', async () => {
      const store = await fresh();
      const rec = { path: '/b/a.tar.gz', createdAt: 5, size: 10, sha256: 'ab', encrypted: false, schemaVersion: 6, pulseVersion: '0.1.0', files: 3, models: 1 };
      await store.backups.insert(rec);
      await store.backups.insert({ ...rec, path: '/b/b.tar.gz', createdAt: 6, encrypted: true });
      await store.backups.markVerified('/b/a.tar.gz', 7);
      await store.backups.markPruned('/b/b.tar.gz', 8);
      expect(await store.backups.list()).toEqual([{ ...rec, id: 1, verifiedAt: 7, prunedAt: null }]);
      expect((await store.backups.list({ includePruned: true })).map((b) => [b.path, b.prunedAt])).toEqual([['/b/b.tar.gz', 8], ['/b/a.tar.gz', null]]);
      await store.close();
    });
  });

  describe(`${name}: A/B tests`, () => {
    it('starts, lists, ends once, and keeps the first serving arm of a bar', async () => {
      const store = await fresh();
      const base = { slot: 'S', control: 'a', challenger: 'b', split: 30, minDays: 7, minN: 100, seed: 9, startedAt: 5 };
      const id = await store.abTests.insert(base);
      const other = await store.abTests.insert({ ...base, slot: 'T', startedAt: 6 });
      expect(await store.abTests.get(id)).toEqual({ ...base, id, status: 'running', winner: null, endedAt: null, result: null });
      expect((await store.abTests.list()).map((t) => t.id)).toEqual([other, id]);
      expect((await store.abTests.list({ slot: 'S', status: 'running' })).map((t) => t.id)).toEqual([id]);
      expect(await store.abTests.end(id, { status: 'decided', winner: 'challenger', endedAt: 9, result: { n: 3 } })).toBe(true);
      expect(await store.abTests.end(id, { status: 'stopped', winner: null, endedAt: 10, result: null })).toBe(false);
      expect(await store.abTests.get(id)).toMatchObject({ status: 'decided', winner: 'challenger', endedAt: 9, result: { n: 3 } });
      const row = { testId: id, symbol: 'X', barTs: 2, arm: 'control' as const, modelId: 'a', signal: 'long' as const, servedAt: 3 };
      await store.abTests.recordServed([row, { ...row, barTs: 1, arm: 'challenger', modelId: 'b', signal: 'flat' }]);
      await store.abTests.recordServed([{ ...row, arm: 'challenger', modelId: 'b' }]);
      await store.abTests.recordServed([]);
      expect((await store.abTests.served(id)).map((r) => [r.barTs, r.arm, r.signal])).toEqual([[1, 'challenger', 'flat'], [2, 'control', 'long']]);
      expect(await store.abTests.served(other)).toEqual([]);
      await store.close();
    });
  });

  describe(`${name}: walk-forward optimisations`, () => {
    it('creates once, records windows (a window saved again replaces its record) and lists them in order', async () => {
      const store = await fresh();
      const wf = { name: 'wf', direction: 'minimize', seed: 7, windows: 3, scheme: 'rolling', settings: { subject: { symbol: 'X' }, sampler: 'tpe' }, dataTo: 99, createdAt: 5 };
      expect(await store.studies.createWalkForward(wf)).toBe(true);
      expect(await store.studies.createWalkForward({ ...wf, seed: 8 })).toBe(false);
      expect(await store.studies.getWalkForward('wf')).toEqual(wf);
      expect(await store.studies.getWalkForward('none')).toBeUndefined();
      await store.studies.createWalkForward({ ...wf, name: 'older', createdAt: 1 });
      expect((await store.studies.listWalkForwards()).map((w) => w.name)).toEqual(['older', 'wf']);
      const window = {
        walkForward: 'wf', window: 2, study: 'wf.wf2', seed: 11, inSampleFrom: 10, inSampleTo: 20, inSampleBars: 11, outOfSampleFrom: 22, outOfSampleTo: 30, outOfSampleBars: 9,
        bestTrial: 3, bestParams: { alpha: 0.5, kind: 'a' }, inSampleValue: 0.25, outOfSampleValue: null, outOfSampleNote: 'no trade', finishedAt: 40,
      };
      await store.studies.saveWalkForwardWindow(window);
      await store.studies.saveWalkForwardWindow({ ...window, window: 1, study: 'wf.wf1', outOfSampleValue: 0.5, outOfSampleNote: null });
      await store.studies.saveWalkForwardWindow({ ...window, outOfSampleValue: 0.3, outOfSampleNote: null, finishedAt: 41 });
      expect(await store.studies.walkForwardWindows('wf')).toEqual([
        { ...window, window: 1, study: 'wf.wf1', outOfSampleValue: 0.5, outOfSampleNote: null },
        { ...window, outOfSampleValue: 0.3, outOfSampleNote: null, finishedAt: 41 },
      ]);
      expect(await store.studies.walkForwardWindows('older')).toEqual([]);
      await store.close();
    });
  });

  describe(`${name}: cycles`, () => {
    it('records a cycle from start to finish with its steps, newest first', async () => {
      const store = await fresh();
      const a = await store.cycles.start({ startedAt: 10, simulated: false, dryRun: false, pid: 1 });
      const b = await store.cycles.start({ startedAt: 20, simulated: true, dryRun: false, pid: 1 });
      expect((await store.cycles.list({ limit: 5 }))[1]).toEqual({ id: a, startedAt: 10, endedAt: null, status: 'running', simulated: false, dryRun: false, steps: [], pid: 1 });
      const steps = [{ slot: 'S', step: 'predict', status: 'ok' as const, ms: 3, detail: '2 predictions' }];
      await store.cycles.finish(a, { status: 'completed', endedAt: 12, steps });
      expect((await store.cycles.list({ limit: 5 })).map((c) => c.id)).toEqual([b, a]);
      expect(await store.cycles.list({ limit: 5, simulated: false })).toEqual([{ id: a, startedAt: 10, endedAt: 12, status: 'completed', simulated: false, dryRun: false, steps, pid: 1 }]);
      await store.close();
    });
  });
}
