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
 * Speed: simple unquoted CSV goes through a hand-rolled scanner (indexOf over the text, char-code number and
 * date parsing, exact for decimals of up to 15 significant digits and falling back to `Number` beyond); any
 * input containing a double quote goes through csv-parse instead. Both give identical rows.
 */
import { parse as parseCsvSync } from 'csv-parse/sync';
import type { SourceRow } from '../bars.js';
import { floorToInterval, INTERVAL_MS, type Interval } from '../interval.js';
import type { BarSource, FetchRequest, FetchResult } from './source.js';
import { DataError, UsageError } from '../../core/errors.js';

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

/** Read a whole input into a string (UTF-8, BOM removed). */
export async function readCsvText(input: CsvInput): Promise<string> {
  let text: string;
  if (typeof input === 'string') text = input;
  else {
    const chunks: Buffer[] = [];
    for await (const chunk of input as AsyncIterable<string | Uint8Array>) {
      chunks.push(typeof chunk === 'string' ? Buffer.from(chunk, 'utf8') : Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength));
    }
    text = Buffer.concat(chunks).toString('utf8');
  }
  return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
}

/** Read and parse an OHLCV CSV (see the module note); `notes` say how it was read. */
export async function readCsvBars(input: CsvInput, options: CsvBarsOptions): Promise<FetchResult & { info: CsvParseInfo }> {
  return parseCsvBars(await readCsvText(input), options);
}

/** Read and parse a `timestamp,value` CSV into series points. */
export async function readCsvSeries(input: CsvInput, options: CsvSeriesOptions = {}): Promise<{ points: SeriesPoint[]; info: CsvParseInfo }> {
  return parseCsvSeries(await readCsvText(input), options);
}

/** Where one row's fields sit: field `c` is `text.slice(starts[c], ends[c])` (no copy is made). */
interface RowCursor {
  text: string;
  starts: Int32Array;
  ends: Int32Array;
}

/** A scanned table: header names and a pass over the data rows. */
interface Table {
  columns: string[];
  quoted: boolean;
  /** Calls `row(cursor, raw)` for every non-empty data line; the cursor is reused between calls. */
  forEachRow(row: (cursor: RowCursor, raw: string) => void): void;
}

/** Split the text into header and rows: the fast scanner for unquoted input, csv-parse otherwise. */
function scan(text: string): Table {
  let start = 0;
  while (start < text.length && text.charCodeAt(start) <= 32) start++;
  if (start >= text.length) throw new DataError('the CSV is empty', 'give a file with a header line and rows');
  let headerEnd = text.indexOf('\n', start);
  if (headerEnd < 0) headerEnd = text.length;
  const headerLine = text.slice(start, headerEnd).replace(/\r$/, '');
  const delimiter = pickDelimiter(headerLine);
  if (text.indexOf('"') >= 0) return scanQuoted(text, delimiter);
  const columns = headerLine.split(delimiter).map((c) => c.trim());
  return {
    columns,
    quoted: false,
    forEachRow(row) {
      const cursor: RowCursor = { text, starts: new Int32Array(columns.length), ends: new Int32Array(columns.length) };
      const { starts, ends } = cursor;
      let lineStart = headerEnd + 1;
      while (lineStart < text.length) {
        let lineEnd = text.indexOf('\n', lineStart);
        if (lineEnd < 0) lineEnd = text.length;
        const next = lineEnd + 1;
        if (lineEnd > lineStart && text.charCodeAt(lineEnd - 1) === 13) lineEnd--;
        if (lineEnd > lineStart) {
          let s = lineStart;
          for (let c = 0; c < columns.length; c++) {
            if (s > lineEnd) {
              starts[c] = ends[c] = lineEnd; // short row: missing fields are empty
              continue;
            }
            let e = text.indexOf(delimiter, s);
            if (e < 0 || e > lineEnd) e = lineEnd;
            starts[c] = s;
            ends[c] = e;
            s = e + 1;
          }
          row(cursor, text.slice(lineStart, lineEnd));
        }
        lineStart = next;
      }
    },
  };
}

