/** Options of `pulse status`, declared once (it has only the global ones). */
import { defineOptions } from '../core/option-schema.js';

/** `pulse status`. */
export const STATUS_OPTIONS = defineOptions({});
