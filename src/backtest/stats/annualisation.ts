/**
 * Periods per year for annualising per-bar statistics, from the instrument's trading calendar
 * (src/market/calendars): the calendar's average trading bars a year, e.g. about 252 daily bars on XNYS (its
 * sessions, holidays removed) and 252 x 6.96 hourly bars (early closes included), 365 daily and 8760 hourly bars
 * on crypto, 52 weekly and 12 monthly bars everywhere. The `none` calendar has no default: the caller must give
 * the figure (`--periods-per-year`).
 */
import { UsageError } from '../../core/errors.js';
import type { Calendar } from '../../market/calendars/calendar.js';
import type { Interval } from '../../core/interval.js';

/**
 * The default periods per year of bars on a calendar (see the module note).
 * @throws UsageError for a calendar without a default (`none`).
 */
export function periodsPerYear(calendar: Calendar, interval: Interval): number {
  const n = calendar.periodsPerYear(interval);
  if (n === undefined) {
    throw new UsageError(
      `the ${calendar.name} calendar has no trading schedule, so its ${interval} bars have no default periods per year: --periods-per-year is required`,
      'e.g. --periods-per-year 252 for daily equities or 8760 for hourly crypto; or give the instrument a calendar: pulse collect SYMBOL --calendar NAME',
    );
  }
  return n;
}

/** Validate a user-given periods-per-year figure (a positive number up to one a minute all year). */
export function validatePeriodsPerYear(value: number): number {
  if (!Number.isFinite(value) || value <= 0 || value > 366 * 24 * 60) {
    throw new UsageError(
      `periods per year ${value} is out of range: it must be above 0 and at most ${366 * 24 * 60}`,
      'use e.g. 252 for daily equities or 8760 for hourly crypto',
    );
  }
  return value;
}
