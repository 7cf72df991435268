/** Options of `pulse maintain`, declared once. */
import { defineOptions, flagOption } from '../../core/option-schema.js';

/** `pulse maintain`. */
export const MAINTAIN_OPTIONS = defineOptions({
  dryRun: { flags: '--dry-run', description: 'report what would be deleted, archived and compacted, and change nothing', schema: flagOption },
});
