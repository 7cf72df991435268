/** The job queue's rules on a real SQLite store: order, dependencies, retries with seeded backoff, the audit, orphans. */
import Database from 'better-sqlite3';
import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { defaultConfig } from '../../../src/config/config.js';
import { DataError, UsageError } from '../../../src/core/errors.js';
import { isProcessAlive } from '../../../src/core/process.js';
import { addJob, cancelJob, listJobs, retryDelayMs, retryJob, settleRun, showJob, sweepJobs, MAX_BACKOFF_MS } from '../../../src/pipeline/jobs/queue.js';
import { evaluationFollowUps } from '../../../src/pipeline/jobs/types/retrain.js';
import { JOB_TYPE_NAMES } from '../../../src/pipeline/jobs/registry.js';
import { openStore, type Store } from '../../../src/store/store.js';
import { useTempHome } from '../../helpers/home.js';

const tempHome = useTempHome();
const stores: Store[] = [];
afterEach(async () => {
  for (const s of stores.splice(0)) await s.close();
});

async function fresh(): Promise<Store> {
  const store = await openStore(tempHome());
  stores.push(store);
  return store;
}

const health = (over: Partial<Parameters<typeof addJob>[1]> = {}) => ({ type: 'health', params: {}, seed: 42, ...over });
/** Claim every runnable job now, in the order the queue gives them. */
async function claimAll(store: Store, now: number): Promise<number[]> {
  const out: number[] = [];
  for (let j = await store.jobs.claim(1, now); j; j = await store.jobs.claim(1, now)) out.push(j.id);
  return out;
}
/** A pid that belonged to a process which has ended. */
function deadPid(): number {
  const r = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], { encoding: 'utf8' });
  const pid = Number(r.stdout);
  expect(isProcessAlive(pid)).toBe(false);
  return pid;
}

