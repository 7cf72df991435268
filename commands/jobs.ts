/** `pulse jobs add|run|cancel|retry|ls|show`, and the queue worker that `bin/pulse-job.ts` runs. */
import { ExitCode, InterruptedError, ReportedError } from '../src/core/errors.js';
import { parseOptions, parseValue } from '../src/core/option-schema.js';
import { isProcessAlive } from '../src/core/process.js';
import { JOBS_ADD_OPTIONS, JOBS_LS_OPTIONS, JOBS_RUN_OPTIONS, jobIdText } from '../src/pipeline/jobs/options.js';
import { addJob, cancelJob, listJobs, retryJob, showJob, type JobSummary } from '../src/pipeline/jobs/queue.js';
import { runQueue } from '../src/pipeline/jobs/runner.js';
import { terminateWorker } from '../src/pipeline/jobs/spawn-worker.js';
import { runJobWork, type WorkerMessage } from '../src/pipeline/jobs/worker.js';
import { createContext, type Context } from './context.js';
import { emit, formatTime, style, table } from './ui/output.js';

const seconds = (ms: number | null) => (ms === null ? null : (ms / 1000).toFixed(2));

/** The `--json` form of a job: `request` repeats `params` (the name `pulse jobs` used for training runs). */
const jobDocument = <J extends { params: Record<string, unknown> }>(j: J) => ({ ...j, request: j.params });

export async function jobsAdd(ctx: Context, type: string, raw: Record<string, unknown>): Promise<void> {
  const opts = parseOptions(JOBS_ADD_OPTIONS, raw);
  const params = { ...(opts.params ?? {}), ...Object.fromEntries(opts.param ?? []) };
  const job = await addJob(
    await ctx.store(),
    { type, params, priority: opts.priority, after: opts.after, retries: opts.retries, timeoutMs: opts.timeout, backoffMs: opts.backoff, seed: opts.seed ?? ctx.config().seed, env: { config: ctx.config(), home: ctx.home } },
    ctx.now(),
  );
  emit(ctx, jobDocument(job), (j) => `queued job #${j.id} ${j.type} (${j.status}${j.dependsOn.length ? `, after ${j.dependsOn.map((d) => `#${d}`).join(', ')}` : ''}${j.error ? `: ${j.error}` : ''})`);
}

