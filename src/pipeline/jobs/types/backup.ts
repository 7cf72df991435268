/** `backup`: `pulse backup create` as a job (`encrypt=true` reads PULSE_BACKUP_PASSPHRASE from the runner's environment). */
import { parseOptions } from '../../../core/option-schema.js';
import { PULSE_VERSION } from '../../../core/version.js';
import { BACKUP_CREATE_OPTIONS } from '../../../ops/backup/options.js';
import { resolve } from 'node:path';
import { defineJobType } from '../job-type.js';
import { optionParams } from '../option-params.js';

export const backupJobType = defineJobType({
  name: 'backup',
  description: 'back up the home (store, model files, config) into one archive, as `pulse backup create` does',
  paramsHelp: 'to=DIR keep=N encrypt=true (all optional)',
  params: optionParams(BACKUP_CREATE_OPTIONS),
  describe: (p) => (p.to ? `to ${String(p.to)}` : 'backups/'),
  async run(params, ctx) {
    const opts = parseOptions(BACKUP_CREATE_OPTIONS, params);
    const [{ createBackup }, { passphraseFrom }] = await Promise.all([import('../../../ops/backup/backup.js'), import('../../../ops/backup/encryption.js')]);
    const made = await createBackup(ctx.store, ctx.home, {
      dir: opts.to === undefined ? undefined : resolve(ctx.home, opts.to),
      keep: opts.keep,
      passphrase: opts.encrypt ? passphraseFrom(ctx.env, 'encrypt=true') : undefined,
      pulseVersion: PULSE_VERSION,
      now: ctx.now,
      lock: ctx.lock,
      signal: ctx.signal,
    });
    return { result: { path: made.path, size: made.size, sha256: made.sha256, pruned: made.pruned } };
  },
});
