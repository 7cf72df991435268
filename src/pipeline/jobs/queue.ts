/**
 * The job queue's rules: queueing a job (its type and parameters checked), how a run's end is recorded (retries
 * with exponential backoff and seeded jitter, follow-up jobs, dependents of a job that will never complete
 * cancelled), the orphan sweep, cancel and retry by hand, and listings. Every status change goes through the
 * store's compare-and-set, which audits it (`job_events`).
 */
import { DataError, UsageError } from '../../core/errors.js';
import { usageError } from '../../core/option-schema.js';
import { backoffDelayMs } from '../../core/retry.js';
import { mix32, Rng } from '../../core/rng.js';
import type { JobEventRecord, JobRecord, JobStatus, JobTrigger } from '../../store/records.js';
import type { Store } from '../../store/store.js';
import type { JobCheckEnv, JobOutput } from './job-type.js';
import { hasJobType, jobType } from './registry.js';

/** Longest wait between two attempts (unless the job's base delay is longer). */
export const MAX_BACKOFF_MS = 3_600_000;
/** Base delay between attempts unless `--backoff` says otherwise. */
export const DEFAULT_BACKOFF_MS = 30_000;

/** A job to queue, as `pulse jobs add` gives it. */
export interface AddJobInput {
  type: string;
  /** Raw parameters (`--param k=v` texts or a `--params` JSON object); checked by the type's schema. */
  params: Record<string, unknown>;
  priority?: number;
  /** Jobs that must complete first. */
  after?: readonly number[];
  /** Runs after the first that a failure may take. */
  retries?: number;
  timeoutMs?: number | null;
  backoffMs?: number;
  /** Seed of the backoff jitter. */
  seed: number;
  trigger?: JobTrigger;
  /** The configuration and home for the type's queue-time check (without: only each parameter is checked). */
  env?: JobCheckEnv;
}

/**
 * Queue a job.
 * @throws UsageError (exit 2) for an unknown type or parameters its schema (or its check) refuses; DataError (exit 3)
 * for an `after` job that does not exist.
 */
export async function addJob(store: Store, input: AddJobInput, now: number): Promise<JobRecord> {
  const type = jobType(input.type);
  const params = checkParams(input.type, input.params);
  if (input.env) await type.check?.(params, input.env);
  for (const id of input.after ?? []) {
    if (!(await store.jobs.get(id))) throw new DataError(`--after ${id}: there is no job ${id}`, '`pulse jobs ls` lists the jobs');
  }
  const id = await store.jobs.create({
    type: type.name,
    trigger: input.trigger ?? triggerOf(params),
    params,
    priority: input.priority ?? 0,
    dependsOn: input.after ?? [],
    maxAttempts: 1 + (input.retries ?? 0),
    timeoutMs: input.timeoutMs ?? null,
    backoffMs: input.backoffMs ?? DEFAULT_BACKOFF_MS,
    seed: input.seed,
    now,
  });
  // A dependency that already failed: the new job will never run.
  await store.jobs.cancelBlocked(now);
  return (await store.jobs.get(id))!;
}

const TRIGGERS: readonly JobTrigger[] = ['manual', 'schedule', 'drift', 'performance'];

/** The trigger a job records: its `trigger` parameter (train, retrain) when it names one, else manual. */
function triggerOf(params: Record<string, unknown>): JobTrigger {
  return TRIGGERS.includes(params.trigger as JobTrigger) ? (params.trigger as JobTrigger) : 'manual';
}

/** A type's parameters, checked and normalised. @throws UsageError in the schema's words. */
export function checkParams(typeName: string, raw: Record<string, unknown>): Record<string, unknown> {
  const type = jobType(typeName);
  const parsed = type.params.safeParse(raw, { reportInput: true });
  if (parsed.success) return parsed.data;
  const err = usageError(parsed.error.issues[0], `${typeName} params`);
  throw err.hint ? err : new UsageError(err.message, `${typeName} takes ${type.paramsHelp}`);
}

/**
 * The wait before the job's next attempt once attempt number `attempt` (1-based) failed: equal-jitter exponential
 * backoff (src/core/retry.ts) from the job's base delay, capped at {@link MAX_BACKOFF_MS}. The jitter is drawn from
 * the job's seed, its id and the attempt, so the schedule of a job is the same on every run.
 */
