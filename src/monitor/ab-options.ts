/** Options of `pulse ab`, declared once. */
import { z } from 'zod';
import { UsageError } from '../core/errors.js';
import { defineOptions, flagOption, intText, plainText, seedText, textOption } from '../core/option-schema.js';
import { AB_DEFAULTS } from './ab-test.js';

/** `pulse ab start SLOT`. */
export const AB_START_OPTIONS = defineOptions({
  challenger: { flags: '--challenger <id>', description: 'the shadow model to test against the slot\'s active model', schema: plainText, required: true },
  split: { flags: '--split <pct>', description: 'percent of bars the challenger serves', schema: intText('--split', z.number().int().min(1).max(99)), default: String(AB_DEFAULTS.split) },
  minDays: {
    flags: '--min-days <days>',
    description: 'days the test runs before it can be decided',
    schema: textOption((text) => {
      const n = Number(text);
      if (text.trim() === '' || !Number.isFinite(n) || n < 0) throw new UsageError(`--min-days "${text}" is not valid`, 'use a number of days >= 0');
      return n;
    }),
    default: String(AB_DEFAULTS.minDays),
  },
  minN: { flags: '--min-n <n>', description: 'paired outcomes needed before the test can be decided', schema: intText('--min-n', z.number().int().min(3)), default: String(AB_DEFAULTS.minN) },
  seed: { flags: '--seed <n>', description: 'seed of the arm assignment (default: config seed)', schema: seedText },
});

/** `pulse ab status [SLOT]`. */
export const AB_STATUS_OPTIONS = defineOptions({
  all: { flags: '--all', description: 'ended tests too', schema: flagOption },
  autoWinner: { flags: '--auto-winner', description: 'end tests that are decided; a winning challenger becomes active', schema: flagOption },
});

