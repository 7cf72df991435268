/**
 * Trading calendars: which bar slots of an interval a market trades, and how to count and step through them
 * in O(1). Used by the synthetic source (where bars exist), gap detection (what is missing) and resampling
 * (when a bucket is complete).
 *
 * Two calendars, chosen per symbol by {@link calendarForSymbol}:
 * - `continuous` (crypto-like): every slot of every day trades, 24/7.
 * - `weekdays` (equities-like): Monday to Friday. Intraday bars trade when their slot overlaps the regular
 *   session 14:30-21:00 UTC ({@link EQUITY_SESSION}; fixed in UTC, daylight saving time is not modelled), so
 *   1h bars run 14:00-20:00 (7 a day) and 4h bars 12:00, 16:00, 20:00. Daily bars trade on weekdays. Weekly and
 *   monthly bars always trade. Exchange holidays are not modelled: a weekday holiday is an ordinary trading day
 *   to this calendar, so gap detection reports it (see gaps.ts).
 *
 * Counting is done against a fixed reference (Monday 1970-01-05 00:00 UTC; 1970-01-01 for monthly bars):
 * `tradingOrdinal(ts)` is the number of trading bar opens in [reference, ts) (negative before it), and
 * `tradingBarAt` is its inverse. Intervals up
 * to a day use a precomputed one-week slot mask with prefix sums, so both are a few arithmetic operations.
 */
import { INTERVAL_MS, type Interval } from './interval.js';
import { UsageError } from '../core/errors.js';

/** The calendar kinds pulse knows: 24/7 trading, or weekdays with a regular intraday session. */
export type CalendarKind = 'continuous' | 'weekdays';

const MINUTE = 60_000;
const DAY = 86_400_000;
const WEEK = 7 * DAY;
/** Monday 1970-01-05 00:00 UTC in ms: the origin of trading ordinals. */
const REFERENCE_MONDAY = 4 * DAY;

/** The regular equities session in minutes after 00:00 UTC: open 14:30 (870) inclusive, close 21:00 (1260) exclusive. */
export const EQUITY_SESSION = { openMinute: 14 * 60 + 30, closeMinute: 21 * 60 } as const;

/** Quote currencies and suffixes that mark a symbol as a crypto pair (24/7). */
const CRYPTO_SUFFIX = /(?:USDT|USDC|BUSD|FDUSD|TUSD)$|[-/_:](?:USD|EUR|GBP|BTC|ETH|BNB)$/;

/**
 * The calendar a symbol trades on. The rule: a symbol is crypto-like (`continuous`, 24/7) when it ends in a
 * stablecoin quote (`USDT`, `USDC`, `BUSD`, `FDUSD`, `TUSD`: `BTCUSDT`, `ETH/USDC`), or when a separator
 * (`-`, `/`, `_`, `:`) precedes a USD/EUR/GBP/BTC/ETH/BNB quote (`BTC-USD` as Yahoo spells it, `ADA_BTC` as
 * freqtrade does, `ETH/BTC`). Everything else (`AAPL`, `BRK-B`, `^GSPC`, `SPY`) is equities-like (`weekdays`).
 * FX pairs (`EURUSD=X`) have no calendar of their own and fall in `weekdays`.
 */
export function calendarForSymbol(symbol: string): CalendarKind {
  return CRYPTO_SUFFIX.test(symbol.trim().toUpperCase()) ? 'continuous' : 'weekdays';
}

/** Slot table of one week for an interval of at most a day: which slots trade and prefix counts over them. */
interface WeekTable {
  slotMs: number;
  slots: number;
  /** prefix[k] = trading slots among slots [0, k) of the week; length slots + 1. */
  prefix: Int32Array;
  /** rankToSlot[r] = the slot index of the r-th trading slot in the week. */
  rankToSlot: Int32Array;
  perWeek: number;
}

const tables = new Map<string, WeekTable>();

function isTradingSlot(slotStartInWeek: number, slotMs: number, kind: CalendarKind): boolean {
  if (kind === 'continuous') return true;
  const weekday = Math.floor(slotStartInWeek / DAY); // 0 = Monday
  if (weekday >= 5) return false;
  if (slotMs >= DAY) return true;
  const startMin = (slotStartInWeek - weekday * DAY) / MINUTE;
  const endMin = startMin + slotMs / MINUTE;
  return startMin < EQUITY_SESSION.closeMinute && endMin > EQUITY_SESSION.openMinute;
}

