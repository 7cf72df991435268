/**
 * `pulse backup create|ls|prune`: consistent backups of a home while it keeps working.
 *
 * create:
 * 1. an online snapshot of the store (StoreMaintenance.snapshot: SQLite's backup API in one read transaction, so
 *    collects and trains go on writing and the copy is the store of one instant);
 * 2. the model files that snapshot's registry references, each checked against its recorded sha256 (a backup that
 *    could not restore a model is refused), the config, and the user's calendars and feature sets;
 * 3. `manifest.json`: pulse and schema versions, every file's path, size and sha256, the row count of every table;
 * 4. one `.tar.gz` (AES-256-GCM encrypted with `--encrypt`), written under a temporary name and renamed when whole,
 *    named `pulse-backup-<UTC time>.tar.gz[.enc]`, recorded in the store's `backups` table;
 * 5. with `keep`, the oldest archives of the folder beyond the newest `keep` are deleted (prune).
 */
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { DataError, UsageError } from '../../core/errors.js';
import { throwIfAborted } from '../../core/async.js';
import { hashFile } from '../../core/hash.js';
import { backupScope, type LockFn } from '../../core/lock.js';
import { CONFIG_FILE } from '../../core/home-files.js';
import type { BackupRecord } from '../../store/records.js';
import { openStore, type Store } from '../../store/store.js';
import { BACKUP_FORMAT, BACKUP_FORMAT_VERSION, describeFiles, MANIFEST_FILE, packArchive, type BackupManifest, type MemberKind } from './archive.js';
import { isEncrypted } from './encryption.js';

/** Archives `prune` keeps by default (the seed's 10). */
export const DEFAULT_KEEP = 10;
/** The store file's path inside a home and an archive. */
const STORE_MEMBER = 'data/pulse.db';
/** Names of the archives pulse writes; `prune` and `ls` touch nothing else. */
const ARCHIVE_NAME = /^pulse-backup-(\d{8}T\d{6}Z)(-\d+)?\.tar\.gz(\.enc)?$/;

/** The default backup folder of a home. */
export function backupDir(home: string): string {
  return join(home, 'backups');
}

export interface CreateBackupOptions {
  /** Folder for the archive (default `<home>/backups`). */
  dir?: string;
  /** Keep only the newest N archives of the folder afterwards. */
  keep?: number;
  /** Encrypt with this passphrase. */
  passphrase?: string;
  pulseVersion: string;
  now: () => number;
  /** Takes the backup folder's lock (two backups into one folder never pick the same name or prune each other). */
  lock?: LockFn;
  /** Ctrl-C: the backup stops between its stages and leaves no archive and no staging folder. */
  signal?: AbortSignal;
}

export interface CreatedBackup {
  path: string;
  size: number;
  sha256: string;
  encrypted: boolean;
  schemaVersion: number;
  files: number;
  models: number;
  rowCounts: Record<string, number>;
  /** Archives deleted by `keep`. */
  pruned: string[];
}

/** Take a backup of `home` through its open `store` (see the module note). */
export async function createBackup(store: Store, home: string, options: CreateBackupOptions): Promise<CreatedBackup> {
  if (options.keep !== undefined && !(Number.isInteger(options.keep) && options.keep >= 1)) {
    throw new UsageError(`--keep ${options.keep} is not valid`, 'keep at least 1 archive, e.g. --keep 10');
  }
  const dir = resolve(options.dir ?? backupDir(home));
  mkdirSync(dir, { recursive: true });
  const held = options.lock ? await options.lock([backupScope(dir)]) : null;
  const staging = mkdtempSync(join(dir, '.staging-'));
  try {
    mkdirSync(join(staging, 'data'));
    await store.maintenance.snapshot(join(staging, STORE_MEMBER));
    throwIfAborted(options.signal);
    const members: { path: string; kind: MemberKind }[] = [{ path: STORE_MEMBER, kind: 'store' }];
    const snapshot = await openStore(staging, { readonly: true });
    let rowCounts: Record<string, number>;
    let schemaVersion: number;
    try {
      rowCounts = await snapshot.maintenance.tableCounts();
      schemaVersion = snapshot.maintenance.schemaVersion;
      for (const model of await snapshot.models.list()) {
        members.push({ path: await copyModelFile(home, staging, model.filePath, model.fileSha256, model.id), kind: 'model' });
      }
    } finally {
      await snapshot.close();
    }
    throwIfAborted(options.signal);
    for (const [path, kind] of homeFiles(home)) {
      copyInto(home, staging, path);
      members.push({ path, kind });
    }
    const manifest: BackupManifest = {
      format: BACKUP_FORMAT,
      formatVersion: BACKUP_FORMAT_VERSION,
      pulseVersion: options.pulseVersion,
      schemaVersion,
      createdAt: options.now(),
      files: await describeFiles(staging, members),
      rowCounts,
    };
    writeFileSync(join(staging, MANIFEST_FILE), `${JSON.stringify(manifest, null, 2)}\n`);
    throwIfAborted(options.signal);
    const path = archivePath(dir, manifest.createdAt, options.passphrase !== undefined);
    const written = await packArchive(staging, [MANIFEST_FILE, ...members.map((m) => m.path)], path, options.passphrase);
    const models = members.filter((m) => m.kind === 'model').length;
    await store.backups.insert({
      path,
      createdAt: manifest.createdAt,
      size: written.size,
      sha256: written.sha256,
      encrypted: options.passphrase !== undefined,
      schemaVersion,
      pulseVersion: options.pulseVersion,
      files: members.length,
      models,
    });
    const pruned = options.keep === undefined ? [] : (await pruneBackups(store, dir, options.keep, options.now)).deleted;
    return { path, ...written, encrypted: options.passphrase !== undefined, schemaVersion, files: members.length, models, rowCounts, pruned };
  } finally {
    rmSync(staging, { recursive: true, force: true });
    held?.release();
  }
}

