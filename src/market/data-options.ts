/**
 * Options of `pulse data ...` (inspect, export and maintain stored bars), declared once: flag, help and how each
 * value is read. The command-line wiring declares the flags from these tables.
 */
import { choiceText, countText, dateText, intervalText, plainText, symbolText, defineOption, defineOptions } from '../core/option-schema.js';

const symbol = defineOption({ flags: '--symbol <symbol>', description: 'only this symbol', schema: symbolText });
const interval = defineOption({ flags: '-i, --interval <interval>', description: 'bar interval', schema: intervalText, required: true });

/** `pulse data ls`. */
export const DATA_LS_OPTIONS = defineOptions({ symbol });

/** `pulse data show SYMBOL`. */
export const DATA_SHOW_OPTIONS = defineOptions({
  interval,
  tail: { flags: '--tail <n>', description: 'how many bars', schema: countText('--tail'), default: '20' },
});

/** Formats of `pulse data export`. */
export const EXPORT_FORMATS = ['csv', 'json'] as const;

/** `pulse data export SYMBOL`. */
export const DATA_EXPORT_OPTIONS = defineOptions({
  interval,
  from: { flags: '--from <date>', description: 'first bar time', schema: dateText('--from') },
  to: { flags: '--to <date>', description: 'end (exclusive)', schema: dateText('--to') },
  format: { flags: '--format <format>', description: 'output format', schema: choiceText(EXPORT_FORMATS, '--format'), choices: EXPORT_FORMATS, default: 'csv' },
  out: { flags: '--out <file>', description: 'write to a file instead of stdout', schema: plainText },
});

/** `pulse data resample SYMBOL`. */
export const DATA_RESAMPLE_OPTIONS = defineOptions({
  fromInterval: { flags: '--from-interval <interval>', description: 'the stored interval to aggregate', schema: intervalText, required: true },
  toInterval: { flags: '--to-interval <interval>', description: 'the coarser interval to build', schema: intervalText, required: true },
});

/** `pulse data rm SYMBOL`. */
export const DATA_RM_OPTIONS = defineOptions({ interval });

/** `pulse data runs`. */
export const DATA_RUNS_OPTIONS = defineOptions({
  limit: { flags: '--limit <n>', description: 'how many runs', schema: countText('--limit'), default: '20' },
});

/** `pulse data quarantine ls`. */
export const QUARANTINE_LS_OPTIONS = defineOptions({
  symbol,
  limit: { flags: '--limit <n>', description: 'how many rows', schema: countText('--limit'), default: '50' },
});

/** `pulse data quarantine purge`. */
export const QUARANTINE_PURGE_OPTIONS = defineOptions({
  before: { flags: '--before <date>', description: 'delete rows quarantined before this date', schema: dateText('--before'), required: true },
  symbol,
});

/** The id argument of `pulse data quarantine show`. */
export const quarantineIdText = countText('quarantine id');
