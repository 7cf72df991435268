/**
 * Options of `pulse features`, declared once: flag, help and how each value is read. `--labels` stays text here
 * (parsed by label-syntax.ts where it is used) so declaring the flags loads no feature code.
 */
import { choiceText, dateText, defineOptions, flagOption, intervalText, plainText, symbolListText, type ParsedOptions } from '../core/option-schema.js';

/** Formats of `pulse features --export/--format`. */
export const FRAME_FORMATS = ['csv', 'json'] as const;

/** `pulse features [SYMBOL]`. */
export const FEATURES_OPTIONS = defineOptions({
  interval: { flags: '-i, --interval <interval>', description: 'bar interval of the stored series', schema: intervalText },
  set: { flags: '--set <name>', description: 'feature set: "default", a name in <home>/featuresets/, or a JSON file', schema: plainText, default: 'default' },
  list: { flags: '--list', description: 'print every feature of the set with its definition and lookback', schema: flagOption },
  from: { flags: '--from <date>', description: 'first row (features still use the history before it for warm-up)', schema: dateText('--from') },
  to: { flags: '--to <date>', description: 'end of the rows (exclusive)', schema: dateText('--to') },
  labels: { flags: '--labels <specs>', description: 'labels to add, e.g. return:h=1,direction:h=5:dz=0.001,triple-barrier:h=10:pt=2:sl=1', schema: plainText },
  context: { flags: '--context <symbols>', description: 'reference symbols for cross-asset features (correlation, beta, relative strength), e.g. SPY', schema: symbolListText },
  export: { flags: '--export <file>', description: 'write timestamp, features and labels to a file (.csv or .json)', schema: plainText },
  format: { flags: '--format <format>', description: 'export format (default from the file name; to stdout without --export)', schema: choiceText(FRAME_FORMATS, '--format'), choices: FRAME_FORMATS },
  check: { flags: '--check', description: 'run the look-ahead check: perturb future bars and verify no past feature changes', schema: flagOption },
});

/** Parsed `pulse features` options. */
export type FeaturesOptions = ParsedOptions<typeof FEATURES_OPTIONS>;
