/**
 * pulse ab on the built CLI: a test in a slot, history replayed through it (each bar served by the arm the seeded
 * hash picks, both arms predicting every bar), the status with its paired test, and the refusals.
 */
import { describe, expect, it } from 'vitest';
import { HAS_BUILD, pulse } from '../helpers/cli.js';
import { useTempHome } from '../helpers/home.js';

describe.skipIf(!HAS_BUILD)('pulse ab', () => {
  const tempHome = useTempHome();

  it('serves replayed bars from both arms by the split, reports each arm and decides only past its minimums', () => {
    const home = tempHome();
    const h = ['--home', home];
    expect(pulse(['collect', 'ACME', '--source', 'synthetic', '--interval', '1d', '--from', '2020-01-01', '--to', '2024-01-01', ...h]).status).toBe(0);
    const train = (...a: string[]) => pulse(['train', 'ACME', '--interval', '1d', '--model', 'ridge', '--folds', '3', '--to', '2023-01-01', ...a, ...h, '--json']).json().result.models[0].model;
    const control = train();
    const challenger = train('--params', 'alpha=10');
    const other = pulse(['ab', 'start', 'OTHER|1d|return|h1', '--challenger', challenger.id, ...h]);
    expect(other.status).toBe(2);
    expect(other.stderr).toContain(`an A/B test runs within one slot: ${challenger.id} belongs to ${control.slot}, not OTHER|1d|return|h1`);
    expect(pulse(['ab', 'start', control.slot, '--challenger', control.id, ...h]).status).toBe(2);

    const started = pulse(['ab', 'start', control.slot, '--challenger', challenger.id, '--split', '30', '--min-days', '0', '--min-n', '50', '--seed', '7', ...h, '--json']);
    expect(started.status, started.stderr).toBe(0);
    const test = started.json().result;
    expect(test).toMatchObject({ slot: control.slot, control: control.id, challenger: challenger.id, split: 30, seed: 7, status: 'running' });
    expect(pulse(['ab', 'start', control.slot, '--challenger', challenger.id, ...h]).stderr).toContain(`an A/B test (${test.id}) already runs in ${control.slot}`);

    const replay = pulse(['predict', 'ACME', '--interval', '1d', '--replay-from', '2023-01-02', ...h, '--json']);
    expect(replay.status, replay.stderr).toBe(0);
    const bars = replay.json().result.models[0].predicted as number;

    const status = pulse(['ab', 'status', ...h, '--json']);
    expect(status.status, status.stderr).toBe(0);
    const [s] = status.json().result.tests;
    expect(s.control.served + s.challenger.served).toBe(bars);
    // 30% split: the challenger's share is within 5 binomial standard deviations
    const sd = Math.sqrt(bars * 0.3 * 0.7);
    expect(Math.abs(s.challenger.served - 0.3 * bars)).toBeLessThan(5 * sd);
    expect(s.n).toBeGreaterThan(50);
    expect(s.test).toMatchObject({ name: 'diebold-mariano', horizon: 1, alternative: 'two.sided' });
    expect(['no-difference', 'control', 'challenger']).toContain(s.decision);

    // the same seed serves the same arms: a second replay records nothing new and changes nothing
    expect(pulse(['predict', 'ACME', '--interval', '1d', '--replay-from', '2023-01-02', ...h]).status).toBe(0);
    expect(pulse(['ab', 'status', ...h, '--json']).json().result.tests[0].challenger.served).toBe(s.challenger.served);

    const stopped = pulse(['ab', 'stop', control.slot, ...h, '--json']);
    expect(stopped.status, stopped.stderr).toBe(0);
    expect(pulse(['ab', 'status', ...h, '--json']).json().result.tests).toEqual([]);
    expect(pulse(['ab', 'status', '--all', ...h, '--json']).json().result.tests[0]).toMatchObject({ id: test.id, status: 'stopped' });
    expect(pulse(['ab', 'stop', control.slot, ...h]).status).toBe(2);
  }, 120_000);
});