function weekTable(interval: Interval, kind: CalendarKind): WeekTable {
  const key = `${interval}:${kind}`;
  let t = tables.get(key);
  if (t) return t;
  const slotMs = INTERVAL_MS[interval];
  const slots = WEEK / slotMs;
  const prefix = new Int32Array(slots + 1);
  const ranks: number[] = [];
  for (let k = 0; k < slots; k++) {
    const trades = isTradingSlot(k * slotMs, slotMs, kind);
    prefix[k + 1] = prefix[k] + (trades ? 1 : 0);
    if (trades) ranks.push(k);
  }
  t = { slotMs, slots, prefix, rankToSlot: Int32Array.from(ranks), perWeek: ranks.length };
  tables.set(key, t);
  return t;
}

function isCalendarInterval(interval: Interval): interval is '1wk' | '1mo' {
  return interval === '1wk' || interval === '1mo';
}

function monthIndex(ts: number): number {
  const d = new Date(ts);
  return (d.getUTCFullYear() - 1970) * 12 + d.getUTCMonth();
}

/**
 * True when the bar opening at `ts` (ms, aligned to `interval`) is a trading bar of the calendar.
 * Weekly and monthly bars always trade.
 */
export function isTradingBar(ts: number, interval: Interval, kind: CalendarKind): boolean {
  if (kind === 'continuous' || isCalendarInterval(interval)) return true;
  const t = weekTable(interval, kind);
  const inWeek = ts - REFERENCE_MONDAY - Math.floor((ts - REFERENCE_MONDAY) / WEEK) * WEEK;
  const slot = Math.floor(inWeek / t.slotMs);
  return t.prefix[slot + 1] !== t.prefix[slot];
}

/**
 * The number of trading bar opens of `interval` in [reference, ts) (negative for earlier `ts`; see the module note).
 * Differences of ordinals count trading bars: `tradingOrdinal(b) - tradingOrdinal(a)` bars open in [a, b).
 */
export function tradingOrdinal(ts: number, interval: Interval, kind: CalendarKind): number {
  if (interval === '1mo') {
    const m = monthIndex(ts);
    return Date.UTC(1970 + Math.floor(m / 12), m - Math.floor(m / 12) * 12, 1) < ts ? m + 1 : m;
  }
  if (interval === '1wk') return Math.ceil((ts - REFERENCE_MONDAY) / WEEK);
  const t = weekTable(interval, kind);
  const rel = ts - REFERENCE_MONDAY;
  const week = Math.floor(rel / WEEK);
  const slot = Math.ceil((rel - week * WEEK) / t.slotMs);
  return week * t.perWeek + t.prefix[slot];
}

/** The open time (ms) of the trading bar with the given ordinal: the inverse of {@link tradingOrdinal}. */
export function tradingBarAt(ordinal: number, interval: Interval, kind: CalendarKind): number {
  if (interval === '1mo') {
    const year = Math.floor(ordinal / 12);
    return Date.UTC(1970 + year, ordinal - year * 12, 1);
  }
  if (interval === '1wk') return REFERENCE_MONDAY + ordinal * WEEK;
  const t = weekTable(interval, kind);
  const week = Math.floor(ordinal / t.perWeek);
  const rank = ordinal - week * t.perWeek;
  return REFERENCE_MONDAY + week * WEEK + t.rankToSlot[rank] * t.slotMs;
}

/** The open time of the first trading bar opening at or after `ts`. */
export function nextTradingBar(ts: number, interval: Interval, kind: CalendarKind): number {
  return tradingBarAt(tradingOrdinal(ts, interval, kind), interval, kind);
}

/** Trading bars of `interval` opening in [from, to) (0 when to <= from). */
export function countTradingBars(from: number, to: number, interval: Interval, kind: CalendarKind): number {
  if (to <= from) return 0;
  return tradingOrdinal(to, interval, kind) - tradingOrdinal(from, interval, kind);
}

/**
 * Average trading bars per year (365.25 days): the annualisation factor for volatilities and drifts.
 * `weekdays` daily gives 260.9 (holidays are not modelled); weekly 52.18; monthly 12.
 */
export function tradingBarsPerYear(interval: Interval, kind: CalendarKind): number {
  if (interval === '1mo') return 12;
  if (interval === '1wk') return 365.25 / 7;
  return (weekTable(interval, kind).perWeek * 365.25) / 7;
}

/** Trading bars of an interval of at most a day in one calendar week (e.g. 1950 for `1m` on `weekdays`). */
export function tradingBarsPerWeek(interval: Interval, kind: CalendarKind): number {
  if (interval === '1mo') return 7 / 30.436875;
  if (interval === '1wk') return 1;
  return weekTable(interval, kind).perWeek;
}

