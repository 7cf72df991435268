/**
 * `runStoredBacktest` against a real store: strategies, a registered model strictly out of sample, walk-forward
 * retraining, refusals with their exit codes, the files it writes and the record `backtest ls` reads.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { defaultConfig } from '../../src/config/config.js';
import { silentLogger } from '../../src/core/logger.js';
import { DataError, UsageError } from '../../src/core/errors.js';
import {
  defaultRetrainEvery,
  listRecordedBacktests,
  naivePredictions,
  runStoredBacktest,
  type StoredBacktestRequest,
} from '../../src/backtest/run.js';
import { forwardLogReturns } from '../../src/backtest/returns.js';
import { buildFeatureFrame } from '../../src/dataset/feature-frame.js';
import { DEFAULT_FEATURE_SET } from '../../src/features/feature-set.js';
import { loadRegisteredModel } from '../../src/lifecycle/load.js';
import { signalRule } from '../../src/lifecycle/signals.js';
import { collect } from '../../src/market/collect.js';
import { openStore, type Store } from '../../src/store/store.js';
import { parseTarget } from '../../src/lifecycle/targets.js';
import { trainJob } from '../../src/train/train-job.js';
import { useTempHome } from '../helpers/home.js';

const NOW = Date.UTC(2025, 0, 1);
const deps = (store: Store) => ({ store, now: () => NOW, log: silentLogger });

async function collectAcme(store: Store, from: number, to: number, symbol = 'ACME') {
  await collect(
    { symbols: [symbol], sources: ['synthetic'], interval: '1d', resample: [], acceptOutliers: false, seed: 9, from, to, calendar: 'XNYS' },
    { store, settings: defaultConfig().collect, now: () => NOW, log: silentLogger },
  );
}

function request(over: Partial<StoredBacktestRequest> = {}): StoredBacktestRequest {
  return {
    symbol: 'ACME',
    interval: '1d',
    source: { kind: 'strategy', name: 'sma-cross' },
    signal: {},
    options: { seed: 5, bootstrapDraws: 50 },
    outputs: {},
    cwd: '/',
    ...over,
  };
}

/** The result as `--json` would print it: plain arrays for the typed curves. */
function json(value: unknown): string {
  return JSON.stringify(value, (_k, v: unknown) => (v instanceof Float64Array ? Array.from(v) : v));
}

