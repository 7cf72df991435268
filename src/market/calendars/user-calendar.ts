/**
 * User calendars: `<home>/calendars/NAME.json` describes an exchange-like schedule that pulse turns into an
 * {@link ExchangeDefinition} (so it gets the same session-anchored bars, holidays and early closes as the built-in
 * exchanges). The format (see docs/calendars.md):
 *
 * ```json
 * {
 *   "timezone": "Asia/Tokyo",
 *   "open": "09:00",
 *   "close": "15:30",
 *   "weekdays": ["mon", "tue", "wed", "thu", "fri"],
 *   "holidays": ["01-01", { "date": "12-25", "observance": "nearest-weekday" }, "2024-02-12"],
 *   "closures": ["2011-03-14"],
 *   "earlyCloses": [{ "date": "12-30", "close": "11:30" }]
 * }
 * ```
 * `MM-DD` dates recur every year, `YYYY-MM-DD` dates happen once. `weekdays` defaults to Monday-Friday.
 */
import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { describeIssue } from '../../core/zod-issues.js';
import { ConfigError, toError } from '../../core/errors.js';
import type { ExchangeDefinition } from './exchange.js';
import { fixedDate, observances, type DateRule, type Observance } from './holiday-rules.js';
import { isKnownZone } from './zone.js';

const WEEKDAY_NAMES = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const;

const OBSERVANCES: Record<string, Observance | undefined> = {
  none: undefined,
  'nearest-weekday': observances.nearestWorkday,
  'weekend-to-monday': observances.weekendToMonday,
  'sunday-to-monday': observances.sundayToMonday,
  'previous-friday': observances.previousFriday,
};

const time = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'expected a local time HH:MM (24-hour)');

function validDate(y: number, m: number, d: number): boolean {
  const dt = new Date(Date.UTC(y, m - 1, d));
  return dt.getUTCFullYear() === y && dt.getUTCMonth() === m - 1 && dt.getUTCDate() === d;
}

const isoDate = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, 'expected a date YYYY-MM-DD')
  .refine((s) => validDate(Number(s.slice(0, 4)), Number(s.slice(5, 7)), Number(s.slice(8, 10))), 'not a real date');
/** `YYYY-MM-DD` (once) or `MM-DD` (every year; Feb 29 only in leap years). */
const anyDate = z
  .string()
  .regex(/^(\d{4}-)?\d{2}-\d{2}$/, 'expected a date YYYY-MM-DD (once) or MM-DD (every year)')
  .refine((s) => {
    const md = s.slice(-5);
    return validDate(s.length === 10 ? Number(s.slice(0, 4)) : 2000, Number(md.slice(0, 2)), Number(md.slice(3, 5)));
  }, 'not a real date');

const holiday = z.union([
  anyDate,
  z.object({ date: anyDate, observance: z.enum(Object.keys(OBSERVANCES) as [string, ...string[]]).default('none') }).strict(),
]);

/** The zod schema of a user calendar file. */
export const userCalendarSchema = z
  .object({
    description: z.string().optional(),
    timezone: z.string().refine(isKnownZone, 'not an IANA time zone this runtime knows (e.g. America/New_York)'),
    open: time,
    close: time,
    weekdays: z.array(z.enum(WEEKDAY_NAMES)).min(1).default(['mon', 'tue', 'wed', 'thu', 'fri']),
    holidays: z.array(holiday).default([]),
    closures: z.array(isoDate).default([]),
    earlyCloses: z.array(z.object({ date: anyDate, close: time }).strict()).default([]),
  })
  .strict()
  .refine((c) => c.close > c.open, { message: 'close must be later than open (overnight sessions are not supported)', path: ['close'] });

/** A parsed user calendar file. */
export type UserCalendarFile = z.infer<typeof userCalendarSchema>;

function isLeap(year: number): boolean {
  return year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0);
}

/** A yearly `MM-DD` or one-off `YYYY-MM-DD` date as a rule, with an optional observance. */
function dateRule(date: string, observance?: Observance): DateRule {
  const month = Number(date.slice(-5, -3));
  const day = Number(date.slice(-2));
  const yearly = fixedDate(month, day, { observance });
  const only = date.length === 10 ? Number(date.slice(0, 4)) : undefined;
  return (year) => {
    if (only !== undefined && year !== only) return [];
    if (month === 2 && day === 29 && !isLeap(year)) return [];
    return yearly(year);
  };
}

/** Turn a validated file into an exchange definition named `name`. */
export function userCalendarDefinition(name: string, file: UserCalendarFile): ExchangeDefinition {
  return {
    name,
    timezone: file.timezone,
    open: [{ time: file.open }],
    close: [{ time: file.close }],
    weekdays: file.weekdays.map((d) => WEEKDAY_NAMES.indexOf(d)),
    holidays: file.holidays.map((h) => (typeof h === 'string' ? dateRule(h) : dateRule(h.date, OBSERVANCES[h.observance]))),
    closures: file.closures,
    earlyCloses: file.earlyCloses.map((e) => ({ close: e.close, rules: [dateRule(e.date)] })),
  };
}

/**
 * Read and validate a user calendar file.
 * @throws ConfigError naming the file and the first bad field.
 */
export function readUserCalendar(name: string, path: string): ExchangeDefinition {
  let doc: unknown;
  try {
    doc = JSON.parse(readFileSync(path, 'utf8'));
  } catch (err) {
    throw new ConfigError(`calendar file ${path} is not readable JSON: ${toError(err).message}`, 'fix the file; docs/calendars.md describes the format');
  }
  const parsed = userCalendarSchema.safeParse(doc, { reportInput: true });
  if (!parsed.success) {
    throw new ConfigError(`invalid calendar ${name} (${path}): ${describeIssue(parsed.error.issues[0])}`, 'fix the field; docs/calendars.md describes the format');
  }
  return userCalendarDefinition(name, parsed.data);
}
