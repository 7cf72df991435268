/** Cron conventions on the built CLI: overlapping writers exit 5 naming the holder, signals stop long work (gh-11). */
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
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

/** A long training: many boosting iterations without early stopping on 1h bars. */
const LONG_TRAIN = ['train', 'ACME', '--interval', '1h', '--model', 'lightgbm', '--params', 'num_iterations=5000,early_stopping_round=0,learning_rate=0.01', '--folds', '5'];

function jobsOf(home: string): { status: string; error: string | null }[] {
  return pulse(['jobs', 'ls', '--home', home, '--json']).json().result.jobs;
}

describe.skipIf(!HAS_BUILD)('locks and signals', () => {
  const tempHome = useTempHome();

  function homeWithBars(): string {
    const home = tempHome();
    const r = pulse(['collect', 'ACME', '--source', 'synthetic', '--interval', '1h', '--from', '2023-01-01', '--to', '2024-06-01', '--home', home]);
    expect(r.status, r.stderr).toBe(0);
    return home;
  }

  it('stops a training on Ctrl-C within seconds: exit 130, the job recorded as interrupted, no model registered', async () => {
    const home = homeWithBars();
    const run = pulseAsync([...LONG_TRAIN, '--home', home]);
    await until(() => jobsOf(home).some((j) => j.status === 'running'));
    await new Promise((r) => setTimeout(r, 500)); // well inside the boosting loop
    const sent = Date.now();
    run.child.kill('SIGINT');
    const r = await run.done;
    const took = Date.now() - sent;
    expect(r.status, r.stderr).toBe(130);
    expect(took).toBeLessThan(5_000);
    expect(jobsOf(home)[0]).toMatchObject({ status: 'interrupted', error: 'interrupted' });
    expect(pulse(['models', 'ls', '--home', home, '--json']).json().result.models).toEqual([]);
    const models = join(home, 'models');
    expect(existsSync(models) ? readdirSync(models).filter((f) => f.endsWith('.json')) : []).toEqual([]);
    expect(readdirSync(join(home, 'locks'))).toEqual([]);
  });

  it('stops a feature export on Ctrl-C: exit 130, the previous export file untouched, no partial file left', async () => {
    const home = tempHome();
    const c = pulse(['collect', 'ACME', '--source', 'synthetic', '--interval', '1h', '--from', '2014-01-01', '--to', '2024-01-01', '--home', home]);
    expect(c.status, c.stderr).toBe(0);
    const file = join(home, 'features.csv');
    writeFileSync(file, 'the previous export\n');
    const run = pulseAsync(['features', 'ACME', '--interval', '1h', '--export', file, '--home', home]);
    const partial = () => readdirSync(home).find((f) => f.endsWith('.partial'));
    await until(() => {
      const p = partial();
      return p !== undefined && statSync(join(home, p)).size > 1 << 20;
    });
    const sent = Date.now();
    run.child.kill('SIGINT');
    const r = await run.done;
    expect(r.status, r.stderr).toBe(130);
    expect(Date.now() - sent).toBeLessThan(3_000);
    expect(readFileSync(file, 'utf8')).toBe('the previous export\n');
    expect(partial()).toBeUndefined();
  });

  it('stops a walk-forward backtest on SIGTERM: exit 143', async () => {
    const home = homeWithBars();
    const run = pulseAsync(['backtest', 'ACME', '--interval', '1h', '--model', 'lightgbm', '--walk-forward', '--retrain-every', '200', '--params', 'num_iterations=3000,early_stopping_round=0', '--periods-per-year', '8760', '--home', home]);
    await new Promise((r) => setTimeout(r, 4_000));
    const sent = Date.now();
    run.child.kill('SIGTERM');
    const r = await run.done;
    expect(r.status, r.stderr).toBe(143);
    expect(Date.now() - sent).toBeLessThan(5_000);
    expect(pulse(['backtest', 'ls', '--home', home, '--json']).json().result.backtests).toEqual([]);
  });

  it('refuses a second training of the same slot with exit 5 naming the holder, and --wait=SECONDS gives up after waiting', async () => {
    const home = homeWithBars();
    const first = pulseAsync([...LONG_TRAIN, '--home', home]);
    await until(() => existsSync(join(home, 'locks')) && readdirSync(join(home, 'locks')).some((f) => f.startsWith('slot')));
    const second = pulse(['train', 'ACME', '--interval', '1h', '--model', 'ridge', '--home', home]);
    expect(second.status).toBe(5);
    const lines = second.stderr.trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(new RegExp(`^pulse: error: busy: slot ACME\\|1h\\|return\\|h1 is locked by pid ${first.child.pid} on .+ \\(pulse train ACME .*\\) since \\d{4}-.*--wait`));
    const started = Date.now();
    const waited = pulse(['train', 'ACME', '--interval', '1h', '--model', 'ridge', '--wait=1', '--home', home]);
    expect(waited.status).toBe(5);
    expect(Date.now() - started).toBeGreaterThanOrEqual(1_000);
    expect(waited.stderr).toMatch(/waited 1 s/);
    // Another slot of the same symbol is free.
    const other = pulse(['train', 'ACME', '--interval', '1h', '--model', 'ridge', '--horizon', '2', '--folds', '2', '--home', home]);
    expect(other.status, other.stderr).toBe(0);
    first.child.kill('SIGINT');
    expect((await first.done).status).toBe(130);
    // The slot is free again: a waiting run gets it.
    expect(pulse(['train', 'ACME', '--interval', '1h', '--model', 'ridge', '--folds', '2', '--wait', '--home', home]).status).toBe(0);
  });
});
