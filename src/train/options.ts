/**
 * `pulse train`'s options, declared once: flag, help, and how each value is read (ranges from the `train`
 * settings). trainRequest (request.ts) turns the parsed options into a TrainRequest. This module stays light: the
 * command-line wiring imports it to declare the flags.
 */
import { z } from 'zod';
import { UsageError } from '../core/errors.js';
import { choiceText, dateText, flagOption, intText, numberText, plainText, seedText, symbolListText, textOption, defineOptions, type ParsedOptions } from '../core/option-schema.js';
import { parseInterval } from '../core/interval.js';
import type { TrainWindow } from '../evaluation/splits.js';
import { MODEL_FAMILIES } from '../models/model.js';
import { parseParams } from '../models/params-text.js';
import type { JobTrigger } from '../store/records.js';
import { horizonRange } from '../lifecycle/targets.js';
import { CV_SCHEMES, foldsRange, isTrainWindowText, testSizeRange, trainSettingsSchema, type TrainSettings } from './settings.js';
import { TARGETS } from '../lifecycle/targets.js';

const TRAIN_DEFAULTS = trainSettingsSchema.parse({});
const JOB_TRIGGERS: readonly JobTrigger[] = ['manual', 'schedule', 'drift', 'performance'];
const conf = <K extends keyof TrainSettings>(key: K) => ({ key: `train.${key}`, value: TRAIN_DEFAULTS[key] });

/** `--window`: `expanding` or `rolling:N`. */
export function parseTrainWindow(text: string): TrainWindow {
  if (!isTrainWindowText(text)) throw new UsageError(`--window "${text}" is not valid`, 'use expanding or rolling:N with N >= 10 bars');
  return text === 'expanding' ? { kind: 'expanding' } : { kind: 'rolling', size: Number(text.slice('rolling:'.length)) };
}

const testSizeText = textOption((text) => {
  const n = Number(text);
  if (text.trim() === '' || !Number.isFinite(n)) throw new UsageError(`--test-size "${text}" is not a number`);
  if (!testSizeRange.safeParse(n).success) throw new UsageError(`--test-size ${text} is out of range`, 'use a share between 0 and 0.9, e.g. 0.15');
  return n;
});

/** The options of `pulse train` (attribute name -> spec). */
export const TRAIN_OPTIONS = defineOptions({
  interval: { flags: '-i, --interval <interval>', description: 'bar interval', schema: textOption(parseInterval), required: true },
  model: { flags: '-m, --model <family>', description: MODEL_FAMILIES.join(' | '), schema: choiceText(MODEL_FAMILIES, 'model'), config: conf('model') },
  target: { flags: '-t, --target <target>', description: 'return (regression) | direction (classification) | triple-barrier', schema: choiceText(TARGETS, 'target'), config: conf('target') },
  horizon: { flags: '--horizon <bars>', description: 'label horizon in bars', schema: intText('--horizon', horizonRange), config: conf('horizon') },
  deadZone: { flags: '--dead-zone <logret>', description: 'direction: moves within +-X are flat (binary: left out)', schema: numberText('--dead-zone') },
  classes: { flags: '--classes <kind>', description: 'direction: binary (up/down) or ternary (up/flat/down)', schema: textOption((t) => {
    if (t !== 'binary' && t !== 'ternary') throw new UsageError(`--classes "${t}" is not valid`, 'use binary (up/down) or ternary (up/flat/down)');
    return t;
  }) },
  set: { flags: '--set <name>', description: 'feature set (see pulse features --list)', schema: plainText, config: conf('set') },
  context: { flags: '--context <symbols>', description: 'reference symbols for cross-asset features, e.g. SPY', schema: symbolListText },
  params: { flags: '--params <k=v,...>', description: 'model parameters, e.g. learning_rate=0.05,num_leaves=15 (see docs/models.md)', schema: textOption(parseParams) },
  paramsFile: { flags: '--params-file <file>', description: 'model parameters as a JSON object', schema: plainText },
  paramsFrom: { flags: '--params-from <study>', description: 'the best parameters of a study (pulse optimize); --params-file and --params override them', schema: plainText },
  cv: { flags: '--cv <scheme>', description: CV_SCHEMES.join(' | '), schema: choiceText(CV_SCHEMES, '--cv', 'use walk-forward or purged-kfold'), config: conf('cv') },
  folds: { flags: '--folds <n>', description: 'cross-validation folds', schema: intText('--folds', foldsRange), config: conf('folds') },
  window: { flags: '--window <window>', description: 'training window of each fold: expanding | rolling:N', schema: textOption(parseTrainWindow), config: conf('window') },
  embargo: { flags: '--embargo <bars>', description: 'bars dropped after each validation block (default: the horizon)', schema: intText('--embargo', z.number().int().min(0)) },
  testSize: { flags: '--test-size <share>', description: 'share of the newest labelled rows held out as the test tail', schema: testSizeText, config: conf('testSize') },
  pooled: { flags: '--pooled', description: 'train one model across all symbols (symbol identity as a feature)', schema: flagOption },
  seed: { flags: '--seed <n>', description: 'seed of every random draw (default: config seed)', schema: seedText },
  from: { flags: '--from <date>', description: 'first bar of the training window (features still warm up on the bars before it)', schema: dateText('--from') },
  to: { flags: '--to <date>', description: 'end of the training window (exclusive): labels are those known at this date, so the model can be backtested or replayed after it', schema: dateText('--to') },
  activate: { flags: '--activate', description: 'make the new model the active one of its slot', schema: flagOption },
  trigger: { flags: '--trigger <kind>', description: 'recorded with the job: manual | schedule | drift | performance', schema: choiceText(JOB_TRIGGERS, '--trigger', 'use manual, schedule, drift or performance'), default: 'manual' },
});

/** Parsed `pulse train` options. */
export type TrainOptions = ParsedOptions<typeof TRAIN_OPTIONS>;
