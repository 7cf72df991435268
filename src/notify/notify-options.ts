/** Options of `pulse notify test`, declared once. */
import { defineOptions } from '../core/option-schema.js';

/** `pulse notify test`. */
export const NOTIFY_TEST_OPTIONS = defineOptions({});
