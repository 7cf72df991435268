/** Options of `pulse promote`, declared once. */
import { defineOptions, flagOption, plainText } from '../core/option-schema.js';

/** `pulse promote [ID]`. */
export const PROMOTE_OPTIONS = defineOptions({
  dryRun: { flags: '--dry-run', description: 'decide and report, change nothing', schema: flagOption },
  force: { flags: '--force', description: 'promote even when the gate refuses (recorded as forced)', schema: flagOption },
  rollback: { flags: '--rollback <slot>', description: 'reactivate the slot\'s previous active model instead', schema: plainText },
});
