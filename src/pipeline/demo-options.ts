/** Options of `pulse demo`, declared once. The demo's seed is fixed (not config `seed`) so every demo is the same. */
import { defineOptions, seedText } from '../core/option-schema.js';

/** `pulse demo`. */
export const DEMO_OPTIONS = defineOptions({
  seed: { flags: '--seed <n>', description: 'seed of the synthetic data', schema: seedText, default: '42' },
});
