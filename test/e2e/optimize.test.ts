/**
 * pulse optimize on the built CLI: a study on synthetic bars is killed with SIGKILL mid-trial, resumed by name and
 * finished with the asked number of trials, numbered without gaps; show -f json; train --params-from reproduces the
 * best trial's cross-validation loss; --register registers a shadow with the study in its lineage; bad input exits 2.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { HAS_BUILD, pulse, pulseAsync } from '../helpers/cli.js';
import { useTempHome } from '../helpers/home.js';

const DIED = 'the process running it ended before the trial finished';

interface ShownTrial {
  number: number;
  state: string;
  value: number | null;
  params: Record<string, unknown>;
  intermediate: { step: number; value: number }[];
  failReason: string | null;
}

/** Polls the store (read-only) until trial 2 of study e2e is recorded as running; a trial takes far longer than a poll. */
async function untilThirdTrialRuns(dbPath: string): Promise<void> {
  const db = new Database(dbPath, { readonly: true, fileMustExist: true });
  try {
    for (const deadline = Date.now() + 30_000; Date.now() < deadline; await sleep(10)) {
      const row = db.prepare("SELECT 1 FROM trials WHERE study = 'e2e' AND number = 2 AND state = 'running'").get();
      if (row) return;
    }
    throw new Error('trial 2 was not recorded as running within 30 s');
  } finally {
    db.close();
  }
}

