/**
 * Bars on SQLite: bulk upserts with change detection and fast columnar reads. This is the measured hot path of the
 * store (millions of rows), so it uses prepared better-sqlite3 statements directly; the other tables go through
 * drizzle. Large series are read through a columnar file cache (core/column-file.ts) keyed by the series' stamp.
 */
import { join } from 'node:path';
import type Database from 'better-sqlite3';
import { lowerBound } from '../../core/arrays.js';
import { allocSeries, sliceSeries, type Bar, type BarSeries } from '../../core/bars.js';
import { cacheDir, readColumns, safeName, writeColumns } from '../../core/column-file.js';
import type { Interval } from '../../core/interval.js';
import type { BarColumns, BarProvenance, StoredBar, StoredBarRow, UpsertCounts } from '../records.js';
import type { BarsRepository, TimeRange } from '../repositories.js';
import type { SqliteContext } from './connection.js';

const COLUMNS = '(symbol, interval, ts, open, high, low, close, volume, adj_close, source, origin_interval, ingested_at, updated_at)';
/** The single-row INSERT: per-row values anonymous, what is the same for the whole batch bound by name. */
const ROW_PARAMS = '(@symbol,@interval,?,?,?,?,?,?,?,@source,@origin,@now,@now)';
const PARAMS_PER_ROW = 7;
/** Rows per multi-row INSERT: amortises the per-statement cost (SQLite allows 32766 parameters). */
const INSERT_CHUNK = 128;
/** The values that are the same for every row of a batch. */
type BatchValues = { symbol: string; interval: string; source: string; origin: string | null; now: number };
/**
 * The multi-row INSERT inside a transaction (see batchInsert). With the default conflict resolution (ABORT) SQLite
 * must be able to undo a statement that fails halfway, so before each statement changes a page that already existed
 * it copies the page to a statement journal: at 128 rows a statement, a million-row import wrote ~75,000 pages
 * (~300 MB) to that temporary file, mostly the right-hand leaves and parents of the table and its key, over and over.
 * OR FAIL leaves a failed statement's earlier rows in place instead, which needs no statement journal; the caller's
 * transaction rolls the whole batch back on any error, so what is committed is the same.
 */
const INSERT_IN_TRANSACTION = 'INSERT OR FAIL INTO bars';
/** A series with fewer rows in the requested range (and no cache file yet) is read from SQLite directly. */
const CACHE_MIN_ROWS = 20_000;

type Statements = ReturnType<typeof prepare>;
const cache = new WeakMap<object, Statements>();

