/**
 * What the store holds, for `pulse data ls/show/export`: series summaries with their calendar, gap counts and
 * freshness, and exports that reproduce exactly what is stored (a CSV export re-imported by `collect --source
 * csv` gives the same rows).
 */
import type { Writable } from 'node:stream';
import { once } from 'node:events';
import { createPace } from '../core/async.js';
import { DataError } from '../core/errors.js';
import type { Store } from '../store/store.js';
import { seriesScope, type LockFn } from '../core/lock.js';
import type { SeriesSummary, StoredBar, StoredBarRow } from '../store/records.js';
import { formatCsvTime } from '../core/csv-format.js';
import { storedCalendar } from './calendars/resolve.js';
import { findGaps } from './gaps.js';
import type { Interval } from '../core/interval.js';

/** A stored series with what its calendar says about it. */
export interface SeriesInventory extends SeriesSummary {
  /** The instrument's calendar (`none` when it has none). */
  calendar: string;
  /** Gaps against the calendar (0 on `none`). */
  gaps: number;
  missingBars: number;
  /** Key of the newest bar the calendar says is closed by now; null on `none`. */
  expectedLast: number | null;
  /** Trading bars after the newest stored bar up to `expectedLast` (0 = fresh); null on `none`. */
  behindBars: number | null;
}

/** Every stored series with its calendar, its gaps against the calendar and how far behind `now` (ms) it is. */
export async function inventory(store: Store, filter: { symbol?: string } = {}, now: number = Date.now()): Promise<SeriesInventory[]> {
  const out: SeriesInventory[] = [];
  for (const s of await store.series.list(filter)) {
    const calendar = await storedCalendar(store, s.symbol);
    const gaps = findGaps((await store.bars.load(s.symbol, s.interval)).time, s.interval, calendar);
    const expected = calendar.lastClosedBar(now, s.interval);
    const behind = expected === undefined ? null : Math.max(0, calendar.countTradingBars(s.last + 1, expected + 1, s.interval));
    out.push({
      ...s,
      calendar: calendar.name,
      gaps: gaps.length,
      missingBars: gaps.reduce((n, g) => n + g.missingBars, 0),
      expectedLast: expected ?? null,
      behindBars: behind,
    });
  }
  return out;
}

/** A stored series' freshness, from its newest bar alone (for frequent scrapes and health checks). */
export interface SeriesFreshness {
  symbol: string;
  interval: Interval;
  /** Open time of the newest bar. */
  last: number;
  calendar: string;
  /** Trading bars after the newest stored bar up to the newest bar the calendar says is closed; null on `none`. */
  behindBars: number | null;
}

/** Every stored series with how far behind `now` (ms) it is: `inventory` without the gap scan. */
export async function seriesFreshness(store: Store, now: number): Promise<SeriesFreshness[]> {
  const out: SeriesFreshness[] = [];
  for (const s of await store.series.newest()) {
    const calendar = await storedCalendar(store, s.symbol);
    const expected = calendar.lastClosedBar(now, s.interval);
    out.push({ ...s, calendar: calendar.name, behindBars: expected === undefined ? null : Math.max(0, calendar.countTradingBars(s.last + 1, expected + 1, s.interval)) });
  }
  return out;
}

/**
 * Delete a series (bars, source record, cache) under its lock; returns the bars removed.
 * @throws DataError when the series holds no bars.
 */
export async function removeSeries(store: Store, symbol: string, interval: Interval, lock?: LockFn): Promise<number> {
  const held = await lock?.([seriesScope(symbol, interval)]);
  let removed: number;
  try {
    removed = await store.series.delete(symbol, interval);
  } finally {
    held?.release();
  }
  if (removed === 0) throw await noData(store, symbol, interval);
  return removed;
}

/** The newest `n` bars of a series; a DataError when the series is empty. */
export async function recentBars(store: Store, symbol: string, interval: Interval, n: number): Promise<StoredBar[]> {
  const bars = await store.bars.tail(symbol, interval, n);
  if (bars.length === 0) throw await noData(store, symbol, interval);
  return bars;
}

/** The CSV header of exports; `collect --source csv` maps every column back. */
export const EXPORT_CSV_HEADER = 'timestamp,open,high,low,close,adj_close,volume';

/**
 * Stream a series to `out` as CSV or JSON, without loading it all. Numbers are written in JavaScript's shortest
 * round-trip form, so re-importing gives bit-identical values. Returns the row count. Every 64 KB chunk is a safe
 * point: once `signal` aborts, the export stops there with an InterruptedError.
 */
export async function exportBars(
  store: Store,
  symbol: string,
  interval: Interval,
  range: { from?: number; to?: number },
  format: 'csv' | 'json',
  out: Writable,
  signal?: AbortSignal,
): Promise<number> {
  const pace = createPace(signal);
  let n = 0;
  let chunk = format === 'csv' ? `${EXPORT_CSV_HEADER}\n` : `{"symbol":${JSON.stringify(symbol)},"interval":"${interval}","bars":[`;
  for await (const page of store.bars.pages(symbol, interval, range)) {
    for (const b of page) {
      chunk += format === 'csv' ? csvLine(b) : `${n ? ',' : ''}\n${JSON.stringify(jsonBar(b))}`;
      n++;
      if (chunk.length > 1 << 16) {
        await pace();
        if (!out.write(chunk)) await once(out, 'drain');
        chunk = '';
      }
    }
  }
  if (n === 0) throw await noData(store, symbol, interval, range.from !== undefined || range.to !== undefined);
  chunk += format === 'csv' ? '' : '\n]}\n';
  out.write(chunk);
  return n;
}

function csvLine(b: StoredBarRow): string {
  return `${formatCsvTime(b[0])},${b[1]},${b[2]},${b[3]},${b[4]},${b[6] ?? ''},${b[5]}\n`;
}

function jsonBar(b: StoredBarRow) {
  return {
    time: formatCsvTime(b[0]),
    ts: b[0],
    open: b[1],
    high: b[2],
    low: b[3],
    close: b[4],
    adjClose: b[6],
    volume: b[5],
    source: b[7],
    originInterval: b[8],
  };
}

/** A clear error for a series with no stored bars, naming what the store does have for the symbol. */
export async function noData(store: Store, symbol: string, interval: Interval, ranged = false): Promise<DataError> {
  const have = (await store.series.list({ symbol })).map((s) => s.interval);
  if (ranged && have.includes(interval)) {
    return new DataError(`no ${interval} bars of ${symbol} in the requested range`, '`pulse data ls` shows the stored range of each series');
  }
  return new DataError(
    `no ${interval} bars stored for ${symbol}`,
    have.length ? `${symbol} has ${have.join(', ')} bars; pass one of those with --interval` : `collect it first: pulse collect ${symbol} --interval ${interval}`,
  );
}
