/** Recorded backtests on SQLite: one row per `pulse backtest` run. */
import { and, desc, eq } from 'drizzle-orm';
import type { BacktestRecord } from '../records.js';
import type { BacktestsRepository } from '../repositories.js';
import type { SqliteContext } from './connection.js';
import { backtests } from './schema.js';

type BacktestRow = typeof backtests.$inferSelect;

function toBacktest(row: BacktestRow): BacktestRecord {
  return { ...row, params: JSON.parse(row.params) as unknown, stats: JSON.parse(row.stats) as unknown };
}

export function sqliteBacktests(ctx: SqliteContext): BacktestsRepository {
  const { orm, exec } = ctx;
  return {
    insert: (record) =>
      exec(() => orm.insert(backtests).values({ ...record, params: JSON.stringify(record.params), stats: JSON.stringify(record.stats) }).returning({ id: backtests.id }).get().id),
    setReportPath: (id, reportPath) =>
      exec(() => {
        orm.update(backtests).set({ reportPath }).where(eq(backtests.id, id)).run();
      }),
    list: (filter) =>
      exec(() =>
        orm
          .select()
          .from(backtests)
          .where(and(filter.symbol ? eq(backtests.symbol, filter.symbol) : undefined, filter.interval ? eq(backtests.interval, filter.interval) : undefined))
          .orderBy(desc(backtests.createdAt), desc(backtests.id))
          .limit(filter.limit)
          .all()
          .map(toBacktest),
      ),
    get: (id) =>
      exec(() => {
        const row = orm.select().from(backtests).where(eq(backtests.id, id)).get();
        return row ? toBacktest(row) : undefined;
      }),
  };
}
