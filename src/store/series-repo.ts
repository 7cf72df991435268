/** What a stored series is collected from: its recorded source list, whether it is synthetic, and source changes. */
import { and, desc, eq } from 'drizzle-orm';
import { seriesVersions, sourceChanges } from './schema.js';
import type { Store } from './store.js';

/** The source record of a series. */
export interface SeriesSource {
  /** The source list the series is collected from (`yahoo,binance`, `csv`, `synthetic`); null for derived series. */
  source: string | null;
  /** Whether its bars are synthetic (true), real (false), or unknown (null: no bars collected yet). */
  synthetic: boolean | null;
}

/** The source record of (symbol, interval), or undefined when the series was never stored. */
export function seriesSource(store: Store, symbol: string, interval: string): SeriesSource | undefined {
  return store.orm
    .select({ source: seriesVersions.source, synthetic: seriesVersions.synthetic })
    .from(seriesVersions)
    .where(and(eq(seriesVersions.symbol, symbol), eq(seriesVersions.interval, interval)))
    .get();
}

/**
 * Record what a series is collected from. Call inside the batch's transaction, after its bars were upserted (which
 * creates the series row). A null `source` keeps the recorded one (resampled bars do not change it).
 */
export function recordSeriesSource(store: Store, symbol: string, interval: string, record: { source: string | null; synthetic: boolean }): void {
  store.orm
    .update(seriesVersions)
    .set(record.source === null ? { synthetic: record.synthetic } : { source: record.source, synthetic: record.synthetic })
    .where(and(eq(seriesVersions.symbol, symbol), eq(seriesVersions.interval, interval)))
    .run();
}

/** A recorded change of a series' source. */
export interface SourceChange {
  symbol: string;
  interval: string;
  previous: string;
  next: string;
  runId: number | null;
  changedAt: number;
}

/** Audit a change of a series' source (`collect --allow-source-change`). */
export function recordSourceChange(store: Store, change: SourceChange): void {
  store.orm.insert(sourceChanges).values(change).run();
}

/** The source changes of a series, newest first. */
export function listSourceChanges(store: Store, symbol: string, interval?: string): SourceChange[] {
  const where = interval === undefined ? eq(sourceChanges.symbol, symbol) : and(eq(sourceChanges.symbol, symbol), eq(sourceChanges.interval, interval));
  return store.orm
    .select({
      symbol: sourceChanges.symbol,
      interval: sourceChanges.interval,
      previous: sourceChanges.previous,
      next: sourceChanges.next,
      runId: sourceChanges.runId,
      changedAt: sourceChanges.changedAt,
    })
    .from(sourceChanges)
    .where(where)
    .orderBy(desc(sourceChanges.id))
    .all();
}
