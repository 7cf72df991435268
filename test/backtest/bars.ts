/** Test helpers: small hand-written bar series and the GOOG daily fixture from ../shared. */
import { allocSeries, type BarSeries } from '../../src/core/bars.js';
import type { Interval } from '../../src/core/interval.js';
import { readCsvSeries } from '../features/helpers.js';
import { sharedPath } from '../helpers/shared.js';

const DAY = 86_400_000;

/** A series from OHLC rows [open, high, low, close], one bar a day from 2024-01-01 (UTC). */
export function barsFrom(rows: ReadonlyArray<readonly [number, number, number, number]>, symbol = 'TEST', interval: Interval = '1d'): BarSeries {
  const s = allocSeries(symbol, interval, rows.length);
  rows.forEach(([o, h, l, c], i) => {
    s.time[i] = Date.UTC(2024, 0, 1) + i * DAY;
    s.open[i] = o;
    s.high[i] = h;
    s.low[i] = l;
    s.close[i] = c;
    s.volume[i] = 1000;
  });
  return s;
}

/** Bars whose open, high, low and close all equal the given prices. */
export function flatBars(prices: readonly number[]): BarSeries {
  return barsFrom(prices.map((p) => [p, p, p, p] as const));
}

/** A seeded-looking deterministic random walk without Math.random (sin-based), n daily bars. */
export function walkBars(n: number, symbol = 'WALK'): BarSeries {
  const s = allocSeries(symbol, '1d', n);
  let price = 100;
  for (let i = 0; i < n; i++) {
    const o = price * (1 + 0.002 * Math.sin(i * 1.7));
    const c = o * (1 + 0.015 * Math.sin(i * 0.37 + Math.cos(i * 0.11) * 3));
    s.time[i] = Date.UTC(2020, 0, 1) + i * DAY;
    s.open[i] = o;
    s.close[i] = c;
    s.high[i] = Math.max(o, c) * 1.004;
    s.low[i] = Math.min(o, c) * 0.996;
    s.volume[i] = 1000;
    price = c;
  }
  return s;
}

/** ../shared/data/market/backtesting.py/GOOG-1d.csv as a series (call only when HAS_SHARED). */
export function loadGoog(): BarSeries {
  return readCsvSeries(sharedPath('data', 'market', 'backtesting.py', 'GOOG-1d.csv'), '1d', 'GOOG');
}
