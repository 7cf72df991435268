/**
 * The `train` section of pulse's configuration: the defaults of `pulse train` (a flag overrides them), with their
 * ranges and descriptions. The same schemas bound the flags (src/train/options.ts), so a range is stated once.
 */
import { z } from 'zod';
import { MAX_FOLDS, MIN_FOLDS } from '../evaluation/splits.js';
import { MODEL_FAMILIES, type ModelFamily } from '../models/model.js';
import { horizonRange, TARGETS } from '../lifecycle/targets.js';

/** Cross-validation schemes of `pulse train --cv`. */
export const CV_SCHEMES = ['walk-forward', 'purged-kfold'] as const;

/** Cross-validation folds. */
export const foldsRange = z.number().int().min(MIN_FOLDS).max(MAX_FOLDS);
/** Share of the newest labelled rows held out as the test tail. */
export const testSizeRange = z.number().min(0).max(0.9);
/** Smallest rolling training window, in bars. */
export const MIN_ROLLING_WINDOW = 10;

/** `expanding` or `rolling:N` with N >= {@link MIN_ROLLING_WINDOW}. */
export function isTrainWindowText(text: string): boolean {
  const m = /^rolling:(\d+)$/.exec(text);
  return text === 'expanding' || (m !== null && Number(m[1]) >= MIN_ROLLING_WINDOW);
}

export const trainSettingsSchema = z
  .object({
    model: z.enum(MODEL_FAMILIES as [ModelFamily, ...ModelFamily[]]).default('lightgbm').describe('model family of `pulse train` without --model'),
    target: z.enum(TARGETS).default('return').describe('target of `pulse train` without --target: return, direction or triple-barrier'),
    horizon: horizonRange.default(1).describe('label horizon in bars'),
    set: z.string().min(1).default('default').describe('feature set: "default", a name in <home>/featuresets/, or a JSON file'),
    cv: z.enum(CV_SCHEMES).default('walk-forward').describe('cross-validation scheme: walk-forward or purged-kfold'),
    folds: foldsRange.default(5).describe('cross-validation folds'),
    window: z
      .string()
      .refine(isTrainWindowText, `use expanding or rolling:N with N >= ${MIN_ROLLING_WINDOW} bars`)
      .default('expanding')
      .describe('training window of each fold: expanding or rolling:N'),
    testSize: testSizeRange.default(0.15).describe('share of the newest labelled rows held out as the test tail'),
  })
  .strict();

/** The `train` section. */
export type TrainSettings = z.infer<typeof trainSettingsSchema>;