/**
 * Write the open times of `count` consecutive trading bars, starting with trading ordinal `firstOrdinal`,
 * into `out[0..count)`. The bulk form of {@link tradingBarAt} used by generators (no per-bar lookups).
 */
export function fillTradingBars(
  firstOrdinal: number,
  count: number,
  interval: Interval,
  kind: CalendarKind,
  out: Float64Array,
): void {
  if (isCalendarInterval(interval)) {
    for (let i = 0; i < count; i++) out[i] = tradingBarAt(firstOrdinal + i, interval, kind);
    return;
  }
  const t = weekTable(interval, kind);
  let week = Math.floor(firstOrdinal / t.perWeek);
  let rank = firstOrdinal - week * t.perWeek;
  let weekStart = REFERENCE_MONDAY + week * WEEK;
  const { rankToSlot, slotMs, perWeek } = t;
  for (let i = 0; i < count; i++) {
    out[i] = weekStart + rankToSlot[rank] * slotMs;
    if (++rank === perWeek) {
      rank = 0;
      week++;
      weekStart += WEEK;
    }
  }
}

const EPOCH = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;

/**
 * Reads timestamps from text without allocating: ISO-8601 and plain dates (`YYYY-MM-DD`, `/` or `.` between the
 * parts, `YYYYMMDD`), optional `T`/space time `HH:MM[:SS[.fff]]`, optional `Z`/`±HH[:MM]`/`±HHMM`/`±HH`, or epoch
 * numbers (below 1e11 seconds, below 1e14 ms, below 1e17 µs, else ns). Times without an offset are wall time in
 * the zone given (IANA; UTC when omitted), converted with offsets cached per UTC hour. With `dateKey` the
 * calendar date as written is returned at 00:00 UTC (time and offset ignored; epoch numbers use their UTC date),
 * the keying of daily and coarser bars. Unreadable or impossible values (Feb 30, 24:00) give NaN.
 */
export class TimestampReader {
  private readonly zone: string | null;
  private readonly offsets = new Map<number, number>();
  private readonly format: Intl.DateTimeFormat | null;

  /** @throws UsageError for an unknown time zone. */
  constructor(tz: string | undefined, private readonly dateKey: boolean) {
    const zone = tz === undefined || /^(utc|gmt|z|etc\/utc)$/i.test(tz.trim()) ? null : tz.trim();
    this.zone = zone;
    if (zone === null) {
      this.format = null;
      return;
    }
    try {
      this.format = new Intl.DateTimeFormat('en-US', {
        timeZone: zone, hourCycle: 'h23', year: 'numeric', month: 'numeric', day: 'numeric', hour: 'numeric', minute: 'numeric', second: 'numeric',
      });
    } catch {
      throw new UsageError(`unknown time zone "${tz}"`, 'use an IANA zone name such as America/New_York or Europe/London');
    }
  }

  /** Offset (ms, local - UTC) of the zone at the UTC instant `ts`. */
  private offsetAt(ts: number): number {
    const hour = Math.floor(ts / 3_600_000);
    let off = this.offsets.get(hour);
    if (off === undefined) {
      const p: Record<string, number> = {};
      for (const part of (this.format as Intl.DateTimeFormat).formatToParts(hour * 3_600_000)) p[part.type] = Number(part.value);
      off = Date.UTC(p.year, p.month - 1, p.day, p.hour, p.minute, p.second) - hour * 3_600_000;
      this.offsets.set(hour, off);
    }
    return off;
  }

  /** UTC ms of a wall-clock time in the zone. */
  private fromLocal(local: number): number {
    if (this.zone === null) return local;
    const guess = local - this.offsetAt(local);
    const off = this.offsetAt(guess);
    return local - off;
  }

  /** The timestamp (ms, UTC) in text[s, e), surrounding whitespace ignored; NaN when unreadable. */
  read(text: string, s: number, e: number): number {
    while (s < e && text.charCodeAt(s) <= 32) s++;
    while (e > s && text.charCodeAt(e - 1) <= 32) e--;
    const sep = text.charCodeAt(s + 4);
    // '-', '.' or '/' after four digits: a calendar date; anything else is read as an epoch number.
    if (e - s >= 10 && (sep === 45 || sep === 46 || sep === 47)) return this.readCalendar(text, s, e);
    return this.readNumber(text, s, e);
  }

