/**
 * pulse backup and pulse health on the built CLI (gh-14): a backup taken while a collect writes restores to a
 * working home, tampered archives are refused with exit 3, and health's exit codes follow its worst check.
 */
import { readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { HAS_BUILD, pulse, pulseAsync } from '../helpers/cli.js';
import { useTempHome } from '../helpers/home.js';

describe.skipIf(!HAS_BUILD)('pulse backup and pulse health', () => {
  const tempHome = useTempHome();

  it('backs up while a collect writes; the archive verifies and restores to a home that predicts', async () => {
    const home = tempHome();
    const h = ['--home', home];
    expect(pulse(['collect', 'ACME', '--source', 'synthetic', '--interval', '1d', '--from', '2018-01-01', '--to', '2024-01-01', ...h]).status).toBe(0);
    const trained = pulse(['train', 'ACME', '--interval', '1d', '--model', 'ridge', '--folds', '3', ...h, '--json']);
    expect(trained.status, trained.stderr).toBe(0);
    // A long collect of another series writes to the store while the backup runs.
    const writer = pulseAsync(['collect', 'BUSY', '--source', 'synthetic', '--interval', '1m', '--from', '2023-01-01', '--to', '2023-07-01', ...h]);
    await new Promise((r) => setTimeout(r, 700));
    const made = pulse(['backup', 'create', ...h, '--json']);
    expect(made.status, made.stderr).toBe(0);
    expect((await writer.done).status).toBe(0);
    const archive = made.json().result.path as string;
    expect(made.json().result.models).toBe(1);

    const verified = pulse(['backup', 'verify', archive, ...h, '--json']);
    expect(verified.status, verified.stderr).toBe(0);
    expect(verified.json().result).toMatchObject({ ok: true, problems: [] });
    expect(pulse(['backup', 'ls', ...h, '--json']).json().result.backups[0]).toMatchObject({ path: archive, verifiedAt: expect.any(Number) });

    const target = join(tempHome(), 'restored');
    const restored = pulse(['backup', 'restore', archive, '--to', target, ...h, '--json']);
    expect(restored.status, restored.stderr).toBe(0);
    rmSync(home, { recursive: true, force: true }); // the restored home stands on its own
    const predicted = pulse(['predict', 'ACME', '--interval', '1d', '--home', target, '--json']);
    expect(predicted.status, predicted.stderr).toBe(0);
    const ls = pulse(['models', 'ls', '--home', target, '--json']).json().result.models;
    expect(ls.map((m: { id: string }) => m.id)).toEqual([trained.json().result.models[0].model.id]);
    const health = pulse(['health', '--home', target, '--json']);
    expect(health.json().result.results.find((r: { check: string }) => r.check === 'store')).toMatchObject({ state: 'ok' });
  });

  it('refuses a tampered archive (exit 3) and a non-empty target without --force (exit 2)', () => {
    const home = tempHome();
    expect(pulse(['collect', 'ACME', '--source', 'synthetic', '--interval', '1d', '--from', '2023-01-01', '--home', home]).status).toBe(0);
    const archive = pulse(['backup', 'create', '--home', home, '--json']).json().result.path as string;
    const bytes = readFileSync(archive);
    bytes[bytes.length - 40] ^= 0xff;
    const bad = join(home, 'bad.tar.gz');
    writeFileSync(bad, bytes);
    const v = pulse(['backup', 'verify', bad, '--home', home]);
    expect(v.status).toBe(3);
    expect(v.stderr).toMatch(/^pulse: error: .*bad\.tar\.gz (is not a readable pulse backup|could not be extracted|failed verification)/m);
    const r = pulse(['backup', 'restore', archive, '--home', home]);
    expect(r.status).toBe(2);
    expect(r.stderr).toContain('is not empty (pass --force to replace it');
  });

  it('exits 4 when a check is critical, and --nagios exits 2 with the plugin line', () => {
    const home = tempHome();
    const h = ['--home', home];
    expect(pulse(['collect', 'ACME', '--source', 'synthetic', '--interval', '1d', '--from', '2020-01-01', ...h]).status).toBe(0);
    expect(pulse(['train', 'ACME', '--interval', '1d', '--model', 'ridge', '--folds', '3', ...h]).status).toBe(0);
    pulse(['backup', 'create', ...h]);
    const ok = pulse(['health', '-q', ...h]);
    expect(ok.status, ok.stdout + ok.stderr).toBe(0);
    expect(ok.stdout).toBe('');
    // the models check times the trained model on the newest bars; a threshold from the environment makes it warn
    const [model] = pulse(['health', ...h, '--json']).json().result.results.filter((r: { check: string }) => r.check === 'models');
    expect(model).toMatchObject({ state: 'ok', metrics: { batchRows: 256, singleRowMs: expect.any(Number), batchMs: expect.any(Number), memoryBytes: expect.any(Number) } });
    const slow = pulse(['health', ...h, '--json'], { env: { PULSE__HEALTH__MODEL_LATENCY_WARN_MS: '0' } });
    expect(slow.status, slow.stderr).toBe(0);
    expect(slow.json().result.results.find((r: { check: string }) => r.check === 'models')).toMatchObject({ state: 'warn', message: expect.stringMatching(/single-row prediction above 0 ms/) });
    for (const f of readdirSync(join(home, 'models'))) rmSync(join(home, 'models', f));
    const bad = pulse(['health', '-q', ...h]);
    expect(bad.status).toBe(4);
    expect(bad.stderr).toMatch(/^pulse: error: health is critical: active model .* its file models\/.* is missing/m);
    const nagios = pulse(['health', '--nagios', ...h]);
    expect(nagios.status).toBe(2);
    expect(nagios.stdout).toMatch(/^PULSE CRITICAL - active model .* is missing.* \| 'store_wal'=/);
    expect(nagios.stderr).toBe('');
    const history = pulse(['health', '--history', ...h, '--json']).json().result.runs;
    expect(history.map((r: { status: string }) => r.status)).toEqual(['critical', 'critical', 'warn', 'ok', 'ok']);
  });
});
