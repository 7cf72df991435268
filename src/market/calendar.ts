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
