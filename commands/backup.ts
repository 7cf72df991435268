/** `pulse backup create|ls|verify|restore|prune`. */
import { resolve } from 'node:path';
import { ExitCode, InterruptedError, ReportedError } from '../src/core/errors.js';
import { parseOptions } from '../src/core/option-schema.js';
import { PULSE_VERSION } from '../src/core/version.js';
import { backupDir, createBackup, listBackups, pruneBackups } from '../src/ops/backup/backup.js';
import { passphraseFrom } from '../src/ops/backup/encryption.js';
import { BACKUP_CREATE_OPTIONS, BACKUP_LS_OPTIONS, BACKUP_PRUNE_OPTIONS, BACKUP_RESTORE_OPTIONS } from '../src/ops/backup/options.js';
import { restoreBackup, verifyBackup } from '../src/ops/backup/restore.js';
import type { Context } from './context.js';
import { emit, formatCount, formatTime, table } from './ui/output.js';

const mib = (bytes: number) => (bytes < 2 ** 20 ? `${(bytes / 1024).toFixed(1)} KiB` : `${(bytes / 2 ** 20).toFixed(1)} MiB`);

export async function backupCreate(ctx: Context, raw: Record<string, unknown>): Promise<void> {
  const opts = parseOptions(BACKUP_CREATE_OPTIONS, raw);
  const passphrase = opts.encrypt ? passphraseFrom(ctx.env, '--encrypt') : undefined;
  const made = await createBackup(await ctx.store(), ctx.home, {
    dir: opts.to === undefined ? undefined : resolve(ctx.cwd, opts.to),
    keep: opts.keep,
    passphrase,
    pulseVersion: PULSE_VERSION,
    now: ctx.now,
    lock: ctx.lock,
    signal: ctx.signal,
  }).catch(async (err: unknown) => {
    if (!(err instanceof InterruptedError)) await ctx.notify({ type: 'backup-failed', title: 'backup failed', message: err instanceof Error ? err.message : String(err) });
    throw err;
  });
  emit(ctx, made, (r) =>
    [
      `backup ${r.path}`,
      `  ${mib(r.size)}${r.encrypted ? ', encrypted' : ''}; ${r.files} files (${r.models} models); ${formatCount(r.rowCounts.bars ?? 0)} bars; schema ${r.schemaVersion}`,
      `  sha256 ${r.sha256}`,
      ...r.pruned.map((p) => `  pruned ${p}`),
    ].join('\n'),
  );
}

export async function backupLs(ctx: Context, raw: Record<string, unknown>): Promise<void> {
  const opts = parseOptions(BACKUP_LS_OPTIONS, raw);
  const dir = opts.dir === undefined ? backupDir(ctx.home) : resolve(ctx.cwd, opts.dir);
  const backups = await listBackups(await ctx.store(), dir);
  emit(ctx, { dir, backups }, (r) =>
    r.backups.length === 0
      ? `no backups in ${r.dir} (pulse backup create)`
      : table(
          ['created', 'archive', 'size', 'encrypted', 'verified'],
          r.backups.map((b) => [formatTime(b.createdAt), b.path, mib(b.size), b.encrypted ? 'yes' : 'no', b.verifiedAt === null ? '-' : formatTime(b.verifiedAt)]),
          ['l', 'l', 'r', 'l', 'l'],
        ),
  );
}

export async function backupVerify(ctx: Context, file: string): Promise<void> {
  const path = resolve(ctx.cwd, file);
  const check = await verifyBackup(path, () => passphraseFrom(ctx.env, 'an encrypted backup'));
  if (check.ok) await (await ctx.store()).backups.markVerified(path, ctx.now());
  emit(ctx, check, (r) =>
    r.ok
      ? `ok: ${r.file}: ${r.checkedFiles} files match the manifest, the store passes its integrity check`
      : [`${r.file} differs from its manifest:`, ...r.problems.map((p) => `  ${p}`)].join('\n'),
    { always: !check.ok },
  );
  if (!check.ok) throw new ReportedError(`${path} failed verification (${check.problems.length} problems)`, ExitCode.data, 'use another backup (pulse backup ls)');
}

export async function backupRestore(ctx: Context, file: string, raw: Record<string, unknown>): Promise<void> {
  const opts = parseOptions(BACKUP_RESTORE_OPTIONS, raw);
  const target = opts.to === undefined ? ctx.home : resolve(ctx.cwd, opts.to);
  const restored = await restoreBackup(resolve(ctx.cwd, file), target, {
    force: opts.force ?? false,
    passphrase: () => passphraseFrom(ctx.env, 'an encrypted backup'),
    lock: ctx.lockIn(target),
    signal: ctx.signal,
  });
  emit(ctx, restored, (r) =>
    `restored ${r.file} into ${r.home}${r.replaced ? ' (replaced the previous home)' : ''}: ${r.manifest.files.length} files, ${formatCount(r.manifest.rowCounts.bars ?? 0)} bars, taken ${formatTime(r.manifest.createdAt)}`,
  );
}

export async function backupPrune(ctx: Context, raw: Record<string, unknown>): Promise<void> {
  const opts = parseOptions(BACKUP_PRUNE_OPTIONS, raw);
  const dir = opts.dir === undefined ? backupDir(ctx.home) : resolve(ctx.cwd, opts.dir);
  const result = await pruneBackups(await ctx.store(), dir, opts.keep, ctx.now, ctx.lock);
  emit(ctx, { dir, ...result }, (r) => `kept ${r.kept.length} archive(s) in ${r.dir}${r.deleted.length ? `; deleted ${r.deleted.length}:\n${r.deleted.map((d) => `  ${d}`).join('\n')}` : ''}`);
}
