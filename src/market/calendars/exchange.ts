/**
 * Exchange calendars: a rules engine over an {@link ExchangeDefinition} (local session times that may change over
 * the years, trading weekdays, holiday rules, unscheduled closures and early closes). The sessions of 1970-2100
 * are computed once per calendar, in the exchange's time zone with its DST, and every question is answered from
 * them: intraday bars are anchored at each session's open (a 1h XNYS session has bars at 09:30, 10:30, ...,
 * 15:30 New York time, the last one cut short by the 16:00 close), daily bars are the sessions keyed by date.
 */
import { floorToInterval, INTERVAL_MS, nextBoundary, type Interval } from '../../core/interval.js';
import { BarGrid } from './bar-grid.js';
import { DAY, isPeriodInterval, MINUTE, weekdayOf } from './calendar.js';
import { GridCalendar } from './grid-calendar.js';
import { isoDay, type DateRule } from './holiday-rules.js';
import { localToUtc, zoneOffsets } from './zone.js';

/** A local time `HH:MM` in force from a date on (`from` omitted: since the beginning). */
export interface TimeFrom {
  from?: string;
  time: string;
}

/** Early closes at one local time: by rule, by date, or both. */
export interface EarlyCloseGroup {
  /** Local close time `HH:MM`. */
  close: string;
  rules?: readonly DateRule[];
  /** One-off dates `YYYY-MM-DD`. */
  dates?: readonly string[];
}

/** Everything an exchange calendar is computed from. */
export interface ExchangeDefinition {
  name: string;
  /** IANA zone of the session times. */
  timezone: string;
  /** Regular local open times, oldest first. */
  open: readonly TimeFrom[];
  /** Regular local close times, oldest first. */
  close: readonly TimeFrom[];
  /** Trading weekdays, 0 = Monday (default Monday to Friday). */
  weekdays?: readonly number[];
  /** Regular holidays (full closures) by rule. */
  holidays: readonly DateRule[];
  /** One-off full closures `YYYY-MM-DD`: special holidays, weather, mourning, emergencies. */
  closures: readonly string[];
  /** Early closes (half days). On a day that is not a session they have no effect. */
  earlyCloses: readonly EarlyCloseGroup[];
}

/** The computed sessions of an exchange, ascending. */
export interface SessionTable {
  /** Local calendar date of each session, as an epoch day. */
  day: Int32Array;
  /** Open instant (ms, UTC). */
  open: Float64Array;
  /** Close instant (ms, UTC), early closes applied. */
  close: Float64Array;
}

const FIRST_YEAR = 1970;
const LAST_YEAR = 2100;

/** Minutes after midnight of `HH:MM`. */
export function minutesOf(hhmm: string): number {
  return Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3, 5));
}

/** Local minutes of a time history on an epoch day. */
function timeOn(history: readonly TimeFrom[], day: number): number {
  let t = minutesOf(history[0].time);
  for (const h of history) if (h.from === undefined || isoDay(h.from) <= day) t = minutesOf(h.time);
  return t;
}

/** Compute the sessions 1970-2100 of an exchange definition. */
export function computeSessions(def: ExchangeDefinition): SessionTable {
  const zone = zoneOffsets(def.timezone);
  const weekdays = new Set(def.weekdays ?? [0, 1, 2, 3, 4]);
  const closed = new Set<number>(def.closures.map(isoDay));
  const early = new Map<number, number>();
  for (let year = FIRST_YEAR - 1; year <= LAST_YEAR + 1; year++) {
    for (const rule of def.holidays) for (const d of rule(year)) closed.add(d);
    for (const group of def.earlyCloses) {
      const minutes = minutesOf(group.close);
      for (const rule of group.rules ?? []) for (const d of rule(year)) early.set(d, Math.min(minutes, early.get(d) ?? Infinity));
    }
  }
  for (const group of def.earlyCloses) {
    for (const iso of group.dates ?? []) {
      const d = isoDay(iso);
      early.set(d, Math.min(minutesOf(group.close), early.get(d) ?? Infinity));
    }
  }
  const first = Date.UTC(FIRST_YEAR, 0, 1) / DAY;
  const last = Date.UTC(LAST_YEAR, 11, 31) / DAY;
  const days: number[] = [];
  const opens: number[] = [];
  const closes: number[] = [];
  for (let d = first; d <= last; d++) {
    if (!weekdays.has(weekdayOf(d)) || closed.has(d)) continue;
    const openMin = timeOn(def.open, d);
    const closeMin = early.get(d) ?? timeOn(def.close, d);
    if (!(closeMin > openMin)) continue;
    days.push(d);
    opens.push(localToUtc(zone, d * DAY + openMin * MINUTE));
    closes.push(localToUtc(zone, d * DAY + closeMin * MINUTE));
  }
  return { day: Int32Array.from(days), open: Float64Array.from(opens), close: Float64Array.from(closes) };
}

