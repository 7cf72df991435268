/**
 * Trades and equity CSV writers for `--trades FILE.csv` and `--equity FILE.csv`.
 *
 * Format (stable, documented by {@link TRADE_CSV_COLUMNS} and {@link EQUITY_CSV_COLUMNS}): a header row, then one
 * row per trade or bar, `\n` line ends, comma separators. Times are ISO-8601 UTC with milliseconds
 * (`2024-01-02T14:30:00.000Z`). Numbers are JavaScript's shortest round-trip decimal (`0.1`, `1e-7`,
 * `123456.789`), so parsing a field gives back the exact double; NaN is an empty field and infinities are
 * `Infinity` / `-Infinity` (both understood by JavaScript's `Number` and Python's `float`). Text fields are quoted
 * only when they contain a comma, quote or line break.
 *
 * Files are written through a temporary sibling and renamed into place, so a reader never sees half a file, and
 * the equity writer streams in blocks so a multi-million-bar curve never becomes one giant string.
 */
import { closeSync, openSync, renameSync, rmSync, writeSync } from 'node:fs';
import { InternalError, UsageError } from '../core/errors.js';
import type { EquityCurve, Trade } from './types.js';

/** Column order of the trades CSV. */
export const TRADE_CSV_COLUMNS = [
  'side',
  'entryTime',
  'exitTime',
  'entryIndex',
  'exitIndex',
  'entryPrice',
  'exitPrice',
  'size',
  'pnl',
  'returnPct',
  'barsHeld',
  'fees',
  'exitReason',
] as const;

/** Column order of the equity CSV (one row per bar, marked at the close). */
export const EQUITY_CSV_COLUMNS = ['time', 'equity', 'drawdownPct', 'position'] as const;

/** Rows per block handed to the file system by the equity writer (about 0.5 MB of text). */
const EQUITY_BLOCK_ROWS = 8192;

/** A number as its shortest round-trip decimal text; NaN as an empty field. */
export function formatCsvNumber(x: number): string {
  if (Number.isNaN(x)) return '';
  if (x === Infinity) return 'Infinity';
  if (x === -Infinity) return '-Infinity';
  return String(x);
}

const MS_PER_DAY = 86_400_000;
/** The last day formatted and its `YYYY-MM-DDT` prefix: consecutive bars mostly share a day. */
let cachedDay = Number.NaN;
let cachedDayPrefix = '';

function pad2(x: number): string {
  return x < 10 ? `0${x}` : String(x);
}

/**
 * A time in ms since the Unix epoch as ISO-8601 UTC with milliseconds (exactly `Date.prototype.toISOString`);
 * an invalid time as an empty field. The date part is formatted once per day, which makes long intraday curves
 * several times faster to write than a `Date` per row.
 */
export function formatCsvTime(ms: number): string {
  if (!Number.isFinite(ms) || Math.abs(ms) > 8.64e15) return '';
  const t = Math.trunc(ms);
  const day = Math.floor(t / MS_PER_DAY);
  // Years outside 0000..9999 use the extended +/-YYYYYY form: leave those to Date.
  if (day < -719_528 || day >= 2_932_897) return new Date(t).toISOString();
  if (day !== cachedDay) {
    cachedDay = day;
    cachedDayPrefix = new Date(day * MS_PER_DAY).toISOString().slice(0, 11);
  }
  let rest = t - day * MS_PER_DAY;
  const h = Math.floor(rest / 3_600_000);
  rest -= h * 3_600_000;
  const m = Math.floor(rest / 60_000);
  rest -= m * 60_000;
  const sec = Math.floor(rest / 1000);
  const milli = rest - sec * 1000;
  return `${cachedDayPrefix}${pad2(h)}:${pad2(m)}:${pad2(sec)}.${milli < 10 ? '00' : milli < 100 ? '0' : ''}${milli}Z`;
}

/** A text field, quoted (with doubled quotes) only when it contains a comma, a quote or a line break. */
export function formatCsvText(text: string): string {
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

function tradeRow(t: Trade): string {
  return [
    formatCsvText(t.side),
    formatCsvTime(t.entryTime),
    formatCsvTime(t.exitTime),
    String(t.entryIndex),
    String(t.exitIndex),
    formatCsvNumber(t.entryPrice),
    formatCsvNumber(t.exitPrice),
    formatCsvNumber(t.size),
    formatCsvNumber(t.pnl),
    formatCsvNumber(t.returnPct),
    String(t.barsHeld),
    formatCsvNumber(t.fees),
    formatCsvText(t.exitReason),
  ].join(',');
}

/** The trades as CSV text (header plus one row per trade, trailing newline). */
export function tradesToCsv(trades: readonly Trade[]): string {
  let out = `${TRADE_CSV_COLUMNS.join(',')}\n`;
  for (const t of trades) out += `${tradeRow(t)}\n`;
  return out;
}

/**
 * The equity curve as CSV text in blocks of at most {@link EQUITY_BLOCK_ROWS} rows (the first block starts with
 * the header). Joining the blocks gives the whole file.
 */
export function* equityCsvBlocks(curve: EquityCurve): Generator<string> {
  const n = curve.time.length;
  if (curve.equity.length !== n || curve.drawdownPct.length !== n || curve.position.length !== n) {
    throw new InternalError(
      `equity curve columns differ in length (time ${n}, equity ${curve.equity.length}, drawdownPct ${curve.drawdownPct.length}, position ${curve.position.length})`,
    );
  }
  let block = `${EQUITY_CSV_COLUMNS.join(',')}\n`;
  for (let i = 0; i < n; i++) {
    block += `${formatCsvTime(curve.time[i])},${formatCsvNumber(curve.equity[i])},${formatCsvNumber(curve.drawdownPct[i])},${formatCsvNumber(curve.position[i])}\n`;
    if ((i + 1) % EQUITY_BLOCK_ROWS === 0) {
      yield block;
      block = '';
    }
  }
  if (block !== '') yield block;
}

/** The equity curve as one CSV string (for small curves and tests; files use {@link writeEquityCsv}). */
export function equityToCsv(curve: EquityCurve): string {
  let out = '';
  for (const block of equityCsvBlocks(curve)) out += block;
  return out;
}

/**
 * Write text blocks to `path` atomically (temporary sibling, then rename).
 * @throws UsageError when the file cannot be written (missing directory, no permission), naming the option.
 */
export function writeTextFileAtomic(path: string, blocks: Iterable<string>, optionName: string): void {
  const tmp = `${path}.${process.pid}.tmp`;
  let fd: number | undefined;
  try {
    fd = openSync(tmp, 'w');
    for (const block of blocks) writeSync(fd, block);
    closeSync(fd);
    fd = undefined;
    renameSync(tmp, path);
  } catch (err) {
    if (fd !== undefined) closeSync(fd);
    rmSync(tmp, { force: true });
    if (err instanceof InternalError) throw err;
    const code = (err as NodeJS.ErrnoException).code ?? 'unknown error';
    throw new UsageError(`cannot write the ${optionName} file ${path}: ${code}`, 'check that the directory exists and is writable');
  }
}

/** Write the trades CSV to `path` (atomically). @throws UsageError when the file cannot be written. */
export function writeTradesCsv(path: string, trades: readonly Trade[]): void {
  writeTextFileAtomic(path, [tradesToCsv(trades)], '--trades');
}

/** Write the equity CSV to `path` (atomically, streamed in blocks). @throws UsageError when it cannot be written. */
export function writeEquityCsv(path: string, curve: EquityCurve): void {
  writeTextFileAtomic(path, equityCsvBlocks(curve), '--equity');
}
