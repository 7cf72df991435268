/** The audit of model status decisions on SQLite. */
import { and, desc, eq } from 'drizzle-orm';
import type { ModelEventKind } from '../records.js';
import type { ModelEventsRepository } from '../repositories.js';
import type { SqliteContext } from './connection.js';
import { modelEvents } from './schema.js';

export function sqliteModelEvents(ctx: SqliteContext): ModelEventsRepository {
  const { orm, exec } = ctx;
  return {
    insert: (event) =>
      exec(() => orm.insert(modelEvents).values({ ...event, details: event.details === null || event.details === undefined ? null : JSON.stringify(event.details) }).returning({ id: modelEvents.id }).get().id),
    list: (filter) =>
      exec(() =>
        orm
          .select()
          .from(modelEvents)
          .where(and(filter.slot ? eq(modelEvents.slot, filter.slot) : undefined, filter.modelId ? eq(modelEvents.modelId, filter.modelId) : undefined))
          .orderBy(desc(modelEvents.createdAt), desc(modelEvents.id))
          .limit(filter.limit)
          .all()
          .map((r) => ({ ...r, kind: r.kind as ModelEventKind, details: r.details === null ? null : (JSON.parse(r.details) as unknown) })),
      ),
  };
}