function prepare(ctx: SqliteContext) {
  const { db } = ctx;
  return {
    db,
    /** SQL literals of the batch values, as SQLite itself writes them. */
    quote: db.prepare('SELECT quote(?), quote(?), quote(?), quote(?), quote(?)').raw(true),
    /** The last batch's INSERT_CHUNK-row statement (see batchInsert). */
    batchInsert: { sql: '', statement: null as Database.Statement | null },
    insertOne: db.prepare(`INSERT INTO bars ${COLUMNS} VALUES ${ROW_PARAMS}`),
    update: db.prepare(
      `UPDATE bars SET open = ?, high = ?, low = ?, close = ?, volume = ?, adj_close = ?, source = ?, origin_interval = ?, updated_at = ?
       WHERE symbol = ? AND interval = ? AND ts = ?`,
    ),
    existing: db.prepare('SELECT ts, open, high, low, close, volume, adj_close FROM bars WHERE symbol = ? AND interval = ? AND ts >= ? AND ts <= ? ORDER BY ts').raw(true),
    bumpVersion: db.prepare(
      `INSERT INTO series_versions (symbol, interval, version, last_collected_at, updated_at) VALUES (?, ?, 1, ?, ?)
       ON CONFLICT (symbol, interval) DO UPDATE SET version = version + excluded.version * ?, last_collected_at = excluded.last_collected_at, updated_at = excluded.updated_at`,
    ),
    count: db.prepare('SELECT count(*) FROM bars WHERE symbol = ? AND interval = ? AND ts >= ? AND ts < ?').pluck(),
    range: db.prepare('SELECT ts, open, high, low, close, volume FROM bars WHERE symbol = ? AND interval = ? AND ts >= ? AND ts < ? ORDER BY ts').raw(true),
    times: db.prepare('SELECT ts FROM bars WHERE symbol = ? AND interval = ? AND ts >= ? AND ts < ? ORDER BY ts').pluck(),
    last: db.prepare('SELECT max(ts) FROM bars WHERE symbol = ? AND interval = ? AND ts < ?').pluck(),
    tail: db.prepare('SELECT ts, open, high, low, close, volume, adj_close FROM bars WHERE symbol = ? AND interval = ? AND ts < ? ORDER BY ts DESC LIMIT ?').raw(true),
    newest: db.prepare(
      `SELECT ts, open, high, low, close, volume, adj_close AS adjClose, source, origin_interval AS originInterval
       FROM bars WHERE symbol = ? AND interval = ? ORDER BY ts DESC LIMIT ?`,
    ),
    page: db.prepare('SELECT ts, open, high, low, close, volume, adj_close, source, origin_interval FROM bars WHERE symbol = ? AND interval = ? AND ts >= ? AND ts < ? ORDER BY ts LIMIT ?').raw(true),
    stamp: db.prepare('SELECT version, updated_at AS changedAt FROM series_versions WHERE symbol = ? AND interval = ?'),
  };
}

/** The prepared statements of a connection (prepared once). */
function statements(ctx: SqliteContext): Statements {
  let s = cache.get(ctx.db);
  if (!s) cache.set(ctx.db, (s = prepare(ctx)));
  return s;
}

/**
 * A string that changes whenever a series' bars change (its data version and the time of the change; the time
 * tells apart two stores that both reached version N). Undefined when the series was never collected.
 */
export function seriesStampOf(ctx: SqliteContext, symbol: string, interval: string): string | undefined {
  const row = statements(ctx).stamp.get(symbol, interval) as { version: number; changedAt: number } | undefined;
  return row ? `bars:${symbol}:${interval}:v${row.version}@${row.changedAt}` : undefined;
}

/** The columnar cache file of a series. */
export function seriesCachePath(home: string, symbol: string, interval: string): string {
  return join(cacheDir(home, 'bars'), `${safeName(symbol)}__${interval}.f64`);
}

export function sqliteBars(ctx: SqliteContext): BarsRepository {
  const { exec } = ctx;
  return {
    upsert: (symbol, interval, bars, provenance) => exec(() => upsertColumns(ctx, symbol, interval, bars, provenance)),
    lastTime: (symbol, interval, before = Number.MAX_SAFE_INTEGER) => exec(() => (statements(ctx).last.get(symbol, interval, before) as number | null) ?? undefined),
    count: (symbol, interval, from, to) => exec(() => statements(ctx).count.get(symbol, interval, from, to) as number),
    times: (symbol, interval, from, to) => exec(() => statements(ctx).times.all(symbol, interval, from, to) as number[]),
    before: (symbol, interval, before, count) => exec(() => barsBefore(ctx, symbol, interval, before, count)),
    load: (symbol, interval, range) => exec(() => loadSeries(ctx, symbol, interval, range)),
    tail: (symbol, interval, n) => exec(() => (statements(ctx).newest.all(symbol, interval, n) as StoredBar[]).reverse()),
    pages: (symbol, interval, range = {}) => pagesOf(ctx, symbol, interval, range),
  };
}

/**
 * See {@link BarsRepository.upsert}: the stored rows over the batch's range, walked in time order beside the sorted
 * batch; revised rows updated one by one, new rows inserted INSERT_CHUNK a statement.
 */
