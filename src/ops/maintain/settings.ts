/**
 * The `maintain` section of pulse's configuration: how long `pulse maintain` keeps each kind of row, and when it
 * compacts the store file. Settable in pulse.config.json or as PULSE__MAINTAIN__PREDICTION_DAYS and so on.
 */
import { z } from 'zod';

const days = (fallback: number, what: string) => z.number().int().min(1).max(100_000).default(fallback).describe(what);

export const maintainSettingsSchema = z
  .object({
    predictionDays: days(90, 'predictions with outcomes of bars before the calendar month holding this many days ago are folded into the performance history and deleted (those without an outcome are kept)'),
    retiredModelDays: days(180, 'retired models retired longer than this many days are archived and their files removed'),
    collectRunDays: days(180, 'collect-run audit rows older than this many days are deleted (quarantined rows are kept)'),
    jobDays: days(180, 'finished training-job rows older than this many days are deleted'),
    healthRunDays: days(90, 'recorded health runs older than this many days are deleted'),
    vacuumMinFreeMiB: z.number().min(0).max(1_000_000).default(64).describe('VACUUM when the free pages hold at least this many MiB ...'),
    vacuumMinFreePct: z.number().min(0).max(100).default(20).describe('... or at least this share of the store file, in percent'),
  })
  .strict();

/** The `maintain` section. */
export type MaintainSettings = z.infer<typeof maintainSettingsSchema>;
