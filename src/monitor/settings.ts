/**
 * The `clm` section of pulse's configuration (the continuous-learning loop): the promotion gate's thresholds, with
 * the seed's defaults. Settable in pulse.config.json or as PULSE__CLM__SHADOWMIN and so on.
 */
import { z } from 'zod';
import { DEFAULT_PROMOTION_GATE } from './promotion-gate.js';

export const clmSettingsSchema = z
  .object({
    enabled: z.boolean().default(false).describe('whether the continuous-learning loop (scheduled and drift-triggered retraining, promotions) is switched on; pulse status shows it'),
    shadowMin: z.number().int().min(2).max(1_000_000).default(DEFAULT_PROMOTION_GATE.shadowMin).describe('paired predictions with outcomes a candidate needs before promotion'),
    promoteAlpha: z.number().gt(0).lt(1).default(DEFAULT_PROMOTION_GATE.alpha).describe('level of the one-sided Diebold-Mariano test of the promotion gate'),
    driftShare: z.number().min(0).max(1).default(0.5).describe('share of drifted features at which pulse drift-check calls the dataset drifted (Evidently\'s 0.5)'),
    minImprovementPct: z.number().min(-100).max(100).default(DEFAULT_PROMOTION_GATE.minImprovementPct).describe('smallest relative fall of the mean loss for a promotion, in percent'),
  })
  .strict();

/** The `clm` section. */
export type ClmSettings = z.infer<typeof clmSettingsSchema>;
