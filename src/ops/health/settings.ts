/**
 * The `health` section of pulse's configuration: the thresholds of `pulse health`'s checks, and how the models check
 * times each model in use. Settable in pulse.config.json or as PULSE__HEALTH__DISK_WARN_PCT and so on.
 */
import { z } from 'zod';

const hours = (fallback: number, what: string) => z.number().min(0).max(100_000).default(fallback).describe(what);

export const healthSettingsSchema = z
  .object({
    diskWarnPct: z.number().min(0).max(100).default(10).describe('free space on the home\'s filesystem below which the disk check warns (percent)'),
    diskCriticalPct: z.number().min(0).max(100).default(5).describe('... and below which it is critical (percent)'),
    walWarnBytes: z.number().int().min(0).default(256 * 2 ** 20).describe('write-ahead log size that warns (bytes): a checkpoint is being held off'),
    staleWarnBars: z.number().int().min(0).max(1_000_000).default(1).describe('trading bars a series may be behind its calendar before the freshness check warns'),
    staleCriticalBars: z.number().int().min(0).max(1_000_000).default(24).describe('... and before it is critical'),
    sourceWarnHours: hours(48, 'a source whose last successful collect is older than this warns (hours)'),
    jobStuckHours: hours(6, 'a job running longer than this is stuck: critical (hours)'),
    jobFailedWindowHours: hours(24, 'jobs that failed within this window warn (hours)'),
    backupWarnHours: hours(26, 'the newest backup\'s age that warns (hours); no backup at all warns'),
    backupCriticalHours: hours(7 * 24, '... and that is critical (hours)'),
    modelMeasure: z.boolean().default(true).describe('load each active or shadow model through the lifecycle and time it on the newest bars of its series (false: file and sha256 only)'),
    modelMeasureBudgetMs: z.number().int().min(0).max(3_600_000).default(250).describe('time a run spends loading and timing models (ms): at least one is timed, those timed longest ago first; the others show their last recorded figures'),
    modelBatchRows: z.number().int().min(1).max(100_000).default(256).describe('rows of the batch the models check times: the newest rows of the series (fewer when it is shorter)'),
    modelLatencyWarnMs: z.number().min(0).max(3_600_000).default(50).describe('median single-row prediction time above which the models check warns (ms)'),
    modelBatchLatencyWarnMs: z.number().min(0).max(3_600_000).default(500).describe('median prediction time of the batch above which the models check warns (ms)'),
    modelMemoryWarnMiB: z.number().min(0).max(1_000_000).default(256).describe('memory a loaded model holds above which the models check warns (MiB)'),
  })
  .strict();

/** The `health` section: every threshold of the checks. */
export type HealthSettings = z.infer<typeof healthSettingsSchema>;
