import Database from 'better-sqlite3';
import { join } from 'node:path';

/** Rows of a read-only query on a home's SQLite store, for tests that check what was written. */
export function querySqlite<T = Record<string, unknown>>(home: string, sql: string, ...params: unknown[]): T[] {
  const db = new Database(join(home, 'data', 'pulse.db'), { readonly: true });
  try {
    return db.prepare(sql).all(...params) as T[];
  } finally {
    db.close();
  }
}
