/** Instruments and external series on SQLite. */
import { eq, sql } from 'drizzle-orm';
import type { InstrumentsRepository } from '../repositories.js';
import type { SqliteContext } from './connection.js';
import { externalSeries, instruments } from './schema.js';

export function sqliteInstruments(ctx: SqliteContext): InstrumentsRepository {
  const { db, orm, exec } = ctx;
  return {
    upsert: (symbol, facts, now) =>
      exec(() => {
        orm
          .insert(instruments)
          .values({ symbol, ...facts, createdAt: now, updatedAt: now })
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
      }),
    calendar: (symbol) => exec(() => orm.select({ calendar: instruments.calendar }).from(instruments).where(eq(instruments.symbol, symbol)).get()?.calendar ?? null),
    upsertExternal: (name, points, source, now) =>
      exec(() => {
        const get = db.prepare('SELECT value FROM external_series WHERE name = ? AND ts = ?').pluck();
        const put = db.prepare(
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
      }),
    loadExternal: (name) =>
      exec(() => {
        const rows = db.prepare('SELECT ts, value FROM external_series WHERE name = ? ORDER BY ts').raw(true).all(name) as number[][];
        return { time: Float64Array.from(rows, (r) => r[0]), value: Float64Array.from(rows, (r) => r[1]) };
      }),
    externalStamp: (name) =>
      exec(() => {
        const r = db.prepare('SELECT count(*) AS n, max(ts) AS last, max(ingested_at) AS at FROM external_series WHERE name = ?').get(name) as { n: number; last: number | null; at: number | null };
        return `external:${name}:${r.n}:${r.last}:${r.at}`;
      }),
    listExternal: () =>
      exec(() =>
        orm
          .select({ name: externalSeries.name, points: sql<number>`count(*)`, first: sql<number>`min(${externalSeries.ts})`, last: sql<number>`max(${externalSeries.ts})` })
          .from(externalSeries)
          .groupBy(externalSeries.name)
          .all(),
      ),
  };
}