describe.skipIf(!HAS_BUILD)('pulse optimize', () => {
  const tempHome = useTempHome();

  it('resumes a study killed mid-trial and finishes with N trials numbered without gaps; show, train --params-from, --register', async () => {
    const home = tempHome();
    const h = ['--home', home];
    expect(pulse(['collect', 'ACME', '--source', 'synthetic', '--interval', '1d', '--from', '2022-01-01', '--to', '2023-06-01', ...h]).status).toBe(0);
    const study = ['optimize', 'ACME', '-i', '1d', '--model', 'lightgbm', '--study', 'e2e', '--folds', '3', '--trials', '6', '--seed', '5', ...h];

    // Run until two trials have ended and the store shows the third running, then kill -9.
    const run = pulseAsync(study);
    let progress = '';
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no two trials ended within 60 s: ${progress}`)), 60_000);
      run.child.stderr!.on('data', (d) => {
        progress += d;
        if (/^trial 1 /m.test(progress)) {
          clearTimeout(timer);
          resolve();
        }
      });
    });
    await untilThirdTrialRuns(join(home, 'data', 'pulse.db'));
    run.child.kill('SIGKILL');
    const killed = await run.done;
    expect(killed.status).toBeNull();

    const before = pulse(['optimize', 'show', 'e2e', '-f', 'json', ...h]).json().trials as ShownTrial[];
    expect(before.map((t) => t.number)).toEqual(before.map((_, i) => i));
    // Killed while the third trial runs.
    expect(before.filter((t) => t.state === 'running')).toHaveLength(1);
    const orphan = before.find((t) => t.state === 'running')!.number;
    expect(before.filter((t) => t.state !== 'running').length).toBeGreaterThanOrEqual(2);

    const resumed = pulse([...study, '--json']);
    expect(resumed.status, resumed.stderr).toBe(0);
    expect(resumed.stderr).toContain('took over the lock of study e2e');
    const result = resumed.json().result;
    expect(result).toMatchObject({ study: 'e2e', symbol: 'ACME', model: 'lightgbm', objective: 'cv-loss', direction: 'minimize', seed: 5, stoppedBy: 'n-trials' });
    // The process's peak memory: at least the V8 heap it ran in, and not absurd for a 4-trial study.
    expect(result.peakMemoryMB).toBeGreaterThan(30);
    expect(result.peakMemoryMB).toBeLessThan(4000);

    const shown = pulse(['optimize', 'show', 'e2e', '-f', 'json', ...h]);
    expect(shown.status).toBe(0);
    const doc = shown.json();
    expect(Object.keys(doc)).toEqual(expect.arrayContaining(['study', 'direction', 'bestTrial', 'importance', 'trials']));
    const trials = doc.trials as ShownTrial[];
    expect(trials.map((t) => t.number)).toEqual(trials.map((_, i) => i));
    expect(trials[orphan]).toMatchObject({ state: 'failed', failReason: DIED });
    const counted = trials.filter((t) => t.failReason !== DIED);
    expect(counted).toHaveLength(6);
    expect(trials).toHaveLength(7);
    for (const t of trials) expect(['complete', 'pruned', 'failed']).toContain(t.state);
    for (const t of trials.filter((x) => x.state === 'complete')) {
      expect(t.intermediate.map((i) => i.step)).toEqual([0, 1, 2]);
      expect(t.value).toBe(t.intermediate[2].value);
      expect(Object.keys(t.params).sort()).toEqual(['bagging_fraction', 'bagging_freq', 'feature_fraction', 'lambda_l1', 'lambda_l2', 'learning_rate', 'min_data_in_leaf', 'num_leaves']);
    }
    const best = doc.bestTrial as ShownTrial;
    expect(best.value).toBe(Math.min(...trials.filter((t) => t.state === 'complete').map((t) => t.value!)));
    expect(doc.direction).toBe('minimize');
    expect(doc.importance.map((i: { param: string }) => i.param).sort()).toEqual(Object.keys(best.params).sort());
    expect(pulse(['optimize', 'show', 'e2e', '-f', 'value', ...h]).stdout.trim()).toBe(String(best.value));
    expect(pulse(['optimize', 'show', 'e2e', '-f', 'yaml', ...h]).stdout).toMatch(/^study: e2e\ndirection: minimize\nbestTrial:\n {2}number: \d+\n/);
    const reported = pulse(['optimize', 'show', 'e2e', '--report', join(home, 'e2e.html'), '-q', ...h]);
    expect(reported.status, reported.stderr).toBe(0);
    const html = readFileSync(join(home, 'e2e.html'), 'utf8');
    expect(html).toContain('Optimisation history');
    expect(html.match(/<figure class="slice">/g)).toHaveLength(8);
    const ls = pulse(['optimize', 'ls', ...h, '--json']).json().result.studies;
    expect(ls).toEqual([expect.objectContaining({ study: 'e2e', symbol: 'ACME', model: 'lightgbm', trials: 7, bestValue: best.value, bestTrial: best.number })]);

    // Training with the study's best parameters reports the best trial's loss as its cross-validation mean.
    const trained = pulse(['train', 'ACME', '-i', '1d', '--params-from', 'e2e', '--folds', '3', '--seed', '5', ...h, '--json']);
    expect(trained.status, trained.stderr).toBe(0);
    const model = trained.json().result.models[0];
    expect(model.model.family).toBe('lightgbm');
    expect(model.model.study).toBe('e2e');
    expect(model.cvMetrics.rmse).toBe(best.value);
    const other = pulse(['train', 'ACME', '-i', '1d', '--params-from', 'e2e', '--model', 'ridge', ...h]);
    expect(other.status).toBe(2);
    expect(other.stderr.trim()).toBe('pulse: usage: study "e2e" tuned lightgbm parameters, not ridge (train with --model lightgbm, or pick a study of ridge (pulse optimize ls))');

    // A name taken by a study of another model is refused before anything runs.
    const taken = pulse(['optimize', 'ACME', '-i', '1d', '--model', 'ridge', '--study', 'e2e', ...h]);
    expect(taken.status).toBe(2);
    expect(taken.stderr.trim().split('\n')).toEqual(['pulse: usage: study "e2e" optimises lightgbm on ACME 1d, not ridge on ACME 1d (resume it with its own symbol, interval and model, or choose another --study name)']);

    // --register: a ridge study registers its best model as a shadow, with the study in its lineage.
    const reg = pulse(['optimize', 'ACME', '-i', '1d', '--model', 'ridge', '--study', 'reg', '--folds', '3', '--trials', '4', '--register', ...h, '--json']);
    expect(reg.status, reg.stderr).toBe(0);
    const registered = reg.json().result.registered;
    expect(registered).toMatchObject({ status: 'shadow', slot: 'ACME|1d|return|h1' });
    const models = pulse(['models', 'ls', ...h, '--json']).json().result.models as { id: string; status: string; study: string | null }[];
    expect(models.find((m) => m.id === registered.id)).toMatchObject({ status: 'shadow', study: 'reg' });
    expect(pulse(['models', 'show', registered.id, ...h]).stdout).toContain(', study reg,');
  }, 240_000);

  it('--jobs 2 fits folds on worker threads and, with the random sampler, gives the trials of a sequential run; one process per study', async () => {
    const home = tempHome();
    const h = ['--home', home];
    expect(pulse(['collect', 'ACME', '--source', 'synthetic', '--interval', '1d', '--from', '2022-01-01', '--to', '2023-06-01', ...h]).status).toBe(0);
    const run = (study: string, jobs: string) => {
      const r = pulse(['optimize', 'ACME', '-i', '1d', '--model', 'lightgbm', '--study', study, '--folds', '3', '--trials', '5', '--sampler', 'random', '--pruner', 'none', '--jobs', jobs, ...h]);
      expect(r.status, r.stderr).toBe(0);
      return r;
    };
    expect(run('seq', '1').stderr).not.toContain('trials at once');
    expect(run('par', '2').stderr).toContain('study par: 2 trials at once, folds fitted on 2 thread(s)');
    const trials = (study: string) => (pulse(['optimize', 'show', study, '-f', 'json', ...h]).json().trials as ShownTrial[]).map((t) => ({ number: t.number, state: t.state, value: t.value, params: t.params }));
    const seq = trials('seq');
    expect(seq).toHaveLength(5);
    expect(trials('par')).toEqual(seq);

    // One process runs a study at a time: a second run of the same study is busy (exit 5); SIGTERM stops the first.
    const first = pulseAsync(['optimize', 'ACME', '-i', '1d', '--model', 'lightgbm', '--study', 'busy', '--folds', '3', '--trials', '500', ...h]);
    await new Promise<void>((resolve, reject) => {
      let progress = '';
      const timer = setTimeout(() => reject(new Error(`no trial ended within 60 s: ${progress}`)), 60_000);
      first.child.stderr!.on('data', (d) => {
        progress += d;
        if (/^trial 0 /m.test(progress)) {
          clearTimeout(timer);
          resolve();
        }
      });
    });
    const second = pulse(['optimize', 'ACME', '-i', '1d', '--model', 'lightgbm', '--study', 'busy', '--folds', '3', '--trials', '500', ...h]);
    expect(second.status).toBe(5);
    expect(second.stderr).toMatch(/^pulse: error: busy: study busy is locked by pid \d+/m);
    first.child.kill('SIGTERM');
    expect((await first.done).status).toBe(143);
  }, 180_000);

  it('refuses bad input with one line and exit 2', () => {
    const home = tempHome();
    const h = ['--home', home];
    expect(pulse(['collect', 'ACME', '--source', 'synthetic', '--interval', '1d', '--from', '2023-01-01', '--to', '2023-06-01', ...h]).status).toBe(0);
    const space = (name: string, body: unknown) => {
      const file = join(home, `${name}.json`);
      writeFileSync(file, JSON.stringify(body));
      return file;
    };
    const cases: [string[], string][] = [
      [['--space', space('empty', { alpha: { type: 'float', low: 5, high: 1 } })], 'alpha: the range [5, 1] is empty (low must be at most high)'],
      [['--space', space('log', { alpha: { type: 'float', low: 0, high: 1, log: true } })], 'alpha: a log range needs low > 0 (got 0)'],
      [['--space', space('unknown', { beta: { type: 'float', low: 0, high: 1 } })], 'beta: unknown ridge parameter "beta" (ridge accepts alpha, clip)'],
      [['--space', space('choices', { alpha: { type: 'categorical', choices: [] } })], 'alpha.choices: needs at least one choice (got [])'],
      [['--trials', '0'], '--trials "0" is not valid (use a whole number from 1 to 100000)'],
    ];
    for (const [args, message] of cases) {
      const r = pulse(['optimize', 'ACME', '-i', '1d', '--model', 'ridge', ...args, ...h]);
      expect(r.status, r.stderr).toBe(2);
      const lines = r.stderr.trim().split('\n');
      expect(lines).toHaveLength(1);
      expect(lines[0]).toMatch(/^pulse: usage: /);
      expect(lines[0]).toContain(message);
    }
    expect(pulse(['optimize', 'ls', ...h, '--json']).json().result.studies).toEqual([]);
  });
});