describe('job queue: order and dependencies', () => {
  it('runs the highest priority first, then the oldest', async () => {
    const store = await fresh();
    const a = await addJob(store, health(), 1);
    const b = await addJob(store, health({ priority: 10 }), 2);
    const c = await addJob(store, health({ priority: -1 }), 3);
    const d = await addJob(store, health({ priority: 10 }), 4);
    expect(await claimAll(store, 5)).toEqual([b.id, d.id, a.id, c.id]);
  });

  it('runs a job only once all its dependencies completed, whatever its priority', async () => {
    const store = await fresh();
    const first = await addJob(store, health(), 1);
    const second = await addJob(store, health(), 1);
    const last = await addJob(store, health({ priority: 100, after: [first.id, second.id] }), 1);
    expect(last.dependsOn).toEqual([first.id, second.id]);
    expect(await claimAll(store, 2)).toEqual([first.id, second.id]);
    await settleRun(store, (await store.jobs.get(first.id))!, { status: 'completed', output: { result: {} } }, 3);
    expect(await claimAll(store, 4)).toEqual([]);
    await settleRun(store, (await store.jobs.get(second.id))!, { status: 'completed', output: { result: {} } }, 5);
    expect(await claimAll(store, 6)).toEqual([last.id]);
  });

  it('cancels the dependents of a job that failed for good, with the reason, down the chain', async () => {
    const store = await fresh();
    const a = await addJob(store, health(), 1);
    const b = await addJob(store, health({ after: [a.id] }), 1);
    const c = await addJob(store, health({ after: [b.id] }), 1);
    await claimAll(store, 2);
    const settled = await settleRun(store, (await store.jobs.get(a.id))!, { status: 'failed', error: 'boom' }, 3);
    expect(settled).toMatchObject({ status: 'failed', retryAt: null, cancelled: [b.id, c.id] });
    expect(await store.jobs.get(b.id)).toMatchObject({ status: 'cancelled', error: `dependency #${a.id} failed` });
    expect(await store.jobs.get(c.id)).toMatchObject({ status: 'cancelled', error: `dependency #${b.id} cancelled` });
    // A job queued after a dependency that already failed is cancelled at once.
    expect(await addJob(store, health({ after: [a.id] }), 4)).toMatchObject({ status: 'cancelled', error: `dependency #${a.id} failed` });
  });

  it('refuses an unknown type, parameters its schema refuses, and an unknown dependency', async () => {
    const store = await fresh();
    await expect(addJob(store, { type: 'nope', params: {}, seed: 1 }, 1)).rejects.toThrow(new UsageError('unknown job type "nope"', 'use one of: train, retrain, backtest, evaluate, backup, health, maintain'));
    await expect(addJob(store, { type: 'train', params: { symbols: 'ACME' }, seed: 1 }, 1)).rejects.toThrow('parameter interval is required');
    await expect(addJob(store, { type: 'train', params: { symbols: 'ACME', interval: '1d', folds: '1' }, seed: 1 }, 1)).rejects.toThrow('--folds "1" is not valid');
    await expect(addJob(store, { type: 'backtest', params: { symbol: 'A,B', interval: '1d' }, seed: 1 }, 1)).rejects.toThrow('parameter symbol needs one symbol');
    await expect(addJob(store, { type: 'retrain', params: { slot: 'ACME|1d|return|h1', trigger: 'whim' }, seed: 1 }, 1)).rejects.toThrow(/retrain params trigger/);
    await expect(addJob(store, health({ after: [99] }), 1)).rejects.toThrow(DataError);
    // How parameters combine is checked as the command checks it, when the configuration and home are given.
    const env = { config: defaultConfig(), home: store.home };
    const evaluate = { type: 'evaluate', params: { interval: '1d', last: '5', from: '2024-01-01' }, seed: 1 };
    await expect(addJob(store, { ...evaluate, env }, 1)).rejects.toThrow('--last and --from/--to both choose the window');
    const train = { type: 'train', params: { symbols: 'ACME', interval: '1d', from: '2024-01-01', to: '2023-01-01' }, seed: 1 };
    await expect(addJob(store, { ...train, env }, 1)).rejects.toThrow('--from must be before --to');
    await expect(addJob(store, { type: 'train', params: { symbols: 'ACME', interval: '1d', set: 'nope' }, seed: 1, env }, 1)).rejects.toThrow(/nope/);
    const backtest = { type: 'backtest', params: { symbol: 'ACME', interval: '1d', 'long-only': true, 'long-short': true }, seed: 1 };
    await expect(addJob(store, { ...backtest, env }, 1)).rejects.toThrow('--long-only and --long-short contradict each other');
    expect(await store.jobs.list(10)).toEqual([]);
  });

  it('stores parameters normalised, and records the trigger a train or retrain job names', async () => {
    const store = await fresh();
    const t = await addJob(store, { type: 'train', params: { symbols: ['acme', 'msft'], interval: '1d', 'dead-zone': 0.001, pooled: 'true', trigger: 'drift' }, seed: 1 }, 1);
    expect(t).toMatchObject({ params: { symbols: ['ACME', 'MSFT'], interval: '1d', deadZone: '0.001', pooled: true, trigger: 'drift' }, trigger: 'drift' });
    const r = await addJob(store, { type: 'retrain', params: { slot: 'ACME|1d|return|h1' }, seed: 1 }, 1);
    expect(r).toMatchObject({ params: { slot: 'ACME|1d|return|h1', trigger: 'schedule' }, trigger: 'schedule' });
  });
});