function scanQuoted(text: string, delimiter: string): Table {
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
  return {
    columns,
    quoted: true,
    forEachRow(row) {
      const cursor: RowCursor = { text: '', starts: new Int32Array(columns.length), ends: new Int32Array(columns.length) };
      for (let i = 1; i < records.length; i++) {
        const { record, raw } = records[i];
        // Lay the unquoted fields end to end so the same cursor readers apply.
        let joined = '';
        for (let c = 0; c < columns.length; c++) {
          cursor.starts[c] = joined.length;
          joined += record[c] ?? '';
          cursor.ends[c] = joined.length;
        }
        cursor.text = joined;
        row(cursor, raw.replace(/\r?\n$/, ''));
      }
    },
  };
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

/** Time parsing context: zone handling, cached per UTC hour. */
class TimeReader {
  private readonly zone: string | null;
  private readonly offsets = new Map<number, number>();
  private readonly format: Intl.DateTimeFormat | null;

  constructor(tz: string | undefined, private readonly dateKey: boolean) {
    const zone = tz === undefined || /^(utc|gmt|z|etc\/utc)$/i.test(tz.trim()) ? null : tz.trim();
    this.zone = zone;
    if (zone === null) {
      this.format = null;
      return;
    }
    try {
      this.format = new Intl.DateTimeFormat('en-US', {
        timeZone: zone, hourCycle: 'h23', year: 'numeric', month: 'numeric', day: 'numeric', hour: 'numeric', minute: 'numeric', second: 'numeric',
      });
    } catch {
      throw new UsageError(`unknown time zone "${tz}"`, 'use an IANA zone name such as America/New_York or Europe/London');
    }
  }

  /** Offset (ms, local - UTC) of the zone at the UTC instant `ts`. */
  private offsetAt(ts: number): number {
    const hour = Math.floor(ts / 3_600_000);
    let off = this.offsets.get(hour);
    if (off === undefined) {
      const p: Record<string, number> = {};
      for (const part of (this.format as Intl.DateTimeFormat).formatToParts(hour * 3_600_000)) p[part.type] = Number(part.value);
      off = Date.UTC(p.year, p.month - 1, p.day, p.hour, p.minute, p.second) - hour * 3_600_000;
      this.offsets.set(hour, off);
    }
    return off;
  }

  /** UTC ms of a wall-clock time in the zone. */
  private fromLocal(local: number): number {
    if (this.zone === null) return local;
    const guess = local - this.offsetAt(local);
    const off = this.offsetAt(guess);
    return local - off;
  }

  /** Parse field text[s, e) (see the module note); NaN when unreadable. */
  read(text: string, s: number, e: number): number {
    while (s < e && text.charCodeAt(s) <= 32) s++;
    while (e > s && text.charCodeAt(e - 1) <= 32) e--;
    const sep = text.charCodeAt(s + 4);
    // '-', '.' or '/' after four digits: a calendar date; anything else is read as an epoch number.
    if (e - s >= 10 && (sep === 45 || sep === 46 || sep === 47)) return this.readCalendar(text, s, e);
    return this.readNumber(text, s, e);
  }

  private readNumber(text: string, s: number, e: number): number {
    if (e - s === 8) {
      const y = digits(text, s, 4);
      const m = digits(text, s + 4, 2);
      const d = digits(text, s + 6, 2);
      if (y >= 1900 && y <= 2999 && validDate(y, m, d)) return this.dateKey ? civil(y, m, d) : this.fromLocal(civil(y, m, d));
    }
    const v = parseDecimal(text, s, e);
    if (!Number.isFinite(v)) return NaN;
    const a = Math.abs(v);
    const ms = a < 1e11 ? v * 1000 : a < 1e14 ? v : a < 1e17 ? v / 1e3 : v / 1e6;
    const t = Math.round(ms);
    return this.dateKey ? Math.floor(t / 86_400_000) * 86_400_000 : t;
  }

  /** YYYY-MM-DD[(T| )HH:MM[:SS[.f]]][Z|±HH[:MM]] with -, / or . between date parts. */
  private readCalendar(text: string, s: number, e: number): number {
    const sep = text.charCodeAt(s + 4);
    if (text.charCodeAt(s + 7) !== sep) return NaN;
    const y = digits(text, s, 4);
    const mo = digits(text, s + 5, 2);
    const d = digits(text, s + 8, 2);
    if (!validDate(y, mo, d)) return NaN;
    const date = civil(y, mo, d);
    if (this.dateKey) return date; // the calendar date as written
    let i = s + 10;
    if (i === e) return this.fromLocal(date);
    const c = text.charCodeAt(i);
    if (c !== 84 && c !== 116 && c !== 32) return NaN; // T, t or space
    i++;
    const hh = digits(text, i, 2);
    if (text.charCodeAt(i + 2) !== 58) return NaN;
    const mm = digits(text, i + 3, 2);
    i += 5;
    let ss = 0;
    let frac = 0;
    if (i < e && text.charCodeAt(i) === 58) {
      ss = digits(text, i + 1, 2);
      i += 3;
      if (i < e && (text.charCodeAt(i) === 46 || text.charCodeAt(i) === 44)) {
        let scale = 100;
        for (i++; i < e; i++) {
          const k = text.charCodeAt(i) - 48;
          if (k < 0 || k > 9) break;
          frac += k * scale;
          scale /= 10;
        }
      }
    }
    if (!(hh >= 0 && hh <= 23 && mm >= 0 && mm <= 59 && ss >= 0 && ss <= 59)) return NaN;
    const local = date + hh * 3_600_000 + mm * 60_000 + ss * 1000 + Math.round(frac);
    if (i === e) return this.fromLocal(local);
    const z = text.charCodeAt(i);
    if ((z === 90 || z === 122) && i + 1 === e) return local;
    if (z !== 43 && z !== 45) return NaN;
    const oh = digits(text, i + 1, 2);
    let om = 0;
    const rest = e - (i + 3);
    if (rest === 3 && text.charCodeAt(i + 3) === 58) om = digits(text, i + 4, 2);
    else if (rest === 2) om = digits(text, i + 3, 2);
    else if (rest !== 0) return NaN;
    if (!(oh >= 0 && oh <= 23 && om >= 0 && om <= 59)) return NaN;
    return local - (z === 45 ? -1 : 1) * (oh * 3_600_000 + om * 60_000);
  }
}

/** Value of `n` ASCII digits at text[s..], or -1 if any is not a digit. */
function digits(text: string, s: number, n: number): number {
  let v = 0;
  for (let i = 0; i < n; i++) {
    const k = text.charCodeAt(s + i) - 48;
    if (!(k >= 0 && k <= 9)) return -1;
    v = v * 10 + k;
  }
  return v;
}

function validDate(y: number, m: number, d: number): boolean {
  if (y < 0 || m < 1 || m > 12 || d < 1) return false;
  const dim = m === 2 ? (y % 4 === 0 && (y % 100 !== 0 || y % 400 === 0) ? 29 : 28) : m === 4 || m === 6 || m === 9 || m === 11 ? 30 : 31;
  return d <= dim;
}

/** ms since epoch of a proleptic Gregorian date at 00:00 UTC (days-from-civil, no Date object). */
function civil(y: number, m: number, d: number): number {
  const yy = m <= 2 ? y - 1 : y;
  const era = Math.floor(yy / 400);
  const yoe = yy - era * 400;
  const doy = Math.floor((153 * (m + (m > 2 ? -3 : 9)) + 2) / 5) + d - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return (era * 146097 + doe - 719468) * 86_400_000;
}

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
  if (i === e && seenDigit && m <= 9007199254740991 && fracDigits <= 22) {
    const v = m / POW10[fracDigits];
    return neg ? -v : v;
  }
  const slice = text.slice(s, e);
  return DECIMAL.test(slice) ? Number(slice) : NaN;
}

