/**
 * `pulse jobs run`: take runnable jobs from the queue, up to `workers` at once, each in its own worker process
 * (see spawn-worker.ts), and record how each ends. A job over its timeout is killed and fails with reason `timeout`.
 * When the signal aborts (Ctrl-C), no new job is taken; running workers are asked to stop at their next safe point
 * (SIGTERM), killed if they have not within the grace period, and their jobs recorded as interrupted.
 *
 * Without `untilEmpty` the runner polls for new jobs until it is stopped; with it, it returns once no job is running
 * and none is ready to run within one poll interval: a retry waiting out a longer backoff (and any job behind it) is
 * left to a later run.
 */
import type { Logger } from '../../core/logger.js';
import type { JobRecord, JobStatus } from '../../store/records.js';
import type { Store } from '../../store/store.js';
import { settleRun, sweepJobs, type RunEnd } from './queue.js';
import type { LaunchWorker, WorkerExit, WorkerHandle } from './spawn-worker.js';

export interface RunQueueOptions {
  /** Jobs run at once (at least 1). */
  workers: number;
  untilEmpty: boolean;
  launch: LaunchWorker;
  /** The owner recorded on the jobs it runs (default: this process). */
  pid?: number;
  isAlive: (pid: number) => boolean;
  now: () => number;
  log: Logger;
  signal: AbortSignal;
  /** How often to look for new or due jobs when idle (ms). */
  pollMs?: number;
  /** How long a stopped worker may take to reach a safe point before it is killed (ms). */
  stopGraceMs?: number;
}

/** One run of a job by this runner. */
export interface RanJob {
  id: number;
  type: string;
  /** The job's status once recorded (pending: it will be retried). */
  status: JobStatus;
  error: string | null;
  workerPid: number;
  durationMs: number;
  retryAt: number | null;
  followUps: number[];
  /** Jobs cancelled because this one will not complete. */
  cancelled: number[];
}

export interface QueueRunResult {
  ran: RanJob[];
  /** Running jobs left by dead processes that the start-up sweep marked interrupted. */
  orphans: number[];
  /** True when the runner was stopped by its signal. */
  interrupted: boolean;
}

interface Running {
  job: JobRecord;
  handle: WorkerHandle;
  started: number;
  timedOut: boolean;
  settled: Promise<void>;
}

/** Run the queue (see the module note). */
export async function runQueue(store: Store, options: RunQueueOptions): Promise<QueueRunResult> {
  const { log, signal, now } = options;
  const pollMs = options.pollMs ?? 1000;
  const stopGraceMs = options.stopGraceMs ?? 5000;
  const sweep = await sweepJobs(store, options.isAlive, now());
  if (sweep.interrupted.length) log.warn(`jobs ${sweep.interrupted.map((id) => `#${id}`).join(', ')} were left running by a process that ended; marked interrupted${sweep.requeued.length ? `, re-queued ${sweep.requeued.map((id) => `#${id}`).join(', ')}` : ''}`);
  const active = new Map<number, Running>();
  const ran: RanJob[] = [];
  let stopping = false;
  let wake: (() => void) | undefined;
  const wakeUp = () => wake?.();
  signal.addEventListener('abort', wakeUp, { once: true });

  const finish = async (r: Running, exit: WorkerExit): Promise<void> => {
    const end = runEnd(r, exit, stopping || signal.aborted);
    const settled = await settleRun(store, r.job, end, now());
    const entry: RanJob = { id: r.job.id, type: r.job.type, error: end.status === 'completed' ? null : end.error, workerPid: r.handle.pid, durationMs: now() - r.started, ...settled };
    ran.push(entry);
    const retry = settled.retryAt === null ? '' : `; retry at ${new Date(settled.retryAt).toISOString()}`;
    log.info(`job #${entry.id} ${entry.type}: ${end.status}${entry.error ? ` (${entry.error})` : ''}${retry}${settled.followUps.length ? `; queued ${settled.followUps.map((id) => `#${id}`).join(', ')}` : ''}`);
    for (const id of settled.cancelled) log.warn(`job #${id} cancelled: it depends on job #${r.job.id}, which did not complete`);
  };

  const start = async (job: JobRecord): Promise<void> => {
    const handle = options.launch(job.id);
    const r: Running = { job, handle, started: now(), timedOut: false, settled: Promise.resolve() };
    active.set(job.id, r);
    await store.jobs.setWorker(job.id, handle.pid);
    log.info(`job #${job.id} ${job.type}: started (attempt ${job.attempts} of ${job.maxAttempts}, worker pid ${handle.pid})`);
    const timer = job.timeoutMs === null ? undefined : setTimeout(() => {
      r.timedOut = true;
      handle.kill();
    }, job.timeoutMs);
    r.settled = handle.done
      .then((exit) => {
        clearTimeout(timer);
        return finish(r, exit);
      })
      .catch((err: unknown) => log.warn(`job #${job.id}: its end could not be recorded: ${(err as Error).message}`))
      .finally(() => {
        active.delete(job.id);
        wakeUp();
      });
  };

  while (!signal.aborted) {
    while (active.size < options.workers && !signal.aborted) {
      const job = await store.jobs.claim(options.pid ?? process.pid, now());
      if (!job) break;
      await start(job);
    }
    if (signal.aborted) break;
    if (options.untilEmpty && active.size === 0 && (await store.jobs.readyCount(now() + pollMs)) === 0) break;
    await new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, pollMs);
      wake = () => {
        clearTimeout(timer);
        resolve();
      };
    });
    wake = undefined;
    if (active.size === 0) await sweepJobs(store, options.isAlive, now());
  }

  stopping = signal.aborted;
  if (active.size > 0) {
    log.info(`stopping ${active.size} running job(s)`);
    const running = [...active.values()];
    for (const r of running) r.handle.terminate();
    const killer = setTimeout(() => running.forEach((r) => r.handle.kill()), stopGraceMs);
    await Promise.all(running.map((r) => r.settled));
    clearTimeout(killer);
  }
  return { ran, orphans: sweep.interrupted, interrupted: stopping };
}

/** How a run ended, from the worker's exit: its message, else a timeout, an interruption or a crash. */
function runEnd(r: Running, exit: WorkerExit, stopping: boolean): RunEnd {
  if (r.timedOut) return { status: 'failed', error: 'timeout' };
  if (exit.message?.status === 'completed') return exit.message;
  if (stopping) return { status: 'interrupted', error: 'interrupted' };
  if (exit.message) return exit.message;
  const how = exit.signal ? `was killed by ${exit.signal}` : `exited with code ${exit.code}`;
  const last = exit.stderrTail.split('\n').filter(Boolean).pop();
  return { status: 'failed', error: `the worker ${how} before reporting${last ? `: ${last}` : ''}` };
}