export function retryDelayMs(job: Pick<JobRecord, 'id' | 'seed' | 'backoffMs'>, attempt: number): number {
  const rng = new Rng(mix32(job.seed, job.id)).fork(attempt);
  return backoffDelayMs(attempt - 1, job.backoffMs, Math.max(job.backoffMs, MAX_BACKOFF_MS), rng);
}

/** How one run of a job ended, as the runner saw it. */
export type RunEnd =
  | { status: 'completed'; output: JobOutput }
  | { status: 'failed'; error: string }
  | { status: 'interrupted'; error: string };

/** What recording a run's end did. */
export interface Settled {
  status: JobStatus;
  /** When the job runs again (a retry), else null. */
  retryAt: number | null;
  /** Jobs queued as follow-ups. */
  followUps: number[];
  /** Pending jobs cancelled because this one will never complete. */
  cancelled: number[];
}

/**
 * Record the end of a run of `job` (running): completed (its follow-ups queued), or failed / interrupted and
 * re-queued after the backoff when attempts remain. Dependents of a job that ended for good without completing are
 * cancelled. A job cancelled meanwhile stays cancelled.
 */
export async function settleRun(store: Store, job: JobRecord, end: RunEnd, now: number): Promise<Settled> {
  const output = end.status === 'completed' ? end.output : undefined;
  const finished = await store.jobs.finish(job.id, {
    status: end.status,
    error: end.status === 'completed' ? null : end.error,
    result: output?.result ?? null,
    succeeded: output?.succeeded,
    failed: output?.failed,
    now,
  });
  const settled: Settled = { status: end.status, retryAt: null, followUps: [], cancelled: [] };
  if (!finished) {
    settled.status = (await store.jobs.get(job.id))?.status ?? end.status;
    settled.cancelled = await store.jobs.cancelBlocked(now);
    return settled;
  }
  if (output) {
    for (const f of output.followUps ?? []) {
      if (!hasJobType(f.type)) continue;
      const next = await addJob(store, { type: f.type, params: f.params, trigger: f.trigger, retries: f.retries, backoffMs: f.backoffMs, priority: job.priority, seed: job.seed }, now);
      settled.followUps.push(next.id);
    }
  } else {
    settled.retryAt = await requeueIfAttemptsLeft(store, (await store.jobs.get(job.id))!, now);
    if (settled.retryAt !== null) settled.status = 'pending';
  }
  settled.cancelled = await store.jobs.cancelBlocked(now);
  return settled;
}

/** Re-queue a failed or interrupted job that has attempts left, after its backoff; returns when it runs again. */
async function requeueIfAttemptsLeft(store: Store, job: JobRecord, now: number): Promise<number | null> {
  if (job.inline || job.attempts >= job.maxAttempts) return null;
  const at = now + retryDelayMs(job, job.attempts);
  const wait = at - now;
  const reason = `retry: attempt ${job.attempts + 1} of ${job.maxAttempts} after ${wait < 1000 ? `${wait} ms` : `${(wait / 1000).toFixed(1)} s`}`;
  return (await store.jobs.requeue(job.id, { from: ['failed', 'interrupted'], runAfter: at, reason, now })) ? at : null;
}

/**
 * The sweep every runner makes before it takes jobs: running jobs whose owning process is gone become interrupted
 * and are re-queued when attempts remain (so is any failed or interrupted queued job a crash left un-re-queued);
 * dependents of jobs that ended for good are cancelled.
 */
export async function sweepJobs(store: Store, isAlive: (pid: number) => boolean, now: number): Promise<{ interrupted: number[]; requeued: number[]; cancelled: number[] }> {
  const interrupted = (await store.jobs.interruptOrphaned(isAlive, now)).map((j) => j.id);
  const requeued: number[] = [];
  for (const job of await store.jobs.list(10_000, { status: ['failed', 'interrupted'] })) {
    if ((await requeueIfAttemptsLeft(store, job, now)) !== null) requeued.push(job.id);
  }
  return { interrupted, requeued, cancelled: await store.jobs.cancelBlocked(now) };
}

