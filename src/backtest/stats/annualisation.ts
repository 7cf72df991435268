/**
 * Periods per year for annualising per-bar statistics, from the symbol's trading calendar (src/market/calendar.ts):
 * - equities-like (`weekdays`): 252 trading days a year (exchange holidays removed, which the calendar does not
 *   model) times the bars per session: 252 for daily bars, 252 x 7 = 1764 for hourly bars;
 * - crypto-like (`continuous`): 365 days times the bars per day: 365 for daily, 365 x 24 = 8760 for hourly;
 * - weekly bars 52, monthly bars 12, on either calendar.
 * Callers may override the figure (`periodsPerYear` in the backtest options).
 */
import { UsageError } from '../../core/errors.js';
import { calendarForSymbol, tradingBarsPerWeek } from '../../market/calendar.js';
import type { Interval } from '../../market/interval.js';

/** Trading days a year on the equities-like calendar. */
export const EQUITY_TRADING_DAYS = 252;
/** Trading days a year on the continuous (crypto) calendar. */
export const CONTINUOUS_TRADING_DAYS = 365;

/** The default periods per year of a symbol's bars (see the module note). */
export function periodsPerYear(symbol: string, interval: Interval): number {
  if (interval === '1mo') return 12;
  if (interval === '1wk') return 52;
  const kind = calendarForSymbol(symbol);
  const perWeek = tradingBarsPerWeek(interval, kind);
  return kind === 'continuous' ? (perWeek / 7) * CONTINUOUS_TRADING_DAYS : (perWeek / 5) * EQUITY_TRADING_DAYS;
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
