/** What a backtest scores signals against: realised forward returns aligned with the bars, and the alignment check. */
import { DataError, UsageError } from '../core/errors.js';
import type { BarSeries } from '../core/bars.js';

/**
 * Realised forward log returns ln(C_(i+h) / C_i) aligned with the bar they start at (NaN for the last h bars):
 * what a return forecast made at bar i's close is scored against.
 */
export function forwardLogReturns(series: BarSeries, horizon = 1): Float64Array {
  if (!Number.isInteger(horizon) || horizon < 1) {
    throw new UsageError(`forecast horizon ${horizon} must be a whole number of bars >= 1`, 'use the model label horizon');
  }
  const c = series.close;
  const n = series.length;
  const out = new Float64Array(n).fill(NaN);
  for (let i = 0; i + horizon < n; i++) out[i] = Math.log(c[i + horizon] / c[i]);
  return out;
}

/** Throw a DataError unless `values` has one entry per bar of the series. */
export function assertAligned(name: string, values: Float64Array, series: BarSeries): void {
  if (values.length !== series.length) {
    throw new DataError(
      `${name} has ${values.length} values but ${series.symbol} ${series.interval} has ${series.length} bars`,
      'predictions and signals must be aligned one to one with the bars being backtested',
    );
  }
}
