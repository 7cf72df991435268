/**
 * Reading a bar CSV for `pulse collect --source csv`: parse it into columns, check that its rows really are bars of
 * the interval asked for (or infer the interval when none was asked), keep the rows inside `--from/--to`, and snap
 * off-grid timestamps with `--align floor`. Validation and storage happen in collect.ts, as for any source.
 */
import { DataError } from '../core/errors.js';
import { INTERVAL_MS, isIntraday, type Interval } from '../core/interval.js';
import { checkSpacing, describeStep, inferSpacing, type Spacing, type TradingOrdinal } from './spacing.js';
import { parseCsvColumns, type CsvBarColumns } from './sources/csv.js';
import type { SourceColumns } from './validate.js';

/** How the file is read. */
export interface CsvImportOptions {
  /** `--interval`; undefined to take the file's own spacing. */
  interval?: Interval;
  timeColumn?: string;
  tz?: string;
  from?: number;
  to?: number;
  /** `--align floor`: snap timestamps off the bar grid to the bar that contains them. */
  align: 'none' | 'floor';
  /** Trading ordinals on the instrument's calendar (for the spacing check). */
  ordinal: TradingOrdinal;
  /** The open time of the bar containing a time, on the instrument's calendar (for `--align floor`). */
  floor: (ts: number, interval: Interval) => number;
  isAligned: (ts: number, interval: Interval) => boolean;
}

/** The file's rows, ready for validation. */
export interface CsvImport {
  interval: Interval;
  columns: SourceColumns;
  /** Rows read from the file. */
  fetched: number;
  /** Rows left out because they open outside `--from/--to`. */
  outOfRange: number;
  /** Timestamps moved onto the grid by `--align floor`, and the largest move (ms). */
  snapped: number;
  maxSnapMs: number;
  notes: string[];
}

/**
 * Parse `text` and check its spacing against the interval (see the module note).
 * @throws DataError (exit 3) when the rows are bars of another interval than `--interval`, or of none pulse knows.
 */
export function readCsvImport(text: string, options: CsvImportOptions): CsvImport {
  const parse = (interval: Interval) => parseCsvColumns(text, { interval, timeColumn: options.timeColumn, tz: options.tz });
  // Without --interval the file is read at full time resolution first; daily and coarser files are then read again
  // with their date keys.
  let interval = options.interval ?? '1m';
  let cols = parse(interval);
  const notes = [...cols.notes];
  if (options.interval === undefined) {
    const spacing = inferSpacing(cols.time, options.ordinal);
    if (spacing === undefined) throw new DataError('cannot tell the bar interval of a file with fewer than two rows', 'pass --interval');
    if (spacing.interval === null) throw noInterval(spacing);
    interval = spacing.interval;
    if (!isIntraday(interval)) cols = parse(interval);
    notes.push(`the file holds ${interval} bars (inferred from its timestamps)`);
  } else if (checkSpacing(cols.time, interval, options.ordinal) !== 'fits') {
    throw wrongInterval(text, options);
  }
  const columns = selectRange(cols, options.from, options.to);
  const outOfRange = cols.length - columns.length;
  if (outOfRange > 0) notes.push(`${outOfRange} rows outside --from/--to left out`);
  let snapped = 0;
  let maxSnapMs = 0;
  if (options.align === 'floor') {
    const time = columns.time as Float64Array;
    for (let i = 0; i < time.length; i++) {
      const t = time[i];
      if (!Number.isFinite(t) || options.isAligned(t, interval)) continue;
      const f = options.floor(t, interval);
      maxSnapMs = Math.max(maxSnapMs, t - f);
      time[i] = f;
      snapped++;
    }
    if (snapped > 0) notes.push(`--align floor snapped ${snapped} timestamps to the ${interval} grid (by up to ${describeStep(maxSnapMs)})`);
  }
  return { interval, columns, fetched: cols.length, outOfRange, snapped, maxSnapMs, notes };
}

/**
 * The rows whose time lies in [from, to) (rows with unreadable times stay, so validation quarantines them). The
 * columns are freshly parsed and owned here, so `--align floor` may rewrite their times in place.
 */
function selectRange(cols: CsvBarColumns, from = -Infinity, to = Infinity): SourceColumns {
  if (from === -Infinity && to === Infinity) return cols;
  const keep: number[] = [];
  for (let i = 0; i < cols.length; i++) {
    const t = cols.time[i];
    if (!(t < from || t >= to)) keep.push(i);
  }
  const pick = (a: Float64Array) => Float64Array.from(keep, (i) => a[i]);
  const adjCloseMissing = cols.adjCloseMissing;
  return {
    length: keep.length,
    time: pick(cols.time),
    open: pick(cols.open),
    high: pick(cols.high),
    low: pick(cols.low),
    close: pick(cols.close),
    volume: pick(cols.volume),
    adjClose: cols.adjClose === null ? null : pick(cols.adjClose),
    adjCloseMissing: adjCloseMissing === null ? null : Uint8Array.from(keep, (i) => adjCloseMissing[i]),
    raw: (j) => cols.raw(keep[j]),
  };
}

function noInterval(spacing: Spacing): DataError {
  return new DataError(
    `the file's bars are ${describeStep(spacing.medianStepMs)} apart, which is not an interval pulse knows`,
    `pulse's intervals are ${Object.keys(INTERVAL_MS).join(', ')}; resample the file to one of them before importing`,
  );
}

/** The error for a file whose rows contradict `--interval`, naming what the file holds. */
function wrongInterval(text: string, options: CsvImportOptions): DataError {
  const asked = options.interval as Interval;
  // Date keys hide the time of day: read the file at full time resolution to say what it holds.
  const actual = inferSpacing(parseCsvColumns(text, { interval: '1m', timeColumn: options.timeColumn, tz: options.tz }).time, options.ordinal);
  if (actual === undefined) return new DataError(`the file's rows are not ${asked} bars`, 'check the file and --interval');
  if (actual.interval === null) return noInterval(actual);
  if (actual.interval === asked) {
    return new DataError(`the file's rows are too far apart for ${asked} bars (typically ${describeStep(actual.medianStepMs)})`, 'check the file and --interval, or pass --calendar when the bars follow an exchange session');
  }
  const finer = INTERVAL_MS[actual.interval] < INTERVAL_MS[asked];
  return new DataError(
    `the file holds ${actual.interval} bars, not ${asked} (its rows are ${describeStep(actual.medianStepMs)} apart)`,
    finer
      ? `pass --interval ${actual.interval} (or leave it out), with --resample ${asked} to aggregate them into ${asked} bars`
      : `pass --interval ${actual.interval}, or leave --interval out to take the file's own spacing`,
  );
}
