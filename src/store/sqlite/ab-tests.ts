/** A/B tests and their served bars on SQLite. */
import { and, asc, desc, eq } from 'drizzle-orm';
import type { AbArm, AbServedRecord, AbTestStatus } from '../records.js';
import type { AbTestsRepository } from '../repositories.js';
import type { SqliteContext } from './connection.js';
import { abServed, abTests } from './schema.js';

type Row = typeof abTests.$inferSelect;

const toRecord = (r: Row) => ({
  ...r,
  status: r.status as AbTestStatus,
  winner: r.winner as AbArm | null,
  result: r.result === null ? null : (JSON.parse(r.result) as unknown),
});

export function sqliteAbTests(ctx: SqliteContext): AbTestsRepository {
  const { orm, exec } = ctx;
  return {
    insert: (test) => exec(() => orm.insert(abTests).values({ ...test, status: 'running' }).returning({ id: abTests.id }).get().id),
    get: (id) =>
      exec(() => {
        const r = orm.select().from(abTests).where(eq(abTests.id, id)).get();
        return r && toRecord(r);
      }),
    list: (filter = {}) =>
      exec(() =>
        orm
          .select()
          .from(abTests)
          .where(and(filter.slot ? eq(abTests.slot, filter.slot) : undefined, filter.status ? eq(abTests.status, filter.status) : undefined))
          .orderBy(desc(abTests.startedAt), desc(abTests.id))
          .all()
          .map(toRecord),
      ),
    end: (id, end) =>
      exec(
        () =>
          orm
            .update(abTests)
            .set({ status: end.status, winner: end.winner, endedAt: end.endedAt, result: JSON.stringify(end.result ?? null) })
            .where(and(eq(abTests.id, id), eq(abTests.status, 'running')))
            .run().changes > 0,
      ),
    recordServed: (rows) =>
      exec(() => {
        if (rows.length === 0) return;
        orm.insert(abServed).values([...rows]).onConflictDoNothing().run();
      }),
    served: (testId) =>
      exec(() =>
        orm
          .select()
          .from(abServed)
          .where(eq(abServed.testId, testId))
          .orderBy(asc(abServed.barTs), asc(abServed.symbol))
          .all()
          .map((r): AbServedRecord => ({ ...r, arm: r.arm as AbArm, signal: r.signal as AbServedRecord['signal'] })),
      ),
  };
}
