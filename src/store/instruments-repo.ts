/** Instruments and external series. */
import { eq, sql } from 'drizzle-orm';
import type { InstrumentMeta } from '../market/sources/source.js';
import { externalSeries, instruments } from './schema.js';
import type { Store } from './store.js';

/**
 * Create or refresh an instrument's metadata (fields a source did not report keep their stored values). A
 * `calendar` given replaces the stored one (collect passes the calendar it resolved: `--calendar`, else the
 * stored one, else the source's).
 */
export function upsertInstrument(store: Store, symbol: string, meta: InstrumentMeta, now: number): void {
  store.orm
    .insert(instruments)
    .values({ symbol, ...meta, createdAt: now, updatedAt: now })
    .onConflictDoUpdate({
      target: instruments.symbol,
      set: {
        name: sql`coalesce(excluded.name, ${instruments.name})`,
        currency: sql`coalesce(excluded.currency, ${instruments.currency})`,
        exchange: sql`coalesce(excluded.exchange, ${instruments.exchange})`,
        timezone: sql`coalesce(excluded.timezone, ${instruments.timezone})`,
        kind: sql`coalesce(excluded.kind, ${instruments.kind})`,
        calendar: sql`coalesce(excluded.calendar, ${instruments.calendar})`,
        updatedAt: now,
      },
    })
    .run();
}

/** The trading calendar stored with an instrument, or null when unknown (no instrument, or never set). */
export function instrumentCalendar(store: Store, symbol: string): string | null {
  const row = store.orm.select({ calendar: instruments.calendar }).from(instruments).where(eq(instruments.symbol, symbol)).get();
  return row?.calendar ?? null;
}

/** A point of an external series. */
export interface SeriesPoint {
  ts: number;
  value: number;
}

/** Upsert external series points; returns how many were new, changed or identical. */
export function upsertExternalSeries(store: Store, name: string, points: readonly SeriesPoint[], source: string, now: number) {
  const get = store.db.prepare('SELECT value FROM external_series WHERE name = ? AND ts = ?').pluck();
  const put = store.db.prepare(
    'INSERT INTO external_series (name, ts, value, source, ingested_at) VALUES (?,?,?,?,?) ON CONFLICT (name, ts) DO UPDATE SET value = excluded.value, source = excluded.source, ingested_at = excluded.ingested_at',
  );
  const counts = { inserted: 0, updated: 0, unchanged: 0 };
  for (const p of points) {
    const old = get.get(name, p.ts) as number | undefined;
    if (old === p.value) {
      counts.unchanged++;
      continue;
    }
    put.run(name, p.ts, p.value, source, now);
    if (old === undefined) counts.inserted++;
    else counts.updated++;
  }
  return counts;
}

/** Load an external series in time order. */
export function loadExternalSeries(store: Store, name: string): { time: Float64Array; value: Float64Array } {
  const rows = store.db.prepare('SELECT ts, value FROM external_series WHERE name = ? ORDER BY ts').raw(true).all(name) as number[][];
  const time = new Float64Array(rows.length);
  const value = new Float64Array(rows.length);
  rows.forEach((r, i) => {
    time[i] = r[0];
    value[i] = r[1];
  });
  return { time, value };
}

/** A string that changes whenever the external series' points change (count, newest time, last import). */
export function externalSeriesStamp(store: Store, name: string): string {
  const r = store.db.prepare('SELECT count(*) AS n, max(ts) AS last, max(ingested_at) AS at FROM external_series WHERE name = ?').get(name) as { n: number; last: number | null; at: number | null };
  return `external:${name}:${r.n}:${r.last}:${r.at}`;
}

/** Every external series with its point count and range. */
export function listExternalSeries(store: Store) {
  return store.orm
    .select({ name: externalSeries.name, points: sql<number>`count(*)`, first: sql<number>`min(${externalSeries.ts})`, last: sql<number>`max(${externalSeries.ts})` })
    .from(externalSeries)
    .groupBy(externalSeries.name)
    .all();
}
