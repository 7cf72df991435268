/** Options of `pulse cycle`, declared once. */
import { UsageError } from '../core/errors.js';
import { defineOptions, flagOption, plainText, textOption } from '../core/option-schema.js';
import { parseDateOption } from '../core/time.js';

/** `FROM..TO` with both dates. */
const rangeText = textOption((text) => {
  const m = /^(.+)\.\.(.+)$/.exec(text);
  if (!m) throw new UsageError(`--simulate "${text}" is not a range`, 'use FROM..TO with dates, e.g. --simulate 2023-01-01..2025-01-01');
  return { from: parseDateOption(m[1], '--simulate'), to: parseDateOption(m[2], '--simulate') };
});

/** `pulse cycle`. */
export const CYCLE_OPTIONS = defineOptions({
  dryRun: { flags: '--dry-run', description: 'report which steps are due and what the gate would decide; change nothing', schema: flagOption },
  simulate: { flags: '--simulate <range>', description: 'replay the loop bar by bar over FROM..TO in a scratch copy of the home (the live store is not touched)', schema: rangeText },
  keep: { flags: '--keep <dir>', description: 'with --simulate: keep the scratch home in DIR (new or empty)', schema: plainText },
});