/** A job by id. @throws DataError (exit 3) when there is none. */
export async function requireJob(store: Store, id: number): Promise<JobRecord> {
  const job = await store.jobs.get(id);
  if (!job) throw new DataError(`there is no job ${id}`, '`pulse jobs ls` lists the jobs');
  return job;
}

/**
 * Cancel a pending or running job (a running one's worker is sent SIGTERM through `kill`), then the jobs that
 * depend on it.
 * @throws DataError for an unknown id; UsageError (exit 2) for a job that has ended, or one running inline.
 */
export async function cancelJob(store: Store, id: number, now: number, kill: (pid: number) => void): Promise<{ job: JobRecord; cancelled: number[] }> {
  const job = await requireJob(store, id);
  if (job.status !== 'pending' && job.status !== 'running') throw new UsageError(`job ${id} is ${job.status}: only a pending or running job can be cancelled`, job.status === 'completed' ? undefined : `\`pulse jobs retry ${id}\` runs it again`);
  if (job.inline) throw new UsageError(`job ${id} runs inline in process ${job.pid} (pulse train), not through the queue`, 'stop that process (Ctrl-C)');
  if (!(await store.jobs.cancel(id, 'cancelled by hand', now))) throw new UsageError(`job ${id} ended meanwhile`, '`pulse jobs show` shows how');
  if (job.status === 'running' && job.workerPid !== null) kill(job.workerPid);
  const cancelled = await store.jobs.cancelBlocked(now);
  return { job: (await store.jobs.get(id))!, cancelled };
}

/**
 * Run a job that ended without completing (failed, interrupted or cancelled) again, with its full count of attempts,
 * and with it the jobs cancelled because it had not completed.
 * @throws DataError for an unknown id; UsageError (exit 2) for a job that is pending, running or completed.
 */
export async function retryJob(store: Store, id: number, now: number): Promise<{ job: JobRecord; requeued: number[] }> {
  const job = await requireJob(store, id);
  const retryable: readonly JobStatus[] = ['failed', 'interrupted', 'cancelled'];
  if (!retryable.includes(job.status)) throw new UsageError(`job ${id} is ${job.status}: only a failed, interrupted or cancelled job can be retried`, job.status === 'completed' ? '`pulse jobs add` queues a new job' : undefined);
  if (job.inline) throw new UsageError(`job ${id} ran inline (pulse train), not through the queue`, 'run that training again, or queue it with `pulse jobs add train`');
  const requeued: number[] = [];
  const revive = async (j: JobRecord, reason: string) => {
    if (!(await store.jobs.requeue(j.id, { from: retryable, runAfter: null, resetAttempts: true, reason, now }))) return;
    requeued.push(j.id);
    for (const d of await store.jobs.dependents(j.id)) {
      if (d.status === 'cancelled' && d.error === `dependency #${j.id} ${j.status}`) await revive(d, `dependency #${j.id} retried`);
    }
  };
  await revive(job, 'retried by hand');
  return { job: (await store.jobs.get(id))!, requeued };
}

/** A job as listings show it: its record and a short label of what it does. */
export interface JobSummary extends JobRecord {
  what: string;
}

/** A type's label of a job's parameters (the parameters' JSON for a type pulse does not know). */
export function describeJob(job: JobRecord): string {
  return hasJobType(job.type) ? jobType(job.type).describe(job.params) : JSON.stringify(job.params);
}

/** The most recent jobs, newest first (optionally of some statuses). */
export async function listJobs(store: Store, filter: { status?: readonly JobStatus[]; limit: number }): Promise<JobSummary[]> {
  return (await store.jobs.list(filter.limit, { status: filter.status })).map((j) => ({ ...j, what: describeJob(j) }));
}

/** One job with its status changes and the models it registered. @throws DataError when there is none. */
export async function showJob(store: Store, id: number): Promise<JobSummary & { events: JobEventRecord[]; models: string[] }> {
  const job = await requireJob(store, id);
  const models = (await store.models.list()).filter((m) => m.jobId === job.id).map((m) => m.id);
  return { ...job, what: describeJob(job), events: await store.jobs.events(id), models };
}