/**
 * Parse OHLCV CSV text into unvalidated rows (see the module note).
 * @throws DataError when the input is empty or has no recognisable time or price columns.
 * @throws UsageError for an unknown time zone.
 */
export function parseCsvBars(text: string, options: CsvBarsOptions): FetchResult & { info: CsvParseInfo } {
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  const table = scan(text);
  const { columns } = table;
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
  const times = new TimeReader(options.tz, dateKey);
  const notes: string[] = [];
  const mapping: Record<string, string> = { time: columns[timeCol] };
  for (const role of Object.keys(col) as Role[]) if (col[role] >= 0) mapping[role] = columns[col[role]];
  if (table.quoted) notes.push('quoted fields: parsed with csv-parse');
  if (col.volume < 0) notes.push('no volume column: volume recorded as 0');
  if (dateKey) notes.push(`${options.interval} rows keyed by the calendar date as written, at 00:00 UTC`);
  else if (options.tz !== undefined) notes.push(`timestamps without an offset read as ${options.tz} wall time`);

  const bucket = options.interval === '1wk' || options.interval === '1mo';
  const rows: SourceRow[] = [];
  const { open: co, high: ch, low: cl, close: cc, adjClose: ca, volume: cv } = col;
  table.forEachRow(({ text: t, starts, ends }, raw) => {
    let ts = times.read(t, starts[timeCol], ends[timeCol]);
    if (bucket && Number.isFinite(ts)) ts = floorToInterval(ts, options.interval);
    const adjClose = ca < 0 || starts[ca] === ends[ca] ? null : parseDecimal(t, starts[ca], ends[ca]);
    rows.push({
      ts,
      open: parseDecimal(t, starts[co], ends[co]),
      high: parseDecimal(t, starts[ch], ends[ch]),
      low: parseDecimal(t, starts[cl], ends[cl]),
      close: parseDecimal(t, starts[cc], ends[cc]),
      volume: cv < 0 ? 0 : parseDecimal(t, starts[cv], ends[cv]),
      adjClose,
      raw,
    });
  });
  checkTimesReadable(rows, columns[timeCol]);
  return { rows, notes, info: { columns, mapping, quoted: table.quoted, notes } };
}

