import { readFileSync } from 'node:fs';
import { Rng } from '../../src/core/rng.js';
import { allocSeries, type BarSeries } from '../../src/core/bars.js';
import { INTERVAL_MS, type Interval } from '../../src/core/interval.js';

/**
 * A seeded geometric random walk of valid OHLCV bars (fat-tailed returns, volume occasionally zero), starting
 * at `start` ms with one bar per interval.
 */
export function randomWalkSeries(
  seed: number,
  n: number,
  interval: Interval = '1h',
  start = Date.UTC(2024, 0, 1),
): BarSeries {
  const rng = new Rng(seed);
  const s = allocSeries('SYN', interval, n);
  let price = 100;
  for (let i = 0; i < n; i++) {
    const open = price * Math.exp(0.002 * rng.normal());
    const close = open * Math.exp(0.01 * rng.studentT(5));
    const high = Math.max(open, close) * Math.exp(Math.abs(0.004 * rng.normal()));
    const low = Math.min(open, close) * Math.exp(-Math.abs(0.004 * rng.normal()));
    s.time[i] = start + i * INTERVAL_MS[interval];
    s.open[i] = open;
    s.high[i] = high;
    s.low[i] = low;
    s.close[i] = close;
    s.volume[i] = rng.bernoulli(0.02) ? 0 : Math.round(1000 * Math.exp(rng.normal()));
    price = close;
  }
  return s;
}

/** Read a `timestamp,open,high,low,close,volume` CSV (ISO UTC timestamps) into a series. */
export function readCsvSeries(path: string, interval: Interval, symbol = 'CSV'): BarSeries {
  const lines = readFileSync(path, 'utf8').trim().split('\n').slice(1);
  const s = allocSeries(symbol, interval, lines.length);
  lines.forEach((line, i) => {
    const [ts, o, h, l, c, v] = line.split(',');
    s.time[i] = Date.parse(ts);
    s.open[i] = Number(o);
    s.high[i] = Number(h);
    s.low[i] = Number(l);
    s.close[i] = Number(c);
    s.volume[i] = v === '' ? 0 : Number(v);
  });
  return s;
}

/** Plain number array of a typed column (for third-party libraries). */
export function toArray(a: Float64Array): number[] {
  return Array.from(a);
}
