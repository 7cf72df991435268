/** Jobs: failed recently, or running for longer than a job should. */
import { result, type CheckResult, type HealthCheck } from '../check.js';

const HOUR = 3_600_000;
/** Jobs looked at: the most recent ones. */
const RECENT = 500;

export const jobsCheck: HealthCheck = {
  name: 'jobs',
  description: 'jobs that failed within the window, and jobs running longer than the stuck limit',
  async run({ store, policy, now }) {
    const jobs = await store.jobs.list(RECENT);
    const failed = jobs.filter((j) => j.status === 'failed' && (j.finishedAt ?? j.createdAt) >= now - policy.jobFailedWindowHours * HOUR);
    const stuck = jobs.filter((j) => j.status === 'running' && j.startedAt !== null && now - j.startedAt >= policy.jobStuckHours * HOUR);
    const out: CheckResult[] = [];
    for (const j of stuck) out.push(result('jobs', 'critical', `job ${j.id} has been running for ${((now - j.startedAt!) / HOUR).toFixed(1)} h (pid ${j.pid ?? '?'}); check the process, or stop it`, {}, `job ${j.id}`));
    for (const j of failed) out.push(result('jobs', 'warn', `job ${j.id} failed: ${j.error ?? 'no error recorded'}`, {}, `job ${j.id}`));
    if (out.length === 0) out.push(result('jobs', 'ok', `no failed job in the last ${policy.jobFailedWindowHours} h, none stuck`, { failedJobs: 0, stuckJobs: 0 }));
    return out;
  },
};
