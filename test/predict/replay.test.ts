/**
 * Replaying history on a real store: per model strictly out of sample, the batch forecasts equal the model's
 * forecasts of the same rows, the newest replayed bar equals what `pulse predict` stores for it, outcomes are the
 * realised labels, and an interrupted replay writes nothing half.
 */
import { describe, expect, it } from 'vitest';
import { defaultConfig } from '../../src/config/config.js';
import { DataError, InterruptedError, UsageError } from '../../src/core/errors.js';
import { silentLogger } from '../../src/core/logger.js';
import { DEFAULT_FEATURE_SET } from '../../src/features/feature-set.js';
import { computeLabels } from '../../src/features/labels.js';
import { forecast } from '../../src/lifecycle/forecast.js';
import { registeredModelInputs } from '../../src/lifecycle/inputs.js';
import { loadRegisteredModel } from '../../src/lifecycle/load.js';
import { pointSignalRule, sideOf, signalOf } from '../../src/lifecycle/signals.js';
import { parseTarget } from '../../src/lifecycle/targets.js';
import { collect } from '../../src/market/collect.js';
import { predict } from '../../src/predict/predict.js';
import { replay } from '../../src/predict/replay.js';
import { openStore, type Store } from '../../src/store/store.js';
import { trainJob } from '../../src/train/train-job.js';
import { useTempHome } from '../helpers/home.js';

const NOW = Date.UTC(2025, 0, 1);
const deps = (store: Store, signal?: AbortSignal) => ({ store, now: () => NOW, log: silentLogger, signal });

