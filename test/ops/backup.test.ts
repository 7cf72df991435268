/** Backups: create, verify, restore, prune; tampered, truncated, encrypted and tar-slip archives (gh-14). */
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import * as tar from 'tar';
import { describe, expect, it } from 'vitest';
import { DataError, InterruptedError, UsageError } from '../../src/core/errors.js';
import type { Lock } from '../../src/core/lock.js';
import { createBackup, listBackups, pruneBackups } from '../../src/ops/backup/backup.js';
import { restoreBackup, verifyBackup } from '../../src/ops/backup/restore.js';
import { openStore } from '../../src/store/store.js';
import { useTempHome } from '../helpers/home.js';
import { columnsOf, hourlyBars } from '../store/contract.js';

const tempHome = useTempHome();
const NOW = Date.UTC(2026, 11, 5, 8, 30, 0);
const sha = (b: string | Buffer) => createHash('sha256').update(b).digest('hex');
const noPassphrase = () => {
  throw new Error('no passphrase expected');
};
const locks: string[][] = [];
const lock = async (scopes: readonly string[]): Promise<Lock> => {
  locks.push([...scopes]);
  return { scopes, release: () => {} };
};

/** A home with 500 bars, one registered model file, a config and a user calendar. */
async function homeWithData(): Promise<string> {
  const home = tempHome();
  const store = await openStore(home);
  await store.bars.upsert('AAA', '1h', columnsOf(hourlyBars(500)), { source: 'test', now: 1 });
  const body = JSON.stringify({ format: 'pulse-registry-model', weights: [1, 2, 3] });
  mkdirSync(join(home, 'models'));
  writeFileSync(join(home, 'models', 'm1.json'), body);
  await store.models.insert({
    id: 'm1', family: 'ridge', mode: 'ridge', symbols: ['AAA'], slot: 'AAA|1h|return|h1', version: 1, interval: '1h', target: 'return', horizon: 1,
    params: {}, seed: 7, featureSet: 'default', featureSetHash: 'h', featureNames: ['f'], trainFrom: 1, trainTo: 2, dataHash: 'd', metrics: {},
    status: 'active', statusChangedAt: 1, parentId: null, jobId: null, study: null, createdAt: 1, trainDurationMs: 1, engineVersion: 'e',
    filePath: 'models/m1.json', fileSize: body.length, fileSha256: sha(body),
  });
  await store.close();
  writeFileSync(join(home, 'pulse.config.json'), '{"seed": 3}\n');
  mkdirSync(join(home, 'calendars'));
  writeFileSync(join(home, 'calendars', 'mine.json'), '{"timezone": "UTC"}\n');
  return home;
}

async function backupOf(home: string, options: { passphrase?: string; keep?: number; now?: number } = {}) {
  const store = await openStore(home);
  try {
    const { now = NOW, ...rest } = options;
    return await createBackup(store, home, { pulseVersion: '0.1.0', now: () => now, ...rest });
  } finally {
    await store.close();
  }
}

/** Repack an archive's unpacked folder after `change` edits it (the manifest is left as it was). */
async function tampered(file: string, change: (dir: string) => void): Promise<string> {
  const dir = tempHome();
  await tar.extract({ file, cwd: dir });
  change(dir);
  const out = join(tempHome(), 'tampered.tar.gz');
  await tar.create({ gzip: true, file: out, cwd: dir }, readdirSync(dir));
  return out;
}

