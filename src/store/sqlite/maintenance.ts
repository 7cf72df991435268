/**
 * Whole-store operations on SQLite: the online snapshot (SQLite's backup API), the integrity checks and the row
 * counts that backups record in their manifest.
 */
import type Database from 'better-sqlite3';
import type { StoreMaintenance } from '../repositories.js';

/** Pages copied per backup step: all of them, so the copy is one read transaction and never restarts. */
const ALL_PAGES = 0x7fffffff;

/** The maintenance operations of a connection. */
export function sqliteMaintenance(db: Database.Database, schemaVersion: number): StoreMaintenance {
  return {
    schemaVersion,
    snapshot: async (file) => {
      // One step holds one read transaction: in WAL mode writers (this process's or others') go on meanwhile, and
      // the copy is the store as of the step's start. With small steps another connection's write would restart it.
      await db.backup(file, { progress: () => ALL_PAGES });
    },
    checkIntegrity: async (options = {}) => {
      const rows = db.pragma(options.quick ? 'quick_check' : 'integrity_check') as Record<string, string>[];
      const problems = rows.map((r) => Object.values(r)[0]);
      return problems.length === 1 && problems[0] === 'ok' ? [] : problems;
    },
    tableCounts: async () => {
      const tables = db
        .prepare("SELECT name FROM sqlite_schema WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name NOT LIKE '\\_\\_%' ESCAPE '\\' ORDER BY name")
        .pluck()
        .all() as string[];
      const counts: Record<string, number> = {};
      for (const t of tables) counts[t] = db.prepare(`SELECT count(*) FROM "${t.replaceAll('"', '""')}"`).pluck().get() as number;
      return counts;
    },
  };
}
