/**
 * Bars: bulk upserts with change detection, and fast columnar reads. This is the measured hot path of the store
 * (millions of rows), so it uses prepared better-sqlite3 statements directly; every other table goes through drizzle.
 */
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { lowerBound } from '../core/arrays.js';
import type { Bar, BarSeries } from '../core/bars.js';
import { allocSeries, ohlcvFromBars, sliceSeries } from '../core/bars.js';
import { cacheDir, readColumns, safeName, writeColumns } from './column-cache.js';
import type { Interval } from '../core/interval.js';
import type { Store } from './store.js';

/** Outcome of an upsert: how many rows were new, revised (a value changed) or identical to what was stored. */
export interface UpsertCounts {
  inserted: number;
  updated: number;
  unchanged: number;
}

export interface UpsertOptions {
  source: string;
  /** Interval the bars were aggregated from, for resampled bars. */
  originInterval?: Interval | null;
  now: number;
}

const COLUMNS = '(symbol, interval, ts, open, high, low, close, volume, adj_close, source, origin_interval, ingested_at, updated_at)';
/** Per-row values are anonymous; what is the same for the whole batch is bound once by name (half the bindings). */
const ROW_PARAMS = '(@symbol,@interval,?,?,?,?,?,?,?,@source,@origin,@now,@now)';
const PARAMS_PER_ROW = 7;
/** Rows per multi-row INSERT: amortises the per-statement cost (SQLite allows 32766 parameters). */
const INSERT_CHUNK = 128;

type Statements = ReturnType<typeof prepare>;
const cache = new WeakMap<Store, Statements>();

function prepare(store: Store) {
  const { db } = store;
  return {
    insertChunk: db.prepare(`INSERT INTO bars ${COLUMNS} VALUES ${Array(INSERT_CHUNK).fill(ROW_PARAMS).join(',')}`),
    insertOne: db.prepare(`INSERT INTO bars ${COLUMNS} VALUES ${ROW_PARAMS}`),
    update: db.prepare(
      `UPDATE bars SET open = ?, high = ?, low = ?, close = ?, volume = ?, adj_close = ?, source = ?, origin_interval = ?, updated_at = ?
       WHERE symbol = ? AND interval = ? AND ts = ?`,
    ),
    existing: db.prepare(
      'SELECT ts, open, high, low, close, volume, adj_close FROM bars WHERE symbol = ? AND interval = ? AND ts >= ? AND ts <= ?',
    ).raw(true),
    bumpVersion: db.prepare(
      `INSERT INTO series_versions (symbol, interval, version, last_collected_at, updated_at) VALUES (?, ?, 1, ?, ?)
       ON CONFLICT (symbol, interval) DO UPDATE SET version = version + excluded.version * ?, last_collected_at = excluded.last_collected_at, updated_at = excluded.updated_at`,
    ),
    count: db.prepare('SELECT count(*) FROM bars WHERE symbol = ? AND interval = ? AND ts >= ? AND ts < ?').pluck(),
    range: db.prepare(
      'SELECT ts, open, high, low, close, volume FROM bars WHERE symbol = ? AND interval = ? AND ts >= ? AND ts < ? ORDER BY ts',
    ).raw(true),
    times: db.prepare('SELECT ts FROM bars WHERE symbol = ? AND interval = ? AND ts >= ? AND ts < ? ORDER BY ts').pluck(),
    last: db.prepare('SELECT max(ts) FROM bars WHERE symbol = ? AND interval = ? AND ts < ?').pluck(),
    tail: db.prepare(
      'SELECT ts, open, high, low, close, volume, adj_close FROM bars WHERE symbol = ? AND interval = ? AND ts < ? ORDER BY ts DESC LIMIT ?',
    ).raw(true),
    version: db.prepare('SELECT version FROM series_versions WHERE symbol = ? AND interval = ?').pluck(),
    stamp: db.prepare('SELECT version, updated_at AS changedAt FROM series_versions WHERE symbol = ? AND interval = ?'),
  };
}

function statements(store: Store): Statements {
  let s = cache.get(store);
  if (!s) cache.set(store, (s = prepare(store)));
  return s;
}

