/** Homes under cron: a mistyped home is an error, a copied home is independent, a damaged store says so (gh-11). */
import { cpSync, existsSync, openSync, readdirSync, rmSync, statSync, writeSync, closeSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { HAS_BUILD, pulse } from '../helpers/cli.js';
import { useTempHome } from '../helpers/home.js';

describe.skipIf(!HAS_BUILD)('pulse homes', () => {
  const tempHome = useTempHome();

  it('refuses read-only commands on a directory that is not a pulse home, and creates nothing there', () => {
    const dir = tempHome();
    const typo = join(dir, 'pulse-hmoe');
    for (const args of [['data', 'ls'], ['models', 'ls'], ['predict', 'ACME', '--interval', '1d'], ['backtest', 'ls'], ['config']]) {
      const r = pulse([...args, '--home', typo]);
      expect(r.status, args.join(' ')).toBe(2);
      expect(r.stderr.trim()).toBe(`pulse: error: no pulse home at ${typo} (check --home (or PULSE_HOME), or create it with pulse init ${typo})`);
    }
    expect(existsSync(typo)).toBe(false);
    // An existing directory that is not a home: the same refusal, with `pulse init` as the way out.
    const r = pulse(['data', 'ls', '--home', dir]);
    expect(r.status).toBe(2);
    expect(r.stderr).toContain(`pulse init ${dir}`);
    expect(readdirSync(dir)).toEqual([]);
    expect(pulse(['init', typo]).status).toBe(0);
    expect(pulse(['data', 'ls', '--home', typo]).status).toBe(0);
  });

  it('predicts from a copy of a home after the original is deleted (model paths are relative to the home)', () => {
    const original = join(tempHome(), 'home');
    const h = ['--home', original];
    expect(pulse(['collect', 'ACME', '--source', 'synthetic', '--interval', '1d', '--from', '2020-01-01', '--to', '2023-01-01', ...h]).status).toBe(0);
    const t = pulse(['train', 'ACME', '--interval', '1d', '--model', 'ridge', '--folds', '2', ...h, '--json']);
    expect(t.status, t.stderr).toBe(0);
    expect(t.json().result.models[0].model.filePath).toBe('models/ridge-ACME-1d-v1.json');
    const copy = join(tempHome(), 'copy');
    cpSync(original, copy, { recursive: true });
    rmSync(original, { recursive: true, force: true });
    const p = pulse(['predict', 'ACME', '--interval', '1d', '--home', copy, '--json']);
    expect(p.status, p.stderr).toBe(0);
    expect(p.json().result.predictions[0]).toMatchObject({ modelId: 'ridge-ACME-1d-v1', fallback: false });
    expect(pulse(['models', 'show', 'ridge-ACME-1d-v1', '--home', copy, '--json']).json().result.file).toBe(join(copy, 'models', 'ridge-ACME-1d-v1.json'));
  });

  it('reports a damaged store as damaged (exit 3, one line), not as a bug', () => {
    const home = tempHome();
    expect(pulse(['collect', 'ACME', '--source', 'synthetic', '--interval', '1h', '--from', '2023-01-01', '--to', '2023-03-01', '--home', home]).status).toBe(0);
    const db = join(home, 'data', 'pulse.db');
    expect(pulse(['data', 'ls', '--home', home]).status).toBe(0); // checkpoints the WAL into the file
    rmSync(`${db}-wal`, { force: true });
    rmSync(`${db}-shm`, { force: true });
    // Overwrite pages in the middle of the file (the header stays intact, so SQLite opens it).
    const fd = openSync(db, 'r+');
    const size = statSync(db).size;
    writeSync(fd, Buffer.alloc(64 * 1024, 0xa5), 0, 64 * 1024, Math.floor(size / 2 / 4096) * 4096);
    closeSync(fd);
    const r = pulse(['data', 'ls', '--home', home]);
    expect(r.status).toBe(3);
    const lines = r.stderr.trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(new RegExp(`^pulse: error: the store at ${db.replace(/[.]/g, '\\.')} is damaged: .*restore a backup`));
    expect(r.stderr).not.toContain('bug in pulse');
  });
});
