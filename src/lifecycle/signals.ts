/**
 * Signals from forecasts: the one mapping `pulse predict` (the signal it prints and stores) and `pulse backtest`
 * (the trades of a stored or walk-forward model) share. A signal is the side wanted from a bar's close (+1 long,
 * -1 short, 0 flat, NaN for "no forecast"); a backtest executes it at the next bar's open. Every rule uses only the
 * forecast of the bar itself and, for quantiles, forecasts of earlier bars: nothing later.
 *
 * The default rule of a task (docs/backtest.md, "Signals"): regression and multiclass forecasts (the expected class
 * value) are long above 0 and short below 0; binary forecasts (P(up)) are long above 0.5 and short below 0.5. A
 * `threshold` widens the flat band (|forecast| <= t, or P(up) within [1 - t, t]); backtests may rank forecasts by a
 * trailing `quantile` instead.
 */
import { lowerBound, upperBound } from '../core/arrays.js';
import { UsageError } from '../core/errors.js';
import type { Task } from '../models/model.js';

/** How forecasts become signals. */
export type SignalRule =
  /** Returns or expected class values: long when forecast > threshold, short when forecast < -threshold. */
  | { kind: 'threshold'; threshold: number }
  /** Class probability of "up": long when p > threshold, short when p < 1 - threshold (0.5 <= threshold < 1). */
  | { kind: 'probability'; threshold: number }
  /**
   * Long when the forecast is in the top `quantile` of the trailing `windowBars` forecasts (the current one
   * included, nothing later), short in the bottom `quantile`; flat until `minObservations` forecasts are known.
   */
  | { kind: 'quantile'; quantile: number; windowBars: number; minObservations: number };

/** A rule that needs nothing but the forecast itself (what a single live forecast can use). */
export type PointSignalRule = Extract<SignalRule, { kind: 'threshold' | 'probability' }>;

/** A caller's choice of rule; at most one of the two may be given. */
export interface SignalChoice {
  threshold?: number;
  /** Long the top / short the bottom quantile of the trailing forecasts, in (0, 0.5]. */
  quantile?: number;
}

/** The default rule of a task, with the flat band widened to `threshold` when given (see the module note). */
export function pointSignalRule(task: Task, threshold?: number): PointSignalRule {
  const rule: PointSignalRule = task === 'binary' ? { kind: 'probability', threshold: threshold ?? 0.5 } : { kind: 'threshold', threshold: threshold ?? 0 };
  validateSignalRule(rule);
  return rule;
}

/**
 * The rule of a choice: the task's default (see {@link pointSignalRule}), or the rolling quantile over
 * `quantileWindow` bars (at least 2; warm-up of min(window, 20) forecasts).
 * @throws UsageError when both are given, or for an out-of-range value.
 */
export function signalRule(task: Task, choice: SignalChoice, quantileWindow: number): SignalRule {
  if (choice.threshold !== undefined && choice.quantile !== undefined) {
    throw new UsageError('--threshold and --quantile are two different signal rules', 'give one of them');
  }
  if (choice.quantile !== undefined) {
    const windowBars = Math.max(2, quantileWindow);
    return validateSignalRule({ kind: 'quantile', quantile: choice.quantile, windowBars, minObservations: Math.min(windowBars, 20) });
  }
  return pointSignalRule(task, choice.threshold);
}

/** The signal of one forecast under a point rule: +1, -1, 0, or NaN for a missing (NaN) forecast. */
export function signalOf(forecast: number, rule: PointSignalRule): number {
  const hi = rule.threshold;
  const lo = rule.kind === 'threshold' ? -rule.threshold : 1 - rule.threshold;
  return forecast !== forecast ? NaN : forecast > hi ? 1 : forecast < lo ? -1 : 0;
}

/** The side a signal asks for, as `pulse predict` prints and stores it (a missing forecast is flat). */
export type Side = 'long' | 'short' | 'flat';

/** The side of a signal value. */
export function sideOf(signal: number): Side {
  return signal > 0 ? 'long' : signal < 0 ? 'short' : 'flat';
}

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
  for (let i = 0; i < n; i++) out[i] = signalOf(predictions[i], rule);
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
