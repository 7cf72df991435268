/** Collect runs (the audit of every `pulse collect`) and the quarantine of rejected rows. */
import { and, desc, eq, lt, sql } from 'drizzle-orm';
import type { Interval } from '../core/interval.js';
import { collectRuns, quarantine } from './schema.js';
import type { Store } from './store.js';

export type RunStatus = 'running' | 'ok' | 'partial' | 'failed' | 'interrupted';

/** Totals a run reports. */
export interface RunCounts {
  fetched: number;
  inserted: number;
  updated: number;
  unchanged: number;
  quarantined: number;
  gaps: number;
}

/** Record the start of a run and return its id. */
export function startRun(store: Store, run: { source: string; interval: Interval | null; symbols: string[]; pid: number; now: number }): number {
  const row = store.orm
    .insert(collectRuns)
    .values({ source: run.source, interval: run.interval ?? '', symbols: JSON.stringify(run.symbols), status: 'running', pid: run.pid, startedAt: run.now })
    .returning({ id: collectRuns.id })
    .get();
  return row.id;
}

/** Record a run's interval once known (a file's interval is read from the file). */
export function setRunInterval(store: Store, id: number, interval: Interval): void {
  store.orm.update(collectRuns).set({ interval }).where(eq(collectRuns.id, id)).run();
}

/** Record the end of a run. */
export function finishRun(
  store: Store,
  id: number,
  end: { status: RunStatus; counts: RunCounts; error?: string | null; details?: unknown; now: number; startedAt: number },
): void {
  store.orm
    .update(collectRuns)
    .set({
      ...end.counts,
      status: end.status,
      error: end.error ?? null,
      details: end.details === undefined ? null : JSON.stringify(end.details),
      finishedAt: end.now,
      durationMs: end.now - end.startedAt,
    })
    .where(eq(collectRuns.id, id))
    .run();
}

/**
 * Mark runs left `running` by a process that no longer exists (crash, kill -9) as failed. Called at the start of
 * every collect so the audit never shows a ghost run.
 */
export function failOrphanedRuns(store: Store, isAlive: (pid: number) => boolean, now: number): number {
  const running = store.orm.select({ id: collectRuns.id, pid: collectRuns.pid, startedAt: collectRuns.startedAt }).from(collectRuns).where(eq(collectRuns.status, 'running')).all();
  let n = 0;
  for (const r of running) {
    if (r.pid !== null && isAlive(r.pid)) continue;
    store.orm
      .update(collectRuns)
      .set({ status: 'failed', error: 'the process running it ended without finishing (crash or kill)', finishedAt: now, durationMs: now - r.startedAt })
      .where(eq(collectRuns.id, r.id))
      .run();
    n++;
  }
  return n;
}

/** The most recent runs, newest first. */
export function listRuns(store: Store, limit: number) {
  return store.orm.select().from(collectRuns).orderBy(desc(collectRuns.id)).limit(limit).all();
}

/** A rejected row to keep. */
export interface QuarantineEntry {
  symbol: string;
  interval: Interval | string;
  source: string;
  ts: number | null;
  reason: string;
  detail: string;
  raw: string;
}

/**
 * Keep rejected rows with their raw form and reason. A row already quarantined (same symbol, interval, source,
 * reason and raw text) is not stored twice, so re-collecting a range leaves the quarantine as it was.
 * Call inside the batch's transaction. Returns how many rows were new to the quarantine.
 */
export function quarantineRows(store: Store, runId: number | null, entries: readonly QuarantineEntry[], now: number): number {
  if (entries.length === 0) return 0;
  const stmt = store.db.prepare(
    `INSERT INTO quarantine (run_id, symbol, interval, source, ts, reason, detail, raw, created_at)
     SELECT ?, ?, ?, ?, ?, ?, ?, ?, ?
     WHERE NOT EXISTS (SELECT 1 FROM quarantine WHERE symbol = ? AND interval = ? AND ts IS ? AND source = ? AND reason = ? AND raw = ?)`,
  );
  let added = 0;
  for (const e of entries) {
    const ts = Number.isFinite(e.ts) ? e.ts : null;
    added += stmt.run(runId, e.symbol, e.interval, e.source, ts, e.reason, e.detail, e.raw, now, e.symbol, e.interval, ts, e.source, e.reason, e.raw).changes;
  }
  return added;
}

/** Quarantined rows, newest first, optionally for one symbol. */
export function listQuarantine(store: Store, filter: { symbol?: string; limit: number }) {
  const where = filter.symbol ? eq(quarantine.symbol, filter.symbol) : undefined;
  return store.orm.select().from(quarantine).where(where).orderBy(desc(quarantine.id)).limit(filter.limit).all();
}

/** One quarantined row by id. */
export function getQuarantine(store: Store, id: number) {
  return store.orm.select().from(quarantine).where(eq(quarantine.id, id)).get();
}

/** Counts of quarantined rows by reason. */
export function quarantineReasons(store: Store, symbol?: string) {
  return store.orm
    .select({ reason: quarantine.reason, count: sql<number>`count(*)` })
    .from(quarantine)
    .where(symbol ? eq(quarantine.symbol, symbol) : undefined)
    .groupBy(quarantine.reason)
    .all();
}

/** Delete quarantined rows created before `before` (ms); returns how many. */
export function purgeQuarantine(store: Store, before: number, symbol?: string): number {
  const where = symbol ? and(lt(quarantine.createdAt, before), eq(quarantine.symbol, symbol)) : lt(quarantine.createdAt, before);
  return store.orm.delete(quarantine).where(where).run().changes;
}
