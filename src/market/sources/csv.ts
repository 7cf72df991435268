/**
 * CSV import of OHLCV bars and of external `timestamp,value` series, from text or a stream (a file or stdin).
 * Rows come back unvalidated (validation and quarantine happen downstream): a field that is not a number
 * becomes NaN and each row keeps its original line as `raw`, so nothing is lost.
 *
 * Header. Names match case-insensitively, ignoring spaces and punctuation (`Adj Close` = `adj_close` =
 * `adjclose`). Time: `timestamp`, `datetime`, `date`, `time`, `open time`, `ts`, `unix`, `epoch` (first match in
 * that order), an unnamed first column (a pandas index), or the column named by `timeColumn`. Prices: `open`,
 * `high`, `low`, `close` (also `o`, `h`, `l`, `c`); `adj close` / `adjusted close` is optional; `volume` / `vol` /
 * `v` is optional (without it volume is recorded as 0, with a note). The delimiter is the most frequent of
 * `,` `;` and tab in the header line.
 *
 * Timestamps: ISO-8601 (`2024-01-02T14:30:00Z`, `...+01:00`, fractional seconds), plain dates (`2024-01-02`,
 * `2024/01/02`, `2024.01.02`, `20240102`), `YYYY-MM-DD HH:MM[:SS]`, or epoch numbers: below 1e11 seconds, below
 * 1e14 milliseconds, below 1e17 microseconds, else nanoseconds (so millisecond stamps before March 1973 would be
 * read as seconds). Timestamps without an offset are wall time in `tz` (IANA; default UTC). Other formats
 * (`01/02/2024` is ambiguous between US and European order) read as NaN.
 * Daily and coarser intervals are keyed by the calendar date as written (the Yahoo CSVs stamp 14:30Z: that is
 * the date's bar), at 00:00 UTC, then floored to the interval's bucket: ISO week from Monday, calendar month (so
 * pandas-style month-end labels land on their month). Epoch numbers use their UTC date.
 *
 * Speed: unquoted CSV goes through a hand-rolled scanner: lines and text fields are cut with native searches
 * (`indexOf`), and numeric fields are split and parsed in one pass over their characters (a plain decimal whose
 * digits fit in 2^53 is one exact division, the same double `Number` gives; anything else falls back to `Number`
 * on the field); values go straight into typed columns. Any input containing a double quote goes through
 * csv-parse instead. Both paths give identical values.
 * {@link parseCsvColumns} returns the columns (no per-row objects: the form for bulk imports, paired with
 * validateColumns); {@link parseCsvBars} builds one SourceRow per line from them.
 */
import { isAscii } from 'node:buffer';
import { parse as parseCsvSync } from 'csv-parse/sync';
import type { OhlcvColumns, SourceRow } from '../../core/bars.js';
import { TimestampReader } from '../timestamp-reader.js';
import { floorToInterval, INTERVAL_MS, INTERVALS, type Interval } from '../../core/interval.js';
import type { BarSource, FetchRequest, FetchResult } from './source.js';
import { DataError } from '../../core/errors.js';

/** CSV text, or a stream/iterable of its bytes (a file stream, stdin). */
export type CsvInput = string | NodeJS.ReadableStream | AsyncIterable<string | Uint8Array>;

/** Options of {@link parseCsvBars} / {@link readCsvBars}. */
export interface CsvBarsOptions {
  interval: Interval;
  /** The header name of the time column, when the automatic choice is wrong. */
  timeColumn?: string;
  /** IANA zone of timestamps without an offset (default UTC). */
  tz?: string;
}

/** Options of {@link parseCsvSeries} / {@link readCsvSeries}. */
export interface CsvSeriesOptions {
  timeColumn?: string;
  /** The value column (default: `value`, or the only other column). */
  valueColumn?: string;
  tz?: string;
}

/** Parsed bar rows with notes on how they were read and the column mapping used. */
export type CsvBarsResult = FetchResult & { notes: string[]; info: CsvParseInfo };

/**
 * A bar CSV as columns, one entry per data line: the allocation-light form for bulk imports. Values are as in
 * SourceRow (NaN where unreadable); `raw(i)` gives row i's line.
 */