describe('runStoredBacktest', () => {
  const tempHome = useTempHome();

  it('runs a strategy over the requested range, writes every file and records the run', async () => {
    const home = tempHome();
    const store = await openStore(home);
    await collectAcme(store, Date.UTC(2019, 0, 1), Date.UTC(2022, 0, 1));
    const outputs = { trades: 'trades.csv', equity: join(home, 'equity.csv'), report: 'r.html', junit: 'gate.xml' };
    const run = await runStoredBacktest(
      request({ from: Date.UTC(2020, 0, 1), to: Date.UTC(2021, 0, 1), outputs, assert: 'bars > 100 and sharpe > 99', cwd: home }),
      deps(store),
    );
    expect(run.result.stats.startMs).toBe(Date.UTC(2020, 0, 2)); // the first XNYS session of 2020 (New Year's Day is a holiday)
    expect(run.result.params.periodsPerYear).toBeCloseTo(251.5, 0); // from the stored calendar
    expect(run.result.stats.endMs).toBeLessThan(Date.UTC(2021, 0, 1));
    expect(run.bars.length).toBe(run.result.stats.bars);
    expect(run.assertion!.passed).toBe(false);
    expect(run.assertion!.clauses.map((c) => c.passed)).toEqual([true, false]);
    for (const f of [join(home, 'trades.csv'), join(home, 'equity.csv'), join(home, 'r.html'), join(home, 'gate.xml')]) expect(existsSync(f)).toBe(true);
    expect(readFileSync(join(home, 'equity.csv'), 'utf8').trim().split('\n')).toHaveLength(run.result.stats.bars! + 1);
    expect(readFileSync(join(home, 'gate.xml'), 'utf8')).toContain('<failure');
    const [rec] = await listRecordedBacktests(store, { limit: 5 });
    expect(rec).toMatchObject({
      id: run.recordId,
      symbol: 'ACME',
      kind: 'strategy',
      source: 'sma-cross',
      modelId: null,
      bars: run.result.stats.bars,
      seed: 5,
      trades: run.result.trades.length,
      assertPassed: false,
      reportPath: join(home, 'r.html'),
      createdAt: NOW,
    });
    expect(rec.returnPct).toBeCloseTo(run.result.stats.returnPct!, 12);
    // Same inputs and seed: the same result, byte for byte.
    const again = await runStoredBacktest(request({ from: Date.UTC(2020, 0, 1), to: Date.UTC(2021, 0, 1), assert: 'bars > 100 and sharpe > 99' }), deps(store));
    expect(json(again.result)).toBe(json(run.result));
    expect((await listRecordedBacktests(store, { limit: 5 })).map((r) => r.id)).toEqual([again.recordId, run.recordId]);
    expect(await listRecordedBacktests(store, { symbol: 'OTHER', limit: 5 })).toEqual([]);
    await store.close();
  });

  it('refuses bad requests with the documented exit codes before running anything', async () => {
    const store = await openStore(tempHome());
    await expect(runStoredBacktest(request(), deps(store))).rejects.toMatchObject({ exitCode: 3 });
    await collectAcme(store, Date.UTC(2020, 0, 1), Date.UTC(2021, 0, 1));
    await expect(runStoredBacktest(request({ from: Date.UTC(2023, 0, 1) }), deps(store))).rejects.toThrow(DataError);
    await expect(runStoredBacktest(request({ from: Date.UTC(2020, 5, 1), to: Date.UTC(2020, 0, 1) }), deps(store))).rejects.toThrow(UsageError);
    await expect(runStoredBacktest(request({ options: { feeBps: -1 } }), deps(store))).rejects.toThrow(UsageError);
    await expect(runStoredBacktest(request({ options: { feeBps: 5000 } }), deps(store))).rejects.toThrow(UsageError);
    await expect(runStoredBacktest(request({ options: { slippage: { kind: 'bps', bps: -2 } } }), deps(store))).rejects.toThrow(UsageError);
    const bad = runStoredBacktest(request({ assert: 'sharp >= 1' }), deps(store));
    await expect(bad).rejects.toThrow(UsageError);
    await expect(bad).rejects.toMatchObject({ exitCode: 2, hint: expect.stringContaining('maxDrawdownPct') });
    await expect(runStoredBacktest(request({ outputs: { junit: 'x.xml' } }), deps(store))).rejects.toThrow(/--assert/);
    await expect(runStoredBacktest(request({ outputs: { report: '/no/such/dir/r.html' } }), deps(store))).rejects.toMatchObject({ exitCode: 2 });
    expect(await listRecordedBacktests(store, { limit: 10 })).toEqual([]);
    await store.close();
  });

  it('backtests a registered model only on bars after its training data, and refuses other symbols and in-sample ranges', async () => {
    const home = tempHome();
    const store = await openStore(home);
    await collectAcme(store, Date.UTC(2018, 0, 1), Date.UTC(2022, 0, 1));
    await collectAcme(store, Date.UTC(2018, 0, 1), Date.UTC(2022, 0, 1), 'GLOBEX');
    const trained = await trainJob(
      {
        symbols: ['ACME'], interval: '1d', family: 'ridge', target: parseTarget('return', { horizon: 1 }), set: DEFAULT_FEATURE_SET, references: {},
        params: {}, cv: 'walk-forward', folds: 3, window: { kind: 'expanding' }, embargo: 1, testSize: 0.1, pooled: false, seed: 3, activate: false, trigger: 'manual',
      },
      { store, home, now: () => NOW, log: silentLogger },
    );
    const model = trained.models[0].model;
    await expect(runStoredBacktest(request({ source: { kind: 'model', model: 'active' } }), deps(store))).rejects.toThrow(DataError);
    await collectAcme(store, Date.UTC(2018, 0, 1), Date.UTC(2023, 0, 1));

    const run = await runStoredBacktest(request({ source: { kind: 'model', model: 'active' } }), deps(store));
    expect(run.model!.id).toBe(model.id);
    expect(run.result.stats.startMs).toBeGreaterThan(model.trainTo);
    expect(run.bars.time[0]).toBe(Date.UTC(2022, 0, 3));
    expect(run.result.params.source).toEqual({ kind: 'model', modelId: model.id, rule: { kind: 'threshold', threshold: 0 } });
    expect(run.result.baselines.naive).not.toBeNull();
    expect(run.result.stats.directionalAccuracyPct).not.toBeNull();
    expect((await listRecordedBacktests(store, { limit: 1 }))[0]).toMatchObject({ kind: 'model', modelId: model.id });
    // The scored forecasts are the model's own predictions of each bar, aligned with the return that follows it.
    const loaded = loadRegisteredModel(model);
    const frame = await buildFeatureFrame(store, { symbol: 'ACME', interval: '1d', set: loaded.set, from: run.bars.time[0] });
    const predicted = loaded.model.predict({ columns: frame.columns, names: frame.names, numRows: frame.rows });
    const realized = forwardLogReturns(run.bars, 1);
    let se = 0;
    let pairs = 0;
    for (let i = 0; i < frame.rows; i++) {
      if (!Number.isFinite(realized[i])) continue;
      se += (predicted[i] - realized[i]) ** 2;
      pairs++;
    }
    expect(pairs).toBe(run.bars.length - 1);
    expect(run.result.stats.forecastRmse).toBeCloseTo(Math.sqrt(se / pairs), 12);

    const inSample = runStoredBacktest(request({ source: { kind: 'model', model: model.id }, from: Date.UTC(2021, 0, 1) }), deps(store));
    await expect(inSample).rejects.toThrow(UsageError);
    await expect(inSample).rejects.toThrow(/in-sample/);
    const later = await runStoredBacktest(request({ source: { kind: 'model', model: model.id }, from: Date.UTC(2022, 6, 1) }), deps(store));
    expect(later.result.stats.startMs).toBe(Date.UTC(2022, 6, 1));
    await expect(runStoredBacktest(request({ symbol: 'GLOBEX', source: { kind: 'model', model: model.id } }), deps(store))).rejects.toThrow(/not GLOBEX/);
    await expect(runStoredBacktest(request({ interval: '1h', source: { kind: 'model', model: model.id } }), deps(store))).rejects.toThrow(/forecasts 1d bars/);
    await expect(runStoredBacktest(request({ source: { kind: 'model', model: 'nope-1' } }), deps(store))).rejects.toThrow(DataError);
    await expect(runStoredBacktest(request({ source: { kind: 'model', model: model.id }, signal: { threshold: 0.001, quantile: 0.2 } }), deps(store))).rejects.toThrow(UsageError);
    // A model file that no longer matches the registry (edited, or another feature set) is refused with exit 3.
    writeFileSync(model.file, readFileSync(model.file, 'utf8').replace('"default"', '"other"'));
    await expect(runStoredBacktest(request({ source: { kind: 'model', model: model.id } }), deps(store))).rejects.toMatchObject({ exitCode: 3 });
    await store.close();
  });

  it('walk-forward: predictions start after the feature warm-up and a year of training rows, segment by segment', async () => {
    const store = await openStore(tempHome());
    await collectAcme(store, Date.UTC(2018, 0, 1), Date.UTC(2021, 6, 1));
    const run = await runStoredBacktest(
      request({
        source: { kind: 'walk-forward', family: 'ridge', target: parseTarget('return', { horizon: 2 }), set: DEFAULT_FEATURE_SET, references: {}, params: {}, retrainEvery: 63 },
      }),
      deps(store),
    );
    const wf = run.walkForward!;
    expect(wf.retrainEvery).toBe(63);
    expect(wf.segments[0].retrainAt).toBe(run.result.stats.startMs);
    for (const s of wf.segments) expect(s.trainTo).toBeLessThan(s.retrainAt);
    for (let k = 1; k < wf.segments.length; k++) expect(wf.segments[k].retrainAt).toBeGreaterThan(wf.segments[k - 1].predictTo);
    expect(wf.segments.at(-1)!.predictTo).toBe(run.result.stats.endMs);
    expect(run.result.params.source).toMatchObject({ kind: 'model', modelId: 'walk-forward:ridge' });
    expect(run.result.stats.forecastRmse).not.toBeNull();
    expect(defaultRetrainEvery(252)).toBe(21);
    expect(defaultRetrainEvery(8760)).toBe(730);
    await store.close();
  });
});