describe('job queue: retries and backoff', () => {
  it('draws the same jittered delays for a job on every run, doubling up to the cap', () => {
    const job = { id: 7, seed: 42, backoffMs: 1000 };
    const delays = [1, 2, 3, 4, 5].map((a) => retryDelayMs(job, a));
    expect([1, 2, 3, 4, 5].map((a) => retryDelayMs(job, a))).toEqual(delays);
    delays.forEach((d, i) => {
      const cap = 1000 * 2 ** i;
      expect(d).toBeGreaterThanOrEqual(cap / 2);
      expect(d).toBeLessThanOrEqual(cap);
    });
    expect(retryDelayMs({ ...job, seed: 43 }, 1)).not.toBe(delays[0]);
    expect(retryDelayMs({ ...job, id: 8 }, 1)).not.toBe(delays[0]);
    expect(retryDelayMs(job, 30)).toBeLessThanOrEqual(MAX_BACKOFF_MS);
    expect(retryDelayMs(job, 30)).toBeGreaterThanOrEqual(MAX_BACKOFF_MS / 2);
  });

  it('re-queues a failed run after its backoff while attempts remain, and audits every transition', async () => {
    const store = await fresh();
    const job = await addJob(store, health({ retries: 1, backoffMs: 1000 }), 100);
    const [id] = await claimAll(store, 200);
    const first = await settleRun(store, (await store.jobs.get(id))!, { status: 'failed', error: 'timeout' }, 300);
    expect(first).toMatchObject({ status: 'pending', retryAt: 300 + retryDelayMs(job, 1) });
    expect(await claimAll(store, first.retryAt! - 1)).toEqual([]);
    expect(await claimAll(store, first.retryAt!)).toEqual([id]);
    const second = await settleRun(store, (await store.jobs.get(id))!, { status: 'failed', error: 'boom' }, 5000);
    expect(second).toMatchObject({ status: 'failed', retryAt: null });
    const shown = await showJob(store, id);
    expect(shown).toMatchObject({ status: 'failed', attempts: 2, maxAttempts: 2, error: 'boom', what: 'checks' });
    expect(shown.events.map((e) => [e.from, e.to, e.at, e.reason])).toEqual([
      [null, 'pending', 100, 'queued'],
      ['pending', 'running', 200, 'attempt 1 by pid 1'],
      ['running', 'failed', 300, 'timeout'],
      ['failed', 'pending', 300, `retry: attempt 2 of 2 after ${retryDelayMs(job, 1)} ms`],
      ['pending', 'running', first.retryAt!, 'attempt 2 by pid 1'],
      ['running', 'failed', 5000, 'boom'],
    ]);
  });

  it('marks a job left running by a dead process interrupted, and retries it when attempts remain', async () => {
    const store = await fresh();
    const once = await addJob(store, health(), 1);
    const twice = await addJob(store, health({ retries: 1, backoffMs: 10 }), 1);
    const dead = deadPid();
    expect((await store.jobs.claim(dead, 2))?.id).toBe(once.id);
    expect((await store.jobs.claim(dead, 2))?.id).toBe(twice.id);
    const live = await addJob(store, health(), 1);
    await store.jobs.claim(process.pid, 2);
    const swept = await sweepJobs(store, isProcessAlive, 10);
    expect(swept).toMatchObject({ interrupted: [once.id, twice.id], requeued: [twice.id] });
    expect(await store.jobs.get(once.id)).toMatchObject({ status: 'interrupted', error: 'the process running it ended without finishing (crash or kill)' });
    expect(await store.jobs.get(twice.id)).toMatchObject({ status: 'pending', attempts: 1 });
    expect(await store.jobs.get(live.id)).toMatchObject({ status: 'running' });
    expect((await store.jobs.events(twice.id)).map((e) => `${e.from}>${e.to}`)).toEqual(['null>pending', 'pending>running', 'running>interrupted', 'interrupted>pending']);
    const runAfter = (await store.jobs.get(twice.id))!.runAfter!;
    expect(runAfter).toBe(10 + retryDelayMs(twice, 1));
    expect(await claimAll(store, runAfter)).toEqual([twice.id]);
  });
});

describe('job queue: cancel and retry by hand', () => {
  it('cancels a pending or running job (stopping its worker), and refuses a finished one', async () => {
    const store = await fresh();
    const a = await addJob(store, health(), 1);
    const b = await addJob(store, health({ after: [a.id] }), 1);
    await store.jobs.claim(1, 2);
    await store.jobs.setWorker(a.id, 4242);
    const killed: number[] = [];
    const r = await cancelJob(store, a.id, 3, (pid) => killed.push(pid));
    expect(r).toMatchObject({ job: { status: 'cancelled', error: 'cancelled by hand' }, cancelled: [b.id] });
    expect(killed).toEqual([4242]);
    // The runner learns of the cancel when the worker ends: the job stays cancelled.
    expect(await settleRun(store, (await store.jobs.get(a.id))!, { status: 'failed', error: 'killed' }, 4)).toMatchObject({ status: 'cancelled' });
    await expect(cancelJob(store, a.id, 5, () => {})).rejects.toThrow(new UsageError(`job ${a.id} is cancelled: only a pending or running job can be cancelled`, `\`pulse jobs retry ${a.id}\` runs it again`));
    await expect(cancelJob(store, 99, 5, () => {})).rejects.toThrow(DataError);
  });

  it('retries a failed job with its full attempts, with the dependents cancelled because of it; refuses others', async () => {
    const store = await fresh();
    const a = await addJob(store, health(), 1);
    const b = await addJob(store, health({ after: [a.id] }), 1);
    const other = await addJob(store, health(), 1);
    await claimAll(store, 2);
    await settleRun(store, (await store.jobs.get(a.id))!, { status: 'failed', error: 'boom' }, 3);
    await settleRun(store, (await store.jobs.get(other.id))!, { status: 'completed', output: { result: {} } }, 3);
    const r = await retryJob(store, a.id, 4);
    expect(r).toMatchObject({ job: { status: 'pending', attempts: 0, runAfter: null }, requeued: [a.id, b.id] });
    expect(await store.jobs.get(b.id)).toMatchObject({ status: 'pending' });
    expect((await store.jobs.events(b.id)).at(-1)).toMatchObject({ from: 'cancelled', to: 'pending', reason: `dependency #${a.id} retried` });
    await expect(retryJob(store, a.id, 5)).rejects.toThrow(`job ${a.id} is pending: only a failed, interrupted or cancelled job can be retried`);
    await expect(retryJob(store, other.id, 5)).rejects.toThrow(`job ${other.id} is completed`);
  });
});

