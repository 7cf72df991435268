/**
 * Options of `pulse optimize`, `pulse optimize ls` and `pulse optimize show`, declared once (flag, help, how each
 * value is read). The cross-validation options and their defaults are `pulse train`'s (the `train` settings), so a
 * study scores parameters on the folds `pulse train --params-from` reports.
 */
import { z } from 'zod';
import { UsageError } from '../core/errors.js';
import { choiceText, defineOptions, flagOption, intervalText, intText, plainText, seedText, symbolText, textOption, type ParsedOptions } from '../core/option-schema.js';
import { parseDuration } from '../core/time.js';
import { CV_SCHEMES, foldsRange, trainSettingsSchema, type TrainSettings } from '../train/settings.js';
import { parseTrainWindow } from '../train/options.js';
import { MODEL_FAMILIES, type ModelFamily } from '../models/model.js';
import { horizonRange, TARGETS } from '../lifecycle/targets.js';
import { defaultSpace } from './default-spaces.js';
import { OBJECTIVE_NAMES } from './objectives/objective.js';
import { PRUNER_CHOICES, SAMPLER_NAMES } from './registry.js';

const TRAIN_DEFAULTS = trainSettingsSchema.parse({});
const conf = <K extends keyof TrainSettings>(key: K) => ({ key: `train.${key}`, value: TRAIN_DEFAULTS[key] });

/** Families with parameters to search: those with a default space (the naive baseline has none). */
export const OPTIMIZABLE_FAMILIES: readonly ModelFamily[] = MODEL_FAMILIES.filter((f) => defaultSpace(f) !== undefined);

/** The most trials one run may ask for. */
export const MAX_TRIALS = 100_000;

/** The most trials run at once. */
export const MAX_JOBS = 64;

/** Default trials of a run. */
export const DEFAULT_TRIALS = 20;

/** The fewest and most windows of `--walk-forward` (one window has nothing to compare across). */
export const MIN_WALK_FORWARD = 2;
export const MAX_WALK_FORWARD = 100;

/** The formats of `pulse optimize show`. */
export const SHOW_FORMATS = ['table', 'json', 'yaml', 'value'] as const;

/** `--timeout`: a duration with a unit (90s, 30m, 2h), at least one second. */
const timeoutText = textOption((text) => {
  const ms = parseDuration(text, '--timeout');
  if (ms < 1000) throw new UsageError(`--timeout "${text}" is shorter than a second`, 'use e.g. 30m or 2h');
  return ms;
});

/** `--study NAME`: letters, digits and `._-`, up to 100 characters (it names a lock file). */
const studyNameText = textOption((text) => {
  if (!/^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$/.test(text)) {
    throw new UsageError(`--study "${text}" is not a valid study name`, 'use up to 100 letters, digits, dots, dashes and underscores, starting with a letter or digit');
  }
  return text;
});

/** `pulse optimize SYMBOL`. */
export const OPTIMIZE_OPTIONS = defineOptions({
  interval: { flags: '-i, --interval <interval>', description: 'bar interval', schema: intervalText, required: true },
  model: { flags: '-m, --model <family>', description: OPTIMIZABLE_FAMILIES.join(' | '), schema: choiceText(OPTIMIZABLE_FAMILIES, 'model', `use one of: ${OPTIMIZABLE_FAMILIES.join(', ')} (naive has no parameters)`), required: true },
  target: { flags: '-t, --target <target>', description: 'return (regression) | direction (classification) | triple-barrier', schema: choiceText(TARGETS, 'target'), config: conf('target') },
  horizon: { flags: '--horizon <bars>', description: 'label horizon in bars', schema: intText('--horizon', horizonRange), config: conf('horizon') },
  trials: { flags: '--trials <n>', description: 'finish when the study has this many ended trials (complete, pruned or failed)', schema: intText('--trials', z.number().int().min(1).max(MAX_TRIALS)), default: String(DEFAULT_TRIALS) },
  timeout: { flags: '--timeout <duration>', description: 'start no trial after this long, e.g. 30m, 2h', schema: timeoutText },
  study: { flags: '--study <name>', description: 'study name, to resume it later (default SYMBOL-INTERVAL-MODEL-OBJECTIVE)', schema: studyNameText },
  sampler: { flags: '--sampler <name>', description: SAMPLER_NAMES.join(' | '), schema: choiceText(SAMPLER_NAMES, 'sampler'), choices: SAMPLER_NAMES, default: 'tpe' },
  pruner: { flags: '--pruner <name>', description: 'stop poor trials after a fold: median | hyperband | none', schema: choiceText(PRUNER_CHOICES, 'pruner'), choices: PRUNER_CHOICES, default: 'median' },
  objective: { flags: '--objective <name>', description: OBJECTIVE_NAMES.join(' | '), schema: choiceText(OBJECTIVE_NAMES, 'objective'), choices: OBJECTIVE_NAMES, default: 'cv-loss' },
  space: { flags: '--space <file>', description: 'search space as JSON (default: the family\'s space)', schema: plainText },
  seed: { flags: '--seed <n>', description: 'seed of a new study (default: config seed); a resume keeps the stored one', schema: seedText },
  set: { flags: '--set <name>', description: 'feature set (see pulse features --list)', schema: plainText, config: conf('set') },
  cv: { flags: '--cv <scheme>', description: CV_SCHEMES.join(' | '), schema: choiceText(CV_SCHEMES, '--cv', 'use walk-forward or purged-kfold'), config: conf('cv') },
  folds: { flags: '--folds <n>', description: 'cross-validation folds (the pruner\'s steps)', schema: intText('--folds', foldsRange), config: conf('folds') },
  window: { flags: '--window <window>', description: 'training window of each fold: expanding | rolling:N', schema: textOption(parseTrainWindow), config: conf('window') },
  jobs: { flags: '--jobs <k>', description: 'trials run at once, their folds fitted on worker threads (1: sequential and reproducible)', schema: intText('--jobs', z.number().int().min(1).max(MAX_JOBS)), default: '1' },
  register: { flags: '--register', description: 'at the end, train on the full window with the best parameters and register the model as a shadow', schema: flagOption },
  report: { flags: '--report <file>', description: 'at the end, write the study report (history, importance, slices) as one offline HTML file', schema: plainText },
  walkForward: { flags: '--walk-forward <n>', description: 'walk-forward optimisation: cut the history into N + 1 segments, optimise on one and evaluate on the next, N times', schema: intText('--walk-forward', z.number().int().min(MIN_WALK_FORWARD).max(MAX_WALK_FORWARD)) },
  wfAnchored: { flags: '--wf-anchored', description: 'with --walk-forward: optimise each window on every bar before its out-of-sample segment (default: the one segment before it)', schema: flagOption },
});

/** Parsed `pulse optimize` options. */
export type OptimizeOptions = ParsedOptions<typeof OPTIMIZE_OPTIONS>;

/** `pulse optimize ls`. */
export const OPTIMIZE_LS_OPTIONS = defineOptions({
  symbol: { flags: '--symbol <symbol>', description: 'only studies of this symbol', schema: symbolText },
});

/** `pulse optimize show STUDY`. */
export const OPTIMIZE_SHOW_OPTIONS = defineOptions({
  format: { flags: '-f, --format <format>', description: SHOW_FORMATS.join(' | '), schema: choiceText(SHOW_FORMATS, 'format'), choices: SHOW_FORMATS, default: 'table' },
  report: { flags: '--report <file>', description: 'also write the study report (history, importance, slices) as one offline HTML file', schema: plainText },
});