/** Bars as columns (a BarSeries plus adjusted closes; NaN or a null column means none). Sorted, unique times. */
export interface BarColumns {
  length: number;
  time: ArrayLike<number>;
  open: ArrayLike<number>;
  high: ArrayLike<number>;
  low: ArrayLike<number>;
  close: ArrayLike<number>;
  volume: ArrayLike<number>;
  adjClose: ArrayLike<number> | null;
}

/** Bar objects as columns (for the row-based paths: online sources, resampling, tests). */
export function barsToColumns(bars: readonly Bar[]): BarColumns {
  return { ...ohlcvFromBars(bars), adjClose: Float64Array.from(bars, (b) => b.adjClose ?? NaN) };
}

/** {@link upsertColumns} for bar objects. */
export function upsertBars(store: Store, symbol: string, interval: Interval, bars: readonly Bar[], options: UpsertOptions): UpsertCounts {
  return upsertColumns(store, symbol, interval, barsToColumns(bars), options);
}

/**
 * Insert new bars, update revised ones and count the identical ones. Rows must be sorted by time and unique.
 * Call inside a transaction (the caller makes one symbol's batch atomic); bumps the series version when anything
 * changed and always records the collection time.
 */
export function upsertColumns(store: Store, symbol: string, interval: Interval, bars: BarColumns, options: UpsertOptions): UpsertCounts {
  const st = statements(store);
  const counts: UpsertCounts = { inserted: 0, updated: 0, unchanged: 0 };
  const n = bars.length;
  if (n > 0) {
    const existing = new Map<number, unknown[]>();
    for (const row of st.existing.all(symbol, interval, bars.time[0], bars.time[n - 1]) as unknown[][]) {
      existing.set(row[0] as number, row);
    }
    const origin = options.originInterval ?? null;
    const fresh: number[] = [];
    const adj = (i: number) => {
      const a = bars.adjClose === null ? NaN : bars.adjClose[i];
      return Number.isNaN(a) ? null : a;
    };
    for (let i = 0; i < n; i++) {
      const old = existing.size === 0 ? undefined : existing.get(bars.time[i]);
      if (old === undefined) {
        fresh.push(i);
      } else if (
        old[1] !== bars.open[i] || old[2] !== bars.high[i] || old[3] !== bars.low[i] || old[4] !== bars.close[i] ||
        old[5] !== bars.volume[i] || (old[6] ?? null) !== adj(i)
      ) {
        st.update.run(bars.open[i], bars.high[i], bars.low[i], bars.close[i], bars.volume[i], adj(i), options.source, origin, options.now, symbol, interval, bars.time[i]);
        counts.updated++;
      } else {
        counts.unchanged++;
      }
    }
    insertFresh(st, symbol, interval, bars, fresh, adj, options.source, origin, options.now);
    counts.inserted = fresh.length;
  }
  st.bumpVersion.run(symbol, interval, options.now, options.now, counts.inserted + counts.updated > 0 ? 1 : 0);
  return counts;
}

function insertFresh(
  st: Statements,
  symbol: string,
  interval: string,
  bars: BarColumns,
  rows: readonly number[],
  adj: (i: number) => number | null,
  source: string,
  origin: string | null,
  now: number,
): void {
  const fill = (p: unknown[], k: number, i: number) => {
    p[k] = bars.time[i];
    p[k + 1] = bars.open[i];
    p[k + 2] = bars.high[i];
    p[k + 3] = bars.low[i];
    p[k + 4] = bars.close[i];
    p[k + 5] = bars.volume[i];
    p[k + 6] = adj(i);
  };
  const batch = { symbol, interval, source, origin, now };
  const params: unknown[] = new Array(INSERT_CHUNK * PARAMS_PER_ROW);
  let r = 0;
  for (; r + INSERT_CHUNK <= rows.length; r += INSERT_CHUNK) {
    for (let j = 0; j < INSERT_CHUNK; j++) fill(params, j * PARAMS_PER_ROW, rows[r + j]);
    st.insertChunk.run(...params, batch);
  }
  const one: unknown[] = new Array(PARAMS_PER_ROW);
  for (; r < rows.length; r++) {
    fill(one, 0, rows[r]);
    st.insertOne.run(...one, batch);
  }
}