  private readNumber(text: string, s: number, e: number): number {
    if (e - s === 8) {
      const y = digits(text, s, 4);
      const m = digits(text, s + 4, 2);
      const d = digits(text, s + 6, 2);
      if (y >= 1900 && y <= 2999 && validDate(y, m, d)) return this.dateKey ? civilDateMs(y, m, d) : this.fromLocal(civilDateMs(y, m, d));
    }
    let v = 0;
    let i = s;
    for (; i < e && i - s < 19; i++) {
      const k = text.charCodeAt(i) - 48;
      if (!(k >= 0 && k <= 9)) break;
      v = v * 10 + k;
    }
    if (i !== e || i === s) {
      const slice = text.slice(s, e);
      v = EPOCH.test(slice) ? Number(slice) : NaN;
      if (!Number.isFinite(v)) return NaN;
    }
    const a = Math.abs(v);
    const ms = a < 1e11 ? v * 1000 : a < 1e14 ? v : a < 1e17 ? v / 1e3 : v / 1e6;
    const t = Math.round(ms);
    return this.dateKey ? Math.floor(t / 86_400_000) * 86_400_000 : t;
  }

  /** YYYY-MM-DD[(T| )HH:MM[:SS[.f]]][Z|±HH[:MM]] with -, / or . between date parts. */
  private readCalendar(text: string, s: number, e: number): number {
    const sep = text.charCodeAt(s + 4);
    if (text.charCodeAt(s + 7) !== sep) return NaN;
    const y = digits(text, s, 4);
    const mo = digits(text, s + 5, 2);
    const d = digits(text, s + 8, 2);
    if (!validDate(y, mo, d)) return NaN;
    const date = civilDateMs(y, mo, d);
    if (this.dateKey) return date; // the calendar date as written
    let i = s + 10;
    if (i === e) return this.fromLocal(date);
    const c = text.charCodeAt(i);
    if (c !== 84 && c !== 116 && c !== 32) return NaN; // T, t or space
    i++;
    const hh = digits(text, i, 2);
    if (text.charCodeAt(i + 2) !== 58) return NaN;
    const mm = digits(text, i + 3, 2);
    i += 5;
    let ss = 0;
    let frac = 0;
    if (i < e && text.charCodeAt(i) === 58) {
      ss = digits(text, i + 1, 2);
      i += 3;
      if (i < e && (text.charCodeAt(i) === 46 || text.charCodeAt(i) === 44)) {
        let scale = 100;
        for (i++; i < e; i++) {
          const k = text.charCodeAt(i) - 48;
          if (k < 0 || k > 9) break;
          frac += k * scale;
          scale /= 10;
        }
      }
    }
    if (!(hh >= 0 && hh <= 23 && mm >= 0 && mm <= 59 && ss >= 0 && ss <= 59)) return NaN;
    const local = date + hh * 3_600_000 + mm * 60_000 + ss * 1000 + Math.round(frac);
    if (i === e) return this.fromLocal(local);
    const z = text.charCodeAt(i);
    if ((z === 90 || z === 122) && i + 1 === e) return local;
    if (z !== 43 && z !== 45) return NaN;
    const oh = digits(text, i + 1, 2);
    let om = 0;
    const rest = e - (i + 3);
    if (rest === 3 && text.charCodeAt(i + 3) === 58) om = digits(text, i + 4, 2);
    else if (rest === 2) om = digits(text, i + 3, 2);
    else if (rest !== 0) return NaN;
    if (!(oh >= 0 && oh <= 23 && om >= 0 && om <= 59)) return NaN;
    return local - (z === 45 ? -1 : 1) * (oh * 3_600_000 + om * 60_000);
  }
}

/** Value of `n` ASCII digits at text[s..], or -1 if any is not a digit. */
function digits(text: string, s: number, n: number): number {
  let v = 0;
  for (let i = 0; i < n; i++) {
    const k = text.charCodeAt(s + i) - 48;
    if (!(k >= 0 && k <= 9)) return -1;
    v = v * 10 + k;
  }
  return v;
}

/** True for a real Gregorian date (month 1-12, day within the month). */
function validDate(y: number, m: number, d: number): boolean {
  if (y < 0 || m < 1 || m > 12 || d < 1) return false;
  const dim = m === 2 ? (y % 4 === 0 && (y % 100 !== 0 || y % 400 === 0) ? 29 : 28) : m === 4 || m === 6 || m === 9 || m === 11 ? 30 : 31;
  return d <= dim;
}

/** ms since epoch of a proleptic Gregorian date at 00:00 UTC (days-from-civil, no Date object). */
export function civilDateMs(y: number, m: number, d: number): number {
  const yy = m <= 2 ? y - 1 : y;
  const era = Math.floor(yy / 400);
  const yoe = yy - era * 400;
  const doy = Math.floor((153 * (m + (m > 2 ? -3 : 9)) + 2) / 5) + d - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return (era * 146097 + doe - 719468) * 86_400_000;
}