/** Copy a registered model's file into the staging folder and check it against the registry's checksum. */
async function copyModelFile(home: string, staging: string, filePath: string, expected: string, id: string): Promise<string> {
  const path = filePath.split('\\').join('/');
  if (!existsSync(join(home, path))) {
    throw new DataError(`cannot back up model ${id}: its file ${path} is missing`, `restore the file, or remove the model (pulse models rm ${id} --force), then back up again`);
  }
  copyInto(home, staging, path);
  const { sha256 } = await hashFile(join(staging, path));
  if (sha256 !== expected) {
    throw new DataError(`cannot back up model ${id}: its file ${path} does not match the registry's checksum`, `retrain or remove the model (pulse models rm ${id} --force), then back up again`);
  }
  return path;
}

/** The config and the user's calendar and feature-set files of a home that exist, home-relative. */
function homeFiles(home: string): [string, MemberKind][] {
  const out: [string, MemberKind][] = [];
  if (existsSync(join(home, CONFIG_FILE))) out.push([CONFIG_FILE, 'config']);
  for (const [folder, kind] of [['calendars', 'calendar'], ['featuresets', 'featureset']] as const) {
    const dir = join(home, folder);
    if (!existsSync(dir)) continue;
    for (const name of readdirSync(dir).sort()) if (name.endsWith('.json') && statSync(join(dir, name)).isFile()) out.push([`${folder}/${name}`, kind]);
  }
  return out;
}

function copyInto(from: string, to: string, path: string): void {
  mkdirSync(dirname(join(to, path)), { recursive: true });
  copyFileSync(join(from, path), join(to, path));
}

function archivePath(dir: string, createdAt: number, encrypted: boolean): string {
  const stamp = new Date(createdAt).toISOString().replace(/[-:]/g, '').replace(/\.\d+Z$/, 'Z');
  for (let n = 1; ; n++) {
    const path = join(dir, `pulse-backup-${stamp}${n > 1 ? `-${n}` : ''}.tar.gz${encrypted ? '.enc' : ''}`);
    if (!existsSync(path)) return path;
  }
}

/** An archive in a backup folder. */
export interface BackupListing {
  path: string;
  size: number;
  encrypted: boolean;
  /** From the store's record when this home wrote it, else from the file name. */
  createdAt: number;
  sha256: string | null;
  verifiedAt: number | null;
  /** Whether this home's store recorded it. */
  recorded: boolean;
}

/** The archives of `dir`, newest first, with what the store recorded of them. */
export async function listBackups(store: Store, dir: string): Promise<BackupListing[]> {
  const records = new Map((await store.backups.list()).map((r) => [r.path, r] as const));
  return archivesIn(resolve(dir)).map(({ path, stampMs }): BackupListing => {
    const rec: BackupRecord | undefined = records.get(path);
    return {
      path,
      size: statSync(path).size,
      encrypted: isEncrypted(path),
      createdAt: rec?.createdAt ?? stampMs,
      sha256: rec?.sha256 ?? null,
      verifiedAt: rec?.verifiedAt ?? null,
      recorded: rec !== undefined,
    };
  });
}

/**
 * Delete the archives of `dir` beyond the newest `keep` (only files named as pulse names its archives), under the
 * folder's lock when `lock` is given.
 */
export async function pruneBackups(store: Store, dir: string, keep = DEFAULT_KEEP, now: () => number = Date.now, lock?: LockFn): Promise<{ kept: string[]; deleted: string[] }> {
  if (!(Number.isInteger(keep) && keep >= 1)) throw new UsageError(`--keep ${keep} is not valid`, 'keep at least 1 archive, e.g. --keep 10');
  const held = lock ? await lock([backupScope(resolve(dir))]) : null;
  try {
    const all = archivesIn(resolve(dir)).map((a) => a.path);
    const deleted = all.slice(keep);
    for (const path of deleted) {
      rmSync(path, { force: true });
      await store.backups.markPruned(path, now());
    }
    return { kept: all.slice(0, keep), deleted };
  } finally {
    held?.release();
  }
}

/** pulse's archives in `dir`, newest first (by the UTC time in the name, then the sequence suffix). */
function archivesIn(dir: string): { path: string; stampMs: number }[] {
  if (!existsSync(dir)) return [];
  const found: { path: string; stampMs: number; seq: number }[] = [];
  for (const name of readdirSync(dir)) {
    const m = ARCHIVE_NAME.exec(name);
    if (!m) continue;
    const s = m[1];
    const stampMs = Date.UTC(+s.slice(0, 4), +s.slice(4, 6) - 1, +s.slice(6, 8), +s.slice(9, 11), +s.slice(11, 13), +s.slice(13, 15));
    found.push({ path: join(dir, name), stampMs, seq: m[2] ? Number(m[2].slice(1)) : 1 });
  }
  return found.sort((a, b) => b.stampMs - a.stampMs || b.seq - a.seq).map(({ path, stampMs }) => ({ path, stampMs }));
}
