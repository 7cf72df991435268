/** Options of `pulse health`, declared once. */
import { countText, defineOptions, flagOption, plainText } from '../../core/option-schema.js';

/** `pulse health`. */
export const HEALTH_OPTIONS = defineOptions({
  nagios: { flags: '--nagios', description: 'print the Nagios plugin line and exit 0 OK, 1 WARNING, 2 CRITICAL, 3 UNKNOWN', schema: flagOption },
  prometheus: { flags: '--prometheus <file>', description: 'also write the results for node_exporter\'s textfile collector (atomically)', schema: plainText },
  history: { flags: '--history', description: 'show the recorded runs (the trend) instead of checking', schema: flagOption },
  last: { flags: '--last <n>', description: 'with --history: how many runs', schema: countText('--last', 10_000), default: '20' },
});
