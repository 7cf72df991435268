import { runBacktest } from '../../src/backtest/backtest.js';
import type { BacktestResult } from '../../src/backtest/types.js';
import { Rng } from '../../src/core/rng.js';
import type { BarSeries } from '../../src/core/bars.js';
import { readCsvSeries } from '../features/helpers.js';
import { fixturePath } from '../helpers/shared.js';

/**
 * A model-driven backtest on the committed 400-bar hourly fixture: predictions are the realised next-bar return
 * (damped) plus seeded noise, so the run has winning and losing trades with gaps between them, a naive
 * baseline and a random bootstrap.
 */
export function fixtureBacktest(): { bars: BarSeries; result: BacktestResult } {
  const bars = readCsvSeries(fixturePath('features', 'bars.csv'), '1h', 'SYN-USD');
  const n = bars.length;
  const rng = new Rng(7);
  const predictions = new Float64Array(n);
  const naive = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const next = i + 1 < n ? Math.log(bars.close[i + 1] / bars.close[i]) : 0;
    predictions[i] = 0.3 * next + 0.004 * rng.normal();
    naive[i] = i > 0 ? Math.log(bars.close[i] / bars.close[i - 1]) : 0;
  }
  const result = runBacktest(bars, {
    signal: { kind: 'model', modelId: 'm-fixture-1', predictions, rule: { kind: 'threshold', threshold: 0.003 }, naivePredictions: naive },
    stopLossAtr: 3,
    bootstrapDraws: 200,
    seed: 11,
    periodsPerYear: 252,
  });
  return { bars, result };
}
