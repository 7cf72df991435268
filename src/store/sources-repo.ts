/** Online-source health: the circuit-breaker state per source, plus lifetime success and failure counts. */
import { eq } from 'drizzle-orm';
import type { BreakerState, BreakerStore } from '../market/sources/breaker.js';
import { sourceHealth } from './schema.js';
import type { Store } from './store.js';

type Row = typeof sourceHealth.$inferSelect;

function toState(row: Row): BreakerState {
  return {
    consecutiveFailures: row.consecutiveFailures,
    lastError: row.lastError ?? undefined,
    lastErrorAt: row.lastFailureAt ?? undefined,
    lastSuccessAt: row.lastSuccessAt ?? undefined,
    openUntil: row.openUntil ?? undefined,
  };
}

/**
 * A `BreakerStore` backed by the `source_health` table, so breaker state survives between cron runs and is shared
 * by concurrent collects. Lifetime totals are counted from what changed: a newer lastSuccessAt is a success, a newer
 * lastErrorAt a failure.
 */
export function storeBreakers(store: Store, now: () => number): BreakerStore {
  return {
    get(source) {
      const row = store.orm.select().from(sourceHealth).where(eq(sourceHealth.source, source)).get();
      return row ? toState(row) : undefined;
    },
    put(source, state) {
      store.db.transaction(() => {
        const old = store.orm.select().from(sourceHealth).where(eq(sourceHealth.source, source)).get();
        const success = state.lastSuccessAt !== undefined && state.lastSuccessAt !== (old?.lastSuccessAt ?? undefined) ? 1 : 0;
        const failure = state.lastErrorAt !== undefined && state.lastErrorAt !== (old?.lastFailureAt ?? undefined) ? 1 : 0;
        const values = {
          consecutiveFailures: state.consecutiveFailures,
          totalFailures: (old?.totalFailures ?? 0) + failure,
          totalSuccesses: (old?.totalSuccesses ?? 0) + success,
          lastError: state.lastError ?? null,
          lastFailureAt: state.lastErrorAt ?? null,
          lastSuccessAt: state.lastSuccessAt ?? null,
          openUntil: state.openUntil ?? null,
          updatedAt: now(),
        };
        store.orm.insert(sourceHealth).values({ source, ...values }).onConflictDoUpdate({ target: sourceHealth.source, set: values }).run();
      }).immediate();
    },
  };
}

/** Every source's health row. */
export function listSourceHealth(store: Store): Row[] {
  return store.orm.select().from(sourceHealth).orderBy(sourceHealth.source).all();
}
