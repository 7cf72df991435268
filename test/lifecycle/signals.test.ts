/**
 * One mapping from forecasts to signals: `pulse predict`'s printed signal and `pulse backtest --model`'s trades
 * come from the same rule and the same function.
 */
import { describe, expect, it } from 'vitest';
import { defaultConfig } from '../../src/config/config.js';
import { UsageError } from '../../src/core/errors.js';
import { silentLogger } from '../../src/core/logger.js';
import { runStoredBacktest } from '../../src/backtest/run.js';
import { DEFAULT_FEATURE_SET } from '../../src/features/feature-set.js';
import { forecast } from '../../src/lifecycle/forecast.js';
import { registeredModelInputs } from '../../src/lifecycle/inputs.js';
import { loadRegisteredModel } from '../../src/lifecycle/load.js';
import { pointSignalRule, sideOf, signalOf, signalRule, signalsFromPredictions } from '../../src/lifecycle/signals.js';
import { parseTarget } from '../../src/lifecycle/targets.js';
import { collect } from '../../src/market/collect.js';
import type { Task } from '../../src/models/model.js';
import { predict } from '../../src/predict/predict.js';
import { openStore, type Store } from '../../src/store/store.js';
import { trainJob } from '../../src/train/train-job.js';
import { useTempHome } from '../helpers/home.js';

const NOW = Date.UTC(2025, 0, 1);

describe('signals from forecasts', () => {
  const tempHome = useTempHome();

  it.each<[Task, number[], string[]]>([
    // regression and multiclass: the sign of the forecast; binary: P(up) against 0.5
    ['regression', [0.0004, -0.0001, 0, NaN], ['long', 'short', 'flat', 'flat']],
    ['binary', [0.52, 0.49, 0.5, NaN], ['long', 'short', 'flat', 'flat']],
    ['multiclass', [0.05, -0.3, 0, NaN], ['long', 'short', 'flat', 'flat']],
  ])('%s: the default rule backtest trades by is the one a single forecast is read by', (task, forecasts, sides) => {
    const series = signalsFromPredictions(Float64Array.from(forecasts), signalRule(task, {}, 252));
    const single = forecasts.map((f) => signalOf(f, pointSignalRule(task)));
    expect(Array.from(series)).toEqual(single);
    expect(single.map(sideOf)).toEqual(sides);
  });

  it('refuses a threshold that does not fit the task, for predict and backtest alike', () => {
    expect(() => pointSignalRule('binary', 0.05)).toThrow(UsageError);
    expect(() => signalRule('binary', { threshold: 0.05 }, 252)).toThrow(UsageError);
    expect(pointSignalRule('binary', 0.6)).toEqual(signalRule('binary', { threshold: 0.6 }, 252));
  });

  async function trained(store: Store, home: string, target: 'return' | 'direction', family: 'ridge' | 'logistic') {
    await collect(
      { symbols: ['ACME'], sources: ['synthetic'], interval: '1d', resample: [], acceptOutliers: false, seed: 9, from: Date.UTC(2018, 0, 1), to: Date.UTC(2021, 0, 1), calendar: 'XNYS' },
      { store, settings: defaultConfig().collect, now: () => NOW, log: silentLogger },
    );
    const job = await trainJob(
      {
        symbols: ['ACME'], interval: '1d', family, target: parseTarget(target, { horizon: 1 }), set: DEFAULT_FEATURE_SET, references: {},
        // a light penalty, so the forecasts move around their no-edge point instead of sitting on the drift
        params: { alpha: 1 }, cv: 'walk-forward', folds: 3, window: { kind: 'expanding' }, embargo: 1, testSize: 0.1, pooled: false, seed: 3, activate: false, trigger: 'manual',
      },
      { store, home, now: () => NOW, log: silentLogger },
    );
    await collect(
      { symbols: ['ACME'], sources: ['synthetic'], interval: '1d', resample: [], acceptOutliers: false, seed: 9, from: Date.UTC(2018, 0, 1), to: Date.UTC(2022, 0, 1), calendar: 'XNYS' },
      { store, settings: defaultConfig().collect, now: () => NOW, log: silentLogger },
    );
    return job.models[0].model;
  }

  it.each([['return', 'ridge'], ['direction', 'logistic']] as const)(
    '%s model: predict prints, and backtest trades, the signal of the same forecast by the same rule',
    async (target, family) => {
      const home = tempHome();
      const store = await openStore(home);
      const version = await trained(store, home, target, family);
      const loaded = loadRegisteredModel(version);
      const rule = pointSignalRule(loaded.task);

      // predict: the newest bar's forecast and its printed signal
      const [p] = (await predict({ symbols: ['ACME'], interval: '1d', model: version.id }, { store, now: () => NOW, log: silentLogger })).predictions;
      const inputs = await registeredModelInputs(store, loaded.document, version.id, 'ACME');
      const all = forecast(loaded.model, inputs.X, loaded.classValues, inputs.warmupRows).values;
      expect(p.value).toBe(all[all.length - 1]);
      expect(p.signal).toBe(sideOf(signalOf(p.value, rule)));
      expect(p.threshold).toBe(rule.threshold);
      if (loaded.task === 'binary') {
        // a threshold is a P(up) for binary models, as in backtests: an offset from 0.5 is the caller's mistake
        await expect(predict({ symbols: ['ACME'], interval: '1d', model: version.id, threshold: 0.05 }, { store, now: () => NOW, log: silentLogger })).rejects.toThrow(UsageError);
      }

      // backtest: the same rule, and every bar's position is the side of the previous bar's forecast (the last bar
      // closes the open trade at its close)
      const run = await runStoredBacktest(
        { symbol: 'ACME', interval: '1d', source: { kind: 'model', model: version.id }, signal: {}, options: { seed: 5, bootstrapDraws: 10, direction: 'long-short' }, outputs: {}, cwd: '/' },
        { store, now: () => NOW, log: silentLogger },
      );
      expect(run.result.params.source).toEqual({ kind: 'model', modelId: version.id, rule });
      const first = all.length - run.bars.length;
      const sides = new Set<string>();
      for (let i = 1; i < run.bars.length - 1; i++) {
        const wanted = sideOf(signalOf(all[first + i - 1], rule));
        sides.add(wanted);
        expect([i, sideOf(run.result.equity.position[i])]).toEqual([i, wanted]);
      }
      expect(sides.size).toBeGreaterThan(1);
      await store.close();
    },
  );
});
