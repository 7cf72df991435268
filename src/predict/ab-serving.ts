/**
 * Which model serves a bar's signal while an A/B test runs in its slot (the tests themselves: src/monitor/ab-test.ts).
 *
 * Both arms predict every bar; one serves it. The arm is a seeded hash of (seed, test, symbol, bar) against the
 * split, so it depends on nothing but the test and the bar: re-running a prediction, replaying history or another
 * machine picks the same arm. When the picked arm has no prediction for the bar (its model failed), the other arm
 * serves it. The serving arm of each bar is recorded in the store (`ab_served`).
 */
import { createHash } from 'node:crypto';
import type { AbArm, AbTestRecord } from '../store/records.js';
import type { Store } from '../store/store.js';

/** The arm that serves `symbol`'s bar at `barTs` in `test` (deterministic for the test's seed). */
export function servingArm(test: Pick<AbTestRecord, 'id' | 'seed' | 'split'>, symbol: string, barTs: number): AbArm {
  const digest = createHash('sha256').update(`${test.seed}|${test.id}|${symbol}|${barTs}`).digest();
  return (digest.readUInt32BE(0) / 2 ** 32) * 100 < test.split ? 'challenger' : 'control';
}

/** A prediction as serving sees it; `abTest` is set on both arms' predictions of a tested bar. */
export interface ServablePrediction {
  symbol: string;
  modelId: string;
  barTs: number;
  signal: 'long' | 'short' | 'flat';
  fallback: boolean;
  abTest?: { id: number; arm: AbArm; served: boolean };
}

/** Mark and record the serving arm of every bar predicted by both arms (or one) of a running test. */
export async function serveAbTests(store: Store, predictions: ServablePrediction[], now: number): Promise<void> {
  if (predictions.length === 0) return;
  const tests = await store.abTests.list({ status: 'running' });
  for (const test of tests) {
    const bars = new Map<string, { control?: ServablePrediction; challenger?: ServablePrediction }>();
    for (const p of predictions) {
      const arm: AbArm | null = p.modelId === test.control ? 'control' : p.modelId === test.challenger ? 'challenger' : null;
      if (arm === null || p.fallback) continue;
      const key = `${p.symbol}|${p.barTs}`;
      bars.set(key, { ...bars.get(key), [arm]: p });
    }
    const rows = [];
    for (const pair of bars.values()) {
      const any = (pair.control ?? pair.challenger)!;
      let arm = servingArm(test, any.symbol, any.barTs);
      if (!pair[arm]) arm = arm === 'control' ? 'challenger' : 'control';
      const served = pair[arm]!;
      for (const side of ['control', 'challenger'] as const) {
        if (pair[side]) pair[side].abTest = { id: test.id, arm: side, served: side === arm };
      }
      rows.push({ testId: test.id, symbol: served.symbol, barTs: served.barTs, arm, modelId: served.modelId, signal: served.signal, servedAt: now });
    }
    await store.abTests.recordServed(rows);
  }
}

/**
 * Serve the bars of `symbol` that `models` predicted in their replayed ranges (`pulse predict --replay-from`), as
 * daily runs would have: the stored predictions of a running test's arms are marked bar by bar.
 */
export async function serveStored(store: Store, symbol: string, interval: string, models: readonly { modelId: string; firstBar: number | null; lastBar: number | null }[], now: number): Promise<void> {
  if (models.length === 0 || (await store.abTests.list({ status: 'running' })).length === 0) return;
  const predictions: ServablePrediction[] = [];
  for (const m of models) {
    if (m.firstBar === null || m.lastBar === null) continue;
    const rows = await store.predictions.list({ symbol, interval, modelId: m.modelId, limit: Number.MAX_SAFE_INTEGER });
    for (const p of rows) if (p.barTs >= m.firstBar && p.barTs <= m.lastBar) predictions.push(p);
  }
  await serveAbTests(store, predictions, now);
}
