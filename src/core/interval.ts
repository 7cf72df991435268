import { UsageError } from './errors.js';

/** Bar intervals pulse understands, finest first. */
export const INTERVALS = ['1m', '5m', '15m', '30m', '1h', '4h', '1d', '1wk', '1mo'] as const;
export type Interval = (typeof INTERVALS)[number];

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

/** Nominal length of each interval in milliseconds (a month is 30 days nominally; use `nextBoundary` for calendars). */
export const INTERVAL_MS: Record<Interval, number> = {
  '1m': MINUTE,
  '5m': 5 * MINUTE,
  '15m': 15 * MINUTE,
  '30m': 30 * MINUTE,
  '1h': HOUR,
  '4h': 4 * HOUR,
  '1d': DAY,
  '1wk': 7 * DAY,
  '1mo': 30 * DAY,
};

/** Parse and validate an interval name, throwing a UsageError that lists the valid ones. */
export function parseInterval(value: string): Interval {
  if ((INTERVALS as readonly string[]).includes(value)) return value as Interval;
  throw new UsageError(`unknown interval "${value}"`, `use one of: ${INTERVALS.join(', ')}`);
}

/** True for intervals shorter than a day. */
export function isIntraday(interval: Interval): boolean {
  return INTERVAL_MS[interval] < DAY;
}

/**
 * The start of the interval bucket containing `ts` (ms since epoch), UTC-aligned.
 * Weekly buckets start on Monday 00:00 UTC (ISO weeks); monthly buckets on the 1st 00:00 UTC.
 */
export function floorToInterval(ts: number, interval: Interval): number {
  if (interval === '1mo') {
    const d = new Date(ts);
    return Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), 1);
  }
  if (interval === '1wk') {
    const day = Math.floor(ts / DAY) * DAY;
    const dow = (new Date(day).getUTCDay() + 6) % 7; // 0 = Monday
    return day - dow * DAY;
  }
  const ms = INTERVAL_MS[interval];
  return Math.floor(ts / ms) * ms;
}

/** The start of the bucket after the one that starts at `start` (calendar-exact for months). */
export function nextBoundary(start: number, interval: Interval): number {
  if (interval === '1mo') {
    const d = new Date(start);
    return Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 1);
  }
  return start + INTERVAL_MS[interval];
}

/** True when `ts` is exactly on a bucket boundary of `interval`. */
export function isAligned(ts: number, interval: Interval): boolean {
  return floorToInterval(ts, interval) === ts;
}

/** True when `coarse` can be built from `fine` by whole-bucket aggregation. */
export function canResample(fine: Interval, coarse: Interval): boolean {
  if (INTERVALS.indexOf(coarse) <= INTERVALS.indexOf(fine)) return false;
  if (coarse === '1mo' || coarse === '1wk') return INTERVAL_MS[fine] <= DAY;
  return INTERVAL_MS[coarse] % INTERVAL_MS[fine] === 0;
}
