/**
 * What collects left behind for an operator to read: the run audit, the quarantine of rejected rows, and the health
 * of the online sources with their circuit breakers (`pulse data runs|quarantine|sources`).
 */
import { DataError } from '../core/errors.js';
import type { CollectRunRecord, QuarantineRecord, SourceHealthRecord } from '../store/records.js';
import type { Store } from '../store/store.js';

/** The most recent collect runs, newest first (per-symbol details left out). */
export async function recentRuns(store: Store, limit: number): Promise<Omit<CollectRunRecord, 'details'>[]> {
  return (await store.runs.list(limit)).map(({ details: _d, ...run }) => run);
}

/** Quarantined rows, newest first, with the counts of every reason. */
export async function quarantined(store: Store, filter: { symbol?: string; limit: number }): Promise<{ rows: QuarantineRecord[]; reasons: { reason: string; count: number }[] }> {
  return { rows: await store.quarantine.list(filter), reasons: await store.quarantine.reasons(filter.symbol) };
}

/** One quarantined row. @throws DataError when there is none with this id. */
export async function quarantinedRow(store: Store, id: number): Promise<QuarantineRecord> {
  const row = await store.quarantine.get(id);
  if (!row) throw new DataError(`no quarantined row with id ${id}`, '`pulse data quarantine ls` lists the ids');
  return row;
}

/** Delete rows quarantined before `before` (ms), optionally of one symbol; returns how many. */
export function purgeQuarantined(store: Store, before: number, symbol?: string): Promise<number> {
  return store.quarantine.purge(before, symbol);
}

/** A source's breaker as an operator reads it. */
export type BreakerLabel = 'open' | 'closed (failing)' | 'closed';

/** Every online source's health with its breaker state at `now`. */
export async function sourceHealth(store: Store, now: number): Promise<(SourceHealthRecord & { breaker: BreakerLabel })[]> {
  return (await store.sources.list()).map((s) => ({
    ...s,
    breaker: s.openUntil !== null && s.openUntil > now ? 'open' : s.consecutiveFailures > 0 ? 'closed (failing)' : 'closed',
  }));
}
