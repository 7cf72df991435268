/**
 * Recorded backtests: the repository owning every SQL statement on the `backtests` table. One row per
 * `pulse backtest` run: parameters, model, statistics, report path and when it ran; `pulse backtest ls` lists them.
 */
import { and, desc, eq } from 'drizzle-orm';
import { backtests } from './schema.js';
import type { Store } from './store.js';

/** A stored backtest row as drizzle reads it (JSON columns still text). */
export type BacktestRow = typeof backtests.$inferSelect;

/** What a backtest run records (the id is assigned by the store). */
export type NewBacktestRow = Omit<typeof backtests.$inferInsert, 'id'>;

/** Insert one backtest record and return its id (a positive integer, increasing with every run). */
export function insertBacktest(store: Store, row: NewBacktestRow): number {
  const inserted = store.orm.insert(backtests).values(row).returning({ id: backtests.id }).get();
  return inserted.id;
}

/** Set the HTML report path of a recorded backtest (written after the run is recorded). */
export function setBacktestReportPath(store: Store, id: number, reportPath: string): void {
  store.orm.update(backtests).set({ reportPath }).where(eq(backtests.id, id)).run();
}

/**
 * Recorded backtests, newest first (ties by id, newest first), optionally of one symbol and/or interval.
 * `limit` is the most rows returned (>= 1).
 */
export function listBacktests(store: Store, filter: { symbol?: string; interval?: string; limit: number }): BacktestRow[] {
  return store.orm
    .select()
    .from(backtests)
    .where(and(filter.symbol ? eq(backtests.symbol, filter.symbol) : undefined, filter.interval ? eq(backtests.interval, filter.interval) : undefined))
    .orderBy(desc(backtests.createdAt), desc(backtests.id))
    .limit(filter.limit)
    .all();
}

/** One recorded backtest by id, or undefined. */
export function getBacktest(store: Store, id: number): BacktestRow | undefined {
  return store.orm.select().from(backtests).where(eq(backtests.id, id)).get();
}
