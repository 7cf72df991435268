/**
 * The `predict` section of pulse's configuration: the defaults of `pulse predict` (a flag overrides them).
 */
import { z } from 'zod';

export const predictSettingsSchema = z
  .object({
    threshold: z
      .number()
      .min(0)
      .optional()
      .describe('signal threshold of `pulse predict` without --threshold; unset: the default of each target (see README)'),
  })
  .strict();

/** The `predict` section. */
export type PredictSettings = z.infer<typeof predictSettingsSchema>;