export interface CsvBarColumns extends OhlcvColumns {
  /** Adjusted closes, or null without such a column; a row whose field is empty has `adjCloseMissing[i] = 1`. */
  adjClose: Float64Array | null;
  adjCloseMissing: Uint8Array | null;
  raw(i: number): string;
  notes: string[];
  info: CsvParseInfo;
}

/** One point of an external series; `ts` and `value` are NaN when unreadable, `raw` is the line. */
export interface SeriesPoint {
  ts: number;
  value: number;
  raw: string;
}

/** What the CSV readers report besides the rows. */
export interface CsvParseInfo {
  /** The header names as written. */
  columns: string[];
  /** The header name used for each role. */
  mapping: Record<string, string>;
  /** True when csv-parse handled quoted fields instead of the fast path. */
  quoted: boolean;
  notes: string[];
}

const TIME_ALIASES = ['timestamp', 'datetime', 'date', 'time', 'opentime', 'ts', 'unix', 'unixtime', 'epoch'];
const ROLE_ALIASES = {
  open: ['open', 'o'],
  high: ['high', 'h'],
  low: ['low', 'l'],
  close: ['close', 'c'],
  adjClose: ['adjclose', 'adjustedclose'],
  volume: ['volume', 'vol', 'v'],
} as const;
type Role = keyof typeof ROLE_ALIASES;

const normalise = (name: string): string => name.toLowerCase().replace(/[^a-z0-9]/g, '');

/**
 * CSV bytes as text (UTF-8, BOM removed). Plain ASCII, the usual case, is decoded as Latin-1, which yields the same
 * string without UTF-8 validation: half the time of a UTF-8 decode for a 50 MB file.
 */
export function decodeCsvBytes(bytes: Uint8Array): string {
  const buf = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const text = isAscii(buf) ? buf.toString('latin1') : buf.toString('utf8');
  return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
}

/** Read a whole input into a string (UTF-8, BOM removed). */
export async function readCsvText(input: CsvInput): Promise<string> {
  if (typeof input === 'string') return input.charCodeAt(0) === 0xfeff ? input.slice(1) : input;
  const chunks: Buffer[] = [];
  for await (const chunk of input as AsyncIterable<string | Uint8Array>) {
    chunks.push(typeof chunk === 'string' ? Buffer.from(chunk, 'utf8') : Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength));
  }
  return decodeCsvBytes(Buffer.concat(chunks));
}

/** Read and parse an OHLCV CSV (see the module note); `notes` say how it was read. */
export async function readCsvBars(input: CsvInput, options: CsvBarsOptions): Promise<CsvBarsResult> {
  return parseCsvBars(await readCsvText(input), options);
}

/** Read and parse an OHLCV CSV into columns (the bulk-import form; see {@link parseCsvColumns}). */
export async function readCsvColumns(input: CsvInput, options: CsvBarsOptions): Promise<CsvBarColumns> {
  return parseCsvColumns(await readCsvText(input), options);
}

/** Read and parse a `timestamp,value` CSV into series points. */
export async function readCsvSeries(input: CsvInput, options: CsvSeriesOptions = {}): Promise<{ points: SeriesPoint[]; info: CsvParseInfo }> {
  return parseCsvSeries(await readCsvText(input), options);
}

/** The header of a CSV and how to reach its data rows. */
interface Head {
  columns: string[];
  delimiter: number;
  /** Unquoted input: where the data rows begin. */
  bodyStart: number;
  /** Quoted input: every record parsed by csv-parse (the header first), with its raw text; null when unquoted. */
  records: { record: string[]; raw: string }[] | null;
}

/** Read the header line; input with any double quote is handed to csv-parse whole. */
function readHead(text: string): Head {
  let start = 0;
  while (start < text.length && text.charCodeAt(start) <= 32) start++;
  if (start >= text.length) throw new DataError('the CSV is empty', 'give a file with a header line and rows');
  let headerEnd = text.indexOf('\n', start);
  if (headerEnd < 0) headerEnd = text.length;
  const headerLine = text.slice(start, headerEnd).replace(/\r$/, '');
  const delimiter = pickDelimiter(headerLine);
  if (text.indexOf('"') < 0) {
    return { columns: headerLine.split(delimiter).map((c) => c.trim()), delimiter: delimiter.charCodeAt(0), bodyStart: headerEnd + 1, records: null };
  }
  let records: { record: string[]; raw: string }[];
  try {
    records = parseCsvSync(text, { delimiter, raw: true, relax_column_count: true, skip_empty_lines: true, trim: true }) as unknown as {
      record: string[];
      raw: string;
    }[];
  } catch (err) {
    throw new DataError(`the CSV cannot be parsed: ${(err as Error).message}`, 'check the quoting of the line it names', err);
  }
  const columns = records.length > 0 ? records[0].record.map((c) => c.trim()) : [];
  return { columns, delimiter: delimiter.charCodeAt(0), bodyStart: text.length, records };
}

