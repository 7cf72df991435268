/** Continuous-learning iterations on SQLite. */
import { and, desc, eq } from 'drizzle-orm';
import type { CycleRecord } from '../records.js';
import type { CyclesRepository } from '../repositories.js';
import type { SqliteContext } from './connection.js';
import { cycles } from './schema.js';

export function sqliteCycles(ctx: SqliteContext): CyclesRepository {
  const { orm, exec } = ctx;
  return {
    start: (cycle) => exec(() => orm.insert(cycles).values({ ...cycle, status: 'running', steps: '[]' }).returning({ id: cycles.id }).get().id),
    finish: (id, end) =>
      exec(() => {
        orm.update(cycles).set({ status: end.status, endedAt: end.endedAt, steps: JSON.stringify(end.steps) }).where(eq(cycles.id, id)).run();
      }),
    list: (filter) =>
      exec(() =>
        orm
          .select()
          .from(cycles)
          .where(and(filter.simulated === undefined ? undefined : eq(cycles.simulated, filter.simulated)))
          .orderBy(desc(cycles.startedAt), desc(cycles.id))
          .limit(filter.limit)
          .all()
          .map((r): CycleRecord => ({ ...r, status: r.status as CycleRecord['status'], steps: JSON.parse(r.steps) as CycleRecord['steps'] })),
      ),
  };
}
