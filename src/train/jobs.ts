/** The record of training jobs (`pulse jobs`): every `pulse train` run, its status and the models it registered. */
import { DataError } from '../core/errors.js';
import type { JobRecord } from '../store/records.js';
import type { Store } from '../store/store.js';

/** The most recent training jobs, newest first. */
export function recentJobs(store: Store, limit: number): Promise<JobRecord[]> {
  return store.jobs.list(limit);
}

/** One training job with the models it registered. @throws DataError when there is none with this id. */
export async function jobWithModels(store: Store, id: number): Promise<JobRecord & { models: string[] }> {
  const job = await store.jobs.get(id);
  if (!job) throw new DataError(`no training job ${id}`, '`pulse jobs ls` lists the jobs');
  const models = (await store.models.list()).filter((m) => m.jobId === job.id).map((m) => m.id);
  return { ...job, models };
}
