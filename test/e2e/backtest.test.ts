import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { HAS_BUILD, pulse } from '../helpers/cli.js';
import { useTempHome } from '../helpers/home.js';

describe.skipIf(!HAS_BUILD)('pulse backtest end to end', () => {
  const tempHome = useTempHome();

  it('strategy: table with baselines, byte-identical --json, files, the --assert gate (exit 4) and backtest ls', () => {
    const home = tempHome();
    const h = ['--home', home];
    expect(pulse(['collect', 'ACME', '--source', 'synthetic', '--interval', '1d', '--from', '2019-01-01', '--to', '2022-01-01', ...h]).status).toBe(0);
    const base = ['backtest', 'ACME', '-i', '1d', '--strategy', 'sma-cross', '--bootstrap', '100', '--seed', '3', ...h];

    const human = pulse(base);
    expect(human.status, human.stderr).toBe(0);
    expect(human.stdout).toContain('buy & hold');
    expect(human.stdout).toMatch(/equity [▁▂▃▄▅▆▇█]{20,}/);
    expect(human.stdout).toContain('p-value');
    expect(human.stderr).toContain('recorded as backtest #1');

    const a = pulse([...base, '--json']);
    const b = pulse([...base, '--json']);
    expect(a.status, a.stderr).toBe(0);
    expect(a.stdout).toBe(b.stdout);
    const doc = a.json();
    expect(doc.command).toBe('backtest run');
    expect(doc.result).toMatchObject({ symbol: 'ACME', interval: '1d', kind: 'strategy', source: 'sma-cross', model: null });
    expect(Object.keys(doc.result.stats)).toContain('sharpe');
    expect(doc.result.baselines.buyAndHold.returnPct).toBeTypeOf('number');
    expect(doc.result.params.seed).toBe(3);

    const files = ['--trades', join(home, 't.csv'), '--equity', join(home, 'e.csv'), '--report', join(home, 'r.html'), '--junit', join(home, 'j.xml')];
    const gate = pulse([...base, ...files, '--assert', 'trades >= 1 and sharpe >= 50']);
    expect(gate.status).toBe(4);
    expect(gate.stderr).toContain('assertion failed: sharpe >= 50 (actual sharpe =');
    expect(gate.stderr).not.toContain('assertion failed: trades >= 1');
    for (const f of ['t.csv', 'e.csv', 'r.html', 'j.xml']) expect(existsSync(join(home, f)), f).toBe(true);
    expect(readFileSync(join(home, 'j.xml'), 'utf8')).toContain('sharpe &gt;= 50');
    expect(pulse([...base, '--assert', 'trades >= 1']).status).toBe(0);

    const ls = pulse(['backtest', 'ls', ...h, '--json']).json().result.backtests;
    expect(ls).toHaveLength(5);
    expect(ls[0]).toMatchObject({ symbol: 'ACME', source: 'sma-cross', assertPassed: true });
    expect(ls[1]).toMatchObject({ assertPassed: false, reportPath: join(home, 'r.html') });
    expect(pulse(['backtest', 'ls', ...h]).stdout).toContain('sma-cross');
  });

  it('quiet means quiet: a routine open trade at the end is a note, and both buy-and-hold figures say what they are (gh-11)', () => {
    const home = tempHome();
    const h = ['--home', home];
    expect(pulse(['collect', 'ACME', '--source', 'synthetic', '--interval', '1d', '--from', '2019-01-01', '--to', '2021-01-01', ...h]).status).toBe(0);
    const base = ['backtest', 'ACME', '-i', '1d', '--strategy', 'buy-and-hold', '--bootstrap', '0', ...h];
    const quiet = pulse([...base, '-q']);
    expect(quiet.status, quiet.stderr).toBe(0);
    expect(quiet.stderr).toBe('');
    expect(quiet.stdout).toBe('');
    const human = pulse(base);
    expect(human.stdout).toContain('note: the last trade was still open and was closed at the final close');
    expect(human.stderr).not.toContain('warning');
    expect(human.stdout).toContain('buy & hold (after costs)');
    expect(human.stdout).toContain('buyAndHoldReturnPct (price only, no costs)');
    const doc = pulse([...base, '--json']).json().result;
    expect(doc.warnings).toEqual([]);
    expect(doc.notes).toEqual(['the last trade was still open and was closed at the final close']);
    // The two figures differ by the costs and the entry at the second bar's open, and both are labelled.
    expect(doc.baselines.buyAndHold.returnPct).not.toBe(doc.stats.buyAndHoldReturnPct);
  });

  it('refusals: bad costs and gates exit 2, missing data exits 3, unwritable reports exit 2', () => {
    const home = tempHome();
    const h = ['--home', home];
    const run = (...args: string[]) => pulse(['backtest', 'ACME', '-i', '1d', '--strategy', 'sma-cross', '--bootstrap', '0', ...h, ...args]);
    expect(run().status).toBe(2); // not a pulse home yet
    expect(pulse(['init', home]).status).toBe(0);
    expect(run().status).toBe(3); // no data
    expect(pulse(['collect', 'ACME', '--source', 'synthetic', '--interval', '1d', '--from', '2021-01-01', '--to', '2022-01-01', ...h]).status).toBe(0);
    expect(run('--from', '2024-01-01').status).toBe(3);
    expect(run('--fee-bps', '-1').status).toBe(2);
    expect(run('--slippage-bps', '5000').status).toBe(2);
    expect(run('--fee-bps', 'abc').status).toBe(2);
    const badGate = run('--assert', 'sharpie > 1');
    expect(badGate.status).toBe(2);
    expect(badGate.stderr).toContain('maxDrawdownPct');
    expect(run('--assert', 'sharpe >').status).toBe(2);
    const report = run('--report', join(home, 'missing', 'r.html'));
    expect(report.status).toBe(2);
    expect(report.stderr).toContain('--report');
    expect(run('--strategy', 'no-such').status).toBe(2);
    expect(pulse(['backtest', 'ACME', '-i', '1d', ...h]).status).toBe(2);
    expect(pulse(['backtest', 'ACME', '-i', '1d', '--model', 'active', ...h]).status).toBe(3);
  });

  it('walk-forward: the same bytes with one worker thread or two', () => {
    const home = tempHome();
    const h = ['--home', home];
    expect(pulse(['collect', 'ACME', '--source', 'synthetic', '--interval', '1d', '--from', '2019-01-01', '--to', '2021-06-01', ...h]).status).toBe(0);
    const args = ['backtest', 'ACME', '-i', '1d', '--model', 'lightgbm', '--params', 'num_iterations=40', '--retrain-every', '63', '--bootstrap', '50', ...h, '--json'];
    const one = pulse(args, { env: { PULSE_BACKTEST_WORKERS: '1' } });
    const two = pulse(args, { env: { PULSE_BACKTEST_WORKERS: '2' } });
    expect(one.status, one.stderr).toBe(0);
    const human = pulse(args.slice(0, -1), { env: { PULSE_BACKTEST_WORKERS: '2' } });
    expect(human.stderr).toMatch(/walk-forward: \d+ lightgbm retrainings on 2 thread\(s\)/);
    expect(two.stdout).toBe(one.stdout);
    const r = one.json().result;
    expect(r.kind).toBe('walk-forward');
    expect(r.walkForward.segments.length).toBeGreaterThan(1);
    expect(r.params.source.modelId).toBe('walk-forward:lightgbm');
    expect(pulse(['backtest', 'ACME', '-i', '1d', '--model', 'lgbm-ACME-1d-v1', '--walk-forward', ...h]).status).toBe(2);
  });

  it('pulse demo: train -> predict -> an out-of-sample walk-forward backtest and its HTML report -> a simulated loop', () => {
    const home = join(tempHome(), 'demo');
    const r = pulse(['demo', '--home', home, '--json']);
    expect(r.status, r.stderr).toBe(0);
    const m = r.json().result.model;
    expect(m).toMatchObject({ modelId: 'lgbm-ACME-1d-v1', family: 'lightgbm', target: 'return', horizon: 1 });
    expect(m.prediction.signal).toMatch(/^(long|short|flat)$/);
    expect(m.backtest).toMatchObject({ source: 'walk-forward:lightgbm', reportPath: join(home, 'backtest-ACME-1d.html') });
    expect(m.backtest.retrainings).toBeGreaterThan(1);
    expect(readFileSync(m.backtest.reportPath, 'utf8')).toContain('<html');
    expect(pulse(['backtest', 'ls', '--home', home, '--json']).json().result.backtests[0]).toMatchObject({ id: m.backtest.recordId, reportPath: m.backtest.reportPath });
    // the loop over the newest months: drift found, a retraining, and a gate decision with its p-value
    const loop = r.json().result.loop;
    expect(loop.cycles).toBeGreaterThan(100);
    expect(loop.failedCycles).toBe(0);
    expect(loop.driftEvents).toBeGreaterThan(0);
    expect(loop.retrainings).toBeGreaterThan(0);
    expect(loop.decisions.length).toBeGreaterThan(0);
    expect(loop.decisions[0]).toMatchObject({ slot: 'ACME|1d|return|h1', decision: expect.stringMatching(/^(promote|refuse)$/), pValue: expect.any(Number) });
    // the live demo home keeps its one model: the loop ran in a scratch home
    expect(pulse(['models', 'ls', '--home', home, '--json']).json().result.models.map((x: { id: string }) => x.id)).toEqual(['lgbm-ACME-1d-v1']);
  }, 180_000);
});