/** The newest stored bar time of a series (optionally only bars before `before`), or undefined when none. */
export function lastBarTime(store: Store, symbol: string, interval: Interval, before = Number.MAX_SAFE_INTEGER): number | undefined {
  const v = statements(store).last.get(symbol, interval, before) as number | null;
  return v ?? undefined;
}

/** How many bars of a series open in [from, to). */
export function countBars(store: Store, symbol: string, interval: Interval, from: number, to: number): number {
  return statements(store).count.get(symbol, interval, from, to) as number;
}

/** The open times of a series' bars in [from, to), ascending. */
export function loadTimes(store: Store, symbol: string, interval: Interval, from: number, to: number): number[] {
  return statements(store).times.all(symbol, interval, from, to) as number[];
}

/** The series' data version (bumped on every insert or revision); 0 when it has never been collected. */
export function seriesVersion(store: Store, symbol: string, interval: Interval): number {
  return (statements(store).version.get(symbol, interval) as number | undefined) ?? 0;
}

/** Up to `count` bars strictly before `before`, oldest first (history context for validation and resampling). */
export function barsBefore(store: Store, symbol: string, interval: Interval, before: number, count: number): Bar[] {
  const rows = statements(store).tail.all(symbol, interval, before, count) as number[][];
  const out: Bar[] = new Array(rows.length);
  for (let i = 0; i < rows.length; i++) {
    const r = rows[rows.length - 1 - i];
    out[i] = { ts: r[0], open: r[1], high: r[2], low: r[3], close: r[4], volume: r[5], adjClose: r[6] ?? null };
  }
  return out;
}

/**
 * A string that changes whenever the series' bars change (its data version and the time of the change; the time
 * tells apart two stores that both reached version N). Undefined when the series was never collected.
 */
export function seriesStamp(store: Store, symbol: string, interval: Interval): string | undefined {
  const row = statements(store).stamp.get(symbol, interval) as { version: number; changedAt: number } | undefined;
  return row ? `bars:${symbol}:${interval}:v${row.version}@${row.changedAt}` : undefined;
}

/** The columnar cache file of a series. */
export function seriesCachePath(store: Store, symbol: string, interval: Interval): string {
  return join(cacheDir(store.path, 'bars'), `${safeName(symbol)}__${interval}.f64`);
}

/** A series with fewer rows in the requested range (and no cache file yet) is read from SQLite directly. */
const CACHE_MIN_ROWS = 20_000;

/**
 * Load a symbol's bars in [from, to) into columnar typed arrays (the library's bar access for features,
 * training and backtests). Defaults: the whole series. Large reads go through the columnar file cache
 * (series-cache.ts), which is rebuilt whenever the series changes.
 */
export function loadSeries(store: Store, symbol: string, interval: Interval, range: { from?: number; to?: number } = {}): BarSeries {
  const st = statements(store);
  const from = range.from ?? Number.MIN_SAFE_INTEGER;
  const to = range.to ?? Number.MAX_SAFE_INTEGER;
  // One read transaction: the stamp, the count and the rows come from the same snapshot (WAL).
  return store.db.transaction((): BarSeries => {
    const key = seriesStamp(store, symbol, interval);
    if (!key) return allocSeries(symbol, interval, 0);
    const file = seriesCachePath(store, symbol, interval);
    const cached = readColumns(file, key);
    let full: BarSeries;
    if (cached && cached.length === 6) {
      const [time, open, high, low, close, volume] = cached;
      full = { symbol, interval, length: time.length, time, open, high, low, close, volume };
    } else {
      const n = st.count.get(symbol, interval, from, to) as number;
      if (n < CACHE_MIN_ROWS) return readRows(st, symbol, interval, from, to, n);
      full = readRows(st, symbol, interval, Number.MIN_SAFE_INTEGER, Number.MAX_SAFE_INTEGER, st.count.get(symbol, interval, Number.MIN_SAFE_INTEGER, Number.MAX_SAFE_INTEGER) as number);
      writeColumns(file, key, [full.time, full.open, full.high, full.low, full.close, full.volume]);
    }
    const start = lowerBound(full.time, from, full.length);
    const end = lowerBound(full.time, to, full.length);
    return start === 0 && end === full.length ? full : sliceSeries(full, start, end);
  })();
}

