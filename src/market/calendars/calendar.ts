/**
 * Trading calendars: which bars of an interval an instrument trades, where intraday bars open, and how to count
 * and step through trading bars fast. Gap detection (what is missing), validation (what is on the bar grid),
 * resampling (bucket boundaries and completeness), freshness (which bar should exist by now), the synthetic
 * source (where bars exist) and annualisation (periods per year) all ask the instrument's calendar.
 *
 * Kinds (see registry.ts): `crypto` (24/7), `fx` (Sunday 17:00 to Friday 17:00 New York time), exchange
 * calendars (`XNYS`, `XNAS`, `XLON`, `XETR` and user calendars: local sessions with DST, holidays, early closes
 * and unscheduled closures) and `none` (no schedule: nothing is a gap, no default annualisation).
 *
 * Keys: intraday bars are keyed by their open instant (ms, UTC). Daily bars are keyed by the trading day's local
 * calendar date at 00:00 UTC (as pulse keys daily bars everywhere). Weekly bars open on Monday 00:00 UTC (ISO
 * weeks) and monthly bars on the 1st 00:00 UTC on every calendar, and always trade.
 *
 * Ordinals: `tradingOrdinal(ts)` counts the trading bar opens in [reference, ts) for a fixed per-calendar
 * reference, so `tradingOrdinal(b) - tradingOrdinal(a)` is the number of trading bars opening in [a, b), and
 * `tradingBarAt` is its inverse. Exchange calendars cover 1970-01-01 to 2100-12-31: before it ordinals are 0,
 * after it they stay at the total.
 */
import type { Interval } from '../../core/interval.js';

/** A trading calendar (see the module note for keys and ordinals). */
export interface Calendar {
  /** `crypto`, `fx`, an exchange MIC such as `XNYS`, a user calendar's name, or `none`. */
  readonly name: string;
  /** IANA zone of the sessions (`UTC` for crypto and none). */
  readonly timezone: string;
  /** False for `none`, whose schedule is unknown: nothing is reported missing against it. */
  readonly detectsGaps: boolean;
  /**
   * True when every bar key is on the UTC grid of interval.ts (crypto, fx, none), so alignment is plain
   * arithmetic; false for exchange calendars, whose intraday bars open at the session open.
   */
  readonly utcGrid: boolean;
  /**
   * Open key of the bar or bucket of `interval` containing the instant `ts`. Exchange intraday bars are anchored
   * at the session open (a 1h bucket of XNYS opens at 09:30, 10:30, ... New York time); instants outside every
   * session fall back to the UTC grid of interval.ts. Exchange daily buckets are the session (keyed by its date).
   */
  floor(ts: number, interval: Interval): number;
  /** The key of the bucket after the one keyed `start` (exchange: the next bar of the session grid). */
  next(start: number, interval: Interval): number;
  /** True when `ts` is a bar key of the calendar's grid (`floor(ts) === ts`). */
  isAligned(ts: number, interval: Interval): boolean;
  /** The instant (ms, UTC) the bar keyed `key` opens: the key itself, except exchange daily bars (the session open). */
  barOpenTime(key: number, interval: Interval): number;
  /** The instant (ms, UTC) the bar keyed `key` closes (an early close ends the session's last bars). */
  barCloseTime(key: number, interval: Interval): number;
  /** True when the bar keyed `ts` is a trading bar of the calendar. */
  isTradingBar(ts: number, interval: Interval): boolean;
  /** Trading bar keys in [reference, ts); differences count trading bars. */
  tradingOrdinal(ts: number, interval: Interval): number;
  /** The key of the trading bar with the given ordinal (inverse of {@link tradingOrdinal}). */
  tradingBarAt(ordinal: number, interval: Interval): number;
  /** Trading bars keyed in [from, to) (0 when to <= from). */
  countTradingBars(from: number, to: number, interval: Interval): number;
  /** Write the keys of `count` consecutive trading bars from ordinal `firstOrdinal` into `out[0..count)`. */
  fillTradingBars(firstOrdinal: number, count: number, interval: Interval, out: Float64Array): void;
  /** Average trading bars per year (the annualisation default); undefined for `none`. */
  periodsPerYear(interval: Interval): number | undefined;
  /** Key of the newest trading bar closed at `now` (the newest bar a fresh series has); undefined for `none`. */
  lastClosedBar(now: number, interval: Interval): number | undefined;
}

export const MINUTE = 60_000;
export const DAY = 86_400_000;
export const WEEK = 7 * DAY;
/** Monday 1970-01-05 00:00 UTC: the origin of weekly ordinals. */
export const REFERENCE_MONDAY = 4 * DAY;
/** The first and last instants exchange calendars precompute sessions for. */
export const CALENDAR_FROM = Date.UTC(1970, 0, 1);
export const CALENDAR_TO = Date.UTC(2101, 0, 1);

/** True for the intervals that are calendar periods (weekly, monthly) rather than fixed lengths. */
export function isPeriodInterval(interval: Interval): interval is '1wk' | '1mo' {
  return interval === '1wk' || interval === '1mo';
}

function monthIndex(ts: number): number {
  const d = new Date(ts);
  return (d.getUTCFullYear() - 1970) * 12 + d.getUTCMonth();
}

/** Ordinal of weekly (from Monday 1970-01-05) or monthly (from 1970-01) bars: opens in [reference, ts). */
export function periodOrdinal(ts: number, interval: '1wk' | '1mo'): number {
  if (interval === '1wk') return Math.ceil((ts - REFERENCE_MONDAY) / WEEK);
  const m = monthIndex(ts);
  return Date.UTC(1970 + Math.floor(m / 12), m - Math.floor(m / 12) * 12, 1) < ts ? m + 1 : m;
}

/** Key of the weekly or monthly bar with an ordinal (inverse of {@link periodOrdinal}). */
export function periodBarAt(ordinal: number, interval: '1wk' | '1mo'): number {
  if (interval === '1wk') return REFERENCE_MONDAY + ordinal * WEEK;
  const year = Math.floor(ordinal / 12);
  return Date.UTC(1970 + year, ordinal - year * 12, 1);
}

/** Weekly and monthly bars per year, the same on every calendar. */
export const PERIODS_PER_YEAR = { '1wk': 52, '1mo': 12 } as const;

/** Epoch day (days since 1970-01-01) of a UTC instant. */
export function epochDay(ts: number): number {
  return Math.floor(ts / DAY);
}

/** Day of the week of an epoch day: 0 = Monday ... 6 = Sunday (1970-01-01 was a Thursday). */
export function weekdayOf(day: number): number {
  return (((day + 3) % 7) + 7) % 7;
}
