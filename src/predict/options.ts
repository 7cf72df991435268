/**
 * `pulse predict` and `pulse predictions ls` options, declared once; {@link predictRequest} turns the parsed
 * options into a PredictRequest: a flag wins, then the configuration (`predict.*`), then the per-target default.
 */
import { z } from 'zod';
import { UsageError } from '../core/errors.js';
import { dateText, intText, plainText, textOption, defineOptions, type ParsedOptions } from '../core/option-schema.js';
import { parseInterval } from '../core/interval.js';
import type { PredictRequest } from './predict.js';
import type { ReplayRequest } from './replay.js';
import type { PredictSettings } from './settings.js';

/** The options of `pulse predict` (attribute name -> spec). */
export const PREDICT_OPTIONS = defineOptions({
  interval: { flags: '-i, --interval <interval>', description: 'bar interval', schema: textOption(parseInterval), required: true },
  model: { flags: '--model <id>', description: 'one model id, or "active" (default: the active and shadow models of every slot)', schema: plainText },
  threshold: {
    flags: '--threshold <x>',
    description: 'signal threshold (see README: defaults per target)',
    schema: textOption((text) => {
      const n = Number(text);
      if (!(n >= 0)) throw new UsageError(`--threshold "${text}" is not a number >= 0`);
      return n;
    }),
    config: { key: 'predict.threshold' },
  },
  replayFrom: { flags: '--replay-from <date>', description: 'replay history: predict every stored bar from DATE on with each model, out of sample (after its training end)', schema: dateText('--replay-from') },
  replayTo: { flags: '--replay-to <date>', description: 'with --replay-from: end of the replayed range (exclusive; default: the newest bar)', schema: dateText('--replay-to') },
});

/** Parsed `pulse predict` options. */
export type PredictOptions = ParsedOptions<typeof PREDICT_OPTIONS>;

/** The options of `pulse predictions ls`. */
export const PREDICTIONS_LS_OPTIONS = defineOptions({
  interval: { flags: '-i, --interval <interval>', description: 'bar interval', schema: textOption(parseInterval) },
  model: { flags: '--model <id>', description: 'only this model', schema: plainText },
  limit: { flags: '--limit <n>', description: 'how many', schema: intText('--limit', z.number().int().min(1).max(1_000_000_000)), default: '30' },
});

/** The PredictRequest of `pulse predict SYMBOLS ...`. */
export function predictRequest(symbols: readonly string[], opts: PredictOptions, config: { predict: PredictSettings }): PredictRequest {
  return { symbols: symbols.map((s) => s.toUpperCase()), interval: opts.interval, model: opts.model, threshold: opts.threshold ?? config.predict.threshold };
}

/**
 * The ReplayRequest of `pulse predict SYMBOLS --replay-from DATE ...`, or null without --replay-from.
 * @throws UsageError for --replay-to without --replay-from.
 */
export function replayRequest(symbols: readonly string[], opts: PredictOptions, config: { predict: PredictSettings }): ReplayRequest | null {
  if (opts.replayFrom === undefined) {
    if (opts.replayTo !== undefined) throw new UsageError('--replay-to needs --replay-from', 'e.g. pulse predict ACME --interval 1d --replay-from 2023-01-01 --replay-to 2024-01-01');
    return null;
  }
  return { ...predictRequest(symbols, opts, config), from: opts.replayFrom, to: opts.replayTo };
}
