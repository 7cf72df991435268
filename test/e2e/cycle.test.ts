/**
 * pulse cycle on the built CLI: refused without a tracked slot, a dry run that writes nothing, a live cycle that
 * pulse status reports, exit 5 while another run holds the home, and a simulated loop over history that finds drift,
 * retrains and puts its candidates through the gate, leaving the live home untouched.
 */
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { HAS_BUILD, pulse } from '../helpers/cli.js';
import { useTempHome } from '../helpers/home.js';

describe.skipIf(!HAS_BUILD)('pulse cycle', () => {
  const tempHome = useTempHome();

  it('runs one iteration under the home lock and simulates the loop over history in a scratch home', () => {
    const home = tempHome();
    const h = ['--home', home];
    expect(pulse(['collect', 'ACME', '--source', 'synthetic', '--interval', '1d', '--from', '2019-01-01', '--to', '2024-07-01', ...h]).status).toBe(0);
    const none = pulse(['cycle', ...h]);
    expect(none.status).toBe(2);
    expect(none.stderr).toMatch(/^pulse: usage: no tracked slot: no series has an active model/m);

    const model = pulse(['train', 'ACME', '--interval', '1d', '--model', 'ridge', '--folds', '3', ...h, '--json']).json().result.models[0].model;
    const dry = pulse(['cycle', '--dry-run', ...h, '--json']);
    expect(dry.status, dry.stderr).toBe(0);
    const planned = dry.json().result;
    expect(planned).toMatchObject({ id: null, dryRun: true, status: 'completed' });
    expect(planned.steps.map((s: { step: string; status: string }) => `${s.step}:${s.status}`)).toEqual(['collect:skipped', 'predict:skipped', 'drift-check:skipped', 'evaluate:skipped', 'retrain:skipped']);
    expect(pulse(['status', ...h, '--json']).json().result.lastCycle).toBeNull();

    // another run holds the home: busy
    mkdirSync(join(home, 'locks'), { recursive: true });
    const lock = join(home, 'locks', 'home.lock');
    writeFileSync(lock, JSON.stringify({ scope: 'home', pid: process.pid, host: hostname(), startTime: null, command: 'maintain', since: Date.now() }));
    const busy = pulse(['cycle', ...h]);
    expect(busy.status).toBe(5);
    expect(busy.stderr).toMatch(/^pulse: error: busy: /m);
    rmSync(lock);

    const live = pulse(['cycle', ...h, '--json']);
    expect(live.status, live.stderr).toBe(0);
    const ran = live.json().result;
    expect(ran.status).toBe('completed');
    expect(ran.steps.find((s: { step: string }) => s.step === 'collect').detail).toMatch(/^\d+ new bars$/);
    expect(ran.steps.find((s: { step: string }) => s.step === 'predict').status).toBe('ok');
    expect(ran.steps.find((s: { step: string }) => s.step === 'drift-check').status).toBe('ok');
    const status = pulse(['status', ...h, '--json']).json().result;
    expect(status.lastCycle).toMatchObject({ id: ran.id, status: 'completed', steps: ran.steps.length, failed: [] });
    expect(status.lastDriftCheck).toMatchObject({ symbol: 'ACME', modelId: model.id });

    const models = pulse(['models', 'ls', ...h, '--json']).json().result.models.length;
    const env = { PULSE__CLM__DRIFTHOURS: '168', PULSE__CLM__PERFHOURS: '168', PULSE__CLM__RETRAINHOURS: '720', PULSE__CLM__SHADOWMIN: '20' };
    const sim = pulse(['cycle', '--simulate', '2024-01-01..2024-05-01', ...h, '--json'], { env });
    expect(sim.status, sim.stderr).toBe(0);
    const r = sim.json().result;
    expect(r).toMatchObject({ from: Date.UTC(2024, 0, 1), to: Date.UTC(2024, 4, 1), cycles: 121, failedCycles: 0, scratchHome: null });
    expect(r.driftEvents).toBeGreaterThan(0);
    expect(r.retrainings).toBeGreaterThan(0);
    expect(r.promotions + r.refusals).toBeGreaterThan(0);
    expect(r.performance.loop.n).toBeGreaterThan(100);
    expect(r.performance.static.n).toBe(r.performance.loop.n);
    expect(r.slots[0]).toMatchObject({ slot: model.slot, symbol: 'ACME' });
    // the live home is untouched: same models, still the one cycle
    expect(pulse(['models', 'ls', ...h, '--json']).json().result.models.length).toBe(models);
    expect(pulse(['status', ...h, '--json']).json().result.lastCycle.id).toBe(ran.id);

    const bad = pulse(['cycle', '--simulate', '2024-05-01..2024-01-01', ...h]);
    expect(bad.status).toBe(2);
    expect(pulse(['cycle', '--keep', join(home, 'sim'), ...h]).status).toBe(2);
  }, 180_000);
});