function pickDelimiter(header: string): string {
  let best = ',';
  let bestCount = 0;
  for (const d of [',', ';', '\t']) {
    const count = header.split(d).length - 1;
    if (count > bestCount) {
      best = d;
      bestCount = count;
    }
  }
  return best;
}

/** Find the time column index (see the module note) or throw a DataError naming what was found and accepted. */
function findTimeColumn(columns: string[], timeColumn: string | undefined): number {
  const norm = columns.map(normalise);
  if (timeColumn !== undefined) {
    let i = columns.findIndex((c) => c.toLowerCase() === timeColumn.trim().toLowerCase());
    if (i < 0) i = norm.indexOf(normalise(timeColumn));
    if (i < 0) throw new DataError(`the CSV has no column "${timeColumn}" (found: ${columns.join(', ')})`, 'pass --time-column one of the header names above');
    return i;
  }
  for (const alias of TIME_ALIASES) {
    const i = norm.indexOf(alias);
    if (i >= 0) return i;
  }
  if (columns.length > 1 && columns[0] === '') return 0;
  throw new DataError(
    `the CSV has no recognisable time column (found: ${columns.map((c) => c || '(unnamed)').join(', ')})`,
    `name it one of: ${TIME_ALIASES.join(', ')} (any case, spaces or underscores), or pass --time-column NAME`,
  );
}

/** Largest integer a double holds exactly (2^53 - 1). */
const MAX_EXACT = 9007199254740991;
const DECIMAL = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;
const POW10 = [1, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22];

/**
 * Parse a decimal number in text[s, e): the value `Number` would give, NaN for anything that is not a plain
 * decimal (empty, `null`, `1,5`, hex). Fast path: mantissa < 2^53 and at most 22 fraction digits, where one
 * division of exact doubles is correctly rounded.
 */
export function parseDecimal(text: string, s: number, e: number): number {
  while (s < e && text.charCodeAt(s) <= 32) s++;
  while (e > s && text.charCodeAt(e - 1) <= 32) e--;
  let i = s;
  let neg = false;
  const c0 = text.charCodeAt(i);
  if (c0 === 45 || c0 === 43) {
    neg = c0 === 45;
    i++;
  }
  let m = 0;
  let fracDigits = 0;
  let seenDigit = false;
  let seenDot = false;
  for (; i < e; i++) {
    const k = text.charCodeAt(i) - 48;
    if (k >= 0 && k <= 9) {
      m = m * 10 + k;
      seenDigit = true;
      if (seenDot) fracDigits++;
    } else if (k === -2 && !seenDot) {
      seenDot = true; // '.'
    } else break;
  }
  if (i === e && seenDigit) {
    if (m <= MAX_EXACT && fracDigits <= 22) {
      const v = m / POW10[fracDigits];
      return neg ? -v : v;
    }
    return Number(text.slice(s, e)); // a plain decimal with more digits than a double holds exactly
  }
  const slice = text.slice(s, e);
  return DECIMAL.test(slice) ? Number(slice) : NaN;
}

/** Field roles of the scanners: value slots 0-5 (bars: open, high, low, close, adjClose, volume; series: value). */
const SLOTS = 6;
const ADJ = 4;
const TIME = 6;
const SKIP = 7;

/**
 * Growable columns the scanners fill, one entry per data line. Only the value slots some column feeds are
 * allocated (a bar CSV without adjusted closes never touches that column). A plain input keeps each row's line
 * as its start offset alone: {@link lineAt} cuts the line again when its raw text is asked for, which is rare
 * (rejected rows, row objects), so a bulk import does not write a second offset per row.
 */
