/**
 * Validation of source rows into bars. Nothing is dropped silently: every row either becomes a bar or comes
 * back in `rejected` with its raw text, a reason code and a detail sentence (for the quarantine table).
 *
 * Reason codes ({@link REJECT_REASONS}), checked in this order for each row:
 * - `non_finite`: the timestamp, a price, the volume or the adjusted close is NaN or infinite (unparseable);
 * - `before_1970`: the timestamp is before 1970-01-01 (negative epoch);
 * - `future_timestamp`: the bar opens after `now`;
 * - `misaligned_timestamp`: the timestamp is not on a bucket boundary of the interval (see interval.ts);
 * - `non_positive_price`: open, high, low, close or adjusted close is <= 0;
 * - `negative_volume`: volume < 0;
 * - `high_low_inconsistent`: low > min(open, close) or high < max(open, close) (so also low > high);
 * then across rows:
 * - `duplicate_timestamp`: a later row with the timestamp of an earlier valid row (the first valid one is kept);
 * - `suspect_outlier`: an isolated price spike (below), unless `acceptOutliers`.
 * Unsorted input is sorted (stably) and reported through `wasUnsorted`, never rejected.
 *
 * Outliers. Let r be the log return of a bar's close from the last accepted close (the previous batch bar, or
 * the last `history` bar for the first one), and med and s = 1.4826·MAD the median and scaled median absolute
 * deviation of all close-to-close log returns of history + batch (mean absolute deviation × 1.2533 when the
 * MAD is 0). A bar is a suspect outlier when all of these hold:
 * 1. |r − med| / s > `outlierZ` (default {@link DEFAULT_OUTLIER_Z});
 * 2. |r| >= {@link MIN_OUTLIER_LOG_MOVE} (0.1, a 10.5 % move): on illiquid markets bid-ask bounce alone gives
 *    robust z-scores of 20-45 on moves of 0.3 % (freqtrade's XRP/ETH 1m data), and NXT/BTC 5m has a real
 *    0.08 drop that fully reverts in the next bar (z 16): both are trades, not bad prints;
 * 3. the move does not persist: the next bar's close is back within 25 % of the move from the reference
 *    (|ln(next/ref)| <= 0.25·|r|). A move that persists is a level shift (a crash, a rally, an unadjusted
 *    split), a market fact rather than a bad print. For the batch's last bar, which has no next bar, the move
 *    must instead exceed {@link UNCONFIRMED_OUTLIER_LOG_MOVE} (2.0, a 7.4× jump or fall in one bar).
 * At least {@link MIN_RETURNS_FOR_OUTLIERS} returns are needed to judge; with fewer nothing is flagged.
 * Real data shows why these bounds: the largest robust z-scores in the shared freqtrade, backtesting.py and
 * Yahoo files are 45.8 (BTC/USDT 5m), 29.7 (XLM/BTC 5m, a 0.119 move that reverts by half), 7.8 (BTC/USD
 * monthly, the 1.7 log-return of Nov 2013), and none of them is flagged, while a one-bar 10× price typo is on
 * every intraday and daily file (monthly BTC/USD, with s ≈ 0.21, needs a larger typo: z of a 10× move is 11).
 */
import type { Bar, SourceRow } from './bars.js';
import { INTERVAL_MS, isAligned, type Interval } from './interval.js';
import { InternalError } from '../core/errors.js';

/** Every reason a row can be rejected for, in the order they are checked. */
export const REJECT_REASONS = [
  'non_finite',
  'before_1970',
  'future_timestamp',
  'misaligned_timestamp',
  'non_positive_price',
  'negative_volume',
  'high_low_inconsistent',
  'duplicate_timestamp',
  'suspect_outlier',
] as const;
export type RejectReason = (typeof REJECT_REASONS)[number];

/** A row that failed validation: its timestamp (NaN when unparseable), raw text, reason code and a detail sentence. */
export interface RejectedRow {
  ts: number;
  raw: string;
  reason: RejectReason;
  detail: string;
}

