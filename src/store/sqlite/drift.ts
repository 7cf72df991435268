/** Recorded drift checks on SQLite. */
import { and, desc, eq } from 'drizzle-orm';
import type { DriftEventRecord } from '../records.js';
import type { DriftEventsRepository } from '../repositories.js';
import type { SqliteContext } from './connection.js';
import { driftEvents } from './schema.js';

export function sqliteDriftEvents(ctx: SqliteContext): DriftEventsRepository {
  const { orm, exec } = ctx;
  return {
    insert: (events) =>
      exec(() => {
        if (events.length > 0) orm.insert(driftEvents).values([...events]).run();
      }),
    list: (filter) =>
      exec(() =>
        orm
          .select()
          .from(driftEvents)
          .where(
            and(
              filter.symbol ? eq(driftEvents.symbol, filter.symbol) : undefined,
              filter.interval ? eq(driftEvents.interval, filter.interval) : undefined,
              filter.type ? eq(driftEvents.type, filter.type) : undefined,
            ),
          )
          .orderBy(desc(driftEvents.detectedAt), desc(driftEvents.id))
          .limit(filter.limit)
          .all()
          .map((r) => ({ ...r, type: r.type as DriftEventRecord['type'] })),
      ),
  };
}
