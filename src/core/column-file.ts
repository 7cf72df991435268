/**
 * Column files: a cache of Float64 columns (whole bar series, feature matrices), so that loading a million rows costs one
 * file read instead of a million row conversions. It holds derived data only: SQLite stays the source of truth.
 *
 * Each file carries the key it was built for (e.g. a series' data version and last-change time, or a feature set
 * hash with the versions of every input series); a file with another key, a foreign or a truncated file is ignored
 * and rewritten. Files are written to a temporary name and renamed, so concurrent readers never see half a file.
 *
 * Layout (little-endian): magic `PULSECOL` (8 bytes), uint32 key length, the key (UTF-8), zero padding to a multiple
 * of 8, float64 column count, float64 row count, then the columns one after another.
 */
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

const MAGIC = Buffer.from('PULSECOL', 'latin1');

/** The cache directory of a home's derived data (`<home>/data/cache/<kind>`). */
export function cacheDir(home: string, kind: 'bars' | 'features'): string {
  return join(home, 'data', 'cache', kind);
}

/** A file-name-safe form of a symbol. */
export function safeName(s: string): string {
  return encodeURIComponent(s).replace(/\*/g, '%2A');
}

/** Read the columns cached in `file` for `key`; undefined when absent, stale or unreadable (never throws). */
export function readColumns(file: string, key: string): Float64Array[] | undefined {
  let buf: Buffer;
  try {
    buf = readFileSync(file);
  } catch {
    return undefined;
  }
  if (buf.length < 12 || !buf.subarray(0, 8).equals(MAGIC)) return undefined;
  const keyLength = buf.readUInt32LE(8);
  const headerEnd = align8(12 + keyLength);
  if (buf.length < headerEnd + 16 || buf.toString('utf8', 12, 12 + keyLength) !== key) return undefined;
  const cols = buf.readDoubleLE(headerEnd);
  const rows = buf.readDoubleLE(headerEnd + 8);
  if (!Number.isInteger(cols) || !Number.isInteger(rows) || cols < 0 || rows < 0 || buf.length !== headerEnd + 16 + cols * rows * 8) return undefined;
  // Zero-copy views when the data is 8-byte aligned in memory (large files get their own buffer), else one copy.
  const offset = buf.byteOffset + headerEnd + 16;
  let data: Float64Array;
  if (offset % 8 === 0) {
    data = new Float64Array(buf.buffer, offset, cols * rows);
  } else {
    data = new Float64Array(cols * rows);
    new Uint8Array(data.buffer).set(buf.subarray(headerEnd + 16));
  }
  return Array.from({ length: cols }, (_, k) => data.subarray(k * rows, (k + 1) * rows));
}

/** Write `columns` (all of one length) for `key`, atomically. Failures are ignored: the cache is an optimisation. */
export function writeColumns(file: string, key: string, columns: readonly Float64Array[]): void {
  try {
    mkdirSync(dirname(file), { recursive: true });
    const keyBytes = Buffer.from(key, 'utf8');
    const headerEnd = align8(12 + keyBytes.length);
    const rows = columns.length ? columns[0].length : 0;
    const buf = Buffer.alloc(headerEnd + 16 + columns.length * rows * 8);
    MAGIC.copy(buf, 0);
    buf.writeUInt32LE(keyBytes.length, 8);
    keyBytes.copy(buf, 12);
    buf.writeDoubleLE(columns.length, headerEnd);
    buf.writeDoubleLE(rows, headerEnd + 8);
    columns.forEach((col, k) => Buffer.from(col.buffer, col.byteOffset, rows * 8).copy(buf, headerEnd + 16 + k * rows * 8));
    const tmp = `${file}.${process.pid}.tmp`;
    writeFileSync(tmp, buf);
    renameSync(tmp, file);
  } catch {
    // A read-only or full disk only costs speed.
  }
}

function align8(n: number): number {
  return (n + 7) & ~7;
}
