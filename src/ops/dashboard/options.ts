/** Options of `pulse dashboard`, declared once. */
import { z } from 'zod';
import { defineOptions, intText } from '../../core/option-schema.js';

/** Seconds between two reads of the snapshot. */
export const refreshRange = z.number().int().min(1).max(3600);

/** `pulse dashboard`. */
export const DASHBOARD_OPTIONS = defineOptions({
  refresh: { flags: '--refresh <seconds>', description: 'seconds between two reads of the store', schema: intText('--refresh', refreshRange), default: '5' },
});
