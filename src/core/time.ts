import { UsageError } from './errors.js';

/**
 * Parse a user-supplied date for options like --from/--to: `YYYY-MM-DD` (UTC midnight), an ISO-8601 date-time
 * (a time without a zone is UTC), or epoch seconds / milliseconds. Rejects dates before 1970.
 * @param what the option's name, for the error message
 */
export function parseDateOption(value: string, what: string): number {
  const v = value.trim();
  let ms: number;
  if (/^\d{9,13}$/.test(v)) {
    const n = Number(v);
    ms = v.length <= 10 ? n * 1000 : n;
  } else if (/^\d{4}-\d{2}-\d{2}$/.test(v)) {
    ms = Date.parse(`${v}T00:00:00Z`);
  } else if (/^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?$/.test(v)) {
    ms = Date.parse(`${v.replace(' ', 'T')}Z`);
  } else {
    ms = Date.parse(v);
  }
  if (!Number.isFinite(ms)) {
    throw new UsageError(`${what} "${value}" is not a date`, 'use YYYY-MM-DD, an ISO-8601 date-time, or epoch seconds');
  }
  if (ms < 0) throw new UsageError(`${what} ${value} is before 1970`, 'pulse stores times as milliseconds since 1970-01-01');
  return ms;
}

/** Parse a duration like `30d`, `12h`, `90m` into milliseconds. */
export function parseDuration(value: string, what: string): number {
  const m = /^(\d+(?:\.\d+)?)\s*(ms|s|m|h|d|w)$/.exec(value.trim());
  if (!m) throw new UsageError(`${what} "${value}" is not a duration`, 'use a number with a unit: 90m, 12h, 30d, 2w');
  const unit = { ms: 1, s: 1e3, m: 6e4, h: 3.6e6, d: 8.64e7, w: 6.048e8 }[m[2] as 'ms'];
  return Number(m[1]) * unit;
}