/** Default robust z-score bound for outliers (the `collect.outlierZ` setting overrides it). */
export const DEFAULT_OUTLIER_Z = 12;
/** Moves smaller than this absolute log return (0.1, a 10.5 % move) are never outliers. */
export const MIN_OUTLIER_LOG_MOVE = 0.1;
/** The last bar of a batch (no next bar to confirm a reversal) needs a log move beyond this (2.0 ≈ 7.4×). */
export const UNCONFIRMED_OUTLIER_LOG_MOVE = 2.0;
/** Fewer returns than this (history + batch) and outliers are not judged. */
export const MIN_RETURNS_FOR_OUTLIERS = 30;

/** What {@link validateRows} checks against. */
export interface ValidateOptions {
  interval: Interval;
  /** Current time (ms); bars opening later are `future_timestamp`. Default Date.now(). */
  now?: number;
  /** Keep suspected outliers instead of rejecting them. */
  acceptOutliers?: boolean;
  /** Robust z-score bound for outliers (> 0; default {@link DEFAULT_OUTLIER_Z}). */
  outlierZ?: number;
  /**
   * Stored bars before this batch (sorted ascending), so a small incremental batch is judged against history.
   * Only bars older than the batch's first bar are used; they are never returned or rejected.
   */
  history?: readonly Bar[];
}

/** Validation outcome: the accepted bars (sorted ascending, unique timestamps) and every rejected row. */
export interface ValidationResult {
  bars: Bar[];
  rejected: RejectedRow[];
  /** The input was not in ascending time order (it was sorted). */
  wasUnsorted: boolean;
}

/** The first problem of one row on its own, or null when the row is a valid bar (see the module note). */
export function checkRow(row: SourceRow, interval: Interval, now: number): { reason: RejectReason; detail: string } | null {
  const { ts, open, high, low, close, volume, adjClose } = row;
  if (!Number.isFinite(ts)) return { reason: 'non_finite', detail: 'timestamp is missing or unreadable' };
  if (ts < 0) return { reason: 'before_1970', detail: `timestamp ${isoOrNumber(ts)} is before 1970-01-01` };
  if (ts > now) return { reason: 'future_timestamp', detail: `bar opens at ${isoOrNumber(ts)}, after now (${isoOrNumber(now)})` };
  if (!isAligned(ts, interval)) {
    return { reason: 'misaligned_timestamp', detail: `timestamp ${isoOrNumber(ts)} is not on a ${interval} bar boundary` };
  }
  if (!(Number.isFinite(open) && Number.isFinite(high) && Number.isFinite(low) && Number.isFinite(close) && Number.isFinite(volume)) ||
      (adjClose !== null && !Number.isFinite(adjClose))) {
    const bad = (['open', 'high', 'low', 'close', 'volume'] as const).filter((k) => !Number.isFinite(row[k]));
    if (adjClose !== null && !Number.isFinite(adjClose)) bad.push('adjClose' as never);
    return { reason: 'non_finite', detail: `${bad.join(', ')} ${bad.length > 1 ? 'are' : 'is'} not a finite number` };
  }
  if (!(open > 0 && high > 0 && low > 0 && close > 0) || (adjClose !== null && !(adjClose > 0))) {
    return { reason: 'non_positive_price', detail: `prices must be > 0 (open ${open}, high ${high}, low ${low}, close ${close}${adjClose === null ? '' : `, adjClose ${adjClose}`})` };
  }
  if (volume < 0) return { reason: 'negative_volume', detail: `volume ${volume} is negative` };
  if (low > (open < close ? open : close) || high < (open > close ? open : close)) {
    return { reason: 'high_low_inconsistent', detail: `need low <= min(open, close) and high >= max(open, close); got open ${open}, high ${high}, low ${low}, close ${close}` };
  }
  return null;
}

function isoOrNumber(ts: number): string {
  const d = new Date(ts);
  return Number.isNaN(d.getTime()) ? String(ts) : d.toISOString();
}

