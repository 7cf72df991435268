/**
 * Resampling stored bars into a coarser stored interval: the `--resample` step of `pulse collect` and
 * `pulse data resample`. A resampled series takes its origin's kind: synthetic bars are never resampled into a
 * series of real bars, or the other way round.
 */
import { UsageError } from '../core/errors.js';
import { seriesScope, type LockFn } from '../core/lock.js';
import { noData } from './inventory.js';
import { barsToColumns } from '../core/bars.js';
import type { UpsertCounts } from '../store/records.js';
import type { Store } from '../store/store.js';
import type { Calendar } from './calendars/calendar.js';
import { storedCalendar } from './calendars/resolve.js';
import { canResample, type Interval } from '../core/interval.js';
import { resampleBars } from './resample.js';

/** Resampling outcome for one target interval. */
export interface ResampleOutcome extends UpsertCounts {
  interval: Interval;
  buckets: number;
  /** The last bucket was still open (not all of its bars can exist yet), so it was not written. */
  incompleteDropped: boolean;
  /** The series starts inside its first bucket, which was therefore partial and not written. */
  leadingPartialDropped: boolean;
}

/**
 * Rebuild the `target` bars whose buckets the new `fine` bars touched (from the bucket containing `from` on),
 * from what is stored, so a revised fine bar revises its coarse bar too. `from` = -Infinity rebuilds everything.
 */
export async function resampleStored(
  store: Store,
  symbol: string,
  fine: Interval,
  target: Interval,
  from: number,
  now: number,
  synthetic: boolean,
  calendar?: Calendar,
): Promise<ResampleOutcome> {
  const cal = calendar ?? (await storedCalendar(store, symbol));
  const start = Number.isFinite(from) ? cal.barOpenTime(cal.floor(from, target), target) : undefined;
  const series = await store.bars.load(symbol, fine, { from: start });
  const out = resampleBars(series, target, { now, calendar: cal });
  // The series' very first bucket is partial when the data starts inside it (its open would not be the bucket's
  // open): leave it out, as the still-open last bucket is.
  const firstStored = series.length > 0 && (start === undefined || (await store.bars.lastTime(symbol, fine, start)) === undefined);
  const leadingPartial = firstStored && out.bars.length > 0 && out.bars[0].count < out.bars[0].expected;
  const bars = leadingPartial ? out.bars.slice(1) : out.bars;
  const counts = await store.transaction(async (tx) => {
    const c = await tx.bars.upsert(symbol, target, barsToColumns(bars), { source: 'resample', originInterval: fine, now });
    if (bars.length > 0) await tx.series.recordSource(symbol, target, { source: null, synthetic });
    return c;
  });
  return { interval: target, buckets: bars.length, incompleteDropped: out.incompleteDropped, leadingPartialDropped: leadingPartial, ...counts };
}

/**
 * `pulse data resample`: rebuild the whole `coarse` series of a symbol from its stored `fine` bars, under the
 * coarse series' lock.
 * @throws UsageError when `coarse` is not a whole-bucket coarsening of `fine`, or would mix synthetic and real bars;
 * DataError when no `fine` bars are stored.
 */
export async function resampleSeries(store: Store, symbol: string, fine: Interval, coarse: Interval, now: number, lock?: LockFn): Promise<ResampleOutcome> {
  if (!canResample(fine, coarse)) throw new UsageError(`cannot resample ${fine} bars into ${coarse}`, 'the target must be a coarser interval that whole buckets fill');
  if ((await store.bars.lastTime(symbol, fine)) === undefined) throw await noData(store, symbol, fine);
  const synthetic = (await store.series.source(symbol, fine))?.synthetic ?? false;
  await checkResampleTarget(store, symbol, fine, coarse, synthetic);
  const held = await lock?.([seriesScope(symbol, coarse)]);
  try {
    return await resampleStored(store, symbol, fine, coarse, -Infinity, now, synthetic);
  } finally {
    held?.release();
  }
}

/** Refuse resampling `synthetic` (or real) `fine` bars into a stored series of the other kind. */
export async function checkResampleTarget(store: Store, symbol: string, fine: Interval, target: Interval, synthetic: boolean): Promise<void> {
  const recorded = await store.series.source(symbol, target);
  if (recorded?.synthetic != null && recorded.synthetic !== synthetic) {
    throw new UsageError(
      `${symbol} ${target} holds ${recorded.synthetic ? 'synthetic' : 'real'} bars; resampling ${synthetic ? 'synthetic' : 'real'} ${fine} bars into it would mix them`,
      `drop ${target} from the resampling, or collect under another symbol`,
    );
  }
}
