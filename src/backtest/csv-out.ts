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

export { formatCsvNumber, formatCsvTime } from '../core/csv-format.js';
import { formatCsvNumber, formatCsvTime } from '../core/csv-format.js';

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
