/**
 * The objectives of `pulse optimize`: their directions, values from the metric set and the backtest statistics,
 * and the failure of a backtest objective whose signals made no trade (the trial fails with the reason, the study
 * goes on).
 */
import { describe, expect, it } from 'vitest';
import { runBacktest } from '../../src/backtest/backtest.js';
import { sliceSeries } from '../../src/core/bars.js';
import { regressionMetrics, classificationMetrics } from '../../src/evaluation/reports.js';
import { pointSignalRule } from '../../src/lifecycle/signals.js';
import { OBJECTIVE_NAMES, ObjectiveUndefined, type FoldOutcome, type ObjectiveContext } from '../../src/optimize/objectives/objective.js';
import { OBJECTIVES } from '../../src/optimize/objectives/registry.js';
import { randomSampler } from '../../src/optimize/random.js';
import { floatDist } from '../../src/optimize/space.js';
import { MemoryStudyStorage } from '../../src/optimize/storage.js';
import { Study } from '../../src/optimize/study.js';
import type { Task } from '../../src/models/model.js';
import { walkBars } from '../backtest/bars.js';

const bars = walkBars(300);

/** The real backtest of forecasts of bar rows [from, to) of `bars`, long-only with the default rule. */
function context(task: Task = 'regression'): ObjectiveContext {
  return {
    task,
    backtest: (forecasts, from, to) =>
      runBacktest(sliceSeries(bars, from, to), { signal: { kind: 'model', modelId: 'test', predictions: forecasts, rule: pointSignalRule(task) }, periodsPerYear: 252, bootstrapDraws: 0 }),
  };
}

/** A fold of regression forecasts over rows [from, to]. */
function fold(from: number, to: number, forecast: (row: number) => number, y: number[] = [0.01, -0.02, 0.03], pred: number[] = [0.02, -0.01, 0.01]): FoldOutcome {
  return {
    metrics: regressionMetrics(Float64Array.from(y), Float64Array.from(pred)),
    forecasts: Float64Array.from({ length: to - from + 1 }, (_, i) => forecast(from + i)),
    validFrom: from,
    validTo: to,
  };
}

/** Forecast the next close's move exactly (a perfect foresight model): it trades and earns. */
const foresight = (row: number) => (row + 1 < bars.length ? bars.close[row + 1] - bars.close[row] : 0);

