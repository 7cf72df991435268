/** Options of `pulse jobs ...`, declared once: flag, help and how each value is read. */
import { z } from 'zod';
import { UsageError } from '../../core/errors.js';
import { countText, defineOptions, flagOption, intText, seedText, textOption } from '../../core/option-schema.js';
import { parseDuration } from '../../core/time.js';
import { JOB_STATUSES, type JobStatus } from '../../store/records.js';


/** A job id (a whole number >= 1). */
export const jobIdText = countText('job id');

/** `--param k=v` (repeatable): one parameter; the value is text (the job type reads it). */
const paramText = textOption((text): [string, string] => {
  const eq = text.indexOf('=');
  if (eq <= 0) throw new UsageError(`--param "${text}" is not key=value`, 'e.g. --param interval=1d (repeat --param for more)');
  return [text.slice(0, eq).trim(), text.slice(eq + 1).trim()];
});

/** `--params JSON`: all parameters as one JSON object. */
const paramsJson = textOption((text): Record<string, unknown> => {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new UsageError('--params is not valid JSON', `give one JSON object, e.g. --params '{"symbols":["ACME"],"interval":"1d"}'`);
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new UsageError('--params must be a JSON object', `e.g. --params '{"symbols":["ACME"],"interval":"1d"}'`);
  return value as Record<string, unknown>;
});

/** A duration of at least 1 ms: `90s`, `10m`, `2h`, `500ms`. */
const durationText = (flag: string) =>
  textOption((text) => {
    const ms = parseDuration(text, flag);
    if (!(ms >= 1)) throw new UsageError(`${flag} "${text}" is too short`, 'use at least 1ms');
    return Math.round(ms);
  });

/** A list of statuses: `failed,interrupted`. */
const statusText = textOption((text): JobStatus[] =>
  text.split(',').map((s) => {
    const status = s.trim() as JobStatus;
    if (!JOB_STATUSES.includes(status)) throw new UsageError(`unknown job status "${s.trim()}"`, `use one or more of: ${JOB_STATUSES.join(', ')}`);
    return status;
  }),
);

/** `pulse jobs add TYPE`. */
export const JOBS_ADD_OPTIONS = defineOptions({
  param: { flags: '--param <key=value...>', description: 'one parameter of the job (repeatable), e.g. --param interval=1d', schema: z.array(paramText) },
  params: { flags: '--params <json>', description: 'the parameters as one JSON object (--param entries override its keys)', schema: paramsJson },
  priority: { flags: '--priority <n>', description: 'higher runs first among runnable jobs', schema: intText('--priority', z.number().int().min(-1_000_000).max(1_000_000)), default: '0' },
  after: { flags: '--after <id...>', description: 'run only once job ID has completed (repeatable); if it fails or is cancelled, this job is cancelled', schema: z.array(jobIdText) },
  retries: { flags: '--retries <n>', description: 'retry a failed run up to N times (N+1 attempts), with exponential backoff', schema: intText('--retries', z.number().int().min(0).max(100)), default: '0' },
  backoff: { flags: '--backoff <duration>', description: 'base delay of the backoff between attempts (doubles each attempt, up to 1h, with seeded jitter)', schema: durationText('--backoff'), default: '30s' },
  timeout: { flags: '--timeout <duration>', description: 'kill a run that takes longer (it fails with reason timeout), e.g. 30m', schema: durationText('--timeout') },
  seed: { flags: '--seed <n>', description: 'seed of the backoff jitter (default: config seed)', schema: seedText },
});

/** `pulse jobs run`. */
export const JOBS_RUN_OPTIONS = defineOptions({
  workers: { flags: '--workers <n>', description: 'jobs run at once, each in its own process', schema: countText('--workers', 64), default: '1' },
  untilEmpty: { flags: '--until-empty', description: 'return once no job is pending or running (for cron); without it, keep polling until Ctrl-C', schema: flagOption },
  poll: { flags: '--poll <duration>', description: 'how often to look for new or due jobs when idle', schema: durationText('--poll'), default: '1s' },
});

/** `pulse jobs ls`. */
export const JOBS_LS_OPTIONS = defineOptions({
  status: { flags: '--status <status>', description: `only jobs in these statuses (comma list): ${JOB_STATUSES.join(', ')}`, schema: statusText },
  limit: { flags: '--limit <n>', description: 'how many', schema: countText('--limit'), default: '20' },
});
