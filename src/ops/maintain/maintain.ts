/**
 * `pulse maintain`: retention and housekeeping of a home, under the home lock.
 *
 * 1. Retention: predictions with their outcome known whose bar opened before the calendar month holding
 *    `now - predictionDays` are folded into the performance history per model, symbol and month and deleted, in one
 *    transaction (fold.ts; those still waiting for an outcome are kept). Collect runs, finished training jobs and
 *    health runs older than their periods are deleted, in a second transaction; quarantined rows are always kept.
 * 2. Retired models retired longer than `retiredModelDays` are archived: status `archived`, file removed.
 * 3. The store is tidied: ANALYZE, PRAGMA optimize, VACUUM when the free pages are worth it (`vacuumMinFreeMiB` or
 *    `vacuumMinFreePct` of the file), and a WAL checkpoint that truncates the log.
 *
 * The bytes reclaimed are the store file plus its WAL before and after. `dryRun` reports what would go and changes
 * nothing. Ctrl-C stops between steps (each step is atomic).
 */
import { statSync } from 'node:fs';
import { resolve } from 'node:path';
import { throwIfAborted } from '../../core/async.js';
import { HOME_SCOPE, type LockFn } from '../../core/lock.js';
import { archiveModel } from '../../registry/registry.js';
import type { RetentionCounts, RetentionCutoffs } from '../../store/repositories.js';
import type { Store } from '../../store/store.js';
import { foldPredictions, predictionCutoff, type FoldReport } from './fold.js';
import type { MaintainSettings } from './settings.js';

const DAY = 86_400_000;
const MIB = 2 ** 20;

export interface MaintainOptions {
  settings: MaintainSettings;
  dryRun: boolean;
  now: number;
  /** Takes the home lock (nothing else may write while rows and files go). */
  lock?: LockFn;
  signal?: AbortSignal;
}

/** A retired model that was (or, in a dry run, would be) archived. */
export interface ArchivedModel {
  id: string;
  slot: string;
  retiredAt: number;
  /** Bytes of its file removed (in a dry run: the file's size now). */
  fileBytes: number;
}

/** What `pulse maintain` did, or would do. */
export interface MaintainReport {
  dryRun: boolean;
  /**
   * Rows older than these times (ms since the epoch) go. `predictionsWithOutcome` is a bar time, the start of a
   * calendar month: predictions with outcomes of earlier bars are folded and deleted.
   */
  cutoffs: RetentionCutoffs & { predictionsWithOutcome: number; retiredModels: number };
  /** Rows deleted per kind (in a dry run: that would be). */
  deleted: RetentionCounts & { predictionsWithOutcome: number };
  /** The predictions folded into the performance history before their delete (in a dry run: that would be). */
  folded: FoldReport;
  archived: ArchivedModel[];
  /** Free pages before VACUUM (after the deletes; in a dry run, now) and whether VACUUM ran (would run). */
  vacuum: { freeBytes: number; fileBytes: number; ran: boolean };
  /** Whether the WAL checkpoint completed (null in a dry run). */
  checkpointed: boolean | null;
  /** The store file plus its WAL, before and after, and the difference (0 in a dry run). */
  storeBytes: { before: number; after: number; reclaimed: number };
  /** Bytes of model files removed. */
  modelFileBytes: number;
}

/** Run the maintenance of a home (see the module note). */
export async function maintain(store: Store, options: MaintainOptions): Promise<MaintainReport> {
  const held = await options.lock?.([HOME_SCOPE]);
  try {
    return await maintainLocked(store, options);
  } finally {
    held?.release();
  }
}

async function maintainLocked(store: Store, options: MaintainOptions): Promise<MaintainReport> {
  const { settings, dryRun, now, signal } = options;
  const cutoffs = {
    predictionsWithOutcome: predictionCutoff(now, settings.predictionDays),
    collectRuns: now - settings.collectRunDays * DAY,
    jobs: now - settings.jobDays * DAY,
    healthRuns: now - settings.healthRunDays * DAY,
    retiredModels: now - settings.retiredModelDays * DAY,
  };
  const before = storeFileBytes(store);

  throwIfAborted(signal);
  const folded = await foldPredictions(store, { barBefore: cutoffs.predictionsWithOutcome, now, dryRun, signal });
  throwIfAborted(signal);
  const deleted = { predictionsWithOutcome: folded.deleted, ...(await store.maintenance.trim(cutoffs, { dryRun })) };

  throwIfAborted(signal);
  const archived: ArchivedModel[] = [];
  for (const m of await store.models.list({ status: 'retired' })) {
    if (m.statusChangedAt >= cutoffs.retiredModels) continue;
    throwIfAborted(signal);
    const fileBytes = dryRun ? fileSize(resolve(store.home, m.filePath)) : await archiveModel(store, m.id, now);
    archived.push({ id: m.id, slot: m.slot, retiredAt: m.statusChangedAt, fileBytes });
  }

  throwIfAborted(signal);
  const pages = await store.maintenance.pageStats();
  const freeBytes = pages.freelistCount * pages.pageSize;
  const fileBytes = pages.pageCount * pages.pageSize;
  const worthIt = freeBytes > 0 && (freeBytes >= settings.vacuumMinFreeMiB * MIB || (fileBytes > 0 && (100 * freeBytes) / fileBytes >= settings.vacuumMinFreePct));
  let checkpointed: boolean | null = null;
  if (!dryRun) checkpointed = (await store.maintenance.optimize({ vacuum: worthIt })).checkpointed;
  const after = dryRun ? before : storeFileBytes(store);
  return {
    dryRun,
    cutoffs,
    deleted,
    folded,
    archived,
    vacuum: { freeBytes, fileBytes, ran: worthIt },
    checkpointed,
    storeBytes: { before, after, reclaimed: before - after },
    modelFileBytes: archived.reduce((n, a) => n + a.fileBytes, 0),
  };
}

/** The store file plus its write-ahead log, in bytes. */
function storeFileBytes(store: Store): number {
  return fileSize(store.location) + fileSize(`${store.location}-wal`);
}

function fileSize(path: string): number {
  try {
    return statSync(path).size;
  } catch {
    return 0;
  }
}
