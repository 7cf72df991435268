/**
 * Options of `pulse collect`, declared once: flag, help and how each value is read. Source names, calendars and
 * files are checked where they are used (collect-request.ts), so declaring the flags loads no source code.
 */
import { UsageError } from '../core/errors.js';
import { dateText, defineOptions, flagOption, intervalText, plainText, seedText, textOption, type ParsedOptions } from '../core/option-schema.js';
import { parseInterval, type Interval } from '../core/interval.js';

/** An IANA time zone name (`--tz`). */
function checkTimeZone(tz: string): string {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: tz });
  } catch {
    throw new UsageError(`unknown time zone "${tz}"`, 'use an IANA name such as UTC, America/New_York or Europe/London');
  }
  return tz;
}

/** `pulse collect [SYMBOLS...]`. */
export const COLLECT_OPTIONS = defineOptions({
  source: { flags: '-s, --source <names>', description: "yahoo | binance | csv | synthetic; a comma list fails over in order (default: the series' recorded source; for a new series, config collect.source)", schema: plainText },
  interval: { flags: '-i, --interval <interval>', description: '1m 5m 15m 30m 1h 4h 1d 1wk 1mo (default: config collect.interval; a CSV file: its own spacing)', schema: intervalText },
  from: { flags: '--from <date>', description: 'first bar time (YYYY-MM-DD, ISO-8601 or epoch); default: incremental from the last stored bar (a file: all of it)', schema: dateText('--from') },
  to: { flags: '--to <date>', description: 'end of the range (exclusive); default: now (a file: all of it)', schema: dateText('--to') },
  allowSourceChange: { flags: '--allow-source-change', description: 'let a stored series be collected from a source it was not collected from (recorded; synthetic and real bars never mix)', schema: flagOption },
  align: {
    flags: '--align <mode>',
    description: 'floor: snap timestamps off the bar grid by less than one interval to the bar that contains them (recorded)',
    schema: textOption((t): 'none' | 'floor' => {
      if (t !== 'floor' && t !== 'none') throw new UsageError(`--align "${t}" is not valid`, 'use --align floor to snap off-grid timestamps to the bar that contains them');
      return t;
    }),
  },
  file: { flags: '--file <path>', description: 'CSV file to import with --source csv ("-" for stdin)', schema: plainText },
  series: { flags: '--series <name>', description: 'with --source csv: import a timestamp,value external series (e.g. sentiment) instead of bars', schema: plainText },
  timeColumn: { flags: '--time-column <name>', description: 'with --source csv: the column holding the time', schema: plainText },
  tz: { flags: '--tz <zone>', description: 'with --source csv: IANA time zone of timestamps without an offset (default UTC)', schema: textOption(checkTimeZone) },
  resample: { flags: '--resample <intervals>', description: 'also build coarser intervals from the collected bars, e.g. 1h,4h,1d', schema: textOption((t): Interval[] => t.split(',').map((s) => parseInterval(s.trim()))) },
  acceptOutliers: { flags: '--accept-outliers', description: 'store suspected outliers instead of quarantining them', schema: flagOption },
  seed: { flags: '--seed <n>', description: 'seed of the synthetic source (default: config seed)', schema: seedText },
  calendar: { flags: '--calendar <name>', description: 'trading calendar of the symbols: crypto, fx, XNYS, XNAS, XLON, XETR, none or a user calendar (default: stored, else from the source; see docs/calendars.md)', schema: plainText },
});

/** Parsed `pulse collect` options. */
export type CollectOptions = ParsedOptions<typeof COLLECT_OPTIONS>;
