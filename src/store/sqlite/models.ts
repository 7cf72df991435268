/** Model versions on SQLite, with the symbols of each in `model_symbols` (models are found by symbol through it). */
import { and, asc, desc, eq, inArray, sql } from 'drizzle-orm';
import { MODEL_STATUSES, type ModelRecord, type ModelStatus } from '../records.js';
import type { ModelsRepository } from '../repositories.js';
import type { SqliteContext } from './connection.js';
import { models, modelSymbols, predictions } from './schema.js';

type ModelRow = typeof models.$inferSelect;

export function sqliteModels(ctx: SqliteContext): ModelsRepository {
  const { db, orm, exec } = ctx;
  /** Records of rows, their symbols read in one query. */
  const records = (rows: ModelRow[]): ModelRecord[] => {
    if (rows.length === 0) return [];
    const symbols = new Map<string, string[]>();
    for (const r of orm.select().from(modelSymbols).where(inArray(modelSymbols.modelId, rows.map((m) => m.id))).orderBy(asc(modelSymbols.symbol)).all()) {
      (symbols.get(r.modelId) ?? symbols.set(r.modelId, []).get(r.modelId)!).push(r.symbol);
    }
    return rows.map((row) => ({
      ...row,
      status: row.status as ModelStatus,
      symbols: symbols.get(row.id) ?? [],
      params: JSON.parse(row.params) as Record<string, unknown>,
      featureNames: JSON.parse(row.featureNames) as string[],
      metrics: JSON.parse(row.metrics) as Record<string, unknown>,
    }));
  };
  const one = (row: ModelRow | undefined) => (row ? records([row])[0] : undefined);
  return {
    get: (id) => exec(() => one(orm.select().from(models).where(eq(models.id, id)).get())),
    list: (filter = {}) =>
      exec(() => {
        const where = and(
          filter.status ? eq(models.status, filter.status) : undefined,
          filter.symbol ? inArray(models.id, orm.select({ id: modelSymbols.modelId }).from(modelSymbols).where(eq(modelSymbols.symbol, filter.symbol))) : undefined,
          filter.slot ? eq(models.slot, filter.slot) : undefined,
        );
        return records(orm.select().from(models).where(where).orderBy(desc(models.createdAt), desc(models.id)).all());
      }),
    active: (slot) => exec(() => one(orm.select().from(models).where(and(eq(models.slot, slot), eq(models.status, 'active'))).get())),
    nextVersion: (slot) =>
      exec(() => orm.select({ v: sql<number>`coalesce(max(${models.version}), 0) + 1` }).from(models).where(eq(models.slot, slot)).get()?.v ?? 1),
    // A prefix comparison, not LIKE: `_` and `%` are ordinary characters of an id.
    idsWithPrefix: (prefix) => exec(() => orm.select({ id: models.id }).from(models).where(sql`substr(${models.id}, 1, ${prefix.length}) = ${prefix}`).all().map((r) => r.id)),
    insert: (record) =>
      exec(() => {
        const { symbols, params, featureNames, metrics, ...rest } = record;
        db.transaction(() => {
          orm.insert(models).values({ ...rest, params: JSON.stringify(params), featureNames: JSON.stringify(featureNames), metrics: JSON.stringify(metrics) }).run();
          for (const symbol of new Set(symbols)) orm.insert(modelSymbols).values({ modelId: record.id, symbol }).run();
        }).immediate();
      }),
    setStatus: (id, status, now) =>
      exec(() => {
        orm.update(models).set({ status, statusChangedAt: now }).where(eq(models.id, id)).run();
      }),
    delete: (id) =>
      exec(() => {
        db.transaction(() => {
          orm.delete(predictions).where(eq(predictions.modelId, id)).run();
          orm.delete(models).where(eq(models.id, id)).run();
        }).immediate();
      }),
    countByStatus: () =>
      exec(() => {
        const counts = Object.fromEntries(MODEL_STATUSES.map((s) => [s, 0])) as Record<ModelStatus, number>;
        for (const r of orm.select({ status: models.status, n: sql<number>`count(*)` }).from(models).groupBy(models.status).all()) counts[r.status as ModelStatus] = r.n;
        return counts;
      }),
  };
}
