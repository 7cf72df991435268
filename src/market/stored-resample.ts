/**
 * Resampling stored bars into a coarser stored interval: the `--resample` step of `pulse collect` and
 * `pulse data resample`. A resampled series takes its origin's kind: synthetic bars are never resampled into a
 * series of real bars, or the other way round.
 */
import { UsageError } from '../core/errors.js';
import { lastBarTime, loadSeries, upsertBars, type UpsertCounts } from '../store/bars-repo.js';
import { recordSeriesSource, seriesSource } from '../store/series-repo.js';
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
export function resampleStored(
  store: Store,
  symbol: string,
  fine: Interval,
  target: Interval,
  from: number,
  now: number,
  synthetic: boolean,
  calendar: Calendar = storedCalendar(store, symbol),
): ResampleOutcome {
  const start = Number.isFinite(from) ? calendar.barOpenTime(calendar.floor(from, target), target) : undefined;
  const series = loadSeries(store, symbol, fine, { from: start });
  const out = resampleBars(series, target, { now, calendar });
  // The series' very first bucket is partial when the data starts inside it (its open would not be the bucket's
  // open): leave it out, as the still-open last bucket is.
  const firstStored = series.length > 0 && (start === undefined || lastBarTime(store, symbol, fine, start) === undefined);
  const leadingPartial = firstStored && out.bars.length > 0 && out.bars[0].count < out.bars[0].expected;
  const bars = leadingPartial ? out.bars.slice(1) : out.bars;
  let counts: UpsertCounts = { inserted: 0, updated: 0, unchanged: 0 };
  store.db.transaction(() => {
    counts = upsertBars(store, symbol, target, bars, { source: 'resample', originInterval: fine, now });
    if (bars.length > 0) recordSeriesSource(store, symbol, target, { source: null, synthetic });
  }).immediate();
  return { interval: target, buckets: bars.length, incompleteDropped: out.incompleteDropped, leadingPartialDropped: leadingPartial, ...counts };
}

/**
 * `pulse data resample`: rebuild the whole `coarse` series of a symbol from its stored `fine` bars.
 * @throws UsageError when `coarse` is not a whole-bucket coarsening of `fine`, or would mix synthetic and real bars.
 */
export function resampleSeries(store: Store, symbol: string, fine: Interval, coarse: Interval, now: number): ResampleOutcome {
  if (!canResample(fine, coarse)) throw new UsageError(`cannot resample ${fine} bars into ${coarse}`, 'the target must be a coarser interval that whole buckets fill');
  const synthetic = seriesSource(store, symbol, fine)?.synthetic ?? false;
  checkResampleTarget(store, symbol, fine, coarse, synthetic);
  return resampleStored(store, symbol, fine, coarse, -Infinity, now, synthetic);
}

/** Refuse resampling `synthetic` (or real) `fine` bars into a stored series of the other kind. */
export function checkResampleTarget(store: Store, symbol: string, fine: Interval, target: Interval, synthetic: boolean): void {
  const recorded = seriesSource(store, symbol, target);
  if (recorded?.synthetic != null && recorded.synthetic !== synthetic) {
    throw new UsageError(
      `${symbol} ${target} holds ${recorded.synthetic ? 'synthetic' : 'real'} bars; resampling ${synthetic ? 'synthetic' : 'real'} ${fine} bars into it would mix them`,
      `drop ${target} from the resampling, or collect under another symbol`,
    );
  }
}