/** A file whose first rows' times are all unreadable is in a format pulse does not read: say so once. */
function checkTimesReadable(rows: readonly { ts: number; raw: string }[], column: string): void {
  const probe = rows.slice(0, 20);
  if (probe.length > 0 && probe.every((r) => !Number.isFinite(r.ts))) {
    throw new DataError(
      `cannot read the times in column "${column || '(unnamed)'}" (first row: ${probe[0].raw})`,
      'use ISO-8601 (2024-01-02T14:30:00Z), YYYY-MM-DD[ HH:MM:SS], or epoch seconds/milliseconds; or pick another column with --time-column',
    );
  }
}

/**
 * Parse a `timestamp,value` CSV into points (ms, UTC; timestamps read as for bars at intraday resolution).
 * @throws DataError without a time column, or without a value column (`value`, or the only other column).
 */
export function parseCsvSeries(text: string, options: CsvSeriesOptions = {}): { points: SeriesPoint[]; info: CsvParseInfo } {
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  const table = scan(text);
  const { columns } = table;
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
  const times = new TimeReader(options.tz, false);
  const points: SeriesPoint[] = [];
  table.forEachRow(({ text: t, starts, ends }, raw) => {
    points.push({ ts: times.read(t, starts[timeCol], ends[timeCol]), value: parseDecimal(t, starts[valueCol], ends[valueCol]), raw });
  });
  checkTimesReadable(points, columns[timeCol]);
  const notes = table.quoted ? ['quoted fields: parsed with csv-parse'] : [];
  return { points, info: { columns, mapping: { time: columns[timeCol], value: columns[valueCol] }, quoted: table.quoted, notes } };
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
  readonly intervals: readonly Interval[] = ['1m', '5m', '15m', '30m', '1h', '4h', '1d', '1wk', '1mo'];
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
