/**
 * The backup archive: one `.tar.gz` (optionally encrypted, encryption.ts) holding `manifest.json` and the home's
 * files under their home-relative paths: the store snapshot `data/pulse.db`, the registered model files, the
 * config, and the user's calendars and feature sets.
 *
 * Unpacking refuses, before anything is extracted, an archive with a member that is not a plain file or folder
 * (links of any kind), an absolute path, or a `..` segment (tar-slip), and any archive tar cannot read to its end
 * (truncated or altered).
 */
import { mkdirSync, renameSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import * as tar from 'tar';
import { DataError, toError } from '../../core/errors.js';
import { hashFile } from '../../core/hash.js';
import { decryptFile, encryptFile, isEncrypted } from './encryption.js';

/** The manifest's name inside the archive. */
export const MANIFEST_FILE = 'manifest.json';
export const BACKUP_FORMAT = 'pulse-backup';
export const BACKUP_FORMAT_VERSION = 1;

/** What a member of the archive is. */
export type MemberKind = 'store' | 'model' | 'config' | 'calendar' | 'featureset';

/** One file of the archive, as the manifest records it. */
export interface ManifestFile {
  /** Relative to the home, with forward slashes. */
  path: string;
  kind: MemberKind;
  size: number;
  sha256: string;
}

/** `manifest.json`. */
export interface BackupManifest {
  format: typeof BACKUP_FORMAT;
  formatVersion: number;
  pulseVersion: string;
  /** The store's schema version. */
  schemaVersion: number;
  /** Creation time, ms since the epoch (UTC). */
  createdAt: number;
  files: ManifestFile[];
  /** Rows per table of the store snapshot. */
  rowCounts: Record<string, number>;
}

/** Hash the files of `dir` named by `members` for the manifest. */
export async function describeFiles(dir: string, members: readonly { path: string; kind: MemberKind }[]): Promise<ManifestFile[]> {
  const out: ManifestFile[] = [];
  for (const m of members) out.push({ ...m, ...(await hashFile(join(dir, m.path))) });
  return out;
}

/**
 * Pack `paths` (relative to `dir`) into `outFile`, written under a temporary name and renamed when complete;
 * encrypted when `passphrase` is given. Returns the archive's size and sha256.
 */
export async function packArchive(dir: string, paths: readonly string[], outFile: string, passphrase?: string): Promise<{ size: number; sha256: string }> {
  const partial = `${outFile}.${process.pid}.partial`;
  const plain = passphrase === undefined ? partial : `${partial}.plain`;
  try {
    await tar.create({ gzip: { level: 6 }, file: plain, cwd: dir, portable: true, noDirRecurse: true }, [...paths]);
    if (passphrase !== undefined) {
      await encryptFile(plain, partial, passphrase);
      rmSync(plain, { force: true });
    }
    renameSync(partial, outFile);
  } catch (err) {
    rmSync(partial, { force: true });
    rmSync(plain, { force: true });
    throw err;
  }
  return hashFile(outFile);
}

/** Why an archive member may not be extracted, or null when it may. */
export function unsafeMember(path: string, type: string): string | null {
  if (type !== 'File' && type !== 'OldFile' && type !== 'Directory') return `"${path}" is a ${type}, not a plain file`;
  if (path.startsWith('/') || /^[A-Za-z]:/.test(path) || path.startsWith('\\')) return `"${path}" is an absolute path`;
  if (path.split(/[\\/]/).includes('..')) return `"${path}" climbs out of the archive with ..`;
  return null;
}

/**
 * Unpack `file` into the new folder `dest`, decrypting first when it is encrypted (`passphrase` then required).
 * Returns the member paths (files only).
 * @throws DataError naming the first unsafe member, or when the archive cannot be read to its end.
 */
export async function unpackArchive(file: string, dest: string, passphrase: () => string): Promise<string[]> {
  mkdirSync(dest, { recursive: true });
  let tarball = file;
  if (isEncrypted(file)) {
    tarball = join(dest, '.archive.tar.gz');
    await decryptFile(file, tarball, passphrase());
  }
  const files: string[] = [];
  const problems: string[] = [];
  try {
    await tar.list({
      file: tarball,
      strict: true,
      onReadEntry: (entry) => {
        const why = unsafeMember(entry.path, entry.type);
        if (why) problems.push(why);
        else if (entry.type !== 'Directory') files.push(entry.path.replace(/^\.\//, ''));
      },
    });
  } catch (err) {
    throw new DataError(`${file} is not a readable pulse backup: ${toError(err).message}`, 'the archive is truncated or damaged; use another backup');
  }
  if (problems.length > 0) throw new DataError(`${file} is refused: ${problems[0]}${problems.length > 1 ? ` (and ${problems.length - 1} more)` : ''}`, 'a pulse backup holds only plain files under relative paths; do not restore it');
  try {
    await tar.extract({ file: tarball, cwd: dest, strict: true, preservePaths: false, filter: (path, entry) => unsafeMember(path, (entry as tar.ReadEntry).type) === null });
  } catch (err) {
    throw new DataError(`${file} could not be extracted: ${toError(err).message}`, 'the archive is truncated or damaged; use another backup');
  } finally {
    if (tarball !== file) rmSync(tarball, { force: true });
  }
  return files;
}