function upsertColumns(ctx: SqliteContext, symbol: string, interval: Interval, bars: BarColumns, options: BarProvenance): UpsertCounts {
  const st = statements(ctx);
  const counts: UpsertCounts = { inserted: 0, updated: 0, unchanged: 0 };
  const n = bars.length;
  if (n > 0) {
    const origin = options.originInterval ?? null;
    const adj = (i: number) => {
      const a = bars.adjClose === null ? NaN : bars.adjClose[i];
      return Number.isNaN(a) ? null : a;
    };
    // A re-import of a million rows holds one stored row at a time instead of a million in a lookup table.
    const stored = st.existing.iterate(symbol, interval, bars.time[0], bars.time[n - 1]) as IterableIterator<unknown[]>;
    let old = stored.next();
    if (old.done) {
      // Nothing stored over the batch's range (a first import): every row is new.
      insertFresh(st, ctx.db.inTransaction, symbol, interval, bars, null, options.source, origin, options.now);
      counts.inserted = n;
    } else {
      const fresh: number[] = [];
      const revised: number[] = [];
      for (let i = 0; i < n; i++) {
        const t = bars.time[i];
        while (!old.done && (old.value[0] as number) < t) old = stored.next();
        const row = old.done || old.value[0] !== t ? undefined : old.value;
        if (row === undefined) {
          fresh.push(i);
        } else if (
          row[1] !== bars.open[i] || row[2] !== bars.high[i] || row[3] !== bars.low[i] || row[4] !== bars.close[i] ||
          row[5] !== bars.volume[i] || (row[6] ?? null) !== adj(i)
        ) {
          revised.push(i);
        } else {
          counts.unchanged++;
        }
      }
      stored.return?.(); // the connection runs nothing else while a query is open
      for (const i of revised) {
        st.update.run(bars.open[i], bars.high[i], bars.low[i], bars.close[i], bars.volume[i], adj(i), options.source, origin, options.now, symbol, interval, bars.time[i]);
      }
      counts.updated = revised.length;
      insertFresh(st, ctx.db.inTransaction, symbol, interval, bars, fresh, options.source, origin, options.now);
      counts.inserted = fresh.length;
    }
  }
  st.bumpVersion.run(symbol, interval, options.now, options.now, counts.inserted + counts.updated > 0 ? 1 : 0);
  return counts;
}

/** Insert rows `rows` of `bars` (all of them when null), INSERT_CHUNK rows a statement. */
function insertFresh(
  st: Statements,
  inTransaction: boolean,
  symbol: string,
  interval: string,
  bars: BarColumns,
  rows: readonly number[] | null,
  source: string,
  origin: string | null,
  now: number,
): void {
  const count = rows === null ? bars.length : rows.length;
  const { time, open, high, low, close, volume, adjClose } = bars;
  const fill = (p: unknown[], k: number, i: number) => {
    p[k] = time[i];
    p[k + 1] = open[i];
    p[k + 2] = high[i];
    p[k + 3] = low[i];
    p[k + 4] = close[i];
    p[k + 5] = volume[i];
    const a = adjClose === null ? NaN : adjClose[i];
    p[k + 6] = a === a ? a : null;
  };
  const batch: BatchValues = { symbol, interval, source, origin, now };
  // A packed array: spreading one with holes copies it first, on every statement.
  const params = Array.from({ length: INSERT_CHUNK * PARAMS_PER_ROW }, () => null as unknown);
  let r = 0;
  const chunk = count >= INSERT_CHUNK ? batchInsert(st, inTransaction, batch) : null;
  if (chunk !== null) {
    for (; r + INSERT_CHUNK <= count; r += INSERT_CHUNK) {
      for (let j = 0; j < INSERT_CHUNK; j++) fill(params, j * PARAMS_PER_ROW, rows === null ? r + j : rows[r + j]);
      chunk.run(...params);
    }
  }
  const one = Array.from({ length: PARAMS_PER_ROW }, () => null as unknown);
  for (; r < count; r++) {
    fill(one, 0, rows === null ? r : rows[r]);
    st.insertOne.run(...one, batch);
  }
}

