/**
 * `pulse health`: run every check (checks.ts) on a home, take the worst state as the status, and record the run so
 * `pulse health --history` shows the trend. The checks run concurrently; a check that throws is reported as `unknown`
 * with its error, and the other checks still run.
 */
import { toError } from '../../core/errors.js';
import type { HealthRunRecord } from '../../store/records.js';
import type { Store } from '../../store/store.js';
import { DEFAULT_HEALTH_POLICY, result, STATE_RANK, type CheckResult, type HealthPolicy, type HealthState } from './check.js';
import { HEALTH_CHECKS } from './checks.js';

/** The outcome of a health run. */
export interface HealthReport {
  status: HealthState;
  checkedAt: number;
  durationMs: number;
  counts: Record<HealthState, number>;
  results: CheckResult[];
}

export interface RunHealthOptions {
  policy?: HealthPolicy;
  now: () => number;
  /** Only these checks (by name); all when absent. */
  only?: readonly string[];
  /** Record the run in the store (default true). */
  record?: boolean;
}

/** Run the checks on `home` (see the module note). */
export async function runHealth(store: Store, home: string, options: RunHealthOptions): Promise<HealthReport> {
  const started = performance.now();
  const now = options.now();
  const policy = options.policy ?? DEFAULT_HEALTH_POLICY;
  // The checks run side by side (the store's integrity check reads the whole file in a worker thread meanwhile);
  // their results keep the checks' order.
  const checks = HEALTH_CHECKS.filter((check) => !options.only || options.only.includes(check.name));
  const outcomes = await Promise.all(
    checks.map(async (check) => {
      try {
        return await check.run({ store, home, policy, now });
      } catch (err) {
        return [result(check.name, 'unknown', `the check failed: ${toError(err).message}`)];
      }
    }),
  );
  const results: CheckResult[] = outcomes.flat();
  const counts: Record<HealthState, number> = { ok: 0, warn: 0, critical: 0, unknown: 0 };
  for (const r of results) counts[r.state]++;
  const status = worstState(results.map((r) => r.state));
  const report: HealthReport = { status, checkedAt: now, durationMs: Math.round(performance.now() - started), counts, results };
  if (options.record ?? true) {
    await store.health.insert({ createdAt: now, status, critical: counts.critical, warnings: counts.warn, unknown: counts.unknown, durationMs: report.durationMs, results });
  }
  return report;
}

/** The most severe of `states` (ok when empty). */
export function worstState(states: readonly HealthState[]): HealthState {
  return states.reduce<HealthState>((worst, s) => (STATE_RANK[s] > STATE_RANK[worst] ? s : worst), 'ok');
}

/** The recorded runs, newest first, for the trend. */
export async function healthHistory(store: Store, limit: number): Promise<HealthRunRecord[]> {
  return store.health.list(limit);
}
