/** Options of `pulse jobs ...`, declared once: flag, help and how each value is read. */
import { countText, defineOptions } from '../core/option-schema.js';

/** `pulse jobs ls`. */
export const JOBS_LS_OPTIONS = defineOptions({
  limit: { flags: '--limit <n>', description: 'how many', schema: countText('--limit'), default: '20' },
});

/** The id argument of `pulse jobs show`. */
export const jobIdText = countText('job id');