/**
 * Validate a batch of source rows: per-row checks, then sort (stable), de-duplicate and flag outliers.
 * Pure; O(n) for sorted input plus two O(n) median selections. The common case (sorted rows that all pass)
 * runs one branch-light pass per row; the detailed checks run only for rows that fail it.
 */
export function validateRows(rows: readonly SourceRow[], options: ValidateOptions): ValidationResult {
  const now = options.now ?? Date.now();
  const { interval } = options;
  const fixedMs = interval === '1wk' || interval === '1mo' ? 0 : INTERVAL_MS[interval];
  const rejected: RejectedRow[] = [];
  let valid: SourceRow[] = [];
  let wasUnsorted = false;
  let duplicates = false;
  let lastTs = -Infinity;
  let lastValidTs = -Infinity;
  for (let k = 0; k < rows.length; k++) {
    const row = rows[k];
    const { ts, open: o, high: h, low: l, close: c, volume: v, adjClose: a } = row;
    if (ts < lastTs) wasUnsorted = true;
    if (ts === ts) lastTs = ts; // skip NaN
    // NaN fails every comparison below; h < Infinity with h >= max(o, c) and l > 0 bounds all prices.
    const ok =
      ts >= 0 && ts <= now && (fixedMs > 0 ? ts % fixedMs === 0 : isAligned(ts, interval)) &&
      l > 0 && l <= o && l <= c && h >= o && h >= c && h < Infinity && v >= 0 && v < Infinity &&
      (a === null || (a > 0 && a < Infinity));
    if (ok) {
      if (ts === lastValidTs) duplicates = true;
      lastValidTs = ts;
      valid.push(row);
      continue;
    }
    const problem = checkRow(row, interval, now);
    if (problem === null) throw new InternalError(`row at ${ts} failed the fast check but passes checkRow`);
    rejected.push({ ts, raw: row.raw, reason: problem.reason, detail: problem.detail });
  }
  if (wasUnsorted) {
    // Stable sort keeps input order among equal timestamps, so "first valid occurrence" is well defined.
    valid = valid.map((r, i) => ({ r, i })).sort((x, y) => x.r.ts - y.r.ts || x.i - y.i).map((x) => x.r);
    duplicates = true;
  }
  if (duplicates) valid = dropDuplicates(valid, rejected);
  const flagged = options.acceptOutliers ? null : findOutliers(valid, options.history ?? [], options.outlierZ ?? DEFAULT_OUTLIER_Z);
  const bars: Bar[] = new Array(valid.length - (flagged?.size ?? 0));
  let j = 0;
  for (let i = 0; i < valid.length; i++) {
    const row = valid[i];
    const why = flagged !== null && flagged.size > 0 ? flagged.get(i) : undefined;
    if (why !== undefined) {
      rejected.push({ ts: row.ts, raw: row.raw, reason: 'suspect_outlier', detail: why });
      continue;
    }
    bars[j++] = { ts: row.ts, open: row.open, high: row.high, low: row.low, close: row.close, volume: row.volume, adjClose: row.adjClose };
  }
  return { bars, rejected, wasUnsorted };
}

/** Keep the first row of each timestamp in a sorted list; reject the rest as duplicate_timestamp. */
function dropDuplicates(sorted: SourceRow[], rejected: RejectedRow[]): SourceRow[] {
  const unique: SourceRow[] = [];
  for (const row of sorted) {
    const kept = unique.length > 0 ? unique[unique.length - 1] : undefined;
    if (kept !== undefined && kept.ts === row.ts) {
      const same = kept.open === row.open && kept.high === row.high && kept.low === row.low && kept.close === row.close && kept.volume === row.volume;
      rejected.push({
        ts: row.ts,
        raw: row.raw,
        reason: 'duplicate_timestamp',
        detail: `another row for ${isoOrNumber(row.ts)} came first and was kept${same ? ' (identical values)' : ` (its close ${kept.close}, this close ${row.close})`}`,
      });
    } else {
      unique.push(row);
    }
  }
  return unique;
}