describe('optimize objectives', () => {
  it('are registered under their own names, each with a direction', () => {
    expect(Object.keys(OBJECTIVES).sort()).toEqual([...OBJECTIVE_NAMES].sort());
    for (const [name, o] of Object.entries(OBJECTIVES)) expect(o.name).toBe(name);
    const directions = Object.fromEntries(Object.values(OBJECTIVES).map((o) => [o.name, o.direction]));
    expect(directions).toEqual({ 'cv-loss': 'minimize', 'cv-ic': 'maximize', sharpe: 'maximize', sortino: 'maximize', calmar: 'maximize', 'profit-drawdown': 'maximize' });
    expect(Object.values(OBJECTIVES).filter((o) => o.backtest).map((o) => o.name).sort()).toEqual(['calmar', 'profit-drawdown', 'sharpe', 'sortino']);
  });

  it('cv-loss is the mean fold rmse (regression) or log loss (classification), as pulse train reports it', () => {
    const a = fold(0, 2, () => 0, [0.01, -0.02, 0.03], [0.02, -0.01, 0.01]);
    const b = fold(3, 5, () => 0, [0.05, 0.0, -0.01], [0.0, 0.01, 0.02]);
    const expected = (a.metrics as { rmse: number }).rmse / 2 + (b.metrics as { rmse: number }).rmse / 2;
    expect(OBJECTIVES['cv-loss'].value([a, b], context(), true)).toBeCloseTo(expected, 15);
    const c = { ...a, metrics: classificationMetrics(Float64Array.from([0, 1, 1]), Float64Array.from([0.2, 0.7, 0.4]), 2) };
    const logLoss = -(Math.log(0.8) + Math.log(0.7) + Math.log(0.4)) / 3;
    expect(OBJECTIVES['cv-loss'].value([c], context('binary'), true)).toBeCloseTo(logLoss, 12);
  });

  it('cv-ic scores regression targets only', () => {
    expect(OBJECTIVES['cv-ic'].unsupported('regression')).toBeNull();
    expect(OBJECTIVES['cv-ic'].unsupported('binary')).toMatch(/learnt as binary/);
    const a = fold(0, 2, () => 0, [1, 2, 3], [10, 20, 30]);
    expect(OBJECTIVES['cv-ic'].value([a], context(), true)).toBeCloseTo(1, 12);
  });

  it('the backtest objectives read the statistics of the stitched out-of-sample backtest', () => {
    const folds = [fold(100, 149, foresight), fold(150, 199, foresight), fold(200, 249, foresight)];
    const whole = runBacktest(sliceSeries(bars, 100, 250), { signal: { kind: 'model', modelId: 'test', predictions: Float64Array.from({ length: 150 }, (_, i) => foresight(100 + i)), rule: pointSignalRule('regression') }, periodsPerYear: 252, bootstrapDraws: 0 });
    expect(whole.trades.length).toBeGreaterThan(0);
    expect(OBJECTIVES.sharpe.value(folds, context(), true)).toBe(whole.stats.sharpe);
    expect(OBJECTIVES.sortino.value(folds, context(), true)).toBe(whole.stats.sortino);
    expect(OBJECTIVES.calmar.value(folds, context(), true)).toBe(whole.stats.calmar);
    expect(OBJECTIVES['profit-drawdown'].value(folds, context(), true)).toBe(whole.stats.returnPct! - whole.stats.maxDrawdownPct!);
    expect(whole.stats.sharpe).toBeGreaterThan(1); // foresight earns: the higher the better
  });

  it('a backtest objective without trades is undefined: NaN at an intermediate step, a reason at the end', () => {
    const flat = [fold(100, 149, () => 0), fold(150, 199, () => 0)];
    for (const name of ['sharpe', 'sortino', 'calmar', 'profit-drawdown'] as const) {
      expect(OBJECTIVES[name].value(flat, context(), false)).toBeNaN();
      expect(() => OBJECTIVES[name].value(flat, context(), true)).toThrow(ObjectiveUndefined);
    }
    expect(() => OBJECTIVES.sharpe.value(flat, context(), true)).toThrow("the model's signals made no trade in the 100 out-of-sample bars, so sharpe is undefined");
  });

  it('a trial whose objective is undefined is recorded failed with the reason, and the study goes on', async () => {
    const study = await Study.open({ storage: new MemoryStudyStorage(), name: 's', direction: 'maximize', space: { edge: floatDist(-1, 1) }, sampler: randomSampler, pruner: null, seed: 7, owner: null });
    const result = await study.optimize(async (trial) => {
      const edge = trial.params.edge as number;
      // A negative edge forecasts nothing but flat: no trade, so the Sharpe ratio does not exist.
      const forecast = (row: number) => (edge < 0 ? 0 : foresight(row));
      return OBJECTIVES.sharpe.value([fold(100, 199, forecast)], context(), true);
    }, { nTrials: 8 });
    const trials = await study.trials();
    expect(trials.map((t) => t.number)).toEqual([0, 1, 2, 3, 4, 5, 6, 7]);
    const failed = trials.filter((t) => t.state === 'failed');
    const complete = trials.filter((t) => t.state === 'complete');
    expect(failed.length).toBeGreaterThan(0);
    expect(complete.length).toBeGreaterThan(0);
    for (const t of failed) {
      expect(t.params.edge as number).toBeLessThan(0);
      expect(t.failReason).toBe("the model's signals made no trade in the 100 out-of-sample bars, so sharpe is undefined");
    }
    expect(result.counts).toEqual({ running: 0, complete: complete.length, pruned: 0, failed: failed.length });
    expect(result.bestTrial?.state).toBe('complete');
  });
});
