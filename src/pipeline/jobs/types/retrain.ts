/**
 * `retrain`: retrain a slot with its active model's settings on the data stored now, registering a shadow; the
 * trigger (drift, performance, schedule) is recorded with the job. Once it completes, an evaluation of the new
 * shadow's symbol is queued (see {@link evaluationFollowUps}).
 */
import { z } from 'zod';
import { defineJobType, type FollowUpJob } from '../job-type.js';
import { trainOutput } from './train-output.js';

const RETRAIN_TRIGGERS = ['drift', 'performance', 'schedule', 'manual'] as const;

const retrainParams = z
  .object({
    slot: z.string().regex(/^[^|]+\|[^|]+\|[^|]+\|h\d+$/, 'must be a slot such as ACME|1d|return|h1 (pulse models ls shows them)'),
    trigger: z.enum(RETRAIN_TRIGGERS).default('schedule'),
  })
  .strict();

/** How often a follow-up evaluation tries again while the new shadow has no paired outcomes yet. */
export const EVALUATION_RETRIES = 6;
/** Its first wait: 4 h, doubling (the cap is then 4 h: about a day in all), while `pulse predict` adds outcomes. */
export const EVALUATION_BACKOFF_MS = 4 * 3_600_000;

/**
 * The jobs queued when a retrain completes: an evaluation of each new shadow's symbol and interval (`pulse
 * evaluate`), when the registry has an `evaluate` type. A shadow registered just now has no predictions with
 * outcomes, so the evaluation fails until `pulse predict` has made some: it is retried with a backoff of hours.
 */
export function evaluationFollowUps(models: readonly { id: string; status: string; symbols: string[]; interval: string }[], hasType: (name: string) => boolean): FollowUpJob[] {
  if (!hasType('evaluate')) return [];
  return models
    .filter((m) => m.status === 'shadow')
    .map((m) => ({
      type: 'evaluate',
      params: { ...(m.symbols.length === 1 ? { symbol: m.symbols[0] } : {}), interval: m.interval },
      trigger: 'manual' as const,
      retries: EVALUATION_RETRIES,
      backoffMs: EVALUATION_BACKOFF_MS,
    }));
}

export const retrainJobType = defineJobType({
  name: 'retrain',
  description: "retrain a slot with its active model's settings on all data stored now; the new version registers as a shadow",
  paramsHelp: "slot='ACME|1d|return|h1' trigger=drift|performance|schedule (default schedule)",
  params: retrainParams,
  describe: (p) => `${String(p.slot)} (${String(p.trigger ?? 'schedule')})`,
  async run(params, ctx) {
    const { retrainSlot } = await import('../../../train/retrain.js');
    const run = await retrainSlot(params.slot, params.trigger, { store: ctx.store, home: ctx.home, now: ctx.now, log: ctx.log, lock: ctx.lock, signal: ctx.signal, jobId: ctx.jobId });
    return { ...trainOutput(run), followUps: evaluationFollowUps(run.models.map((m) => m.model), ctx.hasType) };
  },
});
