/** Collect runs (the audit of every `pulse collect`) and the quarantine of rejected rows, on SQLite. */
import { and, desc, eq, inArray, lt, sql } from 'drizzle-orm';
import type { CollectRunRecord, QuarantineRecord, RunStatus } from '../records.js';
import type { CollectRunsRepository, QuarantineRepository } from '../repositories.js';
import type { SqliteContext } from './connection.js';
import { ORPHAN_ERROR, sweepOrphans } from './orphans.js';
import { collectRuns, quarantine } from './schema.js';

type RunRow = typeof collectRuns.$inferSelect;

function toRun(row: RunRow): CollectRunRecord {
  return { ...row, status: row.status as RunStatus, symbols: JSON.parse(row.symbols) as string[], details: row.details === null ? null : (JSON.parse(row.details) as unknown) };
}

export function sqliteRuns(ctx: SqliteContext): CollectRunsRepository {
  const { orm, exec } = ctx;
  return {
    start: (run) =>
      exec(
        () =>
          orm
            .insert(collectRuns)
            .values({ source: run.source, interval: run.interval ?? '', symbols: JSON.stringify(run.symbols), status: 'running', pid: run.pid, startedAt: run.now })
            .returning({ id: collectRuns.id })
            .get().id,
      ),
    setInterval: (id, interval) =>
      exec(() => {
        orm.update(collectRuns).set({ interval }).where(eq(collectRuns.id, id)).run();
      }),
    finish: (id, end) =>
      exec(() => {
        orm
          .update(collectRuns)
          .set({
            ...end.counts,
            status: end.status,
            error: end.error ?? null,
            details: end.details === undefined ? null : JSON.stringify(end.details),
            finishedAt: end.now,
            durationMs: end.now - end.startedAt,
          })
          .where(eq(collectRuns.id, id))
          .run();
      }),
    failOrphaned: (isAlive, now) =>
      exec(() =>
        sweepOrphans(
          orm.select({ id: collectRuns.id, pid: collectRuns.pid, startedAt: collectRuns.startedAt }).from(collectRuns).where(eq(collectRuns.status, 'running')).all(),
          isAlive,
          (r) => orm.update(collectRuns).set({ status: 'failed', error: ORPHAN_ERROR, finishedAt: now, durationMs: now - r.startedAt }).where(eq(collectRuns.id, r.id)).run(),
        ),
      ),
    list: (limit) => exec(() => orm.select().from(collectRuns).orderBy(desc(collectRuns.id)).limit(limit).all().map(toRun)),
    lastBySource: () =>
      exec(() => {
        const newest = orm.select({ id: sql<number>`max(${collectRuns.id})` }).from(collectRuns).groupBy(collectRuns.source);
        return orm.select().from(collectRuns).where(inArray(collectRuns.id, newest)).orderBy(collectRuns.source).all().map(toRun);
      }),
  };
}

export function sqliteQuarantine(ctx: SqliteContext): QuarantineRepository {
  const { db, orm, exec } = ctx;
  return {
    add: (runId, entries, now) =>
      exec(() => {
        if (entries.length === 0) return 0;
        const stmt = db.prepare(
          `INSERT INTO quarantine (run_id, symbol, interval, source, ts, reason, detail, raw, created_at)
           SELECT ?, ?, ?, ?, ?, ?, ?, ?, ?
           WHERE NOT EXISTS (SELECT 1 FROM quarantine WHERE symbol = ? AND interval = ? AND ts IS ? AND source = ? AND reason = ? AND raw = ?)`,
        );
        let added = 0;
        for (const e of entries) {
          const ts = Number.isFinite(e.ts) ? e.ts : null;
          added += stmt.run(runId, e.symbol, e.interval, e.source, ts, e.reason, e.detail, e.raw, now, e.symbol, e.interval, ts, e.source, e.reason, e.raw).changes;
        }
        return added;
      }),
    list: (filter) =>
      exec(() => orm.select().from(quarantine).where(filter.symbol ? eq(quarantine.symbol, filter.symbol) : undefined).orderBy(desc(quarantine.id)).limit(filter.limit).all() as QuarantineRecord[]),
    get: (id) => exec(() => orm.select().from(quarantine).where(eq(quarantine.id, id)).get() as QuarantineRecord | undefined),
    reasons: (symbol) =>
      exec(() =>
        orm
          .select({ reason: quarantine.reason, count: sql<number>`count(*)` })
          .from(quarantine)
          .where(symbol ? eq(quarantine.symbol, symbol) : undefined)
          .groupBy(quarantine.reason)
          .all(),
      ),
    purge: (before, symbol) =>
      exec(() => orm.delete(quarantine).where(symbol ? and(lt(quarantine.createdAt, before), eq(quarantine.symbol, symbol)) : lt(quarantine.createdAt, before)).run().changes),
  };
}