describe('signal rules and the naive baseline', () => {
  it('picks the rule of the task and refuses two rules at once', () => {
    expect(signalRule('regression', {}, 252)).toEqual({ kind: 'threshold', threshold: 0 });
    expect(signalRule('binary', {}, 252)).toEqual({ kind: 'probability', threshold: 0.5 });
    expect(signalRule('binary', { threshold: 0.6 }, 252)).toEqual({ kind: 'probability', threshold: 0.6 });
    expect(signalRule('multiclass', { quantile: 0.2 }, 252)).toEqual({ kind: 'quantile', quantile: 0.2, windowBars: 252, minObservations: 20 });
    expect(() => signalRule('regression', { threshold: 0, quantile: 0.1 }, 252)).toThrow(UsageError);
  });

  it('the persistence forecast: trailing h-bar log return, its sign, or up/down probabilities', () => {
    const close = Float64Array.of(100, 110, 99, 99, 120);
    const r = naivePredictions(close, 1, 5, 1, 'regression', { kind: 'threshold', threshold: 0 });
    expect(Array.from(r)).toEqual([Math.log(1.1), Math.log(99 / 110), 0, Math.log(120 / 99)]);
    const h2 = naivePredictions(close, 0, 5, 2, 'regression', { kind: 'threshold', threshold: 0 });
    expect(h2[0]).toBeNaN();
    expect(h2[2]).toBeCloseTo(Math.log(0.99), 15);
    expect(Array.from(naivePredictions(close, 1, 5, 1, 'binary', { kind: 'probability', threshold: 0.5 }))).toEqual([1, 0, 0.5, 1]);
    expect(Array.from(naivePredictions(close, 1, 5, 1, 'multiclass', { kind: 'threshold', threshold: 0 }))).toEqual([1, -1, 0, 1]);
  });
});
