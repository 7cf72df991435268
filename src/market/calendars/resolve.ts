/**
 * Which calendar an instrument trades on, decided in one place. The order: the calendar given explicitly
 * (`--calendar`), then the one stored with the instrument, then the one the source reports (a synthetic source:
 * the calendar it generates on; an online source: its metadata after the fetch), else `none`. The symbol's
 * spelling never decides.
 */
import type { Calendar } from './calendar.js';
import { loadCalendar } from './registry.js';

/** The candidates, most authoritative first; each may be missing. */
export interface CalendarChoice {
  /** Given by the user (`--calendar NAME`). */
  explicit?: string;
  /** Stored with the instrument by an earlier collect (`instruments.calendar`). */
  stored?: string | null;
  /** Reported by the source. */
  source?: string;
}

/**
 * The calendar of an instrument (see the module note).
 * @throws UsageError for an unknown calendar name; ConfigError for a broken user calendar file.
 */
export function resolveCalendar(choice: CalendarChoice, options: { home?: string } = {}): Calendar {
  const name = choice.explicit ?? choice.stored ?? choice.source ?? 'none';
  return loadCalendar(name, options);
}
