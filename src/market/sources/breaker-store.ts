/**
 * The breakers' states kept in the store (`source_health`), so they survive between cron runs and are shared by
 * concurrent collects. Lifetime totals are counted from what changed: a newer last success is a success, a newer
 * last failure a failure.
 */
import type { SourceHealthRecord } from '../../store/records.js';
import type { Store } from '../../store/store.js';
import type { BreakerState, BreakerStore } from './breaker.js';

function toState(row: SourceHealthRecord): BreakerState {
  return {
    consecutiveFailures: row.consecutiveFailures,
    lastError: row.lastError ?? undefined,
    lastErrorAt: row.lastFailureAt ?? undefined,
    lastSuccessAt: row.lastSuccessAt ?? undefined,
    openUntil: row.openUntil ?? undefined,
  };
}

/** A BreakerStore over the store's source health (see the module note). */
export function storeBreakers(store: Store, now: () => number): BreakerStore {
  return {
    async get(source) {
      const row = await store.sources.get(source);
      return row ? toState(row) : undefined;
    },
    put(source, state) {
      return store.transaction(async (tx) => {
        const old = await tx.sources.get(source);
        const success = state.lastSuccessAt !== undefined && state.lastSuccessAt !== (old?.lastSuccessAt ?? undefined) ? 1 : 0;
        const failure = state.lastErrorAt !== undefined && state.lastErrorAt !== (old?.lastFailureAt ?? undefined) ? 1 : 0;
        await tx.sources.put({
          source,
          consecutiveFailures: state.consecutiveFailures,
          totalFailures: (old?.totalFailures ?? 0) + failure,
          totalSuccesses: (old?.totalSuccesses ?? 0) + success,
          lastError: state.lastError ?? null,
          lastFailureAt: state.lastErrorAt ?? null,
          lastSuccessAt: state.lastSuccessAt ?? null,
          openUntil: state.openUntil ?? null,
          updatedAt: now(),
        });
      });
    },
  };
}
