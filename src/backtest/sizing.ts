/**
 * Position sizing: the fraction of equity each entry commits, decided at the signal bar's close (so it uses only
 * data up to that bar) and applied at the next bar's open. A position keeps its entry size until it exits; it is
 * not rebalanced while held.
 *
 * - fixed: `fraction` x equity at every entry.
 * - vol-target: min(maxLeverage, targetVol / realisedVol) x equity, where realisedVol is the sample standard
 *   deviation (ddof 1) of the last `lookbackBars` close-to-close log returns ending at the signal bar, annualised by
 *   sqrt(periodsPerYear). Before `lookbackBars` returns exist the fraction is 0 and no entry is made; a window of
 *   zero volatility gets the leverage cap.
 */
import { UsageError } from '../core/errors.js';
import type { BarSeries } from '../core/bars.js';
import type { SizingSpec } from './types.js';

/** Largest fraction of equity or leverage cap accepted. */
export const MAX_LEVERAGE = 10;

/** Returns in the realised-volatility window of `vol-target:V` sizing. */
export const VOL_TARGET_LOOKBACK_BARS = 20;

/** Leverage cap of `vol-target:V` sizing. */
export const VOL_TARGET_MAX_LEVERAGE = 2;

/**
 * A sizing as written on the command line or in the configuration: `fixed`, `fixed:F` or `vol-target:V` (V as a
 * fraction, 0.15 = 15 % annualised volatility; lookback {@link VOL_TARGET_LOOKBACK_BARS} bars, leverage cap
 * {@link VOL_TARGET_MAX_LEVERAGE}). Ranges of F are the engine's to check ({@link validateSizing}).
 */
export function parseSizing(text: string): SizingSpec {
  if (text === 'fixed') return { kind: 'fixed', fraction: 1 };
  const fixed = /^fixed:(.+)$/.exec(text);
  if (fixed) return { kind: 'fixed', fraction: sizingNumber(fixed[1], '--sizing fixed:') };
  const vol = /^vol-target:(.+)$/.exec(text);
  if (vol) {
    const v = sizingNumber(vol[1], '--sizing vol-target:');
    if (!(v > 0 && v <= 5)) throw new UsageError(`--sizing vol-target:${vol[1]} is out of range`, 'give the annualised target as a fraction, e.g. vol-target:0.15');
    return { kind: 'vol-target', targetVolPct: v * 100, lookbackBars: VOL_TARGET_LOOKBACK_BARS, maxLeverage: VOL_TARGET_MAX_LEVERAGE };
  }
  throw new UsageError(`--sizing "${text}" is not valid`, 'use fixed, fixed:0.5 or vol-target:0.15');
}

function sizingNumber(text: string, name: string): number {
  const n = Number(text);
  if (text.trim() === '' || !Number.isFinite(n)) throw new UsageError(`${name} "${text}" is not a number`, `give a number, e.g. ${name} 10`);
  return n;
}

/** Validate a sizing spec; throws a UsageError naming the bad field. */
export function validateSizing(spec: SizingSpec): SizingSpec {
  if (spec.kind === 'fixed') {
    if (!Number.isFinite(spec.fraction) || spec.fraction <= 0 || spec.fraction > MAX_LEVERAGE) {
      throw new UsageError(
        `fixed sizing fraction ${spec.fraction} is out of range: it must be above 0 and at most ${MAX_LEVERAGE}`,
        'use e.g. --sizing fixed (all equity) or --sizing fixed:0.5',
      );
    }
    return spec;
  }
  if (!Number.isFinite(spec.targetVolPct) || spec.targetVolPct <= 0 || spec.targetVolPct > 500) {
    throw new UsageError(
      `vol-target of ${spec.targetVolPct} % is out of range: it must be above 0 and at most 500 %`,
      'give the annualised target volatility, e.g. --sizing vol-target:0.15 for 15 %',
    );
  }
  if (!Number.isInteger(spec.lookbackBars) || spec.lookbackBars < 2) {
    throw new UsageError(`vol-target lookback ${spec.lookbackBars} must be a whole number of bars >= 2`, 'use e.g. 20 bars');
  }
  if (!Number.isFinite(spec.maxLeverage) || spec.maxLeverage <= 0 || spec.maxLeverage > MAX_LEVERAGE) {
    throw new UsageError(
      `vol-target leverage cap ${spec.maxLeverage} is out of range: it must be above 0 and at most ${MAX_LEVERAGE}`,
      'use e.g. a cap of 2',
    );
  }
  return spec;
}

/**
 * The equity fraction an entry decided at each bar's close would commit (length = series length).
 * Constant for fixed sizing; see the module note for vol-target.
 */
export function sizingFractions(series: BarSeries, spec: SizingSpec, periodsPerYear: number): Float64Array {
  validateSizing(spec);
  const n = series.length;
  const out = new Float64Array(n);
  if (spec.kind === 'fixed') return out.fill(spec.fraction);
  const { lookbackBars: L, maxLeverage } = spec;
  const target = spec.targetVolPct / 100;
  const annual = Math.sqrt(periodsPerYear);
  const c = series.close;
  let sum = 0;
  let sumSq = 0;
  let valid = 0;
  // Window of the L most recent log returns r_j = ln(C_j / C_(j-1)), j in (i - L, i]; non-finite returns count as gaps.
  for (let i = 1; i < n; i++) {
    const r = Math.log(c[i] / c[i - 1]);
    if (Number.isFinite(r)) {
      sum += r;
      sumSq += r * r;
      valid++;
    }
    if (i > L) {
      const old = Math.log(c[i - L] / c[i - L - 1]);
      if (Number.isFinite(old)) {
        sum -= old;
        sumSq -= old * old;
        valid--;
      }
    }
    if ((i & 1023) === 0) {
      // Recompute the window sums now and then so rounding from the running updates cannot accumulate.
      sum = 0;
      sumSq = 0;
      valid = 0;
      for (let j = Math.max(1, i - L + 1); j <= i; j++) {
        const x = Math.log(c[j] / c[j - 1]);
        if (Number.isFinite(x)) {
          sum += x;
          sumSq += x * x;
          valid++;
        }
      }
    }
    if (i < L || valid < 2) continue;
    const mean = sum / valid;
    const variance = Math.max(0, (sumSq - valid * mean * mean) / (valid - 1));
    const vol = Math.sqrt(variance) * annual;
    out[i] = vol > 0 ? Math.min(maxLeverage, target / vol) : maxLeverage;
  }
  return out;
}