function readRows(st: Statements, symbol: string, interval: Interval, from: number, to: number, n: number): BarSeries {
  const s = allocSeries(symbol, interval, n);
  let i = 0;
  for (const row of st.range.iterate(symbol, interval, from, to) as IterableIterator<number[]>) {
    s.time[i] = row[0];
    s.open[i] = row[1];
    s.high[i] = row[2];
    s.low[i] = row[3];
    s.close[i] = row[4];
    s.volume[i] = row[5];
    i++;
  }
  return s;
}

/** Summary of one stored series. */
export interface SeriesSummary {
  symbol: string;
  interval: Interval;
  rows: number;
  first: number;
  last: number;
  lastCollectedAt: number | null;
  version: number;
  derivedFrom: string | null;
}

/** Every stored (symbol, interval) with row counts and time range. */
export function listSeries(store: Store, filter: { symbol?: string; interval?: Interval } = {}): SeriesSummary[] {
  const rows = store.db
    .prepare(
      `SELECT b.symbol, b.interval, count(*) AS rows, min(b.ts) AS first, max(b.ts) AS last,
              v.last_collected_at AS lastCollectedAt, coalesce(v.version, 0) AS version, max(b.origin_interval) AS derivedFrom
       FROM bars b LEFT JOIN series_versions v ON v.symbol = b.symbol AND v.interval = b.interval
       WHERE (@symbol IS NULL OR b.symbol = @symbol) AND (@interval IS NULL OR b.interval = @interval)
       GROUP BY b.symbol, b.interval ORDER BY b.symbol, b.interval`,
    )
    .all({ symbol: filter.symbol ?? null, interval: filter.interval ?? null }) as SeriesSummary[];
  return rows;
}

/**
 * Delete a series: its bars, its version and source record, and its columnar cache. Quarantined rows and the run
 * audit stay (they record what happened). Returns the bars removed.
 */
export function deleteSeries(store: Store, symbol: string, interval: Interval): number {
  const removed = store.db
    .transaction(() => {
      const n = store.db.prepare('DELETE FROM bars WHERE symbol = ? AND interval = ?').run(symbol, interval).changes;
      store.db.prepare('DELETE FROM series_versions WHERE symbol = ? AND interval = ?').run(symbol, interval);
      return n;
    })
    .immediate();
  rmSync(seriesCachePath(store, symbol, interval), { force: true });
  return removed;
}

/** Stored bars of a series in [from, to) as row objects, with provenance (for `pulse data show/export`). */
export interface StoredBar extends Bar {
  source: string;
  originInterval: string | null;
}

/** A stored bar as a row: [ts, open, high, low, close, volume, adjClose, source, originInterval]. */
export type StoredBarRow = [number, number, number, number, number, number, number | null, string, string | null];

/** Iterate stored bars in time order as rows, without loading them all (exports of millions of rows). */
export function iterateBars(store: Store, symbol: string, interval: Interval, range: { from?: number; to?: number } = {}): IterableIterator<StoredBarRow> {
  return store.db
    .prepare('SELECT ts, open, high, low, close, volume, adj_close, source, origin_interval FROM bars WHERE symbol = ? AND interval = ? AND ts >= ? AND ts < ? ORDER BY ts')
    .raw(true)
    .iterate(symbol, interval, range.from ?? Number.MIN_SAFE_INTEGER, range.to ?? Number.MAX_SAFE_INTEGER) as IterableIterator<StoredBarRow>;
}

/** The last `n` stored bars of a series, oldest first. */
export function tailBars(store: Store, symbol: string, interval: Interval, n: number): StoredBar[] {
  const rows = store.db
    .prepare(
      `SELECT ts, open, high, low, close, volume, adj_close AS adjClose, source, origin_interval AS originInterval
       FROM bars WHERE symbol = ? AND interval = ? ORDER BY ts DESC LIMIT ?`,
    )
    .all(symbol, interval, n) as StoredBar[];
  return rows.reverse();
}
