/**
 * `pulse evaluate` on a real store: a direction (binary) slot replayed out of sample, scored paired, signal returns
 * from the stored bars (the outcome is a class), the window options, the performance history, and the refusals.
 */
import { describe, expect, it } from 'vitest';
import { defaultConfig } from '../../src/config/config.js';
import { DataError, UsageError } from '../../src/core/errors.js';
import { silentLogger } from '../../src/core/logger.js';
import { DEFAULT_FEATURE_SET } from '../../src/features/feature-set.js';
import { parseTarget } from '../../src/lifecycle/targets.js';
import { collect } from '../../src/market/collect.js';
import { evaluate } from '../../src/monitor/evaluate.js';
import { replay } from '../../src/predict/replay.js';
import { openStore, type Store } from '../../src/store/store.js';
import { trainJob } from '../../src/train/train-job.js';
import { useTempHome } from '../helpers/home.js';

const NOW = Date.UTC(2025, 0, 1);
const POLICY = { degradationPct: 25, degradationMin: 30 };

describe('evaluate on a store', () => {
  const tempHome = useTempHome();

  async function slot(): Promise<{ store: Store; ids: string[] }> {
    const home = tempHome();
    const store = await openStore(home);
    await collect(
      { symbols: ['ACME'], sources: ['synthetic'], interval: '1d', resample: [], acceptOutliers: false, seed: 4, from: Date.UTC(2018, 0, 1), to: Date.UTC(2021, 0, 1), calendar: 'XNYS' },
      { store, settings: defaultConfig().collect, now: () => NOW, log: silentLogger },
    );
    const ids: string[] = [];
    for (const alpha of [1, 100]) {
      const job = await trainJob(
        {
          symbols: ['ACME'], interval: '1d', family: 'logistic', target: parseTarget('direction', { horizon: 2 }), set: DEFAULT_FEATURE_SET, references: {},
          params: { alpha }, cv: 'walk-forward', folds: 3, window: { kind: 'expanding' }, embargo: 2, testSize: 0.1, pooled: false, seed: 3, activate: false, trigger: 'manual', to: Date.UTC(2020, 0, 1),
        },
        { store, home, now: () => NOW, log: silentLogger },
      );
      ids.push(job.models[0].model.id);
    }
    return { store, ids };
  }

  it('scores a binary slot paired, with signal returns from the bars, and records its months', async () => {
    const { store, ids } = await slot();
    const none = evaluate(store, { symbol: 'ACME', interval: '1d', degradation: POLICY, now: NOW });
    await expect(none).rejects.toThrow(DataError);
    await expect(none).rejects.toThrow(`no bar of ACME 1d was predicted by every model of its slot with the outcome known (predictions with outcomes: ACME|1d|direction|h2 on ACME: ${ids[0]} 0, ${ids[1]} 0)`);
    await expect(evaluate(store, { symbol: 'ACME', interval: '1h', degradation: POLICY, now: NOW })).rejects.toThrow(UsageError);
    await replay({ symbols: ['ACME'], interval: '1d', from: Date.UTC(2020, 0, 1) }, { store, now: () => NOW, log: silentLogger });

    const r = await evaluate(store, { symbol: 'ACME', interval: '1d', by: 'month', degradation: POLICY, now: NOW });
    const s = r.slots[0];
    expect(s).toMatchObject({ task: 'binary', horizon: 2, calendar: 'XNYS', periodsPerYear: expect.any(Number) });
    expect(s.metrics.map((m) => [m.modelId, m.n])).toEqual([[ids[0], s.n], [ids[1], s.n]]);
    expect(s.n).toBeGreaterThan(150);
    expect(s.metrics[0].rmse).toBeNull();
    expect(s.metrics[0].logLoss).toBeGreaterThan(0);

    // the realised return of each signal: side x (C_(t+2) / C_t - 1), from the stored bars
    const series = await store.bars.load('ACME', '1d');
    const at = new Map(Array.from(series.time, (t, i) => [t, i] as const));
    const mine = (await store.predictions.withOutcomes(ids[0])).filter((p) => p.barTs >= s.from! && p.barTs <= s.to!);
    let total = 0;
    for (const p of mine) {
      const i = at.get(p.barTs)!;
      const side = p.signal === 'long' ? 1 : p.signal === 'short' ? -1 : 0;
      total += side * (series.close[i + 2] / series.close[i] - 1);
    }
    expect(mine.length).toBe(s.n);
    expect(s.metrics[0].signalReturn).toBeCloseTo(total, 10);

    // months: they partition the window, and every model's month is recorded once (re-evaluating replaces)
    expect(s.periods.reduce((n, p) => n + p.models[1].n, 0)).toBe(s.n);
    expect(r.recorded).toBe(s.periods.length * 2);
    await evaluate(store, { symbol: 'ACME', interval: '1d', by: 'month', degradation: POLICY, now: NOW + 1 });
    const history = await store.performance.list({ slot: s.slot, limit: 1_000 });
    expect(history).toHaveLength(s.periods.length * 2);
    expect(history.every((h) => h.computedAt === NOW + 1 && h.logLoss !== null && h.rmse === null)).toBe(true);
    const first = history.find((h) => h.modelId === ids[0] && h.periodStart === s.periods[0].start)!;
    expect(first).toMatchObject({ n: s.periods[0].models[0].n, hitRate: s.periods[0].models[0].hitRate, sharpe: s.periods[0].models[0].sharpe });

    // the window: the newest N, or [from, to)
    const last = await evaluate(store, { interval: '1d', last: 20, degradation: POLICY, now: NOW });
    expect(last.slots[0].n).toBe(20);
    expect(last.slots[0].to).toBe(s.to);
    expect(last.slots[0].degradation).toMatchObject({ n: 20, degraded: false, reasons: ['only 20 outcomes; the rule judges from 30 on'] });
    const june = await evaluate(store, { symbol: 'ACME', interval: '1d', from: Date.UTC(2020, 5, 1), to: Date.UTC(2020, 6, 1), degradation: POLICY, now: NOW });
    expect(june.slots[0].from).toBeGreaterThanOrEqual(Date.UTC(2020, 5, 1));
    expect(june.slots[0].to).toBeLessThan(Date.UTC(2020, 6, 1));
    expect(june.recorded).toBe(0);

    // degradation of the active model: log loss against its test log loss and the window's class frequencies
    const d = s.degradation!;
    expect(d.loss).toBe('logLoss');
    expect(d.rollingLoss).toBeCloseTo(s.metrics[0].logLoss!, 12);
    expect(d.naiveLoss).toBeGreaterThan(0.5);
    expect(d.degraded).toBe(d.reasons.some((x) => /above the test|does not beat/.test(x)));
    await store.close();
  });
});
