/**
 * The calendars pulse knows: built-in ones by name (a typed Record) and user calendars from
 * `<home>/calendars/NAME.json` (user-calendar.ts). Calendars are built on first use and cached.
 */
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { UsageError } from '../../core/errors.js';
import type { Calendar } from './calendar.js';
import { ContinuousCalendar } from './continuous.js';
import { ExchangeCalendar } from './exchange.js';
import { FxCalendar } from './fx.js';
import { NoCalendar } from './none.js';
import { readUserCalendar } from './user-calendar.js';
import { XETR } from './xetr.js';
import { XLON } from './xlon.js';
import { XNAS } from './xnas.js';
import { XNYS } from './xnys.js';

/** Names of the built-in calendars. */
export const BUILT_IN_CALENDAR_NAMES = ['crypto', 'fx', 'XNYS', 'XNAS', 'XLON', 'XETR', 'none'] as const;
export type BuiltInCalendarName = (typeof BUILT_IN_CALENDAR_NAMES)[number];

/** How each built-in calendar is made. */
export const BUILT_IN_CALENDARS: Readonly<Record<BuiltInCalendarName, () => Calendar>> = {
  crypto: () => new ContinuousCalendar('crypto'),
  fx: () => new FxCalendar(),
  XNYS: () => new ExchangeCalendar(XNYS),
  XNAS: () => new ExchangeCalendar(XNAS),
  XLON: () => new ExchangeCalendar(XLON),
  XETR: () => new ExchangeCalendar(XETR),
  none: () => new NoCalendar(),
};

const builtIns = new Map<BuiltInCalendarName, Calendar>();
const users = new Map<string, { mtimeMs: number; calendar: Calendar }>();

/** The folder of user calendars in a home. */
export function userCalendarDir(home: string): string {
  return join(home, 'calendars');
}

/** The built-in name spelled `name` (case-insensitive), or undefined. */
export function builtInCalendarName(name: string): BuiltInCalendarName | undefined {
  const lower = name.trim().toLowerCase();
  return BUILT_IN_CALENDAR_NAMES.find((n) => n.toLowerCase() === lower);
}

/** A built-in calendar (cached). */
export function builtInCalendar(name: BuiltInCalendarName): Calendar {
  let c = builtIns.get(name);
  if (!c) {
    c = BUILT_IN_CALENDARS[name]();
    builtIns.set(name, c);
  }
  return c;
}

/** User calendar names found in a home (sorted). */
export function userCalendarNames(home: string | undefined): string[] {
  if (home === undefined) return [];
  const dir = userCalendarDir(home);
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .filter((f) => f.endsWith('.json'))
    .map((f) => f.slice(0, -5))
    .filter((n) => builtInCalendarName(n) === undefined)
    .sort();
}

/** Every calendar name usable with a home: the built-ins, then the user calendars. */
export function calendarNames(home?: string): string[] {
  return [...BUILT_IN_CALENDAR_NAMES, ...userCalendarNames(home)];
}

/**
 * The calendar called `name`: a built-in (case-insensitive) or `<home>/calendars/NAME.json`.
 * @throws UsageError for an unknown name, listing the known ones.
 * @throws ConfigError for a user calendar file that is not valid.
 */
export function loadCalendar(name: string, options: { home?: string } = {}): Calendar {
  const builtIn = builtInCalendarName(name);
  if (builtIn) return builtInCalendar(builtIn);
  const file = options.home === undefined || !/^[A-Za-z0-9_.-]{1,64}$/.test(name) ? undefined : join(userCalendarDir(options.home), `${name}.json`);
  if (file === undefined || !existsSync(file)) {
    throw new UsageError(
      `unknown calendar "${name}"`,
      `use one of: ${calendarNames(options.home).join(', ')}; or add ${options.home === undefined ? '<home>/calendars' : userCalendarDir(options.home)}/${name}.json (docs/calendars.md)`,
    );
  }
  const mtimeMs = statSync(file).mtimeMs;
  const hit = users.get(file);
  if (hit && hit.mtimeMs === mtimeMs) return hit.calendar;
  const calendar = new ExchangeCalendar(readUserCalendar(name, file));
  users.set(file, { mtimeMs, calendar });
  return calendar;
}