describe('replaying history', () => {
  const tempHome = useTempHome();

  async function home(): Promise<{ store: Store; home: string }> {
    const dir = tempHome();
    const store = await openStore(dir);
    await collect(
      { symbols: ['ACME'], sources: ['synthetic'], interval: '1d', resample: [], acceptOutliers: false, seed: 9, from: Date.UTC(2018, 0, 1), to: Date.UTC(2021, 0, 1), calendar: 'XNYS' },
      { store, settings: defaultConfig().collect, now: () => NOW, log: silentLogger },
    );
    return { store, home: dir };
  }

  const train = async (store: Store, dir: string, to: number, alpha: number) =>
    (await trainJob(
      {
        symbols: ['ACME'], interval: '1d', family: 'ridge', target: parseTarget('return', { horizon: 1 }), set: DEFAULT_FEATURE_SET, references: {},
        params: { alpha }, cv: 'walk-forward', folds: 3, window: { kind: 'expanding' }, embargo: 1, testSize: 0.1, pooled: false, seed: 3, activate: false, trigger: 'manual', to,
      },
      { store, home: dir, now: () => NOW, log: silentLogger },
    )).models[0].model;

  it('predicts each model\'s out-of-sample bars in one batch, as predict would have, and fills their outcomes', async () => {
    const { store, home: dir } = await home();
    const early = await train(store, dir, Date.UTC(2020, 0, 1), 1);
    const late = await train(store, dir, Date.UTC(2020, 6, 1), 10);
    expect([early.status, late.status]).toEqual(['active', 'shadow']);

    // Ctrl-C while the first model's outcomes are filled: its predictions and outcomes are whole, the second model
    // writes nothing (the replay stops before its first chunk)
    const ctrlC = new AbortController();
    let clock = 0;
    const interrupted = replay({ symbols: ['ACME'], interval: '1d', from: Date.UTC(2019, 6, 1) }, { ...deps(store, ctrlC.signal), now: () => (clock++ === 1 && ctrlC.abort(), NOW) });
    await expect(interrupted).rejects.toThrow(InterruptedError);
    const half = await store.predictions.list({ symbol: 'ACME', limit: 10_000 });
    expect(new Set(half.map((p) => p.modelId))).toEqual(new Set([early.id]));
    expect(half.filter((p) => p.outcome === null)).toHaveLength(1);

    const r = await replay({ symbols: ['ACME'], interval: '1d', from: Date.UTC(2019, 6, 1) }, deps(store));
    expect(r.models[0].predicted).toBe(half.length);
    expect(r.failures).toEqual([]);
    const [a, b] = r.models;
    expect([a.modelId, b.modelId]).toEqual([early.id, late.id]);
    // per model: only bars after its own training end; the later model skips more of the range
    expect(a.firstBar).toBeGreaterThan(early.trainTo);
    expect(b.firstBar).toBeGreaterThan(late.trainTo);
    expect(b.skipped).toBeGreaterThan(a.skipped + 100);
    expect(a.predicted + a.skipped).toBe(b.predicted + b.skipped);
    expect(r.predictions).toBe(a.predicted + b.predicted);

    const series = await store.bars.load('ACME', '1d');
    const labels = computeLabels(series, [{ kind: 'forwardReturn', horizon: 1 }]).columns[0];
    for (const version of [early, late]) {
      const loaded = loadRegisteredModel(version);
      const inputs = await registeredModelInputs(store, loaded.document, version.id, 'ACME');
      const all = forecast(loaded.model, inputs.X, loaded.classValues, inputs.warmupRows).values;
      const stored = (await store.predictions.list({ symbol: 'ACME', modelId: version.id, limit: 10_000 })).reverse();
      expect(stored.length).toBe(r.models.find((m) => m.modelId === version.id)!.predicted);
      expect(stored[0].barTs).toBeGreaterThan(version.trainTo);
      for (const p of stored) {
        const i = Array.prototype.indexOf.call(inputs.time, p.barTs) as number;
        expect(p.value).toBeCloseTo(all[i], 14);
        expect(p.signal).toBe(sideOf(signalOf(p.value, pointSignalRule('regression'))));
        expect(p.outcome).toBe(Number.isNaN(labels[i]) ? null : labels[i]);
      }
      expect(stored.filter((p) => p.outcome === null).map((p) => p.barTs)).toEqual([series.time[series.length - 1]]);
    }

    // the newest replayed bar is what a cron run of pulse predict stores for it
    const before = (await store.predictions.list({ symbol: 'ACME', modelId: early.id, limit: 1 }))[0];
    const cron = (await predict({ symbols: ['ACME'], interval: '1d' }, deps(store))).predictions.find((p) => p.modelId === early.id)!;
    expect([cron.barTs, cron.value, cron.signal]).toEqual([before.barTs, before.value, before.signal]);
    await store.close();
  });

  it('refuses a range inside every training window, an empty range, and stops at once when interrupted', async () => {
    const { store, home: dir } = await home();
    const model = await train(store, dir, Date.UTC(2020, 0, 1), 1);
    await expect(replay({ symbols: ['ACME'], interval: '1d', from: Date.UTC(2018, 6, 1), to: Date.UTC(2019, 6, 1) }, deps(store))).rejects.toThrow(DataError);
    await expect(replay({ symbols: ['ACME'], interval: '1d', from: Date.UTC(2018, 6, 1), to: Date.UTC(2019, 6, 1) }, deps(store))).rejects.toThrow(/no model can predict a bar of 2018-07-01\.\.2019-07-01 out of sample/);
    await expect(replay({ symbols: ['ACME'], interval: '1d', from: Date.UTC(2030, 0, 1) }, deps(store))).rejects.toThrow(/no stored bar of ACME 1d lies in 2030-01-01\.\./);
    await expect(replay({ symbols: ['ACME'], interval: '1d', from: Date.UTC(2020, 0, 1), to: Date.UTC(2020, 0, 1) }, deps(store))).rejects.toThrow(UsageError);

    const aborted = new AbortController();
    aborted.abort();
    await expect(replay({ symbols: ['ACME'], interval: '1d', from: Date.UTC(2020, 0, 1) }, deps(store, aborted.signal))).rejects.toThrow(InterruptedError);
    expect(await store.predictions.list({ symbol: 'ACME', modelId: model.id, limit: 10 })).toEqual([]);

    const bounded = await replay({ symbols: ['ACME'], interval: '1d', from: Date.UTC(2020, 0, 1), to: Date.UTC(2020, 2, 1) }, deps(store));
    expect(bounded.models[0].lastBar).toBeLessThan(Date.UTC(2020, 2, 1));
    expect(bounded.models[0].outcomesFilled).toBe(bounded.models[0].predicted);
    await store.close();
  });
});