/** An exchange's calendar over its computed sessions (see the module note). */
export class ExchangeCalendar extends GridCalendar {
  readonly utcGrid = false;
  private tableCache: SessionTable | undefined;

  constructor(private readonly definition: ExchangeDefinition) {
    super(definition.name, definition.timezone);
  }

  /** The sessions, computed on first use. */
  get sessions(): SessionTable {
    return (this.tableCache ??= computeSessions(this.definition));
  }

  /** Index of the session containing the instant `ts` (open <= ts < close), or -1. */
  sessionAt(ts: number): number {
    const { open, close } = this.sessions;
    let lo = 0;
    let hi = open.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (open[mid] <= ts) lo = mid + 1;
      else hi = mid;
    }
    const s = lo - 1;
    return s >= 0 && ts < close[s] ? s : -1;
  }

  /** Index of the session of a local date (epoch day), or -1. */
  sessionOfDay(day: number): number {
    const d = this.sessions.day;
    let lo = 0;
    let hi = d.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (d[mid] < day) lo = mid + 1;
      else hi = mid;
    }
    return lo < d.length && d[lo] === day ? lo : -1;
  }

  protected buildGrid(interval: Exclude<Interval, '1wk' | '1mo'>): BarGrid {
    const { day, open, close } = this.sessions;
    const n = day.length;
    const count = new Int32Array(n);
    if (interval === '1d') {
      count.fill(1);
      return new BarGrid(Float64Array.from(day, (d) => d * DAY), count, DAY, this.name);
    }
    const step = INTERVAL_MS[interval];
    for (let s = 0; s < n; s++) count[s] = Math.ceil((close[s] - open[s]) / step);
    return new BarGrid(open, count, step, this.name);
  }

  floor(ts: number, interval: Interval): number {
    if (isPeriodInterval(interval)) return floorToInterval(ts, interval);
    const s = this.sessionAt(ts);
    if (s < 0) return floorToInterval(ts, interval); // off-session instants keep the UTC grid
    if (interval === '1d') return this.sessions.day[s] * DAY;
    const step = INTERVAL_MS[interval];
    const open = this.sessions.open[s];
    return open + Math.floor((ts - open) / step) * step;
  }

  override isAligned(ts: number, interval: Interval): boolean {
    // Daily keys are dates at 00:00 UTC, which no session contains: any UTC midnight is a daily key.
    if (interval === '1d') return floorToInterval(ts, '1d') === ts;
    return this.floor(ts, interval) === ts;
  }

  /** The next bar of the session grid (after a session's last bar: the next session's first). */
  override next(start: number, interval: Interval): number {
    if (isPeriodInterval(interval)) return nextBoundary(start, interval);
    return this.tradingBarAt(this.tradingOrdinal(start + 1, interval), interval);
  }

  override barOpenTime(key: number, interval: Interval): number {
    if (interval !== '1d') return key;
    const s = this.sessionOfDay(key / DAY);
    return s < 0 ? key : this.sessions.open[s];
  }

  barCloseTime(key: number, interval: Interval): number {
    if (isPeriodInterval(interval)) return nextBoundary(key, interval);
    if (interval === '1d') {
      const s = this.sessionOfDay(Math.floor(key / DAY));
      return s < 0 ? key + DAY : this.sessions.close[s];
    }
    const end = key + INTERVAL_MS[interval];
    const s = this.sessionAt(key);
    return s < 0 || end < this.sessions.close[s] ? end : this.sessions.close[s];
  }
}
