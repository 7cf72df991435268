/** The performance history of models on SQLite. */
import { and, desc, eq, sql } from 'drizzle-orm';
import type { PerformanceRecord, PerformanceSource } from '../records.js';
import type { PerformanceRepository } from '../repositories.js';
import type { SqliteContext } from './connection.js';
import { performanceHistory } from './schema.js';

type PerformanceRow = typeof performanceHistory.$inferSelect;

function toPerformance(row: PerformanceRow | undefined): PerformanceRecord | undefined {
  return row && { ...row, source: row.source as PerformanceSource };
}

export function sqlitePerformance(ctx: SqliteContext): PerformanceRepository {
  const { orm, exec } = ctx;
  return {
    upsert: (rows) =>
      exec(() => {
        for (const row of rows) {
          // everything but the key is replaced on conflict
          const { modelId, symbol, periodStart, periodEnd, source, ...metrics } = row;
          orm
            .insert(performanceHistory)
            .values({ modelId, symbol, periodStart, periodEnd, source, ...metrics })
            .onConflictDoUpdate({
              target: [performanceHistory.modelId, performanceHistory.symbol, performanceHistory.periodStart, performanceHistory.periodEnd, performanceHistory.source],
              set: metrics,
            })
            .run();
        }
      }),
    newest: () =>
      exec(() => toPerformance(orm.select().from(performanceHistory).where(eq(performanceHistory.source, 'evaluate')).orderBy(desc(performanceHistory.computedAt), desc(performanceHistory.id)).limit(1).get())),
    list: (filter) =>
      exec(() =>
        orm
          .select()
          .from(performanceHistory)
          .where(
            and(
              filter.slot ? eq(performanceHistory.slot, filter.slot) : undefined,
              filter.modelId ? eq(performanceHistory.modelId, filter.modelId) : undefined,
              filter.symbol ? eq(performanceHistory.symbol, filter.symbol) : undefined,
              filter.source ? eq(performanceHistory.source, filter.source) : undefined,
            ),
          )
          .orderBy(desc(performanceHistory.periodStart), desc(sql`${performanceHistory.id}`))
          .limit(filter.limit)
          .all()
          .reverse()
          .map((row) => toPerformance(row)!),
      ),
  };
}