describe('backup create, verify and restore', () => {
  it('archives the store, the model files, the config and calendars with a manifest, and restores a working home', async () => {
    const home = await homeWithData();
    const made = await backupOf(home);
    expect(made.path).toBe(join(home, 'backups', 'pulse-backup-20261205T083000Z.tar.gz'));
    expect(made).toMatchObject({ encrypted: false, files: 4, models: 1 });
    expect(made.rowCounts).toMatchObject({ bars: 500, models: 1, model_symbols: 1 });
    expect(made.sha256).toBe(sha(readFileSync(made.path)));

    const check = await verifyBackup(made.path, noPassphrase);
    expect(check).toMatchObject({ ok: true, problems: [], checkedFiles: 4 });
    expect(check.manifest!.files.map((f) => [f.path, f.kind])).toEqual([
      ['data/pulse.db', 'store'], ['models/m1.json', 'model'], ['pulse.config.json', 'config'], ['calendars/mine.json', 'calendar'],
    ]);

    const target = join(tempHome(), 'restored');
    const restored = await restoreBackup(made.path, target, { force: false, passphrase: noPassphrase, lock });
    expect(restored.replaced).toBe(false);
    const store = await openStore(target);
    expect(await store.bars.count('AAA', '1h', 0, Number.MAX_SAFE_INTEGER)).toBe(500);
    const model = (await store.models.get('m1'))!;
    expect(sha(readFileSync(join(target, model.filePath)))).toBe(model.fileSha256);
    expect(await store.maintenance.checkIntegrity()).toEqual([]);
    await store.close();
    expect(readFileSync(join(target, 'calendars', 'mine.json'), 'utf8')).toContain('UTC');
    expect(existsSync(join(target, 'manifest.json'))).toBe(false);

    const store2 = await openStore(home);
    expect((await store2.backups.list()).map((b) => [b.path, b.models, b.encrypted])).toEqual([[made.path, 1, false]]);
    await store2.close();
  });

  it('stops on Ctrl-C between stages, leaving no archive and no staging folder', async () => {
    const home = await homeWithData();
    const controller = new AbortController();
    controller.abort();
    const store = await openStore(home);
    await expect(createBackup(store, home, { pulseVersion: '0.1.0', now: () => NOW, signal: controller.signal })).rejects.toThrow(InterruptedError);
    await store.close();
    expect(readdirSync(join(home, 'backups'))).toEqual([]);
  });

  it('refuses to back up a model whose file no longer matches the registry', async () => {
    const home = await homeWithData();
    writeFileSync(join(home, 'models', 'm1.json'), 'edited');
    await expect(backupOf(home)).rejects.toThrow(/model m1: its file models\/m1\.json does not match/);
    expect(readdirSync(join(home, 'backups'))).toEqual([]);
  });

  it('reports exactly which member was altered, which is missing and which is extra', async () => {
    const home = await homeWithData();
    const made = await backupOf(home);
    const bad = await tampered(made.path, (dir) => {
      writeFileSync(join(dir, 'models', 'm1.json'), JSON.stringify({ format: 'pulse-registry-model', weights: [9, 9, 9] }));
      writeFileSync(join(dir, 'calendars', 'mine.json'), '{}');
      writeFileSync(join(dir, 'extra.txt'), 'x');
      rmSync(join(dir, 'pulse.config.json'));
    });
    const check = await verifyBackup(bad, noPassphrase);
    expect(check.ok).toBe(false);
    expect(check.problems).toEqual([
      'extra.txt: in the archive but not in the manifest',
      expect.stringMatching(/^models\/m1\.json: sha256 [0-9a-f]{12}\.\.\., the manifest says [0-9a-f]{12}\.\.\.$/),
      'pulse.config.json: missing',
      'calendars/mine.json: 2 bytes, the manifest says 20',
    ]);
    const target = tempHome();
    await expect(restoreBackup(bad, target, { force: true, passphrase: noPassphrase, lock })).rejects.toThrow(/failed verification, nothing was restored/);
    expect(readdirSync(target)).toEqual([]);
  });

  it('refuses truncated archives and a store schema newer than this pulse', async () => {
    const home = await homeWithData();
    const made = await backupOf(home);
    const bytes = readFileSync(made.path);
    const cut = join(tempHome(), 'cut.tar.gz');
    writeFileSync(cut, bytes.subarray(0, Math.floor(bytes.length / 2)));
    await expect(verifyBackup(cut, noPassphrase)).rejects.toThrow(DataError);
    const newer = await tampered(made.path, (dir) => {
      const m = JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8'));
      writeFileSync(join(dir, 'manifest.json'), JSON.stringify({ ...m, schemaVersion: 99 }));
    });
    const check = await verifyBackup(newer, noPassphrase);
    expect(check.problems).toEqual([expect.stringMatching(/schema 99, newer than this pulse's \d+: upgrade pulse/)]);
  });

  it('refuses tar-slip members (.. paths, absolute paths, links) before extracting anything', async () => {
    const work = tempHome();
    const inside = join(work, 'pack');
    mkdirSync(join(inside, 'sub'), { recursive: true });
    writeFileSync(join(work, 'evil.txt'), 'outside');
    writeFileSync(join(inside, 'manifest.json'), '{}');
    const slip = join(work, 'slip.tar.gz');
    await tar.create({ gzip: true, file: slip, cwd: inside, preservePaths: true }, ['manifest.json', '../evil.txt']);
    const scratch = tempHome();
    await expect(verifyBackup(slip, noPassphrase, scratch)).rejects.toThrow(/"\.\.\/evil\.txt" climbs out of the archive/);
    symlinkSync('/etc/passwd', join(inside, 'sub', 'link'));
    const linked = join(work, 'link.tar.gz');
    await tar.create({ gzip: true, file: linked, cwd: inside }, ['manifest.json', 'sub/link']);
    await expect(verifyBackup(linked, noPassphrase, scratch)).rejects.toThrow(/"sub\/link" is a SymbolicLink, not a plain file/);
    const absolute = join(work, 'abs.tar.gz');
    await tar.create({ gzip: true, file: absolute, cwd: inside, preservePaths: true }, ['manifest.json', join(work, 'evil.txt')]);
    await expect(verifyBackup(absolute, noPassphrase, scratch)).rejects.toThrow(/is an absolute path/);
    expect(readdirSync(scratch)).toEqual([]);
  });

  it('encrypts with AES-256-GCM: the right passphrase restores, a wrong one or a flipped bit is refused', async () => {
    const home = await homeWithData();
    const made = await backupOf(home, { passphrase: 'correct horse' });
    expect(made.path.endsWith('.tar.gz.enc')).toBe(true);
    const bytes = readFileSync(made.path);
    expect(bytes.subarray(0, 8).toString('latin1')).toBe('PULSEBK1');
    expect(bytes.includes(Buffer.from('pulse-registry-model'))).toBe(false);
    expect((await verifyBackup(made.path, () => 'correct horse')).ok).toBe(true);
    await expect(verifyBackup(made.path, () => 'wrong')).rejects.toThrow(/cannot be decrypted: the passphrase is wrong, or the archive was altered/);
    const flipped = Buffer.from(bytes);
    flipped[flipped.length >> 1] ^= 1;
    const bad = join(tempHome(), 'flipped.enc');
    writeFileSync(bad, flipped);
    await expect(verifyBackup(bad, () => 'correct horse')).rejects.toThrow(/cannot be decrypted/);
  });

  it('replaces a non-empty home only with force, under its home lock, keeping its backups folder', async () => {
    const home = await homeWithData();
    const made = await backupOf(home);
    const store = await openStore(home);
    await store.bars.upsert('AAA', '1h', columnsOf(hourlyBars(800)), { source: 'test', now: 2 });
    await store.close();
    await expect(restoreBackup(made.path, home, { force: false, passphrase: noPassphrase, lock })).rejects.toThrow(UsageError);
    locks.length = 0;
    const restored = await restoreBackup(made.path, home, { force: true, passphrase: noPassphrase, lock });
    expect(restored.replaced).toBe(true);
    expect(locks).toEqual([['home']]);
    const back = await openStore(home);
    expect(await back.bars.count('AAA', '1h', 0, Number.MAX_SAFE_INTEGER)).toBe(500);
    await back.close();
    expect(existsSync(made.path)).toBe(true);
    expect(readdirSync(join(home, '..')).filter((n) => n.includes('.restore-') || n.includes('.replaced-'))).toEqual([]);
  });
});

describe('backup ls and prune', () => {
  it('keeps the newest N archives and deletes only archives pulse named', async () => {
    const home = await homeWithData();
    const made = [];
    for (let i = 0; i < 4; i++) made.push(await backupOf(home, { now: NOW + i * 60_000 }));
    writeFileSync(join(home, 'backups', 'notes.txt'), 'mine');
    const again = await backupOf(home, { now: NOW + 3 * 60_000, keep: 3 });
    expect(again.path.endsWith('pulse-backup-20261205T083300Z-2.tar.gz')).toBe(true);
    expect(again.pruned).toEqual([made[1].path, made[0].path]);
    const store = await openStore(home);
    const listed = await listBackups(store, join(home, 'backups'));
    expect(listed.map((b) => b.path)).toEqual([again.path, made[3].path, made[2].path]);
    expect(listed.every((b) => b.recorded && !b.encrypted)).toBe(true);
    expect((await pruneBackups(store, join(home, 'backups'), 1)).deleted).toEqual([made[3].path, made[2].path]);
    expect((await store.backups.list()).length).toBe(1);
    expect((await store.backups.list({ includePruned: true })).length).toBe(5);
    await expect(pruneBackups(store, join(home, 'backups'), 0)).rejects.toThrow(/--keep 0 is not valid/);
    await store.close();
    expect(readdirSync(join(home, 'backups')).sort()).toEqual(['notes.txt', 'pulse-backup-20261205T083300Z-2.tar.gz']);
  });
});
