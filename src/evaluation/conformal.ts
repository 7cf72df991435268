/**
 * Split-conformal prediction intervals for regression: from held-out absolute residuals |y - ŷ| (pulse uses the
 * out-of-fold residuals of cross-validation), the half-width for coverage 1 - α is the ⌈(n + 1)(1 - α)⌉-th
 * smallest residual, which gives at least 1 - α coverage on exchangeable new rows (Lei et al. 2018). Market rows
 * are not exchangeable (volatility clusters), so pulse also reports the empirical coverage on the test tail: a
 * shortfall there says the intervals are too narrow for the current regime.
 *
 * Classification gets no intervals: its output is already a probability, whose calibration is reported as the
 * reliability table and Brier score (src/evaluation/reports.ts).
 */
import { UsageError } from '../core/errors.js';

/** Default coverage levels. */
export const DEFAULT_COVERAGE_LEVELS: readonly number[] = [0.8, 0.9];

/** One calibrated interval level. */
export interface ConformalLevel {
  /** Target coverage 1 - α, in (0, 1). */
  coverage: number;
  /** Half-width: the interval is prediction ± halfWidth (label units; Infinity when too few residuals). */
  halfWidth: number;
  /** Share of test-tail rows inside their interval; NaN without a test tail. */
  testCoverage: number;
}

/** Conformal calibration: residual count and one entry per level. */
export interface ConformalResult {
  /** Held-out residuals the quantiles come from. */
  calibrationRows: number;
  levels: ConformalLevel[];
}

/** k-th smallest (1-based) of a copy of `values`. */
function kthSmallest(values: Float64Array, k: number): number {
  const sorted = Float64Array.from(values).sort();
  return sorted[k - 1];
}

/**
 * The conformal half-width for `coverage` from absolute residuals: the ⌈(n+1)·coverage⌉-th smallest, or
 * Infinity when that rank exceeds n (too few residuals for the level).
 */
export function conformalHalfWidth(absResiduals: Float64Array, coverage: number): number {
  if (!(coverage > 0 && coverage < 1)) throw new UsageError(`coverage ${coverage} is invalid`, 'coverage levels must be in (0, 1), e.g. 0.8');
  const n = absResiduals.length;
  // a tiny tolerance keeps (n + 1) * 0.9 = 90.00000000000001 from moving the rank up by one
  const k = Math.ceil((n + 1) * coverage - 1e-9);
  return k > n ? Infinity : kthSmallest(absResiduals, k);
}

/** Share of rows with |y - pred| <= halfWidth; NaN for no rows. */
export function empiricalCoverage(y: Float64Array, pred: Float64Array, halfWidth: number): number {
  if (y.length === 0) return NaN;
  let inside = 0;
  for (let i = 0; i < y.length; i++) if (Math.abs(y[i] - pred[i]) <= halfWidth) inside++;
  return inside / y.length;
}

/** Absolute residuals |y - pred|. */
export function absResiduals(y: Float64Array, pred: Float64Array): Float64Array {
  const out = new Float64Array(y.length);
  for (let i = 0; i < y.length; i++) out[i] = Math.abs(y[i] - pred[i]);
  return out;
}

/**
 * Calibrate intervals from held-out residuals and measure their coverage on a test set (which may be empty).
 */
export function conformalIntervals(
  calibration: { y: Float64Array; pred: Float64Array },
  test: { y: Float64Array; pred: Float64Array },
  levels: readonly number[] = DEFAULT_COVERAGE_LEVELS,
): ConformalResult {
  const residuals = absResiduals(calibration.y, calibration.pred);
  return {
    calibrationRows: residuals.length,
    levels: levels.map((coverage) => {
      const halfWidth = conformalHalfWidth(residuals, coverage);
      return { coverage, halfWidth, testCoverage: empiricalCoverage(test.y, test.pred, halfWidth) };
    }),
  };
}