/**
 * The INSERT_CHUNK-row statement of one batch, with the batch values written in as literals so that only the
 * per-row values are parameters (for every anonymous parameter better-sqlite3 asks SQLite for its name, which
 * searches the statement's named parameters: with the five batch values named, 5% of a million-row import). The
 * literals are SQLite's own quote() of each value, so a row stores exactly what binding the value would store.
 * Null when a value cannot be written as a literal (text with a NUL): the rows then go one statement each.
 * Outside a transaction the statement keeps ABORT, so each statement stays all-or-nothing on its own.
 */
function batchInsert(st: Statements, inTransaction: boolean, batch: BatchValues): Database.Statement | null {
  const values = [batch.symbol, batch.interval, batch.source, batch.origin, batch.now];
  if (values.some((v) => typeof v === 'string' && v.includes('\0'))) return null;
  const [symbol, interval, source, origin, now] = st.quote.get(...values) as string[];
  const row = `(${symbol},${interval},?,?,?,?,?,?,?,${source},${origin},${now},${now})`;
  const sql = `${inTransaction ? INSERT_IN_TRANSACTION : 'INSERT INTO bars'} ${COLUMNS} VALUES ${Array(INSERT_CHUNK).fill(row).join(',')}`;
  if (st.batchInsert.sql !== sql) st.batchInsert = { sql, statement: st.db.prepare(sql) };
  return st.batchInsert.statement;
}

function barsBefore(ctx: SqliteContext, symbol: string, interval: Interval, before: number, count: number): Bar[] {
  const rows = statements(ctx).tail.all(symbol, interval, before, count) as number[][];
  const out: Bar[] = new Array(rows.length);
  for (let i = 0; i < rows.length; i++) {
    const r = rows[rows.length - 1 - i];
    out[i] = { ts: r[0], open: r[1], high: r[2], low: r[3], close: r[4], volume: r[5], adjClose: r[6] ?? null };
  }
  return out;
}

/** Bars in [from, to) as columns; large reads go through the columnar file cache, rebuilt whenever the series changes. */
function loadSeries(ctx: SqliteContext, symbol: string, interval: Interval, range: TimeRange = {}): BarSeries {
  const st = statements(ctx);
  const from = range.from ?? Number.MIN_SAFE_INTEGER;
  const to = range.to ?? Number.MAX_SAFE_INTEGER;
  // One read transaction: the stamp, the count and the rows come from the same snapshot (WAL).
  return ctx.db.transaction((): BarSeries => {
    const key = seriesStampOf(ctx, symbol, interval);
    if (!key) return allocSeries(symbol, interval, 0);
    const file = seriesCachePath(ctx.home, symbol, interval);
    const cached = readColumns(file, key);
    let full: BarSeries;
    if (cached && cached.length === 6) {
      const [time, open, high, low, close, volume] = cached;
      full = { symbol, interval, length: time.length, time, open, high, low, close, volume };
    } else {
      const n = st.count.get(symbol, interval, from, to) as number;
      if (n < CACHE_MIN_ROWS) return readRows(st, symbol, interval, from, to, n);
      const all = st.count.get(symbol, interval, Number.MIN_SAFE_INTEGER, Number.MAX_SAFE_INTEGER) as number;
      full = readRows(st, symbol, interval, Number.MIN_SAFE_INTEGER, Number.MAX_SAFE_INTEGER, all);
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

/** Stream a range in pages, each page read whole (a statement never stays open across an await). */
async function* pagesOf(ctx: SqliteContext, symbol: string, interval: Interval, range: TimeRange): AsyncIterable<readonly StoredBarRow[]> {
  const PAGE = 4096;
  let from = range.from ?? Number.MIN_SAFE_INTEGER;
  const to = range.to ?? Number.MAX_SAFE_INTEGER;
  const { page } = statements(ctx);
  for (;;) {
    const rows = await ctx.exec(() => page.all(symbol, interval, from, to, PAGE) as StoredBarRow[]);
    if (rows.length > 0) yield rows;
    if (rows.length < PAGE) return;
    from = rows[rows.length - 1][0] + 1;
  }
}