class ColumnBuilder {
  length = 0;
  time: Float64Array;
  /** Value slots; an unused slot is an empty array. */
  values: Float64Array[];
  /** 1 where the adjusted-close field was empty (allocated when the adjusted-close slot is used). */
  empty: Uint8Array;
  /** Plain input: where each row's line starts in the text (strings are shorter than 2^32). */
  lineStart: Uint32Array;
  /** Quoted input: each row's raw record. */
  rawLines: string[] = [];

  constructor(
    capacity: number,
    private readonly used: readonly boolean[],
    plain: boolean,
  ) {
    this.time = new Float64Array(capacity);
    this.values = used.map((u) => new Float64Array(u ? capacity : 0));
    this.empty = new Uint8Array(used[ADJ] ? capacity : 0);
    this.lineStart = new Uint32Array(plain ? capacity : 0);
  }

  get capacity(): number {
    return this.time.length;
  }

  /** Double the capacity (the arrays are replaced: callers holding them must fetch them again). */
  grow(): void {
    const size = this.capacity * 2 + 16;
    const grow = <T extends Float64Array | Uint8Array | Uint32Array>(a: T, keep: boolean): T => {
      if (!keep) return a;
      const b = new (a.constructor as new (n: number) => T)(size);
      b.set(a);
      return b;
    };
    this.time = grow(this.time, true);
    this.values = this.values.map((a, k) => grow(a, this.used[k]));
    this.empty = grow(this.empty, this.used[ADJ]);
    this.lineStart = grow(this.lineStart, this.lineStart.length > 0);
  }
}

/** The value slot each column feeds (TIME, a slot, or SKIP). */
function rolesFor(ncol: number, timeCol: number, slots: readonly number[]): Int8Array {
  const roles = new Int8Array(ncol).fill(SKIP);
  roles[timeCol] = TIME;
  slots.forEach((c, slot) => {
    if (c >= 0) roles[c] = slot;
  });
  return roles;
}

/** Which value slots some column feeds. */
function usedSlots(roles: Int8Array): boolean[] {
  const used = new Array<boolean>(SLOTS).fill(false);
  for (const role of roles) if (role < SLOTS) used[role] = true;
  return used;
}

/** The line starting at `start` in `text`, without its line ending. */
function lineAt(text: string, start: number): string {
  let end = text.indexOf('\n', start);
  if (end < 0) end = text.length;
  if (end > start && text.charCodeAt(end - 1) === 13) end--;
  return text.slice(start, end);
}

/**
 * The fast path for unquoted input. Each line is found with one native newline search; within it, fields are
 * split and numbers parsed in the same pass over the characters (a plain decimal is consumed as it is scanned;
 * anything else falls back to parseDecimal on the whole field, so the values equal the csv-parse path's), and
 * the ends of text fields (the time) are found with a native delimiter search. Values go straight into typed
 * columns; a slot is set to NaN only when its field is missing from a short row.
 */
