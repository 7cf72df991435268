/** Recorded health runs on SQLite. */
import { desc } from 'drizzle-orm';
import type { HealthRunsRepository } from '../repositories.js';
import type { SqliteContext } from './connection.js';
import { healthRuns } from './schema.js';

export function sqliteHealthRuns(ctx: SqliteContext): HealthRunsRepository {
  const { orm, exec } = ctx;
  return {
    insert: (record) => exec(() => orm.insert(healthRuns).values({ ...record, results: JSON.stringify(record.results) }).returning({ id: healthRuns.id }).get().id),
    list: (limit) =>
      exec(() =>
        orm
          .select()
          .from(healthRuns)
          .orderBy(desc(healthRuns.createdAt), desc(healthRuns.id))
          .limit(limit)
          .all()
          .map((row) => ({ ...row, results: JSON.parse(row.results) as unknown })),
      ),
  };
}
