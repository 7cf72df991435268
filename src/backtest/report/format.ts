/**
 * Display formatting of backtest figures for the HTML report: one function per unit, deterministic (no locale
 * lookups: thousands are separated by commas, the decimal mark is a point), so the page reads the
 * same everywhere and tests can compare the rendered text with the JSON figures.
 */
import type { StatInfo } from '../types.js';

/** What the report prints for a null (not meaningful) figure. */
export const NOT_MEANINGFUL_TEXT = 'n/a';

/** `1234567.891` -> `1,234,567.89` (fixed decimals, comma thousands). Non-finite values print as-is. */
export function formatFixed(value: number, decimals: number): string {
  if (!Number.isFinite(value)) return String(value);
  // Beyond 1e15 fixed notation stops being exact or readable (toFixed itself switches to exponents at 1e21).
  if (Math.abs(value) >= 1e15) return value.toExponential(3);
  const fixed = Math.abs(value).toFixed(decimals);
  const [int, frac] = fixed.split('.');
  const grouped = int.replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  // -0.00 would read as a negative zero: print the sign only when the rounded figure is non-zero.
  const sign = value < 0 && Number(fixed) !== 0 ? '-' : '';
  return `${sign}${grouped}${frac === undefined ? '' : `.${frac}`}`;
}

/** A time in ms since the epoch as `YYYY-MM-DD` (daily and coarser) or `YYYY-MM-DD HH:MM` UTC (intraday). */
export function formatTime(ms: number, intraday: boolean): string {
  if (!Number.isFinite(ms)) return NOT_MEANINGFUL_TEXT;
  const iso = new Date(ms).toISOString();
  return intraday ? `${iso.slice(0, 10)} ${iso.slice(11, 16)}` : iso.slice(0, 10);
}

/** Short unit label shown in the statistics table. */
export function unitLabel(unit: StatInfo['unit']): string {
  switch (unit) {
    case 'ms':
      return 'UTC';
    case 'days':
      return 'days';
    case 'bars':
      return 'bars';
    case 'pct':
      return '%';
    case 'cash':
      return 'cash';
    case 'ratio':
      return 'ratio';
    case 'count':
      return 'count';
  }
}

/**
 * A statistic's value as the report prints it, by unit: percentages with 2 decimals (`12.35`), cash with 2
 * decimals and thousands (`12,345.68`), ratios with 3 decimals, days with 1, bars with 1, counts as integers,
 * times as dates (`intraday` adds the UTC time). Null prints {@link NOT_MEANINGFUL_TEXT}.
 */
export function formatStatValue(value: number | null, unit: StatInfo['unit'], intraday = false): string {
  if (value === null) return NOT_MEANINGFUL_TEXT;
  switch (unit) {
    case 'ms':
      return formatTime(value, intraday);
    case 'pct':
    case 'cash':
      return formatFixed(value, 2);
    case 'ratio':
      return formatFixed(value, 3);
    case 'days':
    case 'bars':
      return formatFixed(value, 1);
    case 'count':
      return formatFixed(value, 0);
  }
}

/** A statistic with its unit attached for key-figure cards: `12.35 %`, `1.234`, `12,345.68`, `42`. */
export function formatStatWithUnit(value: number | null, unit: StatInfo['unit'], intraday = false): string {
  const text = formatStatValue(value, unit, intraday);
  return value !== null && unit === 'pct' ? `${text} %` : value !== null && unit === 'days' ? `${text} d` : text;
}