describe('job types', () => {
  it('registers train, retrain, backtest, evaluate, backup, health and maintain', () => {
    expect(JOB_TYPE_NAMES).toEqual(['train', 'retrain', 'backtest', 'evaluate', 'backup', 'health', 'maintain']);
  });

  it('queues an evaluation of each new shadow after a retrain only when an evaluate type exists', () => {
    const models = [
      { id: 'm-v2', status: 'shadow', symbols: ['ACME'], interval: '1d' },
      { id: 'p-v2', status: 'shadow', symbols: ['ACME', 'MSFT'], interval: '1h' },
      { id: 'm-v3', status: 'active', symbols: ['ACME'], interval: '1d' },
    ];
    expect(evaluationFollowUps(models, () => false)).toEqual([]);
    const retry = { trigger: 'manual', retries: 6, backoffMs: 4 * 3_600_000 };
    expect(evaluationFollowUps(models, (t) => t === 'evaluate')).toEqual([
      { type: 'evaluate', params: { symbol: 'ACME', interval: '1d' }, ...retry },
      { type: 'evaluate', params: { interval: '1h' }, ...retry },
    ]);
  });
});

describe('job queue: the training runs recorded before it', () => {
  it('reads them as inline train jobs after the migration, and never runs them', async () => {
    const home = tempHome();
    const dir = join(import.meta.dirname, '..', '..', '..', 'src', 'store', 'sqlite', 'migrations');
    const journal = JSON.parse(readFileSync(join(dir, 'meta', '_journal.json'), 'utf8')) as { entries: { tag: string }[] };
    const before = journal.entries.findIndex((e) => e.tag.endsWith('_job_queue'));
    expect(before).toBeGreaterThan(0);
    mkdirSync(join(home, 'data'), { recursive: true });
    const db = new Database(join(home, 'data', 'pulse.db'));
    for (const e of journal.entries.slice(0, before)) {
      for (const statement of readFileSync(join(dir, `${e.tag}.sql`), 'utf8').split('--> statement-breakpoint')) if (statement.trim()) db.exec(statement);
    }
    db.pragma(`user_version = ${before}`);
    const insert = db.prepare('insert into training_jobs (trigger, status, request, models_succeeded, models_failed, error, pid, created_at, started_at, finished_at, duration_ms) values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)');
    insert.run('schedule', 'completed', JSON.stringify({ symbols: ['ACME'], interval: '1d', family: 'ridge' }), 1, 0, null, 11, 100, 110, 150, 40);
    insert.run('manual', 'pending', JSON.stringify({ symbols: ['ACME'], interval: '1d', family: 'lightgbm' }), 0, 0, null, null, 200, null, null, null);
    db.close();

    const store = await openStore(home);
    stores.push(store);
    const jobs = await listJobs(store, { limit: 10 });
    expect(jobs.map((j) => [j.id, j.type, j.trigger, j.status, j.inline, j.attempts, j.what, j.modelsSucceeded, j.durationMs])).toEqual([
      [2, 'train', 'manual', 'pending', true, 1, 'ACME 1d lightgbm', 0, null],
      [1, 'train', 'schedule', 'completed', true, 1, 'ACME 1d ridge', 1, 40],
    ]);
    expect((await showJob(store, 1)).events).toEqual([]);
    expect(await store.jobs.claim(1, 1000)).toBeUndefined();
    expect(await store.jobs.readyCount(1000)).toBe(0);
    // The one left pending by a process that is gone is swept as interrupted, never queued.
    expect(await sweepJobs(store, () => false, 1000)).toEqual({ interrupted: [2], requeued: [], cancelled: [] });
    expect(await store.jobs.get(2)).toMatchObject({ status: 'interrupted', inline: true });
    // New jobs number on after them.
    expect((await addJob(store, health(), 300)).id).toBe(3);
  });
});
