/** pulse promote on the built CLI (gh-13): a refusal exits 4 naming the reasons, --force and --rollback are audited. */
import { describe, expect, it } from 'vitest';
import { HAS_BUILD, pulse } from '../helpers/cli.js';
import { useTempHome } from '../helpers/home.js';

describe.skipIf(!HAS_BUILD)('pulse promote', () => {
  const tempHome = useTempHome();

  it('refuses a shadow without evidence (exit 4), promotes it with --force, and rolls back', () => {
    const home = tempHome();
    const h = ['--home', home];
    expect(pulse(['collect', 'ACME', '--source', 'synthetic', '--interval', '1d', '--from', '2020-01-01', '--to', '2024-01-01', ...h]).status).toBe(0);
    const train = () => pulse(['train', 'ACME', '--interval', '1d', '--model', 'ridge', '--folds', '3', ...h, '--json']).json().result.models[0].model;
    const first = train();
    const second = train();
    expect(second.status).toBe('shadow');
    const statuses = () => Object.fromEntries(pulse(['models', 'ls', ...h, '--json']).json().result.models.map((m: { id: string; status: string }) => [m.id, m.status]));
    expect(statuses()).toEqual({ [first.id]: 'active', [second.id]: 'shadow' });

    const refused = pulse(['promote', second.id, ...h, '--json']);
    expect(refused.status).toBe(4);
    const result = refused.json().result;
    expect(result).toMatchObject({ decision: 'refuse', n: 0, applied: false, candidate: second.id, active: first.id });
    expect(result.reasons[0]).toBe('only 0 paired predictions with outcomes; 100 are needed (100 more)');
    expect(refused.stderr).toMatch(/^pulse: error: promotion of .* refused: only 0 paired predictions/m);

    const forced = pulse(['promote', second.id, '--force', ...h, '--json']);
    expect(forced.status, forced.stderr).toBe(0);
    expect(forced.json().result).toMatchObject({ forced: true, applied: true });
    expect(statuses()).toEqual({ [first.id]: 'retired', [second.id]: 'active' });

    const back = pulse(['promote', '--rollback', first.slot, ...h]);
    expect(back.status, back.stderr).toBe(0);
    expect(back.stdout).toContain(`${first.id} is active again`);
    expect(statuses()).toEqual({ [first.id]: 'active', [second.id]: 'retired' });
    expect(pulse(['promote', '--rollback', 'NOPE|1d|return|h1', ...h]).status).toBe(2);
  });
});

describe.skipIf(!HAS_BUILD)('pulse drift-check', () => {
  const tempHome = useTempHome();

  it('compares the active model\'s training window with the newest bars: features, predictions and labels; exit 4 on drift', () => {
    const home = tempHome();
    const h = ['--home', home];
    expect(pulse(['collect', 'ACME', '--source', 'synthetic', '--interval', '1d', '--from', '2018-01-01', '--to', '2024-06-01', ...h]).status).toBe(0);
    expect(pulse(['train', 'ACME', '--interval', '1d', '--model', 'ridge', '--folds', '3', '--to', '2023-01-01', ...h]).status).toBe(0);
    const r = pulse(['drift-check', 'ACME', '--interval', '1d', '--model', 'active', ...h, '--json']);
    expect(r.status).toBe(4);
    const result = r.json().result;
    expect(result).toMatchObject({ symbol: 'ACME', interval: '1d', datasetDrift: true, driftShare: 0.5, reference: { rows: expect.any(Number) }, current: { rows: 500 } });
    expect(result.reference.to).toBeLessThan(Date.UTC(2023, 0, 1));
    expect(result.features.length).toBeGreaterThanOrEqual(60);
    expect(result.features[0]).toEqual(expect.objectContaining({ feature: expect.any(String), test: expect.any(String), drifted: true, severity: expect.any(String) }));
    expect(result.prediction).toMatchObject({ feature: 'prediction' });
    expect(result.target).toMatchObject({ feature: 'fwdret_1' });
    expect(r.stderr).toMatch(/^pulse: error: dataset drift on ACME 1d: \d+ of \d+ features drifted/m);
    const unknown = pulse(['drift-check', 'ACME', '--interval', '1d', '--model', 'nope', ...h]);
    expect(unknown.status).toBe(3);
    expect(unknown.stderr).toContain('no model "nope" in the registry');
  });
});
