/** Online-source health (the circuit breakers) on SQLite. */
import { eq } from 'drizzle-orm';
import type { SourceHealthRepository } from '../repositories.js';
import type { SqliteContext } from './connection.js';
import { sourceHealth } from './schema.js';

export function sqliteSources(ctx: SqliteContext): SourceHealthRepository {
  const { orm, exec } = ctx;
  return {
    get: (source) => exec(() => orm.select().from(sourceHealth).where(eq(sourceHealth.source, source)).get()),
    put: (record) =>
      exec(() => {
        const { source, ...values } = record;
        orm.insert(sourceHealth).values(record).onConflictDoUpdate({ target: sourceHealth.source, set: values }).run();
      }),
    list: () => exec(() => orm.select().from(sourceHealth).orderBy(sourceHealth.source).all()),
  };
}
