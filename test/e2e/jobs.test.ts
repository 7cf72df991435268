/** The job queue on the built CLI: jobs in dependency order across workers, timeouts, cancel and retry, Ctrl-C. */
import { describe, expect, it } from 'vitest';
import { isProcessAlive } from '../../src/core/process.js';
import { HAS_BUILD, pulse, pulseAsync } from '../helpers/cli.js';
import { useTempHome } from '../helpers/home.js';

/** Poll `check` every 100 ms until it is true (at most `ms`). */
async function until(check: () => boolean, ms = 60_000): Promise<void> {
  const started = Date.now();
  while (!check()) {
    if (Date.now() - started > ms) throw new Error('timed out waiting');
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** The one error line of a refused command. */
const errorLines = (stderr: string) => stderr.trim().split('\n').filter((l) => l.startsWith('pulse: error') || l.startsWith('pulse: usage'));

describe.skipIf(!HAS_BUILD)('pulse jobs end to end', () => {
  const tempHome = useTempHome();

  function homeWithBars(interval = '1d', from = '2019-01-01'): { home: string; h: string[] } {
    const home = tempHome();
    const r = pulse(['collect', 'ACME', '--source', 'synthetic', '--interval', interval, '--from', from, '--to', '2024-06-01', '--home', home]);
    expect(r.status, r.stderr).toBe(0);
    return { home, h: ['--home', home] };
  }
  const add = (h: string[], args: string[]) => {
    const r = pulse(['jobs', 'add', ...args, ...h, '--json']);
    expect(r.status, r.stderr).toBe(0);
    return r.json().result as { id: number; status: string };
  };
  const show = (h: string[], id: number) => pulse(['jobs', 'show', String(id), ...h, '--json']).json().result;

  it('runs a train job and then the backtest queued after it, on two workers; a timed-out job is killed', () => {
    const { h } = homeWithBars();
    const train = add(h, ['train', '--param', 'symbols=acme', '--param', 'interval=1d', '--param', 'model=ridge', '--param', 'folds=3', '--param', 'to=2023-06-01', '--param', 'seed=5']);
    // A higher priority does not let the backtest run before the job it depends on.
    const backtest = add(h, ['backtest', '--params', '{"symbol":"ACME","interval":"1d","model":"active","bootstrap":50}', '--after', String(train.id), '--priority', '10']);
    expect(backtest.status).toBe('pending');
    const run = pulse(['jobs', 'run', '--until-empty', '--workers', '2', ...h, '--json']);
    expect(run.status, run.stderr).toBe(0);
    expect(run.json().result.ran.map((j: { id: number; status: string }) => [j.id, j.status])).toEqual([[train.id, 'completed'], [backtest.id, 'completed']]);
    const t = show(h, train.id);
    const b = show(h, backtest.id);
    expect(t).toMatchObject({ type: 'train', status: 'completed', models: ['ridge-ACME-1d-v1'], modelsSucceeded: 1, attempts: 1, inline: false });
    expect(b.startedAt).toBeGreaterThanOrEqual(t.finishedAt);
    expect(b).toMatchObject({ type: 'backtest', status: 'completed', dependsOn: [train.id], result: { source: 'ridge-ACME-1d-v1' } });
    expect(b.events.map((e: { from: string | null; to: string }) => `${e.from}>${e.to}`)).toEqual(['null>pending', 'pending>running', 'running>completed']);
    expect(pulse(['backtest', 'ls', ...h, '--json']).json().result.backtests).toHaveLength(1);

    // A retrain: the slot's settings on all bars stored now, registered as a shadow, the trigger recorded.
    const retrain = add(h, ['retrain', '--param', 'slot=ACME|1d|return|h1', '--param', 'trigger=drift']);
    const ran = pulse(['jobs', 'run', '--until-empty', ...h, '--json']);
    expect(ran.status, ran.stderr).toBe(0);
    expect(show(h, retrain.id)).toMatchObject({ status: 'completed', trigger: 'drift', models: ['ridge-ACME-1d-v2'] });
    // Its follow-up, the evaluation of the slot's models, has no paired outcomes yet: it waits hours for a retry,
    // and the runner does not wait for it.
    const [evaluation] = ran.json().result.ran.find((j: { id: number }) => j.id === retrain.id).followUps;
    expect(show(h, evaluation)).toMatchObject({ type: 'evaluate', status: 'pending', attempts: 1, maxAttempts: 7, params: { symbol: 'ACME', interval: '1d' } });
    expect(show(h, evaluation).runAfter).toBeGreaterThan(Date.now() + 3_600_000);
    expect(show(h, evaluation).events.find((e: { to: string }) => e.to === 'failed').reason).toMatch(/no bar of ACME 1d/);
    const v1 = pulse(['models', 'show', 'ridge-ACME-1d-v1', ...h, '--json']).json().result;
    const v2 = pulse(['models', 'show', 'ridge-ACME-1d-v2', ...h, '--json']).json().result;
    expect(v2).toMatchObject({ status: 'shadow', parentId: 'ridge-ACME-1d-v1', seed: 5, family: 'ridge', jobId: retrain.id, params: v1.params });
    expect(v2.trainTo).toBeGreaterThan(v1.trainTo);

    const slow = add(h, ['train', '--param', 'symbols=ACME', '--param', 'interval=1d', '--param', 'model=ridge', '--timeout', '300ms']);
    const timedOut = pulse(['jobs', 'run', '--until-empty', ...h]);
    expect(timedOut.status, timedOut.stderr).toBe(1);
    expect(errorLines(timedOut.stderr)).toEqual([expect.stringContaining(`#${slow.id} (timeout)`)]);
    const s = show(h, slow.id);
    expect(s).toMatchObject({ status: 'failed', error: 'timeout', models: [] });
    expect(s.workerPid).toBeGreaterThan(1);
    expect(isProcessAlive(s.workerPid)).toBe(false);
    expect(s.events.at(-1)).toMatchObject({ from: 'running', to: 'failed', reason: 'timeout' });
    // The inline `pulse train` runs are in the same list, and the queue never takes them.
    expect(pulse(['train', 'ACME', '--interval', '1d', '--model', 'ridge', '--folds', '3', ...h]).status).toBe(0);
    const jobs = pulse(['jobs', 'ls', ...h, '--json']).json().result.jobs;
    expect(jobs[0]).toMatchObject({ type: 'train', inline: true, status: 'completed', request: { symbols: ['ACME'], family: 'ridge' } });
    expect(pulse(['jobs', 'ls', '--status', 'failed', ...h, '--json']).json().result.jobs.map((j: { id: number }) => j.id)).toEqual([slow.id]);
  });

  it('cancels a job with its dependents, retries them together, and refuses bad requests with one line', () => {
    const home = tempHome();
    const h = ['--home', home];
    expect(pulse(['init', home]).status).toBe(0);
    const a = add(h, ['health']);
    const b = add(h, ['backup', '--after', String(a.id), '--param', 'keep=2']);
    const cancel = pulse(['jobs', 'cancel', String(a.id), ...h, '--json']);
    expect(cancel.status, cancel.stderr).toBe(0);
    expect(cancel.json().result).toMatchObject({ job: { status: 'cancelled' }, cancelled: [b.id] });
    expect(show(h, b.id)).toMatchObject({ status: 'cancelled', error: `dependency #${a.id} cancelled` });
    const retry = pulse(['jobs', 'retry', String(a.id), ...h, '--json']);
    expect(retry.status, retry.stderr).toBe(0);
    expect(retry.json().result.requeued).toEqual([a.id, b.id]);
    const run = pulse(['jobs', 'run', '--until-empty', ...h, '--json']);
    expect(run.json().result.ran.map((j: { id: number; status: string }) => [j.id, j.status])).toEqual([[a.id, 'completed'], [b.id, 'completed']]);
    expect(show(h, b.id).result.path).toMatch(/pulse-backup-.*\.tar\.gz$/);

    const cases: [string[], number, RegExp][] = [
      [['jobs', 'add', 'deploy'], 2, /unknown job type "deploy" \(use one of: train, retrain, backtest, evaluate, backup, health, maintain\)/],
      [['jobs', 'add', 'train', '--param', 'symbols=ACME', '--param', 'interval=2d'], 2, /unknown interval "2d"/],
      [['jobs', 'add', 'train', '--param', 'symbols=ACME'], 2, /parameter interval is required/],
      [['jobs', 'add', 'backup', '--param', 'kep=2'], 2, /unknown parameter "kep" \(use: to, keep, encrypt\)/],
      [['jobs', 'add', 'health', '--after', '99'], 3, /--after 99: there is no job 99/],
      [['jobs', 'cancel', String(a.id)], 2, new RegExp(`job ${a.id} is completed: only a pending or running job can be cancelled`)],
      [['jobs', 'retry', String(b.id)], 2, new RegExp(`job ${b.id} is completed: only a failed, interrupted or cancelled job can be retried`)],
      [['jobs', 'show', '99'], 3, /there is no job 99/],
    ];
    for (const [args, code, re] of cases) {
      const r = pulse([...args, ...h]);
      expect(r.status, `${args.join(' ')}: ${r.stderr}`).toBe(code);
      expect(errorLines(r.stderr), args.join(' ')).toEqual([expect.stringMatching(re)]);
    }
  });

  it('on Ctrl-C stops taking jobs, stops the running one, records it interrupted and exits 130', async () => {
    const { h } = homeWithBars('1h', '2023-01-01');
    const long = add(h, ['train', '--param', 'symbols=ACME', '--param', 'interval=1h', '--param', 'model=lightgbm', '--param', 'params=num_iterations=5000,early_stopping_round=0,learning_rate=0.01', '--param', 'folds=5']);
    const next = add(h, ['health', '--after', String(long.id)]);
    const run = pulseAsync(['jobs', 'run', '--poll', '100ms', ...h]);
    await until(() => show(h, long.id).workerPid !== null);
    const worker = show(h, long.id).workerPid as number;
    await new Promise((r) => setTimeout(r, 1500)); // inside the boosting loop
    run.child.kill('SIGINT');
    const r = await run.done;
    expect(r.status, r.stderr).toBe(130);
    expect(isProcessAlive(worker)).toBe(false);
    expect(show(h, long.id)).toMatchObject({ status: 'interrupted', error: 'interrupted', models: [] });
    expect(show(h, next.id).status).toBe('cancelled');
    expect(pulse(['models', 'ls', ...h, '--json']).json().result.models).toEqual([]);

    // Retried (with the job cancelled because of it), then cancelled while it runs: its worker is stopped.
    expect(pulse(['jobs', 'retry', String(long.id), ...h, '--json']).json().result.requeued).toEqual([long.id, next.id]);
    const again = pulseAsync(['jobs', 'run', '--until-empty', '--poll', '100ms', ...h]);
    await until(() => show(h, long.id).status === 'running' && show(h, long.id).workerPid !== null);
    const second = show(h, long.id).workerPid as number;
    expect(second).not.toBe(worker);
    const cancel = pulse(['jobs', 'cancel', String(long.id), ...h]);
    expect(cancel.status, cancel.stderr).toBe(0);
    const done = await again.done;
    expect(done.status, done.stderr).toBe(0);
    await until(() => !isProcessAlive(second), 10_000);
    expect(show(h, long.id)).toMatchObject({ status: 'cancelled', error: 'cancelled by hand', attempts: 1 });
    expect(show(h, next.id)).toMatchObject({ status: 'cancelled', error: `dependency #${long.id} cancelled` });
  });
});