export async function jobsRun(ctx: Context, raw: Record<string, unknown>): Promise<void> {
  const opts = parseOptions(JOBS_RUN_OPTIONS, raw);
  const store = await ctx.store();
  const result = await runQueue(store, {
    workers: opts.workers,
    untilEmpty: opts.untilEmpty ?? false,
    pollMs: opts.poll,
    launch: await ctx.launchWorkers(),
    isAlive: isProcessAlive,
    now: ctx.now,
    log: ctx.log,
    signal: ctx.signal,
  });
  emit(ctx, result, (r) =>
    r.ran.length === 0
      ? 'no job to run'
      : table(['job', 'type', 'status', 'seconds', 'error'], r.ran.map((j) => [j.id, j.type, j.status, seconds(j.durationMs), j.error]), ['r', 'l', 'l', 'r', 'l']),
  );
  if (result.interrupted) throw new InterruptedError();
  const failed = result.ran.filter((j) => j.status === 'failed');
  if (failed.length > 0) {
    throw new ReportedError(`${failed.length} of ${result.ran.length} job runs failed: ${failed.map((j) => `#${j.id} (${j.error})`).join(', ')}`, ExitCode.internal, '`pulse jobs show ID` shows why; `pulse jobs retry ID` runs one again');
  }
}

export async function jobsCancel(ctx: Context, id: string): Promise<void> {
  const r = await cancelJob(await ctx.store(), parseValue(jobIdText, id, 'job id'), ctx.now(), terminateWorker);
  emit(ctx, { job: jobDocument(r.job), cancelled: r.cancelled }, (x) => `job #${x.job.id} cancelled${x.cancelled.length ? `; so were ${x.cancelled.map((c) => `#${c}`).join(', ')}, which depend on it` : ''}`);
}

export async function jobsRetry(ctx: Context, id: string): Promise<void> {
  const r = await retryJob(await ctx.store(), parseValue(jobIdText, id, 'job id'), ctx.now());
  emit(ctx, { job: jobDocument(r.job), requeued: r.requeued }, (x) => `job #${x.job.id} queued again${x.requeued.length > 1 ? ` with ${x.requeued.filter((q) => q !== x.job.id).map((q) => `#${q}`).join(', ')}, cancelled because of it` : ''}`);
}

export async function jobsLs(ctx: Context, raw: Record<string, unknown>): Promise<void> {
  const opts = parseOptions(JOBS_LS_OPTIONS, raw);
  const jobs = await listJobs(await ctx.store(), { status: opts.status, limit: opts.limit });
  emit(ctx, { jobs: jobs.map(jobDocument) }, (r) =>
    r.jobs.length === 0
      ? 'no jobs yet (pulse jobs add, or pulse train)'
      : table(
          ['job', 'created', 'type', 'trigger', 'status', 'what', 'prio', 'tries', 'models', 'seconds', 'error'],
          r.jobs.map((j) => [j.id, formatTime(j.createdAt), `${j.type}${j.inline ? '*' : ''}`, j.trigger, j.status, j.what, j.priority, `${j.attempts}/${j.maxAttempts}`, j.modelsSucceeded || j.modelsFailed ? `${j.modelsSucceeded}/${j.modelsFailed}` : null, seconds(j.durationMs), j.error]),
          ['r', 'l', 'l', 'l', 'l', 'l', 'r', 'r', 'r', 'r', 'l'],
        ) + (r.jobs.some((j) => j.inline) ? '\n* ran inline (pulse train); models: registered/failed' : ''),
  );
}

export async function jobsShow(ctx: Context, id: string): Promise<void> {
  const job = await showJob(await ctx.store(), parseValue(jobIdText, id, 'job id'));
  const st = style(ctx);
  emit(ctx, jobDocument(job), (j) => render(j, st.bold));
}

function render(j: JobSummary & { events: { from: string | null; to: string; at: number; reason: string | null }[]; models: string[] }, bold: (s: string) => string): string {
  return [
    bold(`job #${j.id} ${j.type}: ${j.status}`) + ` (trigger ${j.trigger}${j.inline ? ', ran inline' : ''})`,
    `  what: ${j.what}`,
    `  created ${formatTime(j.createdAt)}, started ${formatTime(j.startedAt)}, finished ${formatTime(j.finishedAt)}${j.durationMs === null ? '' : ` (${seconds(j.durationMs)} s)`}`,
    `  priority ${j.priority}; attempt ${j.attempts} of ${j.maxAttempts}; backoff ${seconds(j.backoffMs)} s, seed ${j.seed}; timeout ${j.timeoutMs === null ? 'none' : `${seconds(j.timeoutMs)} s`}${j.runAfter === null ? '' : `; not before ${formatTime(j.runAfter)}`}`,
    ...(j.dependsOn.length ? [`  after: ${j.dependsOn.map((d) => `#${d}`).join(', ')}`] : []),
    ...(j.models.length || j.modelsSucceeded || j.modelsFailed ? [`  models: ${j.models.join(', ') || '-'} (${j.modelsSucceeded} ok, ${j.modelsFailed} failed)`] : []),
    ...(j.error ? [`  error: ${j.error}`] : []),
    `  params: ${JSON.stringify(j.params)}`,
    ...(j.result ? [`  result: ${JSON.stringify(j.result)}`] : []),
    ...(j.pid !== null ? [`  pid ${j.pid}${j.workerPid === null ? '' : `, worker pid ${j.workerPid}`}`] : []),
    ...(j.events.length
      ? ['  events:', ...j.events.map((e) => `    ${formatTime(e.at)}  ${e.from ?? '(new)'} -> ${e.to}${e.reason ? `  ${e.reason}` : ''}`)]
      : ['  events: none recorded (a training run recorded before the job queue)']),
  ].join('\n');
}

/**
 * The queue worker (`bin/pulse-job.ts HOME ID`): run job ID of HOME's queue, which a runner has claimed, and return
 * its outcome for the runner to record.
 */
export async function jobWorker(home: string, id: number, signal: AbortSignal): Promise<WorkerMessage> {
  // A job that needs a lock another run holds (the same slot, say) waits for it; its timeout still applies.
  const ctx = createContext('jobs worker', { home, wait: true }, signal);
  try {
    return await runJobWork(await ctx.store(), id, { home: ctx.home, config: ctx.config(), env: ctx.env, now: ctx.now, log: ctx.log, lock: ctx.lock, signal });
  } finally {
    await ctx.close();
  }
}
