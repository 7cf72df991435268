/**
 * Whole-store operations on SQLite: the online snapshot (SQLite's backup API), the integrity checks (integrity.ts)
 * and the row counts that backups record in their manifest, and the housekeeping of `pulse maintain` (retention
 * deletes, page statistics, ANALYZE / optimize / checkpoint / VACUUM).
 */
import { and, count, lt, notInArray, type SQL } from 'drizzle-orm';
import type { SQLiteTable } from 'drizzle-orm/sqlite-core';
import type { RetentionCounts, StoreMaintenance } from '../repositories.js';
import type { SqliteContext } from './connection.js';
import { checkIntegrity } from './integrity.js';
import { collectRuns, healthRuns, jobDependencies, jobEvents, jobs } from './schema.js';

/** Pages copied per backup step: all of them, so the copy is one read transaction and never restarts. */
const ALL_PAGES = 0x7fffffff;

/** The maintenance operations of a connection. */
export function sqliteMaintenance(ctx: SqliteContext, schemaVersion: number): StoreMaintenance {
  const { db, orm, exec } = ctx;
  return {
    schemaVersion,
    snapshot: async (file) => {
      // One step holds one read transaction: in WAL mode writers (this process's or others') go on meanwhile, and
      // the copy is the store as of the step's start. With small steps another connection's write would restart it.
      await db.backup(file, { progress: () => ALL_PAGES });
    },
    checkIntegrity: (options) => checkIntegrity(db, options),
    tableCounts: async () => {
      const tables = db
        .prepare("SELECT name FROM sqlite_schema WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name NOT LIKE '\\_\\_%' ESCAPE '\\' ORDER BY name")
        .pluck()
        .all() as string[];
      const counts: Record<string, number> = {};
      for (const t of tables) counts[t] = db.prepare(`SELECT count(*) FROM "${t.replaceAll('"', '""')}"`).pluck().get() as number;
      return counts;
    },
    trim: (cutoffs, options) =>
      exec(() => {
        const targets: Record<keyof RetentionCounts, { table: SQLiteTable; where: SQL | undefined }> = {
          // Quarantined rows outlive their run: the foreign key sets their run_id to null.
          collectRuns: { table: collectRuns, where: and(lt(collectRuns.startedAt, cutoffs.collectRuns), notInArray(collectRuns.status, ['running'])) },
          jobs: { table: jobs, where: and(lt(jobs.createdAt, cutoffs.jobs), notInArray(jobs.status, ['pending', 'running'])) },
          healthRuns: { table: healthRuns, where: lt(healthRuns.createdAt, cutoffs.healthRuns) },
        };
        const run = () => {
          const out = {} as RetentionCounts;
          for (const [key, { table, where }] of Object.entries(targets) as [keyof RetentionCounts, (typeof targets)[keyof RetentionCounts]][]) {
            out[key] = options.dryRun ? (orm.select({ n: count() }).from(table).where(where).get()?.n ?? 0) : orm.delete(table).where(where).run().changes;
          }
          if (!options.dryRun && out.jobs > 0) {
            // a trimmed job's audit and dependency rows go with it
            orm.delete(jobEvents).where(notInArray(jobEvents.jobId, orm.select({ id: jobs.id }).from(jobs))).run();
            orm.delete(jobDependencies).where(notInArray(jobDependencies.jobId, orm.select({ id: jobs.id }).from(jobs))).run();
          }
          return out;
        };
        return options.dryRun ? run() : db.transaction(run).immediate();
      }),
    pageStats: () =>
      exec(() => ({
        pageSize: db.pragma('page_size', { simple: true }) as number,
        pageCount: db.pragma('page_count', { simple: true }) as number,
        freelistCount: db.pragma('freelist_count', { simple: true }) as number,
      })),
    optimize: (options) =>
      exec(() => {
        db.exec('ANALYZE');
        db.pragma('optimize');
        let vacuumed = false;
        if (options.vacuum) {
          // VACUUM rewrites the file through the WAL; the checkpoint after it moves the pages back and truncates.
          db.exec('VACUUM');
          vacuumed = true;
        }
        const [result] = db.pragma('wal_checkpoint(TRUNCATE)') as { busy: number; log: number; checkpointed: number }[];
        return { checkpointed: result !== undefined && result.busy === 0, vacuumed };
      }),
  };
}

