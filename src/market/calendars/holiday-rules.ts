/**
 * Date rules for exchange holidays and early closes, with the semantics of pandas' `Holiday` as exchange_calendars
 * uses them: a reference date each year (a fixed month/day, an nth weekday after it, or an offset from Easter),
 * then an observance (moving weekend dates), then a weekday filter and the rule's validity window, both applied
 * to the observed date. Days are epoch days (days since 1970-01-01, UTC calendar arithmetic).
 */
import { DAY, weekdayOf } from './calendar.js';
import { civilDateMs } from '../timestamp-reader.js';

/** A rule: the observed dates (epoch days) it gives in one year (usually zero or one). */
export type DateRule = (year: number) => number[];

/** Moves a date (epoch day) off the weekend, or elsewhere. */
export type Observance = (day: number) => number;

export const MON = 0;
export const TUE = 1;
export const WED = 2;
export const THU = 3;
export const FRI = 4;
export const SAT = 5;
export const SUN = 6;

/** Epoch day of a calendar date. */
export function dayOf(year: number, month: number, day: number): number {
  return civilDateMs(year, month, day) / DAY;
}

/** Epoch day of an ISO date `YYYY-MM-DD`. */
export function isoDay(iso: string): number {
  return dayOf(Number(iso.slice(0, 4)), Number(iso.slice(5, 7)), Number(iso.slice(8, 10)));
}

/** Observances as pandas names them. */
export const observances = {
  /** Sunday to Monday; Saturday stays (not observed). */
  sundayToMonday: (d: number) => (weekdayOf(d) === SUN ? d + 1 : d),
  /** Saturday to Friday, Sunday to Monday. */
  nearestWorkday: (d: number) => (weekdayOf(d) === SAT ? d - 1 : weekdayOf(d) === SUN ? d + 1 : d),
  /** Saturday and Sunday to Monday. */
  weekendToMonday: (d: number) => (weekdayOf(d) === SAT ? d + 2 : weekdayOf(d) === SUN ? d + 1 : d),
  /** Saturday and Sunday to the Friday before. */
  previousFriday: (d: number) => (weekdayOf(d) === SAT ? d - 1 : weekdayOf(d) === SUN ? d - 2 : d),
  /** The weekday before (always moves back at least one day). */
  previousWorkday: (d: number) => {
    let p = d - 1;
    while (weekdayOf(p) >= SAT) p--;
    return p;
  },
} satisfies Record<string, Observance>;

/** What narrows a rule: observance, weekday filter and validity window (ISO dates, inclusive). */
export interface RuleOptions {
  observance?: Observance;
  /** Keep the observed date only on these weekdays (0 = Monday). */
  weekdays?: readonly number[];
  /** First observed date the rule applies to, `YYYY-MM-DD`. */
  from?: string;
  /** Last observed date the rule applies to, `YYYY-MM-DD`. */
  to?: string;
}

function finish(reference: (year: number) => number, options: RuleOptions): DateRule {
  const from = options.from === undefined ? -Infinity : isoDay(options.from);
  const to = options.to === undefined ? Infinity : isoDay(options.to);
  return (year) => {
    let d = reference(year);
    if (options.observance) d = options.observance(d);
    if (options.weekdays && !options.weekdays.includes(weekdayOf(d))) return [];
    return d >= from && d <= to ? [d] : [];
  };
}

/** A fixed date every year (Christmas: `fixedDate(12, 25, { observance: observances.nearestWorkday })`). */
export function fixedDate(month: number, day: number, options: RuleOptions = {}): DateRule {
  return finish((year) => dayOf(year, month, day), options);
}

/**
 * The `n`-th `weekday` on or after month/day (n > 0), or the |n|-th on or before it (n < 0), plus `shift` days:
 * Thanksgiving is `nthWeekday(11, 1, THU, 4)`, Memorial Day `nthWeekday(5, 31, MON, -1)`.
 */
export function nthWeekday(month: number, day: number, weekday: number, n: number, options: RuleOptions & { shift?: number } = {}): DateRule {
  return finish((year) => {
    const base = dayOf(year, month, day);
    const wd = weekdayOf(base);
    const d = n > 0 ? base + ((weekday - wd + 7) % 7) + (n - 1) * 7 : base - ((wd - weekday + 7) % 7) + (n + 1) * 7;
    return d + (options.shift ?? 0);
  }, options);
}

/** Western (Gregorian) Easter Sunday of a year, as an epoch day (anonymous Gregorian algorithm). */
export function easterSunday(year: number): number {
  const a = year % 19;
  const b = Math.floor(year / 100);
  const c = year % 100;
  const d = Math.floor(b / 4);
  const e = b % 4;
  const f = Math.floor((b + 8) / 25);
  const g = Math.floor((b - f + 1) / 3);
  const h = (19 * a + b - d - g + 15) % 30;
  const i = Math.floor(c / 4);
  const k = c % 4;
  const l = (32 + 2 * e + 2 * i - h - k) % 7;
  const m = Math.floor((a + 11 * h + 22 * l) / 451);
  const month = Math.floor((h + l - 7 * m + 114) / 31);
  const day = ((h + l - 7 * m + 114) % 31) + 1;
  return dayOf(year, month, day);
}

/** A day at an offset from Easter Sunday (Good Friday -2, Easter Monday +1, Whit Monday +50). */
export function easterOffset(days: number, options: RuleOptions = {}): DateRule {
  return finish((year) => easterSunday(year) + days, options);
}

/** One-off dates (`YYYY-MM-DD`) as epoch days. */
export function isoDays(dates: readonly string[]): number[] {
  return dates.map(isoDay);
}
