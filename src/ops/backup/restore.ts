/**
 * `pulse backup verify` and `pulse backup restore`.
 *
 * verify unpacks an archive into a scratch folder and reports exactly what differs from its manifest: missing,
 * resized or altered files, files the manifest does not list, a store that fails SQLite's integrity check, row
 * counts that differ, a schema newer than this pulse. Unsafe or unreadable archives are refused before extraction
 * (archive.ts).
 *
 * restore unpacks and verifies beside the target home, then swaps the verified copy in with renames: the target is
 * either the old home or the restored one, never a mix. The target's own `backups/` folder is carried over.
 */
import { existsSync, readdirSync, readFileSync, renameSync, rmSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { DataError, toError, UsageError } from '../../core/errors.js';
import { throwIfAborted } from '../../core/async.js';
import { hashFile } from '../../core/hash.js';
import type { LockFn } from '../../core/lock.js';
import { HOME_SCOPE } from '../../core/lock.js';
import { openStore, STORE_SCHEMA_VERSION } from '../../store/store.js';
import { BACKUP_FORMAT, BACKUP_FORMAT_VERSION, MANIFEST_FILE, unpackArchive, type BackupManifest } from './archive.js';

/** The outcome of a verification. */
export interface BackupVerification {
  file: string;
  ok: boolean;
  /** Every difference found, one line each; empty when ok. */
  problems: string[];
  /** The manifest, when the archive has a readable one. */
  manifest: BackupManifest | null;
  /** Files checked against the manifest. */
  checkedFiles: number;
}

/** Verify `file` (see the module note); `passphrase` is asked for only when the archive is encrypted. */
export async function verifyBackup(file: string, passphrase: () => string, scratchParent: string = dirname(resolve(file))): Promise<BackupVerification> {
  const scratch = join(scratchParent, `.verify-${process.pid}-${Date.now()}`);
  try {
    return await unpackAndCheck(resolve(file), scratch, passphrase);
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}

async function unpackAndCheck(file: string, dir: string, passphrase: () => string): Promise<BackupVerification> {
  if (!existsSync(file)) throw new UsageError(`no backup at ${file}`, 'list the archives with pulse backup ls');
  const members = await unpackArchive(file, dir, passphrase);
  const problems: string[] = [];
  const manifest = readManifest(dir, problems);
  if (!manifest) return { file, ok: false, problems, manifest: null, checkedFiles: 0 };
  const listed = new Set(manifest.files.map((f) => f.path));
  for (const m of members) if (m !== MANIFEST_FILE && !listed.has(m)) problems.push(`${m}: in the archive but not in the manifest`);
  for (const f of manifest.files) {
    const path = join(dir, f.path);
    if (!existsSync(path)) {
      problems.push(`${f.path}: missing`);
      continue;
    }
    const actual = await hashFile(path);
    if (actual.size !== f.size) problems.push(`${f.path}: ${actual.size} bytes, the manifest says ${f.size}`);
    else if (actual.sha256 !== f.sha256) problems.push(`${f.path}: sha256 ${actual.sha256.slice(0, 12)}..., the manifest says ${f.sha256.slice(0, 12)}...`);
  }
  if (manifest.schemaVersion > STORE_SCHEMA_VERSION) {
    problems.push(`the store has schema ${manifest.schemaVersion}, newer than this pulse's ${STORE_SCHEMA_VERSION}: upgrade pulse to restore it`);
  } else if (existsSync(join(dir, 'data', 'pulse.db'))) {
    await checkStore(dir, manifest, problems);
  }
  return { file, ok: problems.length === 0, problems, manifest, checkedFiles: manifest.files.length };
}

function readManifest(dir: string, problems: string[]): BackupManifest | null {
  const path = join(dir, MANIFEST_FILE);
  if (!existsSync(path)) {
    problems.push(`${MANIFEST_FILE}: missing, so this is not a pulse backup`);
    return null;
  }
  let doc: BackupManifest;
  try {
    doc = JSON.parse(readFileSync(path, 'utf8')) as BackupManifest;
  } catch (err) {
    problems.push(`${MANIFEST_FILE}: not valid JSON (${toError(err).message})`);
    return null;
  }
  if (doc?.format !== BACKUP_FORMAT || !Array.isArray(doc.files) || typeof doc.schemaVersion !== 'number' || typeof doc.rowCounts !== 'object') {
    problems.push(`${MANIFEST_FILE}: not a ${BACKUP_FORMAT} manifest`);
    return null;
  }
  if (doc.formatVersion > BACKUP_FORMAT_VERSION) {
    problems.push(`${MANIFEST_FILE}: format version ${doc.formatVersion} is newer than this pulse reads (${BACKUP_FORMAT_VERSION}); upgrade pulse`);
    return null;
  }
  return doc;
}

/** The store of the unpacked home: SQLite's full integrity check and the row counts of the manifest. */
async function checkStore(dir: string, manifest: BackupManifest, problems: string[]): Promise<void> {
  let store;
  try {
    store = await openStore(dir, { readonly: true });
  } catch (err) {
    problems.push(`data/pulse.db: cannot be opened (${toError(err).message})`);
    return;
  }
  try {
    for (const p of await store.maintenance.checkIntegrity()) problems.push(`data/pulse.db: integrity check: ${p}`);
    const counts = await store.maintenance.tableCounts();
    for (const [table, n] of Object.entries(manifest.rowCounts)) {
      if (counts[table] !== n) problems.push(`data/pulse.db: table ${table} has ${counts[table] ?? 'no'} rows, the manifest says ${n}`);
    }
  } catch (err) {
    problems.push(`data/pulse.db: ${toError(err).message}`);
  } finally {
    await store.close();
  }
}

export interface RestoreOptions {
  /** Replace a non-empty target. */
  force: boolean;
  passphrase: () => string;
  /** Takes locks in the target home (its home lock is held during the swap). */
  lock: LockFn;
  /** Ctrl-C: a restore stops before the swap, and the target is left as it was. */
  signal?: AbortSignal;
}

export interface RestoredBackup {
  file: string;
  home: string;
  manifest: BackupManifest;
  /** Whether an existing home was replaced. */
  replaced: boolean;
}

/**
 * Restore `file` into `target` (see the module note).
 * @throws UsageError for a non-empty target without `force`; DataError listing what failed verification.
 */
export async function restoreBackup(file: string, target: string, options: RestoreOptions): Promise<RestoredBackup> {
  const home = resolve(target);
  const exists = existsSync(home) && readdirSync(home).length > 0;
  if (exists && !options.force) {
    throw new UsageError(`${home} is not empty`, 'pass --force to replace it (its backups/ folder is kept), or restore --to an empty folder');
  }
  const lock = exists ? await options.lock([HOME_SCOPE]) : null;
  const staging = join(dirname(home), `.${basename(home)}.restore-${process.pid}`);
  try {
    rmSync(staging, { recursive: true, force: true });
    const verified = await unpackAndCheck(resolve(file), staging, options.passphrase);
    if (!verified.ok) {
      throw new DataError(`${file} failed verification, nothing was restored: ${verified.problems.join('; ')}`, 'use another backup (pulse backup ls)');
    }
    rmSync(join(staging, MANIFEST_FILE));
    throwIfAborted(options.signal);
    if (existsSync(home)) {
      if (existsSync(join(home, 'backups')) && !existsSync(join(staging, 'backups'))) renameSync(join(home, 'backups'), join(staging, 'backups'));
      const old = join(dirname(home), `.${basename(home)}.replaced-${process.pid}`);
      renameSync(home, old);
      renameSync(staging, home);
      rmSync(old, { recursive: true, force: true });
    } else {
      renameSync(staging, home);
    }
    return { file: resolve(file), home, manifest: verified.manifest!, replaced: exists };
  } finally {
    rmSync(staging, { recursive: true, force: true });
    lock?.release();
  }
}
