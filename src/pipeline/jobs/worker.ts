/**
 * One job's work, as a queue worker process runs it (`bin/pulse-job.ts`, spawned by the runner): the job is read
 * from the store by id (the runner has claimed it: it is running), its parameters checked by its type, and its
 * type's run called. The worker never changes the job's status: it hands its outcome to the runner, which records
 * it (and which alone decides about timeouts), so a job has one writer of its status.
 */
import { InterruptedError, PulseError, toError } from '../../core/errors.js';
import type { Store } from '../../store/store.js';
import type { JobRunContext } from './job-type.js';
import type { RunEnd } from './queue.js';
import { checkParams } from './queue.js';
import { hasJobType, jobType } from './registry.js';

/** The message a worker sends its runner when the job's work ends. */
export type WorkerMessage = RunEnd;

/** Run job `id`'s work (see the module note); never throws: every ending is an outcome. */
export async function runJobWork(store: Store, id: number, ctx: Omit<JobRunContext, 'jobId' | 'store' | 'hasType'>): Promise<WorkerMessage> {
  try {
    const job = await store.jobs.get(id);
    if (!job) return { status: 'failed', error: `there is no job ${id}` };
    if (job.status !== 'running') return { status: 'failed', error: `job ${id} is ${job.status}, not claimed by a runner` };
    const type = jobType(job.type);
    const params = checkParams(job.type, job.params);
    ctx.log.debug(`job ${id}: ${type.name} ${JSON.stringify(params)}`);
    const output = await type.run(params, { ...ctx, jobId: id, store, hasType: hasJobType });
    return { status: 'completed', output };
  } catch (err) {
    if (err instanceof InterruptedError || ctx.signal.aborted) return { status: 'interrupted', error: 'interrupted' };
    const e = toError(err);
    return { status: 'failed', error: err instanceof PulseError && err.hint ? `${e.message} (${err.hint})` : e.message };
  }
}