function scanPlain(text: string, head: Head, roles: Int8Array, times: TimestampReader, bucket: Interval | null): ColumnBuilder {
  // A concatenated (cons) string makes every charCodeAt slow; ToNumber flattens it in place, once.
  void Number(text);
  const d = head.delimiter;
  const delimiter = String.fromCharCode(d);
  const n = text.length;
  const ncol = roles.length;
  const used = usedSlots(roles);
  let usedMask = 0;
  for (let k = 0; k < SLOTS; k++) if (used[k]) usedMask |= 1 << k;
  const firstLine = text.indexOf('\n', head.bodyStart);
  const typical = firstLine > head.bodyStart ? firstLine - head.bodyStart + 1 : 64;
  const b = new ColumnBuilder(Math.ceil(((n - head.bodyStart) / typical) * 1.05) + 16, used, true);
  let { time, values: cols, empty, lineStart: starts } = b;
  let pos = head.bodyStart;
  while (pos < n) {
    const lineStart = pos;
    let next = text.indexOf('\n', pos);
    if (next < 0) next = n;
    pos = next + 1;
    // The line is text[lineStart, end): without its \n or \r\n.
    const end = next > lineStart && text.charCodeAt(next - 1) === 13 ? next - 1 : next;
    if (end === lineStart) continue; // a blank line
    if (b.length === b.capacity) {
      b.grow();
      ({ time, values: cols, empty, lineStart: starts } = b);
    }
    const row = b.length++;
    let written = 0;
    let tsStart = -1;
    let tsEnd = -1;
    let p = lineStart;
    for (let c = 0; ; c++) {
      const fieldStart = p;
      const role = c < ncol ? roles[c] : SKIP;
      let fieldEnd: number;
      if (role < TIME) {
        let i = p;
        let neg = false;
        let m = 0;
        let frac = 0;
        let dot = false;
        let any = false;
        let ch = i < end ? text.charCodeAt(i) : d;
        if (ch === 45 || ch === 43) {
          neg = ch === 45;
          i++;
        }
        for (; i < end; i++) {
          ch = text.charCodeAt(i);
          const k = ch - 48;
          if (k >= 0 && k <= 9) {
            m = m * 10 + k;
            any = true;
            if (dot) frac++;
          } else if (ch === 46 && !dot) dot = true;
          else break;
        }
        let v: number;
        if (any && (i === end || ch === d)) {
          // A plain decimal: exact by one division when the digits fit in 2^53, else Number on the lexeme.
          fieldEnd = i;
          if (m <= MAX_EXACT && frac <= 22) {
            v = m / POW10[frac];
            if (neg) v = -v;
          } else v = Number(text.slice(fieldStart, i));
        } else {
          fieldEnd = text.indexOf(delimiter, i);
          if (fieldEnd < 0 || fieldEnd > end) fieldEnd = end;
          v = parseDecimal(text, fieldStart, fieldEnd);
        }
        cols[role][row] = v;
        written |= 1 << role;
        if (role === ADJ) {
          // Empty or a lone \r; the last field extends to the \n (so `\r\r\n` ends in a field of two \r, not empty).
          const rawEnd = fieldEnd === end ? next : fieldEnd;
          empty[row] = rawEnd === fieldStart || (rawEnd === fieldStart + 1 && text.charCodeAt(fieldStart) === 13) ? 1 : 0;
        }
      } else {
        fieldEnd = text.indexOf(delimiter, p);
        if (fieldEnd < 0 || fieldEnd > end) fieldEnd = end;
        if (role === TIME) {
          tsStart = fieldStart;
          tsEnd = fieldEnd;
        }
      }
      if (fieldEnd >= end) break;
      p = fieldEnd + 1;
    }
    const missing = usedMask & ~written;
    if (missing !== 0) {
      // A short row: the fields it lacks read as NaN (an absent adjusted close as missing).
      for (let k = 0; k < SLOTS; k++) if (missing & (1 << k)) cols[k][row] = NaN;
      if (missing & (1 << ADJ)) empty[row] = 1;
    }
    let ts = tsStart < 0 ? NaN : times.read(text, tsStart, tsEnd);
    if (bucket !== null && ts === ts) ts = floorToInterval(ts, bucket);
    time[row] = ts;
    starts[row] = lineStart;
  }
  return b;
}

/** The csv-parse path for quoted input: the same columns from parsed records. */
function scanRecords(head: Head, roles: Int8Array, times: TimestampReader, bucket: Interval | null): ColumnBuilder {
  const records = head.records ?? [];
  const used = usedSlots(roles);
  const b = new ColumnBuilder(records.length, used, false);
  for (let r = 1; r < records.length; r++) {
    const { record, raw } = records[r];
    const row = b.length++;
    for (let k = 0; k < SLOTS; k++) if (used[k]) b.values[k][row] = NaN;
    if (used[ADJ]) b.empty[row] = 1;
    b.time[row] = NaN;
    for (let c = 0; c < roles.length; c++) {
      const field = record[c] ?? '';
      const role = roles[c];
      if (role === TIME) {
        let ts = times.read(field, 0, field.length);
        if (bucket !== null && ts === ts) ts = floorToInterval(ts, bucket);
        b.time[row] = ts;
      } else if (role < TIME) {
        b.values[role][row] = parseDecimal(field, 0, field.length);
        if (role === ADJ) b.empty[row] = field.length === 0 ? 1 : 0;
      }
    }
    b.rawLines.push(raw.replace(/[\r\n]+$/, ''));
  }
  return b;
}

