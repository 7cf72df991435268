/** Series on SQLite: data versions and stamps, source records and changes, the inventory, deletion. */
import { rmSync } from 'node:fs';
import { and, desc, eq } from 'drizzle-orm';
import type { Interval } from '../../core/interval.js';
import type { SeriesSummary } from '../records.js';
import type { SeriesRepository } from '../repositories.js';
import { seriesCachePath, seriesStampOf } from './bars.js';
import type { SqliteContext } from './connection.js';
import { seriesVersions, sourceChanges } from './schema.js';

/** Bar counts of series per connection, under their stamps (see `sizes`). */
const sizeCache = new WeakMap<object, Map<string, { stamp: string; rows: number; last: number | null }>>();

export function sqliteSeries(ctx: SqliteContext): SeriesRepository {
  const { db, orm, exec } = ctx;
  return {
    version: (symbol, interval) =>
      exec(() => (db.prepare('SELECT version FROM series_versions WHERE symbol = ? AND interval = ?').pluck().get(symbol, interval) as number | undefined) ?? 0),
    stamp: (symbol, interval) => exec(() => seriesStampOf(ctx, symbol, interval)),
    list: (filter = {}) =>
      exec(
        () =>
          db
            .prepare(
              `SELECT b.symbol, b.interval, count(*) AS rows, min(b.ts) AS first, max(b.ts) AS last,
                      v.last_collected_at AS lastCollectedAt, coalesce(v.version, 0) AS version, max(b.origin_interval) AS derivedFrom
               FROM bars b LEFT JOIN series_versions v ON v.symbol = b.symbol AND v.interval = b.interval
               WHERE (@symbol IS NULL OR b.symbol = @symbol) AND (@interval IS NULL OR b.interval = @interval)
               GROUP BY b.symbol, b.interval ORDER BY b.symbol, b.interval`,
            )
            .all({ symbol: filter.symbol ?? null, interval: filter.interval ?? null }) as SeriesSummary[],
      ),
    sizes: () =>
      exec(() => {
        // A series' count is kept per connection under its stamp (version and change time, bumped with every change
        // of its bars): an unchanged series is not counted again, a changed one always is.
        let known = sizeCache.get(db);
        if (!known) sizeCache.set(db, (known = new Map()));
        const seen = new Set<string>();
        const out: { symbol: string; interval: Interval; rows: number; last: number }[] = [];
        const series = db.prepare('SELECT symbol, interval, version, updated_at AS changedAt FROM series_versions ORDER BY symbol, interval').all() as { symbol: string; interval: Interval; version: number; changedAt: number }[];
        for (const s of series) {
          const key = `${s.symbol}\u0000${s.interval}`;
          const stamp = `${s.version}@${s.changedAt}`;
          seen.add(key);
          let size = known.get(key);
          if (size?.stamp !== stamp) {
            const row = db.prepare('SELECT count(*) AS rows, max(ts) AS last FROM bars WHERE symbol = ? AND interval = ?').get(s.symbol, s.interval) as { rows: number; last: number | null };
            known.set(key, (size = { stamp, rows: row.rows, last: row.last }));
          }
          if (size.rows > 0 && size.last !== null) out.push({ symbol: s.symbol, interval: s.interval, rows: size.rows, last: size.last });
        }
        for (const key of known.keys()) if (!seen.has(key)) known.delete(key);
        return out;
      }),
    newest: () =>
      exec(
        () =>
          db
            .prepare(
              `SELECT symbol, interval, last FROM (
                 SELECT v.symbol, v.interval, (SELECT max(b.ts) FROM bars b WHERE b.symbol = v.symbol AND b.interval = v.interval) AS last
                 FROM series_versions v)
               WHERE last IS NOT NULL ORDER BY symbol, interval`,
            )
            .all() as { symbol: string; interval: Interval; last: number }[],
      ),
    source: (symbol, interval) =>
      exec(() =>
        orm
          .select({ source: seriesVersions.source, synthetic: seriesVersions.synthetic })
          .from(seriesVersions)
          .where(and(eq(seriesVersions.symbol, symbol), eq(seriesVersions.interval, interval)))
          .get(),
      ),
    recordSource: (symbol, interval, record) =>
      exec(() => {
        orm
          .update(seriesVersions)
          .set(record.source === null ? { synthetic: record.synthetic } : { source: record.source, synthetic: record.synthetic })
          .where(and(eq(seriesVersions.symbol, symbol), eq(seriesVersions.interval, interval)))
          .run();
      }),
    recordSourceChange: (change) =>
      exec(() => {
        orm.insert(sourceChanges).values(change).run();
      }),
    sourceChanges: (symbol, interval) =>
      exec(() =>
        orm
          .select({
            symbol: sourceChanges.symbol,
            interval: sourceChanges.interval,
            previous: sourceChanges.previous,
            next: sourceChanges.next,
            runId: sourceChanges.runId,
            changedAt: sourceChanges.changedAt,
          })
          .from(sourceChanges)
          .where(interval === undefined ? eq(sourceChanges.symbol, symbol) : and(eq(sourceChanges.symbol, symbol), eq(sourceChanges.interval, interval)))
          .orderBy(desc(sourceChanges.id))
          .all(),
      ),
    delete: (symbol, interval) => exec(() => deleteSeries(ctx, symbol, interval)),
  };
}

function deleteSeries(ctx: SqliteContext, symbol: string, interval: Interval): number {
  const removed = ctx.db.transaction(() => {
    const n = ctx.db.prepare('DELETE FROM bars WHERE symbol = ? AND interval = ?').run(symbol, interval).changes;
    ctx.db.prepare('DELETE FROM series_versions WHERE symbol = ? AND interval = ?').run(symbol, interval);
    return n;
  }).immediate();
  rmSync(seriesCachePath(ctx.home, symbol, interval), { force: true });
  return removed;
}
