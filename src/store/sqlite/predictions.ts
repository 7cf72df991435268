/** Stored predictions and their outcomes on SQLite. */
import { and, asc, desc, eq, gte, isNotNull, isNull, lt, sql } from 'drizzle-orm';
import type { PredictionRecord } from '../records.js';
import type { PredictionsRepository } from '../repositories.js';
import type { SqliteContext } from './connection.js';
import { predictions } from './schema.js';

type PredictionRow = typeof predictions.$inferSelect;

function toPrediction(row: PredictionRow): PredictionRecord {
  return {
    ...row,
    signal: row.signal as PredictionRecord['signal'],
    intervals: row.intervals === null ? null : (JSON.parse(row.intervals) as PredictionRecord['intervals']),
  };
}

export function sqlitePredictions(ctx: SqliteContext): PredictionsRepository {
  const { orm, exec } = ctx;
  return {
    upsert: (record) =>
      exec(() => {
        const row = { ...record, intervals: record.intervals === null ? null : JSON.stringify(record.intervals) };
        orm
          .insert(predictions)
          .values(row)
          .onConflictDoUpdate({
            target: [predictions.modelId, predictions.barTs],
            set: { value: row.value, intervals: row.intervals, signal: row.signal, fallback: row.fallback, createdAt: row.createdAt },
          })
          .run();
      }),
    pending: (symbol, interval) =>
      exec(() =>
        orm
          .select()
          .from(predictions)
          .where(and(eq(predictions.symbol, symbol), eq(predictions.interval, interval), isNull(predictions.outcome)))
          .all()
          .map(toPrediction),
      ),
    setOutcome: (modelId, barTs, outcome, now) =>
      exec(() => {
        orm.update(predictions).set({ outcome, outcomeAt: now }).where(and(eq(predictions.modelId, modelId), eq(predictions.barTs, barTs))).run();
      }),
    list: (filter) =>
      exec(() =>
        orm
          .select()
          .from(predictions)
          .where(
            and(
              eq(predictions.symbol, filter.symbol),
              filter.interval ? eq(predictions.interval, filter.interval) : undefined,
              filter.modelId ? eq(predictions.modelId, filter.modelId) : undefined,
            ),
          )
          .orderBy(desc(predictions.barTs), predictions.modelId)
          .limit(filter.limit)
          .all()
          .map(toPrediction),
      ),
    counts: () =>
      exec(() => new Map(orm.select({ id: predictions.modelId, n: sql<number>`count(*)` }).from(predictions).groupBy(predictions.modelId).all().map((r) => [r.id, r.n]))),
    withOutcomes: (modelId, since) =>
      exec(() =>
        orm
          .select()
          .from(predictions)
          .where(and(eq(predictions.modelId, modelId), isNotNull(predictions.outcome), since === undefined ? undefined : gte(predictions.createdAt, since)))
          .orderBy(asc(predictions.barTs), asc(predictions.symbol))
          .all()
          .map(toPrediction),
      ),
    purge: (before) => exec(() => orm.delete(predictions).where(lt(predictions.createdAt, before)).run().changes),
    withOutcomesBefore: (barBefore) =>
      exec(() =>
        orm
          .select()
          .from(predictions)
          .where(and(isNotNull(predictions.outcomeAt), lt(predictions.barTs, barBefore)))
          .orderBy(asc(predictions.modelId), asc(predictions.symbol), asc(predictions.barTs))
          .all()
          .map(toPrediction),
      ),
    deleteWithOutcomes: (range) =>
      exec(
        () =>
          orm
            .delete(predictions)
            .where(
              and(
                eq(predictions.modelId, range.modelId),
                eq(predictions.symbol, range.symbol),
                isNotNull(predictions.outcomeAt),
                gte(predictions.barTs, range.from),
                lt(predictions.barTs, range.to),
              ),
            )
            .run().changes,
      ),
    total: () =>
      exec(() => {
        const row = orm.select({ n: sql<number>`count(*)`, known: sql<number>`count(${predictions.outcomeAt})` }).from(predictions).get();
        return { predictions: row?.n ?? 0, withOutcome: row?.known ?? 0 };
      }),
  };
}
