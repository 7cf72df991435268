/** The backups taken of a home, on SQLite. */
import { and, desc, eq, isNull } from 'drizzle-orm';
import type { BackupsRepository } from '../repositories.js';
import type { SqliteContext } from './connection.js';
import { backups } from './schema.js';

export function sqliteBackups(ctx: SqliteContext): BackupsRepository {
  const { orm, exec } = ctx;
  return {
    insert: (record) => exec(() => orm.insert(backups).values({ ...record, verifiedAt: null, prunedAt: null }).returning({ id: backups.id }).get().id),
    list: (filter = {}) =>
      exec(() =>
        orm
          .select()
          .from(backups)
          .where(filter.includePruned ? undefined : isNull(backups.prunedAt))
          .orderBy(desc(backups.createdAt), desc(backups.id))
          .all(),
      ),
    markVerified: (path, at) =>
      exec(() => {
        orm.update(backups).set({ verifiedAt: at }).where(and(eq(backups.path, path), isNull(backups.prunedAt))).run();
      }),
    markPruned: (path, at) =>
      exec(() => {
        orm.update(backups).set({ prunedAt: at }).where(and(eq(backups.path, path), isNull(backups.prunedAt))).run();
      }),
  };
}
