/**
 * A columnar file cache of whole bar series, so that loading a million bars into typed arrays costs one file read
 * instead of a million row conversions. The cache is derived data: SQLite stays the source of truth.
 *
 * One file per (symbol, interval) under `<home>/data/cache/bars/`, keyed by the series' data version and the time
 * of its last change (bumped by every insert or revision): a stale or foreign file is simply ignored and rewritten.
 * Files are written to a temporary name and renamed, so concurrent readers never see half a file.
 *
 * Layout (little-endian): magic `PULSEBAR` (8 bytes), then float64 fields: format, version, changedAt, length;
 * then six float64 columns of `length` values: time, open, high, low, close, volume.
 */
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { allocSeries, type BarSeries } from '../market/bars.js';
import type { Interval } from '../market/interval.js';

const MAGIC = Buffer.from('PULSEBAR', 'latin1');
const FORMAT = 1;
const HEADER_BYTES = 8 + 4 * 8;
const COLUMNS = ['time', 'open', 'high', 'low', 'close', 'volume'] as const;

/** Identity of a series' content: its version and the time of its last change. */
export interface SeriesStamp {
  version: number;
  changedAt: number;
}

/** The cache file of a series, beside the store file. */
export function seriesCachePath(storeFile: string, symbol: string, interval: Interval): string {
  return join(dirname(storeFile), 'cache', 'bars', `${encodeURIComponent(symbol)}__${interval}.f64`);
}

/** Read a cached series if the file exists and matches `stamp`; undefined otherwise (never throws on a bad file). */
export function readSeriesCache(file: string, symbol: string, interval: Interval, stamp: SeriesStamp): BarSeries | undefined {
  if (!existsSync(file)) return undefined;
  let buf: Buffer;
  try {
    buf = readFileSync(file);
  } catch {
    return undefined;
  }
  if (buf.length < HEADER_BYTES || !buf.subarray(0, 8).equals(MAGIC)) return undefined;
  const format = buf.readDoubleLE(8);
  const version = buf.readDoubleLE(16);
  const changedAt = buf.readDoubleLE(24);
  const length = buf.readDoubleLE(32);
  if (format !== FORMAT || version !== stamp.version || changedAt !== stamp.changedAt) return undefined;
  if (!Number.isInteger(length) || length < 0 || buf.length !== HEADER_BYTES + 6 * 8 * length) return undefined;
  // Copy into an aligned buffer (a Buffer's byteOffset within the pool need not be a multiple of 8).
  const data = new Float64Array(6 * length);
  new Uint8Array(data.buffer).set(buf.subarray(HEADER_BYTES));
  const s = allocSeries(symbol, interval, 0);
  const out: BarSeries = { ...s, length };
  COLUMNS.forEach((c, k) => {
    out[c] = data.subarray(k * length, (k + 1) * length);
  });
  return out;
}

/** Write a series' cache file atomically. Failures are ignored: the cache is an optimisation. */
export function writeSeriesCache(file: string, series: BarSeries, stamp: SeriesStamp): void {
  try {
    mkdirSync(dirname(file), { recursive: true });
    const n = series.length;
    const buf = Buffer.allocUnsafe(HEADER_BYTES + 6 * 8 * n);
    MAGIC.copy(buf, 0);
    buf.writeDoubleLE(FORMAT, 8);
    buf.writeDoubleLE(stamp.version, 16);
    buf.writeDoubleLE(stamp.changedAt, 24);
    buf.writeDoubleLE(n, 32);
    COLUMNS.forEach((c, k) => {
      const col = series[c];
      Buffer.from(col.buffer, col.byteOffset, n * 8).copy(buf, HEADER_BYTES + k * n * 8);
    });
    const tmp = `${file}.${process.pid}.tmp`;
    writeFileSync(tmp, buf);
    renameSync(tmp, file);
  } catch {
    // A read-only or full disk only costs speed.
  }
}
