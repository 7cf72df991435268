/** The job queue on SQLite: jobs, their dependencies and the audit of their status changes. */
import { and, asc, desc, eq, inArray, isNull, lte, or, sql } from 'drizzle-orm';
import { JOB_STATUSES, type JobEventRecord, type JobRecord, type JobStatus, type JobTrigger } from '../records.js';
import type { JobsRepository } from '../repositories.js';
import type { SqliteContext } from './connection.js';
import { ORPHAN_ERROR, sweepOrphans } from './orphans.js';
import { jobDependencies, jobEvents, jobs } from './schema.js';

type JobRow = typeof jobs.$inferSelect;
type JobPatch = Partial<typeof jobs.$inferInsert>;

function toJob(row: JobRow, dependsOn: number[]): JobRecord {
  return {
    ...row,
    trigger: row.trigger as JobTrigger,
    status: row.status as JobStatus,
    params: JSON.parse(row.params) as Record<string, unknown>,
    result: row.result === null ? null : (JSON.parse(row.result) as Record<string, unknown>),
    dependsOn,
  };
}

export function sqliteJobs(ctx: SqliteContext): JobsRepository {
  const { orm, db, exec } = ctx;
  const row = (id: number) => orm.select().from(jobs).where(eq(jobs.id, id)).get();
  const depsOf = (ids: number[]): Map<number, number[]> => {
    const out = new Map<number, number[]>(ids.map((id) => [id, []]));
    if (ids.length === 0) return out;
    const rows = orm.select().from(jobDependencies).where(inArray(jobDependencies.jobId, ids)).orderBy(asc(jobDependencies.dependsOn)).all();
    for (const r of rows) out.get(r.jobId)?.push(r.dependsOn);
    return out;
  };
  const records = (rows: JobRow[]): JobRecord[] => {
    const deps = depsOf(rows.map((r) => r.id));
    return rows.map((r) => toJob(r, deps.get(r.id) ?? []));
  };
  const one = (id: number): JobRecord | undefined => {
    const r = row(id);
    return r ? records([r])[0] : undefined;
  };
  const event = (jobId: number, from: JobStatus | null, to: JobStatus, at: number, reason: string | null) =>
    orm.insert(jobEvents).values({ jobId, from, to, at, reason }).run();
  /** Compare-and-set of a job's status, audited; false when the job is not in one of `from`. */
  const move = (id: number, from: readonly JobStatus[], to: JobStatus, at: number, reason: string | null, patch: JobPatch = {}): boolean => {
    const current = row(id);
    if (!current || !from.includes(current.status as JobStatus)) return false;
    orm.update(jobs).set({ ...patch, status: to }).where(and(eq(jobs.id, id), eq(jobs.status, current.status))).run();
    event(id, current.status as JobStatus, to, at, reason);
    return true;
  };
  const atomic = <T>(work: () => T): Promise<T> => exec(() => db.transaction(work).immediate());
  const ended = (id: number, now: number): JobPatch => {
    const startedAt = row(id)?.startedAt ?? null;
    return { finishedAt: now, durationMs: startedAt === null ? null : now - startedAt };
  };

  return {
    create: (job) =>
      atomic(() => {
        const inline = job.inlinePid !== undefined;
        const id = orm
          .insert(jobs)
          .values({
            type: job.type,
            trigger: job.trigger,
            status: inline ? 'running' : 'pending',
            params: JSON.stringify(job.params),
            priority: job.priority ?? 0,
            maxAttempts: job.maxAttempts ?? 1,
            attempts: inline ? 1 : 0,
            timeoutMs: job.timeoutMs ?? null,
            backoffMs: job.backoffMs ?? 30_000,
            seed: job.seed ?? 0,
            inline,
            pid: job.inlinePid ?? null,
            createdAt: job.now,
            startedAt: inline ? job.now : null,
          })
          .returning({ id: jobs.id })
          .get().id;
        for (const on of new Set(job.dependsOn ?? [])) orm.insert(jobDependencies).values({ jobId: id, dependsOn: on }).run();
        event(id, null, 'pending', job.now, inline ? null : 'queued');
        if (inline) event(id, 'pending', 'running', job.now, `ran inline by pid ${job.inlinePid}`);
        return id;
      }),
    claim: (pid, now) =>
      atomic(() => {
        const next = orm
          .select({ id: jobs.id })
          .from(jobs)
          .where(
            and(
              eq(jobs.status, 'pending'),
              eq(jobs.inline, false),
              or(isNull(jobs.runAfter), lte(jobs.runAfter, now)),
              sql`not exists (select 1 from ${jobDependencies} d join ${jobs} j on j.id = d.depends_on where d.job_id = ${jobs.id} and j.status != 'completed')`,
            ),
          )
          .orderBy(desc(jobs.priority), asc(jobs.id))
          .limit(1)
          .get();
        if (!next) return undefined;
        const attempts = (row(next.id)?.attempts ?? 0) + 1;
        move(next.id, ['pending'], 'running', now, `attempt ${attempts} by pid ${pid}`, { attempts, pid, workerPid: null, startedAt: now, finishedAt: null, durationMs: null, error: null, runAfter: null });
        return one(next.id);
      }),
    setWorker: (id, workerPid) =>
      exec(() => {
        orm.update(jobs).set({ workerPid }).where(eq(jobs.id, id)).run();
      }),
    finish: (id, end) =>
      atomic(() =>
        move(id, ['running'], end.status, end.now, end.error ?? null, {
          ...ended(id, end.now),
          error: end.error ?? null,
          result: end.result ? JSON.stringify(end.result) : null,
          ...(end.succeeded === undefined ? {} : { modelsSucceeded: end.succeeded }),
          ...(end.failed === undefined ? {} : { modelsFailed: end.failed }),
        }),
      ),
    requeue: (id, change) =>
      atomic(() => move(id, change.from, 'pending', change.now, change.reason, { runAfter: change.runAfter, ...(change.resetAttempts ? { attempts: 0 } : {}) })),
    cancel: (id, reason, now) => atomic(() => move(id, ['pending', 'running'], 'cancelled', now, reason, { ...ended(id, now), error: reason })),
    cancelBlocked: (now) =>
      atomic(() => {
        const cancelled: number[] = [];
        for (;;) {
          const blocked = orm
            .select({ id: jobDependencies.jobId, on: jobDependencies.dependsOn, onStatus: sql<string>`dep.status` })
            .from(jobDependencies)
            .innerJoin(jobs, eq(jobs.id, jobDependencies.jobId))
            .innerJoin(sql`${jobs} dep`, sql`dep.id = ${jobDependencies.dependsOn}`)
            .where(and(eq(jobs.status, 'pending'), sql`(dep.status = 'cancelled' or (dep.status in ('failed', 'interrupted') and (dep.attempts >= dep.max_attempts or dep.inline)))`))
            .orderBy(asc(jobDependencies.jobId), asc(jobDependencies.dependsOn))
            .all();
          const seen = new Set<number>();
          for (const b of blocked) {
            if (seen.has(b.id)) continue;
            seen.add(b.id);
            const reason = `dependency #${b.on} ${b.onStatus}`;
            if (move(b.id, ['pending'], 'cancelled', now, reason, { finishedAt: now, error: reason })) cancelled.push(b.id);
          }
          if (seen.size === 0) return cancelled;
        }
      }),
    interruptOrphaned: (isAlive, now) =>
      atomic(() => {
        const out: number[] = [];
        sweepOrphans(
          // Inline jobs left pending come from before the queue, when a training was recorded before it started.
          orm.select({ id: jobs.id, pid: jobs.pid }).from(jobs).where(or(eq(jobs.status, 'running'), and(eq(jobs.status, 'pending'), eq(jobs.inline, true)))).all(),
          isAlive,
          (r) => {
            if (move(r.id, ['running', 'pending'], 'interrupted', now, ORPHAN_ERROR, { ...ended(r.id, now), error: ORPHAN_ERROR })) out.push(r.id);
          },
        );
        return out.map((id) => one(id)!);
      }),
    get: (id) => exec(() => one(id)),
    list: (limit, filter) =>
      exec(() =>
        records(
          orm
            .select()
            .from(jobs)
            .where(filter?.status ? inArray(jobs.status, [...filter.status]) : undefined)
            .orderBy(desc(jobs.id))
            .limit(limit)
            .all(),
        ),
      ),
    dependents: (id) =>
      exec(() =>
        records(
          orm
            .select()
            .from(jobs)
            .where(inArray(jobs.id, orm.select({ id: jobDependencies.jobId }).from(jobDependencies).where(eq(jobDependencies.dependsOn, id))))
            .orderBy(asc(jobs.id))
            .all(),
        ),
      ),
    events: (id) =>
      exec(() =>
        orm
          .select()
          .from(jobEvents)
          .where(eq(jobEvents.jobId, id))
          .orderBy(asc(jobEvents.id))
          .all()
          .map((e): JobEventRecord => ({ ...e, from: e.from as JobStatus | null, to: e.to as JobStatus })),
      ),
    readyCount: (horizon) =>
      exec(
        () =>
          orm
            .select({ n: sql<number>`count(*)` })
            .from(jobs)
            .where(
              and(
                eq(jobs.inline, false),
                or(
                  eq(jobs.status, 'running'),
                  and(
                    eq(jobs.status, 'pending'),
                    or(isNull(jobs.runAfter), lte(jobs.runAfter, horizon)),
                    sql`not exists (select 1 from ${jobDependencies} d join ${jobs} j on j.id = d.depends_on where d.job_id = ${jobs.id} and j.status not in ('completed', 'running'))`,
                  ),
                ),
              ),
            )
            .get()?.n ?? 0,
      ),
    countByStatus: () =>
      exec(() => {
        const counts = Object.fromEntries(JOB_STATUSES.map((s) => [s, 0])) as Record<JobStatus, number>;
        for (const r of orm.select({ status: jobs.status, n: sql<number>`count(*)` }).from(jobs).groupBy(jobs.status).all()) counts[r.status as JobStatus] = r.n;
        return counts;
      }),
  };
}
