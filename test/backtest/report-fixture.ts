import { readFileSync } from 'node:fs';
import { runBacktest } from '../../src/backtest/engine.js';
import type { BacktestResult } from '../../src/backtest/types.js';
import { Rng } from '../../src/core/rng.js';
import { allocSeries, type BarSeries } from '../../src/market/bars.js';
import type { Interval } from '../../src/market/interval.js';
import { fixturePath } from '../helpers/shared.js';

/** Read a `timestamp,open,high,low,close,volume` CSV (ISO UTC times) into a series. */
export function readBarsCsv(path: string, symbol: string, interval: Interval): BarSeries {
  const lines = readFileSync(path, 'utf8').trim().split('\n').slice(1);
  const s = allocSeries(symbol, interval, lines.length);
  lines.forEach((line, i) => {
    const [ts, o, h, l, c, v] = line.split(',');
    s.time[i] = Date.parse(ts);
    s.open[i] = Number(o);
    s.high[i] = Number(h);
    s.low[i] = Number(l);
    s.close[i] = Number(c);
    s.volume[i] = Number(v);
  });
  return s;
}

/**
 * A model-driven backtest on the committed 400-bar hourly fixture: predictions are the realised next-bar return
 * (damped) plus seeded noise, so the run has winning and losing trades with gaps between them, a naive
 * baseline and a random bootstrap.
 */
export function fixtureBacktest(): { bars: BarSeries; result: BacktestResult } {
  const bars = readBarsCsv(fixturePath('features', 'bars.csv'), 'SYN-USD', '1h');
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
  });
  return { bars, result };
}