/** Scan the data rows of either kind of input. */
function scanRows(text: string, head: Head, roles: Int8Array, times: TimestampReader, bucket: Interval | null): { b: ColumnBuilder; raw: (i: number) => string } {
  if (head.records === null) {
    const b = scanPlain(text, head, roles, times, bucket);
    return { b, raw: (i) => lineAt(text, b.lineStart[i]) };
  }
  const b = scanRecords(head, roles, times, bucket);
  return { b, raw: (i) => b.rawLines[i] };
}

/** A file whose first rows' times are all unreadable is in a format pulse does not read: say so once. */
function checkTimesReadable(time: Float64Array, length: number, raw: (i: number) => string, column: string): void {
  const probe = Math.min(length, 20);
  for (let i = 0; i < probe; i++) if (time[i] === time[i]) return;
  if (probe > 0) {
    throw new DataError(
      `cannot read the times in column "${column || '(unnamed)'}" (first row: ${raw(0)})`,
      'use ISO-8601 (2024-01-02T14:30:00Z), YYYY-MM-DD[ HH:MM:SS], or epoch seconds/milliseconds; or pick another column with --time-column',
    );
  }
}

/**
 * Parse OHLCV CSV text into columns (see the module note): the bulk-import form, with no per-row objects.
 * @throws DataError when the input is empty or has no recognisable time or price columns.
 * @throws UsageError for an unknown time zone.
 */
export function parseCsvColumns(text: string, options: CsvBarsOptions): CsvBarColumns {
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  const head = readHead(text);
  const { columns } = head;
  const timeCol = findTimeColumn(columns, options.timeColumn);
  const norm = columns.map(normalise);
  const col = {} as Record<Role, number>;
  for (const role of Object.keys(ROLE_ALIASES) as Role[]) {
    col[role] = -1;
    for (const alias of ROLE_ALIASES[role]) {
      const i = norm.indexOf(alias);
      if (i >= 0 && i !== timeCol) {
        col[role] = i;
        break;
      }
    }
  }
  const missing = (['open', 'high', 'low', 'close'] as const).filter((r) => col[r] < 0);
  if (missing.length > 0) {
    throw new DataError(
      `the CSV lacks price column${missing.length > 1 ? 's' : ''} ${missing.join(', ')} (found: ${columns.map((c) => c || '(unnamed)').join(', ')})`,
      'bar CSVs need open, high, low and close columns (also accepted: o, h, l, c; optional adj close and volume); for a timestamp,value file use --series NAME',
    );
  }
  const dateKey = INTERVAL_MS[options.interval] >= 86_400_000;
  const times = new TimestampReader(options.tz, dateKey);
  const quoted = head.records !== null;
  const notes: string[] = [];
  const mapping: Record<string, string> = { time: columns[timeCol] };
  for (const role of Object.keys(col) as Role[]) if (col[role] >= 0) mapping[role] = columns[col[role]];
  if (quoted) notes.push('quoted fields: parsed with csv-parse');
  if (col.volume < 0) notes.push('no volume column: volume recorded as 0');
  if (dateKey) notes.push(`${options.interval} rows keyed by the calendar date as written, at 00:00 UTC`);
  else if (options.tz !== undefined) notes.push(`timestamps without an offset read as ${options.tz} wall time`);

  const bucket = options.interval === '1wk' || options.interval === '1mo' ? options.interval : null;
  const roles = rolesFor(columns.length, timeCol, [col.open, col.high, col.low, col.close, col.adjClose, col.volume]);
  const { b, raw } = scanRows(text, head, roles, times, bucket);
  const n = b.length;
  checkTimesReadable(b.time, n, raw, columns[timeCol]);
  const volume = col.volume < 0 ? new Float64Array(n) : b.values[5].subarray(0, n);
  return {
    length: n,
    time: b.time.subarray(0, n),
    open: b.values[0].subarray(0, n),
    high: b.values[1].subarray(0, n),
    low: b.values[2].subarray(0, n),
    close: b.values[3].subarray(0, n),
    volume,
    adjClose: col.adjClose < 0 ? null : b.values[ADJ].subarray(0, n),
    adjCloseMissing: col.adjClose < 0 ? null : b.empty.subarray(0, n),
    raw,
    notes,
    info: { columns, mapping, quoted, notes },
  };
}

