/**
 * UTC offsets of an IANA time zone as a table of transitions, so that converting a local wall time to UTC is a
 * binary search instead of an `Intl` call. Built once per zone by sampling the offset weekly over the calendars'
 * range and bisecting each change to the minute (DST transitions are months apart, so weekly samples see them all).
 */
import { UsageError } from '../../core/errors.js';

const MINUTE = 60_000;
const WEEK = 7 * 86_400_000;
/** The span zone tables cover: 1969-12-01 to 2102-01-01 UTC (a margin around the calendars' 1970-2100). */
const TABLE_FROM = Date.UTC(1969, 11, 1);
const TABLE_TO = Date.UTC(2102, 0, 1);

/** The offset table of one zone: `offset[i]` (ms, local - UTC) holds from `since[i]` (UTC ms) on. */
export interface ZoneOffsets {
  readonly zone: string;
  readonly since: Float64Array;
  readonly offset: Float64Array;
}

const cache = new Map<string, ZoneOffsets>();

/** True when `zone` is an IANA zone name this runtime knows. */
export function isKnownZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

/**
 * The offset table of an IANA zone (cached per zone).
 * @throws UsageError for a zone the runtime does not know.
 */
export function zoneOffsets(zone: string): ZoneOffsets {
  const hit = cache.get(zone);
  if (hit) return hit;
  if (!isKnownZone(zone)) throw new UsageError(`unknown time zone "${zone}"`, 'use an IANA zone name such as America/New_York or Europe/London');
  const format = new Intl.DateTimeFormat('en-US', {
    timeZone: zone, hourCycle: 'h23', year: 'numeric', month: 'numeric', day: 'numeric', hour: 'numeric', minute: 'numeric', second: 'numeric',
  });
  const offsetAt = (ts: number): number => {
    const p: Record<string, number> = {};
    for (const part of format.formatToParts(ts)) p[part.type] = Number(part.value);
    return Date.UTC(p.year, p.month - 1, p.day, p.hour, p.minute, p.second) - ts;
  };
  const since: number[] = [TABLE_FROM];
  const offset: number[] = [offsetAt(TABLE_FROM)];
  let prevTs = TABLE_FROM;
  let prevOff = offset[0];
  for (let ts = TABLE_FROM + WEEK; ts <= TABLE_TO; ts += WEEK) {
    const off = offsetAt(ts);
    if (off !== prevOff) {
      // Bisect (prevTs, ts] to the first minute with the new offset.
      let lo = prevTs;
      let hi = ts;
      while (hi - lo > MINUTE) {
        const mid = lo + Math.floor((hi - lo) / 2 / MINUTE) * MINUTE;
        if (offsetAt(mid) === prevOff) lo = mid;
        else hi = mid;
      }
      since.push(hi);
      offset.push(offsetAt(hi));
      prevOff = offsetAt(hi);
      if (prevOff !== off) {
        // Two changes within a week: restart the scan from the first one.
        ts = hi;
      }
    }
    prevTs = ts;
  }
  const table: ZoneOffsets = { zone, since: Float64Array.from(since), offset: Float64Array.from(offset) };
  cache.set(zone, table);
  return table;
}

/** The offset (ms, local - UTC) in force at the UTC instant `ts`. */
export function offsetAt(table: ZoneOffsets, ts: number): number {
  const { since, offset } = table;
  let lo = 0;
  let hi = since.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (since[mid] <= ts) lo = mid;
    else hi = mid - 1;
  }
  return offset[lo];
}

/**
 * The UTC instant of a local wall time given as ms since the epoch as if the wall clock were UTC. A time that
 * does not exist (skipped by a spring-forward change) or exists twice (fall-back) resolves with the offset in
 * force just before the change, as exchange schedules never fall in those hours.
 */
export function localToUtc(table: ZoneOffsets, local: number): number {
  const guess = local - offsetAt(table, local);
  return local - offsetAt(table, guess);
}
