/**
 * The `clm` section of pulse's configuration (the continuous-learning loop): the promotion gate's thresholds, with
 * the seed's defaults, and the degradation rule's (src/monitor/degradation.ts). Settable in pulse.config.json or as PULSE__CLM__SHADOWMIN and so on.
 */
import { z } from 'zod';

/** The gate's thresholds (config section `clm`). */
export interface PromotionGatePolicy {
  /** Fewest paired rows with outcomes (default 100). */
  shadowMin: number;
  /** Level of the one-sided test (default 0.05). */
  alpha: number;
  /** Smallest relative improvement of the mean loss, in percent (default 0). */
  minImprovementPct: number;
}

/** The rule's thresholds (config section `clm`). */
export interface DegradationPolicy {
  /** Percent above the test loss at which the rolling loss counts as degraded (default 25). */
  degradationPct: number;
  /** Fewest outcomes before the rule judges (default 30). */
  degradationMin: number;
}

// The defaults live with the config section (the gate and the rule load only where they run, not with the config).
/** The promotion gate's defaults, the seed's: 100 paired outcomes, a one-sided test at 5%, any improvement. */
export const DEFAULT_PROMOTION_GATE: PromotionGatePolicy = { shadowMin: 100, alpha: 0.05, minImprovementPct: 0 };
/** The degradation rule's defaults: 25% above the test loss, judged from 30 outcomes. */
export const DEFAULT_DEGRADATION: DegradationPolicy = { degradationPct: 25, degradationMin: 30 };

export const clmSettingsSchema = z
  .object({
    shadowMin: z.number().int().min(2).max(1_000_000).default(DEFAULT_PROMOTION_GATE.shadowMin).describe('paired predictions with outcomes a candidate needs before promotion'),
    promoteAlpha: z.number().gt(0).lt(1).default(DEFAULT_PROMOTION_GATE.alpha).describe('level of the one-sided Diebold-Mariano test of the promotion gate'),
    driftShare: z.number().min(0).max(1).default(0.5).describe('share of drifted features at which pulse drift-check calls the dataset drifted (Evidently\'s 0.5)'),
    minImprovementPct: z.number().min(-100).max(100).default(DEFAULT_PROMOTION_GATE.minImprovementPct).describe('smallest relative fall of the mean loss for a promotion, in percent'),
    driftThreshold: z.number().gt(0).lt(1).default(0.05).describe('level of the p-value drift tests (KS, chi-square, Z): a column drifts at p below it'),
    enabled: z.boolean().default(true).describe('whether pulse cycle runs the loop (false: it records a skipped cycle and exits 0)'),
    symbols: z.array(z.string().min(1)).default([]).describe('symbols pulse cycle tracks besides those with an active model'),
    retrainHours: z.number().positive().max(100_000).default(168).describe('hours after which pulse cycle retrains a slot on schedule'),
    driftHours: z.number().positive().max(100_000).default(24).describe('hours between the drift checks of pulse cycle'),
    perfHours: z.number().positive().max(100_000).default(6).describe('hours between the performance evaluations of pulse cycle'),
    autoRetrain: z.boolean().default(true).describe('whether pulse cycle retrains on drift and on degraded performance (schedule retraining always runs)'),
    autoPromote: z.boolean().default(true).describe('whether pulse cycle promotes shadows that pass the promotion gate'),
    maxJobMinutes: z.number().positive().max(10_000).default(30).describe('minutes pulse cycle gives the job queue in one iteration'),
    degradationPct: z.number().min(0).max(10_000).default(DEFAULT_DEGRADATION.degradationPct).describe('percent above its test loss at which the active model\'s rolling loss counts as degraded (pulse evaluate)'),
    degradationMin: z.number().int().min(1).max(1_000_000).default(DEFAULT_DEGRADATION.degradationMin).describe('outcomes the degradation rule needs before it judges'),
  })
  .strict();

/** The `clm` section. */
export type ClmSettings = z.infer<typeof clmSettingsSchema>;
