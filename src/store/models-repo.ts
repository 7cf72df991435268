/** Model versions, training jobs and stored predictions. */
import { and, desc, eq, inArray, isNull, like, lt, sql } from 'drizzle-orm';
import { models, predictions, trainingJobs } from './schema.js';
import type { Store } from './store.js';

export type ModelRow = typeof models.$inferSelect;
export type NewModelRow = typeof models.$inferInsert;
export type ModelStatus = 'shadow' | 'active' | 'retired' | 'archived';
export const MODEL_STATUSES: readonly ModelStatus[] = ['shadow', 'active', 'retired', 'archived'];

/** One model by id. */
export function getModelRow(store: Store, id: string): ModelRow | undefined {
  return store.orm.select().from(models).where(eq(models.id, id)).get();
}

/** Models, newest first, optionally filtered by status or (any of the) symbols. */
export function listModelRows(store: Store, filter: { status?: ModelStatus; symbol?: string; slot?: string } = {}): ModelRow[] {
  const where = and(
    filter.status ? eq(models.status, filter.status) : undefined,
    filter.symbol ? like(models.symbols, `%${JSON.stringify(filter.symbol)}%`) : undefined,
    filter.slot ? eq(models.slot, filter.slot) : undefined,
  );
  return store.orm.select().from(models).where(where).orderBy(desc(models.createdAt), desc(models.id)).all();
}

/** The active model of a slot. */
export function activeModelRow(store: Store, slot: string): ModelRow | undefined {
  return store.orm.select().from(models).where(and(eq(models.slot, slot), eq(models.status, 'active'))).get();
}

/** The next version number within a slot. */
export function nextSlotVersion(store: Store, slot: string): number {
  const row = store.db.prepare('SELECT coalesce(max(version), 0) + 1 AS v FROM models WHERE slot = ?').get(slot) as { v: number };
  return row.v;
}

/** Ids starting with `prefix` (to number readable ids). */
export function idsWithPrefix(store: Store, prefix: string): string[] {
  return store.orm.select({ id: models.id }).from(models).where(like(models.id, `${prefix}%`)).all().map((r) => r.id);
}

export function insertModelRow(store: Store, row: NewModelRow): void {
  store.orm.insert(models).values(row).run();
}

export function setModelStatus(store: Store, id: string, status: ModelStatus, now: number): void {
  store.orm.update(models).set({ status, statusChangedAt: now }).where(eq(models.id, id)).run();
}

export function deleteModelRow(store: Store, id: string): void {
  store.orm.delete(predictions).where(eq(predictions.modelId, id)).run();
  store.orm.delete(models).where(eq(models.id, id)).run();
}

// ---- training jobs -------------------------------------------------------------------------------------------

export type JobRow = typeof trainingJobs.$inferSelect;
export type JobTrigger = 'manual' | 'schedule' | 'drift' | 'performance';

export function createJob(store: Store, job: { trigger: JobTrigger; request: unknown; now: number }): number {
  return store.orm
    .insert(trainingJobs)
    .values({ trigger: job.trigger, status: 'pending', request: JSON.stringify(job.request), createdAt: job.now, pid: process.pid })
    .returning({ id: trainingJobs.id })
    .get().id;
}

export function startJob(store: Store, id: number, now: number): void {
  store.orm.update(trainingJobs).set({ status: 'running', startedAt: now }).where(eq(trainingJobs.id, id)).run();
}

export function finishJob(store: Store, id: number, end: { status: 'completed' | 'failed' | 'interrupted'; succeeded: number; failed: number; error?: string | null; now: number }): void {
  const job = getJob(store, id);
  store.orm
    .update(trainingJobs)
    .set({
      status: end.status,
      modelsSucceeded: end.succeeded,
      modelsFailed: end.failed,
      error: end.error ?? null,
      finishedAt: end.now,
      durationMs: job?.startedAt ? end.now - job.startedAt : null,
    })
    .where(eq(trainingJobs.id, id))
    .run();
}

export function getJob(store: Store, id: number): JobRow | undefined {
  return store.orm.select().from(trainingJobs).where(eq(trainingJobs.id, id)).get();
}

export function listJobs(store: Store, limit: number): JobRow[] {
  return store.orm.select().from(trainingJobs).orderBy(desc(trainingJobs.id)).limit(limit).all();
}

/** Mark jobs left pending/running by a process that is gone as failed; returns how many. */
export function failOrphanedJobs(store: Store, isAlive: (pid: number) => boolean, now: number): number {
  const open = store.orm.select().from(trainingJobs).where(inArray(trainingJobs.status, ['pending', 'running'])).all();
  let n = 0;
  for (const j of open) {
    if (j.pid !== null && isAlive(j.pid)) continue;
    store.orm
      .update(trainingJobs)
      .set({ status: 'failed', error: 'the process running it ended without finishing (crash or kill)', finishedAt: now })
      .where(eq(trainingJobs.id, j.id))
      .run();
    n++;
  }
  return n;
}

// ---- predictions ---------------------------------------------------------------------------------------------

export type PredictionRow = typeof predictions.$inferSelect;
export type NewPredictionRow = typeof predictions.$inferInsert;

/** Store a prediction once per (model, bar): a repeated prediction for the same bar replaces the stored one. */
export function upsertPrediction(store: Store, row: NewPredictionRow): void {
  store.orm
    .insert(predictions)
    .values(row)
    .onConflictDoUpdate({
      target: [predictions.modelId, predictions.barTs],
      set: { value: row.value, intervals: row.intervals, signal: row.signal, fallback: row.fallback, createdAt: row.createdAt },
    })
    .run();
}

/** Predictions of a series whose outcome is not known yet. */
export function pendingOutcomes(store: Store, symbol: string, interval: string): PredictionRow[] {
  return store.orm
    .select()
    .from(predictions)
    .where(and(eq(predictions.symbol, symbol), eq(predictions.interval, interval), isNull(predictions.outcome)))
    .all();
}

export function setOutcome(store: Store, modelId: string, barTs: number, outcome: number, now: number): void {
  store.orm.update(predictions).set({ outcome, outcomeAt: now }).where(and(eq(predictions.modelId, modelId), eq(predictions.barTs, barTs))).run();
}

/** Recent predictions of a symbol, newest bar first. */
export function listPredictions(store: Store, filter: { symbol: string; interval?: string; modelId?: string; limit: number }): PredictionRow[] {
  return store.orm
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
    .all();
}

/** Count of predictions per model (for `models ls`). */
export function predictionCounts(store: Store): Map<string, number> {
  const rows = store.orm.select({ id: predictions.modelId, n: sql<number>`count(*)` }).from(predictions).groupBy(predictions.modelId).all();
  return new Map(rows.map((r) => [r.id, r.n]));
}

/** Delete predictions made before `before`. */
export function purgePredictions(store: Store, before: number): number {
  return store.orm.delete(predictions).where(lt(predictions.createdAt, before)).run().changes;
}
