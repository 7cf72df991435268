/**
 * Signals from model predictions. A signal is the side wanted from a bar's close (+1 long, -1 short, 0 flat, NaN
 * for "no prediction"); the engine executes it at the next bar's open. Every rule uses only the prediction of the
 * bar itself and, for quantiles, predictions of earlier bars: nothing later.
 */
import { lowerBound, upperBound } from '../core/arrays.js';
import { DataError, UsageError } from '../core/errors.js';
import type { BarSeries } from '../core/bars.js';
import type { SignalRule } from './types.js';

/** Validate a signal rule; throws a UsageError naming the bad field. */
export function validateSignalRule(rule: SignalRule): SignalRule {
  switch (rule.kind) {
    case 'threshold':
      if (!Number.isFinite(rule.threshold) || rule.threshold < 0) {
        throw new UsageError(
          `threshold ${rule.threshold} must be a finite number >= 0 (in the predicted-return units)`,
          'use e.g. --threshold 0.001 to trade predicted returns beyond ±0.1 %',
        );
      }
      return rule;
    case 'probability':
      if (!(rule.threshold >= 0.5 && rule.threshold < 1)) {
        throw new UsageError(
          `probability threshold ${rule.threshold} must be in [0.5, 1)`,
          'use e.g. --threshold 0.55: long above 0.55, short below 0.45',
        );
      }
      return rule;
    case 'quantile':
      if (!(rule.quantile > 0 && rule.quantile <= 0.5)) {
        throw new UsageError(`quantile ${rule.quantile} must be in (0, 0.5]`, 'use e.g. --quantile 0.2 for the top and bottom fifth');
      }
      if (!Number.isInteger(rule.windowBars) || rule.windowBars < 2) {
        throw new UsageError(`quantile window ${rule.windowBars} must be a whole number of bars >= 2`, 'use e.g. 252 bars');
      }
      if (!Number.isInteger(rule.minObservations) || rule.minObservations < 1 || rule.minObservations > rule.windowBars) {
        throw new UsageError(
          `quantile warm-up ${rule.minObservations} must be a whole number from 1 to the window (${rule.windowBars})`,
          'use e.g. 20 observations',
        );
      }
      return rule;
  }
}

/**
 * Turn predictions into signals (same length). NaN predictions give NaN signals (the engine trades them as flat and
 * counts them). Short signals are produced in every rule; a long-only run turns them flat.
 * - threshold: +1 if p > t, -1 if p < -t, else 0.
 * - probability: +1 if p > t, -1 if p < 1 - t, else 0 (p is the probability of "up").
 * - quantile: see {@link quantileSignals}.
 */
export function signalsFromPredictions(predictions: Float64Array, rule: SignalRule): Float64Array {
  validateSignalRule(rule);
  const n = predictions.length;
  if (rule.kind === 'quantile') return quantileSignals(predictions, rule.quantile, rule.windowBars, rule.minObservations);
  const out = new Float64Array(n);
  const hi = rule.threshold;
  const lo = rule.kind === 'threshold' ? -rule.threshold : 1 - rule.threshold;
  for (let i = 0; i < n; i++) {
    const p = predictions[i];
    out[i] = p !== p ? NaN : p > hi ? 1 : p < lo ? -1 : 0;
  }
  return out;
}

/**
 * Rolling-quantile signals: the prediction at bar i is ranked among the finite predictions of the trailing
 * `windowBars` bars (i included). With m of them and the prediction's count of smaller values below and larger
 * values above: +1 when fewer than q x m are larger (top q), -1 when fewer than q x m are smaller (bottom q), 0 when
 * neither or both (ties).
 * Flat (0) until `minObservations` finite predictions are in the window; NaN predictions stay NaN. O(n log w + n w)
 * worst case with a sorted window kept by binary search.
 */
export function quantileSignals(predictions: Float64Array, q: number, windowBars: number, minObservations: number): Float64Array {
  const n = predictions.length;
  const out = new Float64Array(n);
  const sorted = new Float64Array(windowBars);
  let m = 0;
  for (let i = 0; i < n; i++) {
    if (i >= windowBars) {
      const old = predictions[i - windowBars];
      if (old === old) {
        const k = lowerBound(sorted, old, m);
        sorted.copyWithin(k, k + 1, m);
        m--;
      }
    }
    const p = predictions[i];
    if (p !== p) {
      out[i] = NaN;
      continue;
    }
    const k = lowerBound(sorted, p, m);
    sorted.copyWithin(k + 1, k, m);
    sorted[k] = p;
    m++;
    if (m < minObservations) continue;
    const below = k;
    const above = m - upperBound(sorted, p, m);
    const cut = q * m;
    const top = above < cut;
    const bottom = below < cut;
    // A prediction in both tails (ties, or a tiny window) is ambiguous and stays flat.
    out[i] = top && !bottom ? 1 : bottom && !top ? -1 : 0;
  }
  return out;
}

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
