/**
 * Which calendar an instrument trades on, decided in one place. The order: the calendar given explicitly
 * (`--calendar`), then the one stored with the instrument, then the one the source reports (a synthetic source:
 * the calendar it generates on; an online source: its metadata after the fetch), else `none`. The symbol's
 * spelling never decides.
 */
import type { Store } from '../../store/store.js';
import type { Calendar } from './calendar.js';
import { loadCalendar } from './registry.js';

/** The candidates, most authoritative first; each may be missing. */
export interface CalendarChoice {
  /** Given by the user (`--calendar NAME`). */
  explicit?: string;
  /** Stored with the instrument by an earlier collect (`instruments.calendar`). */
  stored?: string | null;
  /** Reported by the source (its metadata, or the calendar a synthetic source generates on). */
  source?: string;
}

/** A resolved calendar and where its name came from (`default`: nothing named one, so `none`). */
export interface ResolvedCalendar {
  calendar: Calendar;
  origin: 'explicit' | 'stored' | 'source' | 'default';
}

/**
 * The calendar of an instrument (see the module note).
 * @throws UsageError for an unknown calendar name; ConfigError for a broken user calendar file.
 */
export function resolveCalendar(choice: CalendarChoice, options: { home?: string } = {}): ResolvedCalendar {
  if (choice.explicit !== undefined) return { calendar: loadCalendar(choice.explicit, options), origin: 'explicit' };
  if (choice.stored !== undefined && choice.stored !== null) return { calendar: loadCalendar(choice.stored, options), origin: 'stored' };
  if (choice.source !== undefined) return { calendar: loadCalendar(choice.source, options), origin: 'source' };
  return { calendar: loadCalendar('none'), origin: 'default' };
}

/** The calendar stored with an instrument (`none` when it has none), user calendars read from the store's home. */
export async function storedCalendar(store: Store, symbol: string): Promise<Calendar> {
  return resolveCalendar({ stored: await store.instruments.calendar(symbol) }, { home: store.home }).calendar;
}
