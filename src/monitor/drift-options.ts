/** Options of `pulse drift-check`, declared once. */
import { UsageError } from '../core/errors.js';
import { choiceText, defineOptions, flagOption, intervalText, plainText, textOption } from '../core/option-schema.js';
import { parseDateOption } from '../core/time.js';
import { DEFAULT_CURRENT_BARS, type WindowSpec } from './drift-check.js';
import { DRIFT_TEST_NAMES } from './drift/registry.js';

/** `FROM..TO` (either side may be empty) as bar times [from, to). */
function parseRange(text: string, flag: string): { from?: number; to?: number } {
  const m = /^(.*)\.\.(.*)$/.exec(text);
  if (!m) throw new UsageError(`${flag} "${text}" is not a range`, `use FROM..TO with dates, e.g. ${flag} 2024-01-01..2024-07-01`);
  return { from: m[1] ? parseDateOption(m[1], flag) : undefined, to: m[2] ? parseDateOption(m[2], flag) : undefined };
}

const METHODS = ['auto', ...DRIFT_TEST_NAMES] as const;

/** `pulse drift-check SYMBOL`. */
export const DRIFT_CHECK_OPTIONS = defineOptions({
  interval: { flags: '-i, --interval <interval>', description: 'bar interval', schema: intervalText, required: true },
  model: { flags: '--model <id>', description: 'a model id, or active (the series\' active model)', schema: plainText },
  set: { flags: '--set <name>', description: 'without --model: the feature set to check (default: default)', schema: plainText },
  reference: {
    flags: '--reference <window>',
    description: 'train (the model\'s training window, the default with a model) or FROM..TO',
    schema: textOption((text): 'train' | { from?: number; to?: number } => (text === 'train' ? 'train' : parseRange(text, '--reference'))),
  },
  current: {
    flags: '--current <window>',
    description: `the newest N bars (default ${DEFAULT_CURRENT_BARS}) or FROM..TO`,
    schema: textOption((text): WindowSpec => {
      if (text.includes('..')) return parseRange(text, '--current');
      const n = Number(text);
      if (!Number.isInteger(n) || n < 2) throw new UsageError(`--current "${text}" is not valid`, 'use a number of bars (at least 2) or FROM..TO');
      return { bars: n };
    }),
  },
  retrain: { flags: '--retrain', description: 'with a model: on dataset drift, queue a retraining of its slot (pulse jobs run runs it)', schema: flagOption },
  report: { flags: '--report <file>', description: 'write a self-contained HTML report: drifted columns first, both distributions of each', schema: plainText },
  method: { flags: '--method <test>', description: `auto (Evidently's rule per column) or ${DRIFT_TEST_NAMES.join(', ')}`, schema: choiceText(METHODS, '--method'), choices: METHODS, default: 'auto' },
});
