/** Training jobs on SQLite. */
import { desc, eq, inArray, sql } from 'drizzle-orm';
import { JOB_STATUSES, type JobRecord, type JobStatus, type JobTrigger } from '../records.js';
import type { JobsRepository } from '../repositories.js';
import type { SqliteContext } from './connection.js';
import { ORPHAN_ERROR, sweepOrphans } from './orphans.js';
import { trainingJobs } from './schema.js';

type JobRow = typeof trainingJobs.$inferSelect;

function toJob(row: JobRow): JobRecord {
  return { ...row, trigger: row.trigger as JobTrigger, status: row.status as JobStatus, request: JSON.parse(row.request) as Record<string, unknown> };
}

export function sqliteJobs(ctx: SqliteContext): JobsRepository {
  const { orm, exec } = ctx;
  const get = (id: number) => orm.select().from(trainingJobs).where(eq(trainingJobs.id, id)).get();
  return {
    create: (job) =>
      exec(
        () =>
          orm
            .insert(trainingJobs)
            .values({ trigger: job.trigger, status: 'pending', request: JSON.stringify(job.request), createdAt: job.now, pid: job.pid })
            .returning({ id: trainingJobs.id })
            .get().id,
      ),
    start: (id, now) =>
      exec(() => {
        orm.update(trainingJobs).set({ status: 'running', startedAt: now }).where(eq(trainingJobs.id, id)).run();
      }),
    finish: (id, end) =>
      exec(() => {
        const startedAt = get(id)?.startedAt ?? null;
        orm
          .update(trainingJobs)
          .set({
            status: end.status,
            modelsSucceeded: end.succeeded,
            modelsFailed: end.failed,
            error: end.error ?? null,
            finishedAt: end.now,
            durationMs: startedAt === null ? null : end.now - startedAt,
          })
          .where(eq(trainingJobs.id, id))
          .run();
      }),
    get: (id) => exec(() => {
      const row = get(id);
      return row ? toJob(row) : undefined;
    }),
    list: (limit) => exec(() => orm.select().from(trainingJobs).orderBy(desc(trainingJobs.id)).limit(limit).all().map(toJob)),
    failOrphaned: (isAlive, now) =>
      exec(() =>
        sweepOrphans(
          orm.select({ id: trainingJobs.id, pid: trainingJobs.pid }).from(trainingJobs).where(inArray(trainingJobs.status, ['pending', 'running'])).all(),
          isAlive,
          (r) => orm.update(trainingJobs).set({ status: 'failed', error: ORPHAN_ERROR, finishedAt: now }).where(eq(trainingJobs.id, r.id)).run(),
        ),
      ),
    countByStatus: () =>
      exec(() => {
        const counts = Object.fromEntries(JOB_STATUSES.map((s) => [s, 0])) as Record<JobStatus, number>;
        for (const r of orm.select({ status: trainingJobs.status, n: sql<number>`count(*)` }).from(trainingJobs).groupBy(trainingJobs.status).all()) counts[r.status as JobStatus] = r.n;
        return counts;
      }),
  };
}
