/** Options of `pulse evaluate`, declared once; {@link evaluateWindow} checks how they combine. */
import { z } from 'zod';
import { UsageError } from '../core/errors.js';
import { choiceText, dateText, defineOptions, intText, intervalText, type ParsedOptions } from '../core/option-schema.js';
import { PERIODS, type EvaluateRequest } from './evaluate.js';

/** `pulse evaluate [SYMBOL]`. */
export const EVALUATE_OPTIONS = defineOptions({
  interval: { flags: '-i, --interval <interval>', description: 'bar interval', schema: intervalText, required: true },
  last: { flags: '--last <n>', description: 'only the newest N paired bars with outcomes (default: all)', schema: intText('--last', z.number().int().min(1).max(1_000_000_000)) },
  from: { flags: '--from <date>', description: 'first bar of the window', schema: dateText('--from') },
  to: { flags: '--to <date>', description: 'end of the window (exclusive)', schema: dateText('--to') },
  by: { flags: '--by <period>', description: 'also per day, week or month, recorded as the performance history', schema: choiceText(PERIODS, '--by period'), choices: PERIODS },
});

/** Parsed `pulse evaluate` options. */
export type EvaluateOptions = ParsedOptions<typeof EVALUATE_OPTIONS>;

/**
 * The window of the parsed options.
 * @throws UsageError for --last together with --from/--to, or a range that ends before it starts.
 */
export function evaluateWindow(opts: EvaluateOptions): Pick<EvaluateRequest, 'last' | 'from' | 'to'> {
  if (opts.last !== undefined && (opts.from !== undefined || opts.to !== undefined)) {
    throw new UsageError('--last and --from/--to both choose the window', 'give --last N, or --from DATE --to DATE');
  }
  if (opts.from !== undefined && opts.to !== undefined && !(opts.to > opts.from)) {
    throw new UsageError('--to is not after --from', 'give a window FROM < TO');
  }
  return { last: opts.last, from: opts.from, to: opts.to };
}
