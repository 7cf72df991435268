/** Series on SQLite: data versions and stamps, source records and changes, the inventory, deletion. */
import { rmSync } from 'node:fs';
import { and, desc, eq } from 'drizzle-orm';
import type { Interval } from '../../core/interval.js';
import type { SeriesSummary } from '../records.js';
import type { SeriesRepository } from '../repositories.js';
import { seriesCachePath, seriesStampOf } from './bars.js';
import type { SqliteContext } from './connection.js';
import { seriesVersions, sourceChanges } from './schema.js';

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
