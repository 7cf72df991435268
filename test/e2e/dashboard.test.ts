/**
 * pulse dashboard on the built CLI, on a home with a trained ridge model and predictions: the plain-text snapshot
 * and --json without a terminal, and the live dashboard in a real terminal (tmux): it draws the active model, tab
 * moves the focus, q ends it with exit 0.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CLI, HAS_BUILD, pulse } from '../helpers/cli.js';

const HAS_TMUX = spawnSync('tmux', ['-V']).status === 0;
/** A tmux server of this test's own, so no other session is touched. */
const SOCKET = `pulse-dashboard-${process.pid}`;
const tmux = (...args: string[]) => spawnSync('tmux', ['-L', SOCKET, ...args], { encoding: 'utf8' });
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Poll `probe` until it is true (or `ms` pass); whether it became true. */
async function until(probe: () => boolean, ms = 30_000): Promise<boolean> {
  for (const end = Date.now() + ms; Date.now() < end; await sleep(200)) if (probe()) return true;
  return probe();
}

describe.skipIf(!HAS_BUILD)('pulse dashboard', () => {
  // one home for both tests (built once: collect, train, predict)
  let home: string;
  let model: string;

  beforeAll(() => {
    home = mkdtempSync(join(tmpdir(), 'pulse-dashboard-'));
    const h = ['--home', home];
    const collect = (to: string) => expect(pulse(['collect', 'ACME', '--source', 'synthetic', '--interval', '1d', '--from', '2022-01-01', '--to', to, ...h, '-q']).status).toBe(0);
    collect('2023-12-01');
    const trained = pulse(['train', 'ACME', '--interval', '1d', '--model', 'ridge', ...h, '--json']);
    expect(trained.status, trained.stderr).toBe(0);
    model = trained.json().result.models[0].model.id;
    expect(pulse(['predict', 'ACME', '--interval', '1d', ...h, '-q']).status).toBe(0);
    // newer bars give the first prediction its outcome
    collect('2024-01-01');
    expect(pulse(['predict', 'ACME', '--interval', '1d', ...h, '-q']).status).toBe(0);
  });

  afterAll(() => {
    if (HAS_TMUX) tmux('kill-server');
    rmSync(home, { recursive: true, force: true });
  });

  it('prints one plain-text snapshot without a terminal, and the document with --json', () => {
    const text = pulse(['dashboard', '--home', home]);
    expect(text.status, text.stderr).toBe(0);
    expect(text.stdout).toContain('== Models ==');
    expect(text.stdout).toMatch(new RegExp(`active\\s+${model}`));
    expect(text.stdout).toContain(`${model}  `);
    const doc = pulse(['dashboard', '--home', home, '--json']);
    expect(doc.status, doc.stderr).toBe(0);
    const s = doc.json().result;
    expect(s.models).toMatchObject([{ id: model, status: 'active', predictions: 2, outcomes: 1 }]);
    expect(s.equity).toMatchObject([{ modelId: model, n: 1 }]);
    expect(s.predictions).toHaveLength(2);
    expect(s.jobs.recent).toMatchObject([{ type: 'train', status: 'completed', what: expect.stringContaining('ACME 1d') }]);
    expect(s.health).toBeNull();
    expect(pulse(['dashboard', '--home', home, '--refresh', '0']).status).toBe(2);
  });

  it.skipIf(!HAS_TMUX)('draws in a terminal, moves the focus with tab and quits on q (exit 0)', async () => {
    const exitFile = join(home, 'dashboard.exit');
    const command = `NO_COLOR=1 '${process.execPath}' '${CLI}' dashboard --home '${home}' --refresh 1; echo $? > '${exitFile}'`;
    const started = tmux('new-session', '-d', '-x', '100', '-y', '30', '-s', 'dash', command);
    expect(started.status, started.stderr).toBe(0);
    const screen = () => tmux('capture-pane', '-p', '-t', 'dash').stdout ?? '';
    expect(await until(() => screen().includes(model)), screen()).toBe(true);
    const first = screen();
    expect(first).toContain('pulse dashboard');
    expect(first).toContain('▸ Models');
    expect(first).toMatch(new RegExp(`active\\s+${model}`));
    for (const line of first.split('\n')) expect([...line].length).toBeLessThanOrEqual(100);

    tmux('send-keys', '-t', 'dash', 'Tab');
    expect(await until(() => screen().includes('▸ Latest predictions')), screen()).toBe(true);

    tmux('send-keys', '-t', 'dash', 'q');
    expect(await until(() => tmux('has-session', '-t', 'dash').status !== 0)).toBe(true);
    expect(existsSync(exitFile)).toBe(true);
    expect(readFileSync(exitFile, 'utf8').trim()).toBe('0');
  });
});
