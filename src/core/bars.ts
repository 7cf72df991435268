import type { Interval } from './interval.js';

/** One validated OHLCV bar. `ts` is the bar's open time in ms since the Unix epoch (UTC). */
export interface Bar {
  ts: number;
  open: number;
  high: number;
  low: number;
  close: number;
  volume: number;
  /** Split/dividend-adjusted close where the source provides one. */
  adjClose: number | null;
}

/**
 * One row as a source delivered it, before validation. Numbers that could not be parsed are NaN;
 * `raw` is the row's original text (a CSV line, a JSON fragment) and is what quarantine keeps.
 */
export interface SourceRow extends Bar {
  raw: string;
}

/** `length` bars as columns of typed arrays: open time (ms since the epoch) and OHLCV. */
export interface OhlcvColumns {
  length: number;
  time: Float64Array;
  open: Float64Array;
  high: Float64Array;
  low: Float64Array;
  close: Float64Array;
  volume: Float64Array;
}

/**
 * A symbol's bars as columns of typed arrays (the layout every numeric consumer uses).
 * `time` holds ms since epoch; rows are sorted ascending by time with no duplicates.
 */
export interface BarSeries extends OhlcvColumns {
  symbol: string;
  interval: Interval;
}

/** Allocate an empty series of `length` rows. */
export function allocSeries(symbol: string, interval: Interval, length: number): BarSeries {
  return { symbol, interval, ...allocOhlcv(length) };
}

/** Zeroed OHLCV columns of `length` rows. */
function allocOhlcv(length: number): OhlcvColumns {
  return {
    length,
    time: new Float64Array(length),
    open: new Float64Array(length),
    high: new Float64Array(length),
    low: new Float64Array(length),
    close: new Float64Array(length),
    volume: new Float64Array(length),
  };
}

/** Bars (assumed sorted) as OHLCV columns. */
export function ohlcvFromBars(bars: readonly Bar[]): OhlcvColumns {
  const columns = allocOhlcv(bars.length);
  const { length, time, open, high, low, close, volume } = columns;
  for (let i = 0; i < length; i++) {
    const b = bars[i];
    time[i] = b.ts;
    open[i] = b.open;
    high[i] = b.high;
    low[i] = b.low;
    close[i] = b.close;
    volume[i] = b.volume;
  }
  return columns;
}

/** Bar objects as OHLCV columns plus adjusted closes (NaN where a bar has none): the store's upsert input. */
export function barsToColumns(bars: readonly Bar[]): OhlcvColumns & { adjClose: Float64Array } {
  return { ...ohlcvFromBars(bars), adjClose: Float64Array.from(bars, (b) => b.adjClose ?? NaN) };
}

/** Build a columnar series from bars (assumed sorted). */
export function seriesFromBars(symbol: string, interval: Interval, bars: readonly Bar[]): BarSeries {
  return { symbol, interval, ...ohlcvFromBars(bars) };
}

/** Rows [start, end) of a series as a view (no copy). */
export function sliceSeries(s: BarSeries, start: number, end: number): BarSeries {
  return {
    symbol: s.symbol,
    interval: s.interval,
    length: end - start,
    time: s.time.subarray(start, end),
    open: s.open.subarray(start, end),
    high: s.high.subarray(start, end),
    low: s.low.subarray(start, end),
    close: s.close.subarray(start, end),
    volume: s.volume.subarray(start, end),
  };
}
