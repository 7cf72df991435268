/** Recorded drift checks on SQLite. */
import { and, desc, eq, inArray, sql } from 'drizzle-orm';
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
    latestPerSeries: (type) =>
      exec(() => {
        // The newest row of a series is the one with the largest id among its newest detection time's rows.
        const newest = orm
          .select({ id: sql<number>`max(${driftEvents.id})` })
          .from(driftEvents)
          .where(and(eq(driftEvents.type, type), sql`${driftEvents.detectedAt} = (SELECT max(d.detected_at) FROM drift_events d WHERE d.symbol = ${driftEvents.symbol} AND d.interval = ${driftEvents.interval} AND d.type = ${type})`))
          .groupBy(driftEvents.symbol, driftEvents.interval);
        return orm
          .select()
          .from(driftEvents)
          .where(inArray(driftEvents.id, newest))
          .orderBy(driftEvents.symbol, driftEvents.interval)
          .all()
          .map((r) => ({ ...r, type: r.type as DriftEventRecord['type'] }));
      }),
  };
}