/**
 * Median and robust scale of the log returns `r` (see the module note), or null when there are fewer than
 * {@link MIN_RETURNS_FOR_OUTLIERS} returns or no dispersion at all. `r` is left unchanged.
 */
export function robustScale(r: Float64Array): { median: number; scale: number } | null {
  const n = r.length;
  if (n < MIN_RETURNS_FOR_OUTLIERS) return null;
  const work = r.slice();
  const median = quantileInPlace(work, 0.5);
  let meanAbs = 0;
  for (let i = 0; i < n; i++) {
    const d = Math.abs(r[i] - median);
    work[i] = d;
    meanAbs += d;
  }
  meanAbs /= n;
  const mad = quantileInPlace(work, 0.5);
  const scale = mad > 0 ? 1.4826 * mad : 1.2533 * meanAbs;
  return scale > 0 ? { median, scale } : null;
}

/** Index -> detail of each suspect outlier in `bars` (see the module note). */
function findOutliers(bars: readonly SourceRow[], history: readonly Bar[], z: number): Map<number, string> {
  const out = new Map<number, string>();
  if (bars.length === 0) return out;
  let h = history.length;
  while (h > 0 && history[h - 1].ts >= bars[0].ts) h--;
  const total = h + bars.length;
  if (total - 1 < MIN_RETURNS_FOR_OUTLIERS) return out;
  // r[k] = log return into close k of history + batch.
  const r = new Float64Array(total - 1);
  let prev = h > 0 ? history[0].close : bars[0].close;
  for (let k = 1; k < total; k++) {
    const c = k < h ? history[k].close : bars[k - h].close;
    r[k - 1] = Math.log(c / prev);
    prev = c;
  }
  const stats = robustScale(r);
  if (stats === null) return out;
  const { median, scale } = stats;
  const lo = median - z * scale;
  const hi = median + z * scale;
  let ref = h > 0 ? history[h - 1].close : bars[0].close;
  let refIsPrevious = true;
  for (let i = h > 0 ? 0 : 1; i < bars.length; i++) {
    const c = bars[i].close;
    const ret = refIsPrevious ? r[h + i - 1] : Math.log(c / ref);
    const move = Math.abs(ret);
    if ((ret < lo || ret > hi) && move >= MIN_OUTLIER_LOG_MOVE) {
      const base = `close ${c} is a ${ret.toFixed(3)} log move from the last accepted close ${ref} (robust z ${(Math.abs(ret - median) / scale).toFixed(1)} > ${z})`;
      if (i + 1 < bars.length) {
        const back = Math.log(bars[i + 1].close / ref);
        if (Math.abs(back) <= 0.25 * move) {
          out.set(i, `${base} and the next bar returns to ${bars[i + 1].close}`);
          refIsPrevious = false; // the reference stays at the last good close
          continue;
        }
      } else if (move > UNCONFIRMED_OUTLIER_LOG_MOVE) {
        out.set(i, `${base}, beyond the ${UNCONFIRMED_OUTLIER_LOG_MOVE} bound for a last bar with no next bar`);
        continue;
      }
    }
    ref = c;
    refIsPrevious = true;
  }
  return out;
}

/** The q-quantile (0..1, lower median for even counts at 0.5) of `a` by quickselect; reorders `a`. */
function quantileInPlace(a: Float64Array, q: number): number {
  let k = Math.min(a.length - 1, Math.max(0, Math.floor(q * (a.length - 1))));
  if (q === 0.5 && a.length % 2 === 0) k = a.length / 2 - 1;
  let lo = 0;
  let hi = a.length - 1;
  while (hi > lo) {
    const pivot = a[(lo + hi) >>> 1];
    let i = lo;
    let j = hi;
    while (i <= j) {
      while (a[i] < pivot) i++;
      while (a[j] > pivot) j--;
      if (i <= j) {
        const t = a[i];
        a[i] = a[j];
        a[j] = t;
        i++;
        j--;
      }
    }
    if (k <= j) hi = j;
    else if (k >= i) lo = i;
    else break;
  }
  return a[k];
}
