/**
 * Options of `pulse models ...`, declared once: flag, help and how each value is read. The
 * command-line wiring declares the flags from these tables; importRequest (import-request.ts) builds an import.
 */
import { UsageError } from '../core/errors.js';
import { countText, dateText, defineOptions, flagOption, intText, intervalText, plainText, symbolText, textOption, choiceText, type ParsedOptions } from '../core/option-schema.js';
import { COMPRESSION_LEVELS } from '../models/compression.js';
import { MODEL_STATUSES } from '../store/records.js';
import { EXPORT_FORMATS } from './export-model.js';
import { IMPORT_FORMATS } from './import-model.js';
import { horizonRange } from './targets.js';

/** `pulse models ls`. */
export const MODELS_LS_OPTIONS = defineOptions({
  status: { flags: '--status <status>', description: MODEL_STATUSES.join(' | '), schema: choiceText(MODEL_STATUSES, 'status') },
  symbol: { flags: '--symbol <symbol>', description: 'only models of this symbol', schema: symbolText },
});

/** `pulse models explain ID`. */
export const MODELS_EXPLAIN_OPTIONS = defineOptions({
  at: { flags: '--at <time>', description: 'explain the bar at or before this time (default: the newest bar)', schema: dateText('--at') },
  top: { flags: '--top <n>', description: 'how many contributions to list', schema: countText('--top', 10_000), default: '10' },
  symbol: { flags: '--symbol <symbol>', description: 'pooled models: the symbol whose bar to explain', schema: symbolText },
});


/** `pulse models export ID`. */
export const MODELS_EXPORT_OPTIONS = defineOptions({
  format: { flags: '--format <format>', description: 'output format', schema: choiceText(EXPORT_FORMATS, '--format', 'use pulse or lightgbm'), choices: EXPORT_FORMATS, default: 'pulse' },
  out: { flags: '--out <file>', description: 'write to a file instead of stdout', schema: plainText },
});


/** `pulse models import FILE`. */
export const MODELS_IMPORT_OPTIONS = defineOptions({
  format: { flags: '--format <format>', description: 'the file format', schema: choiceText(IMPORT_FORMATS, '--format', 'use lightgbm or xgboost'), choices: IMPORT_FORMATS, required: true },
  symbol: { flags: '--symbol <symbol>', description: 'the stored symbol it forecasts', schema: symbolText, required: true },
  interval: { flags: '-i, --interval <interval>', description: 'bar interval', schema: intervalText, required: true },
  set: { flags: '--set <name>', description: 'the feature set whose columns the model expects, in order', schema: plainText, default: 'default' },
  target: {
    flags: '--target <target>',
    description: 'return (regression model) or direction (binary model)',
    schema: textOption((t) => {
      if (t !== 'return' && t !== 'direction') throw new UsageError(`--target "${t}" cannot be imported`, 'use return (regression models) or direction (binary models)');
      return t;
    }),
    default: 'return',
  },
  horizon: { flags: '--horizon <bars>', description: 'label horizon in bars', schema: intText('--horizon', horizonRange), default: '1' },
  activate: { flags: '--activate', description: "make it the slot's active model", schema: flagOption },
});

/** Parsed `pulse models import` options. */
export type ModelsImportOptions = ParsedOptions<typeof MODELS_IMPORT_OPTIONS>;

/** `pulse models compress ID`. */
export const MODELS_COMPRESS_OPTIONS = defineOptions({
  level: {
    flags: '--level <level>',
    description: 'how far to go: conservative (loss +0.1%), moderate (+0.5%), aggressive (+2%); see the README for each level',
    schema: choiceText(COMPRESSION_LEVELS, '--level', 'use conservative, moderate or aggressive'),
    choices: COMPRESSION_LEVELS,
    required: true,
  },
});

/** `pulse models rm ID`. */
export const MODELS_RM_OPTIONS = defineOptions({
  force: { flags: '--force', description: 'remove even the active model', schema: flagOption },
});