/** One {@link SourceRow} per entry of parsed columns. */
export function rowsFromColumns(c: CsvBarColumns): SourceRow[] {
  const rows: SourceRow[] = new Array(c.length);
  const { time, open, high, low, close, volume, adjClose, adjCloseMissing } = c;
  for (let i = 0; i < c.length; i++) {
    rows[i] = {
      ts: time[i],
      open: open[i],
      high: high[i],
      low: low[i],
      close: close[i],
      volume: volume[i],
      adjClose: adjClose === null || (adjCloseMissing as Uint8Array)[i] === 1 ? null : adjClose[i],
      raw: c.raw(i),
    };
  }
  return rows;
}

/**
 * Parse OHLCV CSV text into unvalidated rows (see the module note).
 * @throws DataError when the input is empty or has no recognisable time or price columns.
 * @throws UsageError for an unknown time zone.
 */
export function parseCsvBars(text: string, options: CsvBarsOptions): CsvBarsResult {
  const c = parseCsvColumns(text, options);
  return { rows: rowsFromColumns(c), notes: c.notes, info: c.info };
}

/**
 * Parse a `timestamp,value` CSV into points (ms, UTC; timestamps read as for bars at intraday resolution).
 * @throws DataError without a time column, or without a value column (`value`, or the only other column).
 */
export function parseCsvSeries(text: string, options: CsvSeriesOptions = {}): { points: SeriesPoint[]; info: CsvParseInfo } {
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  const head = readHead(text);
  const { columns } = head;
  const timeCol = findTimeColumn(columns, options.timeColumn);
  const norm = columns.map(normalise);
  let valueCol = -1;
  if (options.valueColumn !== undefined) {
    valueCol = norm.indexOf(normalise(options.valueColumn));
    if (valueCol < 0) throw new DataError(`the CSV has no column "${options.valueColumn}" (found: ${columns.join(', ')})`, 'name one of the header names above');
  } else {
    valueCol = norm.indexOf('value');
    if (valueCol < 0 && columns.length === 2) valueCol = 1 - timeCol;
    if (valueCol < 0) {
      throw new DataError(
        `the series CSV has no value column (found: ${columns.map((c) => c || '(unnamed)').join(', ')})`,
        'a series CSV has a time column and a "value" column (or exactly one other column)',
      );
    }
  }
  const { b, raw } = scanRows(text, head, rolesFor(columns.length, timeCol, [valueCol]), new TimestampReader(options.tz, false), null);
  checkTimesReadable(b.time, b.length, raw, columns[timeCol]);
  const points: SeriesPoint[] = new Array(b.length);
  for (let i = 0; i < b.length; i++) points[i] = { ts: b.time[i], value: b.values[0][i], raw: raw(i) };
  const quoted = head.records !== null;
  const notes = quoted ? ['quoted fields: parsed with csv-parse'] : [];
  return { points, info: { columns, mapping: { time: columns[timeCol], value: columns[valueCol] }, quoted, notes } };
}

/** Options of {@link CsvSource}: where the CSV comes from and how to read it. */
export interface CsvSourceOptions {
  input: CsvInput;
  timeColumn?: string;
  tz?: string;
}

/**
 * A CSV file as a bar source: it holds one symbol at the interval it is asked for; `fetch` reads the input
 * once and returns the rows opening in [from, to) (rows with unreadable times are always returned so that
 * validation quarantines them).
 */
export class CsvSource implements BarSource {
  readonly name = 'csv';
  readonly intervals: readonly Interval[] = INTERVALS;
  private text: Promise<string> | null = null;

  constructor(private readonly options: CsvSourceOptions) {}

  historyLimitMs(): number | undefined {
    return undefined;
  }

  async fetch(request: FetchRequest): Promise<FetchResult> {
    this.text ??= readCsvText(this.options.input);
    const parsed = parseCsvBars(await this.text, { interval: request.interval, timeColumn: this.options.timeColumn, tz: this.options.tz });
    const from = request.from ?? -Infinity;
    const to = request.to ?? Infinity;
    const rows = parsed.rows.filter((r) => !Number.isFinite(r.ts) || (r.ts >= from && r.ts < to));
    return { rows, notes: parsed.notes };
  }
}
