import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError, UsageError } from '../../../src/core/errors.js';
import { calendarNames, loadCalendar } from '../../../src/market/calendars/registry.js';
import { resolveCalendar } from '../../../src/market/calendars/resolve.js';
import { findGaps } from '../../../src/market/gaps.js';
import { useTempHome } from '../../helpers/home.js';

const tempHome = useTempHome();

/** A JPX-like calendar: Tokyo, no DST, a year-end break, a lunch break not modelled. */
const TOKYO = {
  description: 'Tokyo, simplified',
  timezone: 'Asia/Tokyo',
  open: '09:00',
  close: '15:00',
  holidays: ['01-01', '01-02', '01-03', { date: '02-11', observance: 'weekend-to-monday' }, '12-31', '2024-02-12'],
  closures: ['2011-03-14'],
  earlyCloses: [{ date: '2024-12-30', close: '11:30' }],
};

function homeWith(files: Record<string, unknown>): string {
  const home = tempHome();
  mkdirSync(join(home, 'calendars'));
  for (const [name, doc] of Object.entries(files)) {
    writeFileSync(join(home, 'calendars', `${name}.json`), typeof doc === 'string' ? doc : JSON.stringify(doc));
  }
  return home;
}

const DAY = 86_400_000;
const z = (iso: string): number => Date.parse(`${iso}:00Z`);

describe('user calendars', () => {
  it('loads <home>/calendars/NAME.json as an exchange calendar with its sessions, holidays and early closes', () => {
    const home = homeWith({ XTKS: TOKYO });
    const c = loadCalendar('XTKS', { home });
    expect([c.name, c.timezone, c.utcGrid]).toEqual(['XTKS', 'Asia/Tokyo', false]);
    // 09:00-15:00 JST is 00:00-06:00Z all year
    expect(c.barOpenTime(Date.UTC(2024, 0, 4), '1d')).toBe(z('2024-01-04T00:00'));
    expect(c.barCloseTime(Date.UTC(2024, 0, 4), '1d')).toBe(z('2024-01-04T06:00'));
    for (const closed of ['2024-01-01', '2024-01-02', '2024-01-03', '2024-02-12', '2024-12-31', '2011-03-14']) {
      expect(c.isTradingBar(Date.parse(closed), '1d'), closed).toBe(false);
    }
    // Feb 11 2024 is a Sunday: observed on Monday the 12th (also listed once); 2025-02-11 is a Tuesday
    expect(c.isTradingBar(Date.UTC(2025, 1, 11), '1d')).toBe(false);
    expect(c.isTradingBar(Date.UTC(2025, 1, 12), '1d')).toBe(true);
    expect(c.countTradingBars(Date.UTC(2024, 11, 30), Date.UTC(2024, 11, 31), '30m')).toBe(5); // 09:00-11:30
    expect(c.countTradingBars(Date.UTC(2024, 11, 27), Date.UTC(2024, 11, 28), '30m')).toBe(12);
    expect(calendarNames(home)).toContain('XTKS');
    expect(resolveCalendar({ stored: 'XTKS' }, { home }).calendar.name).toBe('XTKS');
    // a daily series of its sessions has no gap
    const days: number[] = [];
    for (let d = Date.UTC(2024, 0, 1); d < Date.UTC(2025, 0, 1); d += DAY) if (c.isTradingBar(d, '1d')) days.push(d);
    expect(days.length).toBeGreaterThan(240);
    expect(findGaps(days, '1d', c)).toEqual([]);
  });

  it.each([
    ['a missing timezone', { ...TOKYO, timezone: undefined }, /: timezone is missing/],
    ['an unknown time zone', { ...TOKYO, timezone: 'Asia/Atlantis' }, /: timezone: not an IANA time zone .*\(got "Asia\/Atlantis"\)/],
    ['a bad open time', { ...TOKYO, open: '9:00' }, /: open: expected a local time HH:MM.*\(got "9:00"\)/],
    ['a close before the open', { ...TOKYO, close: '08:00' }, /: close: close must be later than open/],
    ['an impossible holiday', { ...TOKYO, holidays: ['01-01', '02-30'] }, /: holidays\[1\]: .*\(got "02-30"\)/],
    ['a bad observance', { ...TOKYO, holidays: [{ date: '02-11', observance: 'sometimes' }] }, /: holidays\[0\]/],
    ['a bad closure date', { ...TOKYO, closures: ['2011-3-14'] }, /: closures\[0\]: expected a date YYYY-MM-DD/],
    ['a bad weekday', { ...TOKYO, weekdays: ['mon', 'funday'] }, /: weekdays\[1\] must be one of .*\(got "funday"\)/],
    ['a misspelt field', { ...TOKYO, earlyClose: [] }, /earlyClose/],
    ['an early close without its time', { ...TOKYO, earlyCloses: [{ date: '12-30' }] }, /: earlyCloses\[0\]\.close is missing/],
    ['text that is not JSON', '{ "timezone": ', /not readable JSON/],
  ])('refuses %s with one ConfigError naming the field', (_what, doc, message) => {
    const home = homeWith({ BAD: doc });
    const err = (() => {
      try {
        loadCalendar('BAD', { home });
      } catch (e) {
        return e;
      }
      return undefined;
    })();
    expect(err).toBeInstanceOf(ConfigError);
    expect((err as ConfigError).message).toMatch(message);
    expect((err as ConfigError).message).toContain('BAD.json');
    expect((err as ConfigError).exitCode).toBe(2);
  });

  it('refuses an unknown calendar with a UsageError listing the known ones', () => {
    const home = homeWith({ XTKS: TOKYO });
    expect(() => loadCalendar('XTSE', { home })).toThrow(UsageError);
    expect(() => loadCalendar('XTSE', { home })).toThrow(/unknown calendar "XTSE"/);
    try {
      loadCalendar('XTSE', { home });
    } catch (e) {
      expect((e as UsageError).hint).toMatch(/crypto, fx, XNYS, XNAS, XLON, XETR, none, XTKS/);
    }
    expect(() => loadCalendar('../etc/passwd', { home })).toThrow(UsageError);
  });

  it('finds built-ins whatever the case, and they win over a user file of the same name', () => {
    const home = homeWith({ xnys: TOKYO });
    expect(loadCalendar('xnys', { home }).timezone).toBe('America/New_York');
    expect(loadCalendar('Crypto').name).toBe('crypto');
    expect(calendarNames(home)).not.toContain('xnys');
  });
});

describe('resolveCalendar', () => {
  it('prefers --calendar, then the stored calendar, then the source, else none; never the spelling', () => {
    expect(resolveCalendar({ explicit: 'XLON', stored: 'XNYS', source: 'crypto' })).toMatchObject({ origin: 'explicit', calendar: { name: 'XLON' } });
    expect(resolveCalendar({ stored: 'XNYS', source: 'crypto' })).toMatchObject({ origin: 'stored', calendar: { name: 'XNYS' } });
    expect(resolveCalendar({ stored: null, source: 'crypto' })).toMatchObject({ origin: 'source', calendar: { name: 'crypto' } });
    expect(resolveCalendar({})).toMatchObject({ origin: 'default', calendar: { name: 'none' } });
    expect(() => resolveCalendar({ explicit: 'NASDAQ' })).toThrow(UsageError);
  });
});
