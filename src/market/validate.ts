/**
 * Validation of source rows into bars. Nothing is dropped silently: every row either becomes a bar or comes
 * back in `rejected` with its raw text, a reason code and a detail sentence (for the quarantine table).
 *
 * Reason codes ({@link REJECT_REASONS}), checked in this order for each row (the first failure is reported):
 * - `non_finite`: the timestamp is NaN or infinite (unparseable);
 * - `before_1970`: the timestamp is before 1970-01-01 (negative epoch);
 * - `future_timestamp`: the bar opens after `now`;
 * - `misaligned_timestamp`: the timestamp is not on the bar grid of the interval on the instrument's calendar
 *   (the UTC grid of interval.ts, or for an exchange calendar's intraday bars the grid from each session's open);
 * - `non_finite`: a price, the volume or the adjusted close is NaN or infinite;
 * - `non_positive_price`: open, high, low, close or adjusted close is <= 0;
 * - `negative_volume`: volume < 0;
 * - `high_low_inconsistent`: low > min(open, close) or high < max(open, close) (so also low > high);
 * then across rows:
 * - `duplicate_timestamp`: a later row with the timestamp of an earlier valid row (the first valid one is kept);
 * - `suspect_outlier`: an isolated price spike (below), unless `acceptOutliers`.
 * Unsorted input is sorted (stably) and reported through `wasUnsorted`, never rejected.
 * {@link validateRows} takes and returns objects; {@link validateColumns} takes typed columns (as the CSV
 * importer's parseCsvColumns makes them) and returns a BarSeries, for bulk imports. Both apply the same rules.
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
import { selectKth } from '../core/stats.js';
import { allocSeries, type Bar, type BarSeries, type OhlcvColumns, type SourceRow } from '../core/bars.js';
import type { Calendar } from './calendars/calendar.js';
import { builtInCalendar } from './calendars/registry.js';
import { INTERVAL_MS, isAligned, type Interval } from '../core/interval.js';
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
  /** The instrument's calendar, whose bar grid `misaligned_timestamp` checks (default `crypto`: the UTC grid). */
  calendar?: Calendar;
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
export function checkRow(row: SourceRow, interval: Interval, now: number, calendar?: Calendar): { reason: RejectReason; detail: string } | null {
  const { ts, open, high, low, close, volume, adjClose } = row;
  if (!Number.isFinite(ts)) return { reason: 'non_finite', detail: 'timestamp is missing or unreadable' };
  if (ts < 0) return { reason: 'before_1970', detail: `timestamp ${isoOrNumber(ts)} is before 1970-01-01` };
  if (ts > now) return { reason: 'future_timestamp', detail: `bar opens at ${isoOrNumber(ts)}, after now (${isoOrNumber(now)})` };
  if (!(calendar ? calendar.isAligned(ts, interval) : isAligned(ts, interval))) {
    const grid = calendar && !calendar.utcGrid ? `the ${calendar.name} session grid` : 'the UTC grid';
    return { reason: 'misaligned_timestamp', detail: `timestamp ${isoOrNumber(ts)} is not on a ${interval} bar boundary of ${grid}` };
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
 * Source rows as columns (what parseCsvColumns produces): the allocation-light input of {@link validateColumns}.
 * `adjClose` is null when the source has none; `adjCloseMissing[i] = 1` marks a row without one.
 */
export interface SourceColumns extends OhlcvColumns {
  adjClose?: Float64Array | null;
  adjCloseMissing?: Uint8Array | null;
  raw(i: number): string;
}

/** Outcome of {@link validateColumns}: the accepted bars as a columnar series plus their adjusted closes. */
export interface ColumnValidationResult {
  /** Accepted bars, sorted ascending with unique times. */
  series: BarSeries;
  /** Adjusted close per accepted bar (NaN where none), or null when the input has no adjusted closes. */
  adjClose: Float64Array | null;
  rejected: RejectedRow[];
  wasUnsorted: boolean;
}

/** Row i of columns as a SourceRow (for the detailed checks and messages of rejected rows). */
function rowAt(c: SourceColumns, i: number): SourceRow {
  const adj = c.adjClose ?? null;
  return {
    ts: c.time[i],
    open: c.open[i],
    high: c.high[i],
    low: c.low[i],
    close: c.close[i],
    volume: c.volume[i],
    adjClose: adj === null || c.adjCloseMissing?.[i] === 1 ? null : adj[i],
    raw: c.raw(i),
  };
}

/**
 * Validate columns of source rows: the same checks, order, de-duplication and outlier rule as
 * {@link validateRows} (which is built on it), without per-row objects for the rows that pass.
 * Pure (the input is not modified); O(n) for sorted input plus two O(n) median selections. When every row is
 * accepted in input order (the usual bulk import) the series shares the input's OHLCV arrays instead of copying them.
 */
export function validateColumns(cols: SourceColumns, options: ValidateOptions & { symbol?: string }): ColumnValidationResult {
  const screened = screenColumns(cols, options.interval, options.now ?? Date.now(), options.calendar ?? builtInCalendar('crypto'));
  const keep = finishSelection(screened, cols.time, cols.close, (i) => rowAt(cols, i), options);
  const { rejected, wasUnsorted } = screened;
  const { time, open, high, low, close, volume } = cols;
  const adj = cols.adjClose ?? null;
  const adjMissing = cols.adjCloseMissing ?? null;
  if (keep.length === cols.length && !wasUnsorted) {
    // keep is 0..n-1: nothing was rejected, reordered or dropped.
    const n = keep.length;
    const series: BarSeries = {
      symbol: options.symbol ?? '',
      interval: options.interval,
      length: n,
      time: time.subarray(0, n),
      open: open.subarray(0, n),
      high: high.subarray(0, n),
      low: low.subarray(0, n),
      close: close.subarray(0, n),
      volume: volume.subarray(0, n),
    };
    let adjOut: Float64Array | null = null;
    if (adj !== null) {
      adjOut = adj.slice(0, n);
      if (adjMissing !== null) for (let i = 0; i < n; i++) if (adjMissing[i] === 1) adjOut[i] = NaN;
    }
    return { series, adjClose: adjOut, rejected, wasUnsorted };
  }
  const series = allocSeries(options.symbol ?? '', options.interval, keep.length);
  const adjOut = adj === null ? null : new Float64Array(keep.length);
  for (let j = 0; j < keep.length; j++) {
    const i = keep[j];
    series.time[j] = time[i];
    series.open[j] = open[i];
    series.high[j] = high[i];
    series.low[j] = low[i];
    series.close[j] = close[i];
    series.volume[j] = volume[i];
    if (adjOut !== null) adjOut[j] = adjMissing !== null && adjMissing[i] === 1 ? NaN : (adj as Float64Array)[i];
  }
  return { series, adjClose: adjOut, rejected, wasUnsorted };
}

/** The per-row screening of a batch: accepted input indices (input order), rejections, order facts. */
interface Screened {
  keep: Uint32Array;
  rejected: RejectedRow[];
  wasUnsorted: boolean;
  duplicates: boolean;
}

/** Screen columns row by row: one branch-light check, the detailed one only for rows that fail it. */
function screenColumns(cols: SourceColumns, interval: Interval, now: number, calendar: Calendar): Screened {
  const { fixedMs, aligned } = alignment(interval, calendar);
  const { time, open, high, low, close, volume } = cols;
  const adj = cols.adjClose ?? null;
  const adjMissing = cols.adjCloseMissing ?? null;
  const out: Screened = { keep: new Uint32Array(cols.length), rejected: [], wasUnsorted: false, duplicates: false };
  let kept = 0;
  let lastTs = -Infinity;
  let lastValidTs = -Infinity;
  for (let i = 0; i < cols.length; i++) {
    const ts = time[i];
    const o = open[i];
    const h = high[i];
    const l = low[i];
    const c = close[i];
    const v = volume[i];
    if (ts < lastTs) out.wasUnsorted = true;
    if (ts === ts) lastTs = ts; // skip NaN
    const a = adj === null || (adjMissing !== null && adjMissing[i] === 1) ? 1 : adj[i];
    // NaN fails every comparison; h < Infinity with h >= max(o, c) and l > 0 bounds all prices.
    const ok =
      ts >= 0 && ts <= now && (fixedMs > 0 ? ts % fixedMs === 0 : aligned(ts)) &&
      l > 0 && l <= o && l <= c && h >= o && h >= c && h < Infinity && v >= 0 && v < Infinity && a > 0 && a < Infinity;
    if (ok) {
      if (ts === lastValidTs) out.duplicates = true;
      lastValidTs = ts;
      out.keep[kept++] = i;
    } else reject(out.rejected, rowAt(cols, i), interval, now, calendar);
  }
  out.keep = out.keep.subarray(0, kept);
  return out;
}

/** {@link screenColumns} for row objects; also fills `time` and `close` (input-indexed) for the later steps. */
function screenRows(rows: readonly SourceRow[], interval: Interval, now: number, time: Float64Array, close: Float64Array, calendar: Calendar): Screened {
  const { fixedMs, aligned } = alignment(interval, calendar);
  const out: Screened = { keep: new Uint32Array(rows.length), rejected: [], wasUnsorted: false, duplicates: false };
  let kept = 0;
  let lastTs = -Infinity;
  let lastValidTs = -Infinity;
  for (let i = 0; i < rows.length; i++) {
    const row = rows[i];
    const { ts, open: o, high: h, low: l, close: c, volume: v, adjClose: a } = row;
    time[i] = ts;
    close[i] = c;
    if (ts < lastTs) out.wasUnsorted = true;
    if (ts === ts) lastTs = ts;
    const ok =
      ts >= 0 && ts <= now && (fixedMs > 0 ? ts % fixedMs === 0 : aligned(ts)) && l > 0 && l <= o && l <= c && h >= o && h >= c && h < Infinity &&
      v >= 0 && v < Infinity && (a === null || (a > 0 && a < Infinity));
    if (ok) {
      if (ts === lastValidTs) out.duplicates = true;
      lastValidTs = ts;
      out.keep[kept++] = i;
    } else reject(out.rejected, row, interval, now, calendar);
  }
  out.keep = out.keep.subarray(0, kept);
  return out;
}

/**
 * How to check alignment fast: a fixed modulus on the UTC grid (every calendar's daily keys are UTC midnights),
 * else the calendar's own test (exchange intraday session grids, weekly and monthly buckets).
 */
function alignment(interval: Interval, calendar: Calendar): { fixedMs: number; aligned: (ts: number) => boolean } {
  const utc = calendar.utcGrid || interval === '1d';
  const fixedMs = !utc || interval === '1wk' || interval === '1mo' ? 0 : INTERVAL_MS[interval];
  return { fixedMs, aligned: (ts) => calendar.isAligned(ts, interval) };
}

function reject(rejected: RejectedRow[], row: SourceRow, interval: Interval, now: number, calendar: Calendar): void {
  const problem = checkRow(row, interval, now, calendar);
  if (problem === null) throw new InternalError(`row at ${row.ts} failed the fast check but passes checkRow`);
  rejected.push({ ts: row.ts, raw: row.raw, reason: problem.reason, detail: problem.detail });
}

/**
 * Sort (stable), de-duplicate and drop suspect outliers from screened rows; `rowAt(i)` gives input row i for
 * messages. Returns the accepted input indices in time order.
 */
function finishSelection(s: Screened, time: Float64Array, close: Float64Array, rowAt: (i: number) => SourceRow, options: ValidateOptions): Uint32Array {
  let keep = s.keep;
  if (s.wasUnsorted) keep.sort((x, y) => time[x] - time[y] || x - y); // ties keep input order
  if (s.wasUnsorted || s.duplicates) keep = dropDuplicates(keep, time, rowAt, s.rejected);
  if (options.acceptOutliers) return keep;
  const flagged = findOutliers(close, time, keep, options.history ?? [], options.outlierZ ?? DEFAULT_OUTLIER_Z);
  if (flagged.size === 0) return keep;
  let j = 0;
  for (let k = 0; k < keep.length; k++) {
    const why = flagged.get(k);
    if (why === undefined) keep[j++] = keep[k];
    else s.rejected.push({ ts: time[keep[k]], raw: rowAt(keep[k]).raw, reason: 'suspect_outlier', detail: why });
  }
  return keep.subarray(0, j);
}

/**
 * Validate a batch of source rows: per-row checks, then sort (stable), de-duplicate and flag outliers (see the
 * module note). Pure (the rows are not modified). The returned bars are the accepted row objects themselves,
 * typed as Bar (they still carry `raw`): copying a million rows of a bulk import would double its allocations.
 */
export function validateRows(rows: readonly SourceRow[], options: ValidateOptions): ValidationResult {
  const now = options.now ?? Date.now();
  const time = new Float64Array(rows.length);
  const close = new Float64Array(rows.length);
  const screened = screenRows(rows, options.interval, now, time, close, options.calendar ?? builtInCalendar('crypto'));
  const keep = finishSelection(screened, time, close, (i) => rows[i], options);
  const bars: Bar[] = new Array(keep.length);
  for (let j = 0; j < keep.length; j++) bars[j] = rows[keep[j]];
  return { bars, rejected: screened.rejected, wasUnsorted: screened.wasUnsorted };
}

/** Keep the first of each run of equal times in sorted row indices; reject the rest as duplicate_timestamp. */
function dropDuplicates(sorted: Uint32Array, time: Float64Array, rowAt: (i: number) => SourceRow, rejected: RejectedRow[]): Uint32Array {
  let n = 0;
  for (let k = 0; k < sorted.length; k++) {
    const i = sorted[k];
    if (n > 0 && time[sorted[n - 1]] === time[i]) {
      const a = rowAt(sorted[n - 1]);
      const b = rowAt(i);
      const same = a.open === b.open && a.high === b.high && a.low === b.low && a.close === b.close && a.volume === b.volume;
      rejected.push({
        ts: b.ts,
        raw: b.raw,
        reason: 'duplicate_timestamp',
        detail: `another row for ${isoOrNumber(b.ts)} came first and was kept${same ? ' (identical values)' : ` (its close ${a.close}, this close ${b.close})`}`,
      });
    } else {
      sorted[n++] = i;
    }
  }
  return sorted.subarray(0, n);
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

/** Position in `keep` -> detail of each suspect outlier among the kept rows (see the module note). */
function findOutliers(close: Float64Array, time: Float64Array, keep: Uint32Array, history: readonly Bar[], z: number): Map<number, string> {
  const out = new Map<number, string>();
  const m = keep.length;
  if (m === 0) return out;
  let h = history.length;
  while (h > 0 && history[h - 1].ts >= time[keep[0]]) h--;
  const total = h + m;
  if (total - 1 < MIN_RETURNS_FOR_OUTLIERS) return out;
  const closeAt = (k: number): number => close[keep[k]];
  // r[k] = log return into close k of history + batch.
  const r = new Float64Array(total - 1);
  let prev = h > 0 ? history[0].close : closeAt(0);
  for (let k = 1; k < total; k++) {
    const c = k < h ? history[k].close : closeAt(k - h);
    r[k - 1] = Math.log(c / prev);
    prev = c;
  }
  const stats = robustScale(r);
  if (stats === null) return out;
  const { median, scale } = stats;
  const lo = median - z * scale;
  const hi = median + z * scale;
  let ref = h > 0 ? history[h - 1].close : closeAt(0);
  let refIsPrevious = true;
  for (let k = h > 0 ? 0 : 1; k < m; k++) {
    const c = closeAt(k);
    const ret = refIsPrevious ? r[h + k - 1] : Math.log(c / ref);
    const move = Math.abs(ret);
    if ((ret < lo || ret > hi) && move >= MIN_OUTLIER_LOG_MOVE) {
      const base = `close ${c} is a ${ret.toFixed(3)} log move from the last accepted close ${ref} (robust z ${(Math.abs(ret - median) / scale).toFixed(1)} > ${z})`;
      if (k + 1 < m) {
        const next = closeAt(k + 1);
        if (Math.abs(Math.log(next / ref)) <= 0.25 * move) {
          out.set(k, `${base} and the next bar returns to ${next}`);
          refIsPrevious = false; // the reference stays at the last good close
          continue;
        }
      } else if (move > UNCONFIRMED_OUTLIER_LOG_MOVE) {
        out.set(k, `${base}, beyond the ${UNCONFIRMED_OUTLIER_LOG_MOVE} bound for a last bar with no next bar`);
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
  return selectKth(a, a.length, k);
}
