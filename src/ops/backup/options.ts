/** Options of `pulse backup ...`, declared once: flag, help and how each value is read. */
import { countText, defineOption, defineOptions, flagOption, plainText } from '../../core/option-schema.js';
import { DEFAULT_KEEP } from './backup.js';

const dir = defineOption({ flags: '--dir <dir>', description: 'the backup folder (default <home>/backups)', schema: plainText });

/** `pulse backup create`. */
export const BACKUP_CREATE_OPTIONS = defineOptions({
  to: { flags: '--to <dir>', description: 'folder to write the archive to (default <home>/backups)', schema: plainText },
  keep: { flags: '--keep <n>', description: 'afterwards keep only the newest N archives of the folder', schema: countText('--keep', 100_000) },
  encrypt: { flags: '--encrypt', description: 'encrypt with AES-256-GCM, key from PULSE_BACKUP_PASSPHRASE', schema: flagOption },
});

/** `pulse backup ls`. */
export const BACKUP_LS_OPTIONS = defineOptions({ dir });

/** `pulse backup verify FILE`. */
export const BACKUP_VERIFY_OPTIONS = defineOptions({});

/** `pulse backup restore FILE`. */
export const BACKUP_RESTORE_OPTIONS = defineOptions({
  to: { flags: '--to <home>', description: 'the home to restore into (default: --home)', schema: plainText },
  force: { flags: '--force', description: 'replace a home that is not empty (its backups/ folder is kept)', schema: flagOption },
});

/** `pulse backup prune`. */
export const BACKUP_PRUNE_OPTIONS = defineOptions({
  dir,
  keep: { flags: '--keep <n>', description: 'how many of the newest archives to keep', schema: countText('--keep', 100_000), default: String(DEFAULT_KEEP) },
});
