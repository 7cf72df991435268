/** Options of `pulse init`, declared once. */
import { defineOptions, flagOption } from '../core/option-schema.js';

/** `pulse init [DIR]`. */
export const INIT_OPTIONS = defineOptions({
  force: { flags: '--force', description: 'overwrite an existing pulse.config.json', schema: flagOption },
});
