/**
 * Exchange holiday and half-day lists, year by year, as the exchanges published them (NYSE holiday and early
 * close schedules, NYSE's historical closings for the unscheduled ones, the LSE's and Deutsche Börse's trading
 * calendars), and as exchange_calendars lists them (checked session by session for 1990-2023 against its test
 * files: see exchange-calendars-csv.test.ts). Dates are MM-DD within the year; early closes carry the local close.
 */
import { describe, expect, it } from 'vitest';
import { ExchangeCalendar } from '../../../src/market/calendars/exchange.js';
import { loadCalendar } from '../../../src/market/calendars/registry.js';
import { findGaps } from '../../../src/market/gaps.js';
import { generateSeries } from '../../../src/market/sources/synthetic.js';

const DAY = 86_400_000;

/** Weekdays without a session and sessions closing before the regular close, in one year, from the calendar. */
function closures(name: string, year: number): { closed: string[]; early: string[] } {
  const calendar = loadCalendar(name) as ExchangeCalendar;
  const { day, close } = calendar.sessions;
  const have = new Set(day);
  const closed: string[] = [];
  for (let d = Date.UTC(year, 0, 1) / DAY; d < Date.UTC(year + 1, 0, 1) / DAY; d++) {
    const wd = new Date(d * DAY).getUTCDay();
    if (wd !== 0 && wd !== 6 && !have.has(d)) closed.push(new Date(d * DAY).toISOString().slice(5, 10));
  }
  const local = new Intl.DateTimeFormat('en-GB', { timeZone: calendar.timezone, hour: '2-digit', minute: '2-digit', hourCycle: 'h23' });
  const inYear = Array.from(day.keys()).filter((s) => new Date(day[s] * DAY).getUTCFullYear() === year);
  // the regular close is the year's most frequent local close time
  const counts = new Map<string, number>();
  for (const s of inYear) counts.set(local.format(close[s]), (counts.get(local.format(close[s])) ?? 0) + 1);
  const regular = [...counts].sort((x, y) => y[1] - x[1])[0][0];
  const early: string[] = [];
  for (const s of inYear) {
    const t = local.format(close[s]);
    if (t !== regular) early.push(`${new Date(day[s] * DAY).toISOString().slice(5, 10)} ${t}`);
  }
  return { closed, early };
}

const XNYS_YEARS: Record<number, { closed: string[]; early: string[] }> = {
  // Hurricane Gloria (09-27); before 1993 the early close was 14:00
  1985: { closed: ['01-01', '02-18', '04-05', '05-27', '07-04', '09-02', '09-27', '11-28', '12-25'], early: ['12-24 14:00'] },
  // New Year's Day on a Saturday is not observed; Nixon's funeral (04-27); Christmas on Sunday -> Monday
  1994: { closed: ['02-21', '04-01', '04-27', '05-30', '07-04', '09-05', '11-24', '12-26'], early: ['11-25 13:00'] },
  // September 11-14 after the attacks
  2001: {
    closed: ['01-01', '01-15', '02-19', '04-13', '05-28', '07-04', '09-03', '09-11', '09-12', '09-13', '09-14', '11-22', '12-25'],
    early: ['07-03 13:00', '11-23 13:00', '12-24 13:00'],
  },
  // Reagan's funeral (06-11); July 4 on Sunday -> Monday; Christmas on Saturday -> Friday
  2004: { closed: ['01-01', '01-19', '02-16', '04-09', '05-31', '06-11', '07-05', '09-06', '11-25', '12-24'], early: ['11-26 13:00'] },
  // Ford's funeral (01-02)
  2007: {
    closed: ['01-01', '01-02', '01-15', '02-19', '04-06', '05-28', '07-04', '09-03', '11-22', '12-25'],
    early: ['07-03 13:00', '11-23 13:00', '12-24 13:00'],
  },
  // New Year's Day on Sunday -> Monday; Hurricane Sandy (10-29, 10-30)
  2012: {
    closed: ['01-02', '01-16', '02-20', '04-06', '05-28', '07-04', '09-03', '10-29', '10-30', '11-22', '12-25'],
    early: ['07-03 13:00', '11-23 13:00', '12-24 13:00'],
  },
  // George H. W. Bush's funeral (12-05)
  2018: {
    closed: ['01-01', '01-15', '02-19', '03-30', '05-28', '07-04', '09-03', '11-22', '12-05', '12-25'],
    early: ['07-03 13:00', '11-23 13:00', '12-24 13:00'],
  },
  // July 4 on Sunday -> Monday; Christmas on Saturday -> Friday; no Juneteenth yet
  2021: { closed: ['01-01', '01-18', '02-15', '04-02', '05-31', '07-05', '09-06', '11-25', '12-24'], early: ['11-26 13:00'] },
  // Juneteenth from 2022 (on Sunday -> Monday 06-20); New Year's Day on Saturday not observed
  2022: { closed: ['01-17', '02-21', '04-15', '05-30', '06-20', '07-04', '09-05', '11-24', '12-26'], early: ['11-25 13:00'] },
  2024: {
    closed: ['01-01', '01-15', '02-19', '03-29', '05-27', '06-19', '07-04', '09-02', '11-28', '12-25'],
    early: ['07-03 13:00', '11-29 13:00', '12-24 13:00'],
  },
  // Carter's national day of mourning (01-09)
  2025: {
    closed: ['01-01', '01-09', '01-20', '02-17', '04-18', '05-26', '06-19', '07-04', '09-01', '11-27', '12-25'],
    early: ['07-03 13:00', '11-28 13:00', '12-24 13:00'],
  },
  // July 4 on Saturday -> Friday 07-03 (so no July 3 half day)
  2026: { closed: ['01-01', '01-19', '02-16', '04-03', '05-25', '06-19', '07-03', '09-07', '11-26', '12-25'], early: ['11-27 13:00', '12-24 13:00'] },
};

const XLON_YEARS: Record<number, { closed: string[]; early: string[] }> = {
  // VE Day 50th anniversary (05-08) replaces the early May bank holiday
  1995: { closed: ['01-02', '04-14', '04-17', '05-08', '05-29', '08-28', '12-25', '12-26'], early: ['12-22 12:30', '12-29 12:30'] },
  // the millennium eve (12-31) was a holiday; Christmas on Saturday -> 12-27, Boxing Day -> 12-28
  1999: { closed: ['01-01', '04-02', '04-05', '05-03', '05-31', '08-30', '12-27', '12-28', '12-31'], early: ['12-24 12:30'] },
  // Golden Jubilee (06-03, 06-04) instead of the spring bank holiday
  2002: { closed: ['01-01', '03-29', '04-01', '05-06', '06-03', '06-04', '08-26', '12-25', '12-26'], early: ['12-24 12:30', '12-31 12:30'] },
  // VE Day 75th anniversary (05-08, a Friday); Boxing Day on Saturday -> Monday 12-28
  2020: { closed: ['01-01', '04-10', '04-13', '05-08', '05-25', '08-31', '12-25', '12-28'], early: ['12-24 12:30', '12-31 12:30'] },
  // Platinum Jubilee (06-02, 06-03), the Queen's funeral (09-19), Christmas on Sunday -> 12-27
  2022: {
    closed: ['01-03', '04-15', '04-18', '05-02', '06-02', '06-03', '08-29', '09-19', '12-26', '12-27'],
    early: ['12-23 12:30', '12-30 12:30'],
  },
  // the coronation (05-08)
  2023: { closed: ['01-02', '04-07', '04-10', '05-01', '05-08', '05-29', '08-28', '12-25', '12-26'], early: ['12-22 12:30', '12-29 12:30'] },
  2025: { closed: ['01-01', '04-18', '04-21', '05-05', '05-26', '08-25', '12-25', '12-26'], early: ['12-24 12:30', '12-31 12:30'] },
};

const XETR_YEARS: Record<number, { closed: string[]; early: string[] }> = {
  // Whit Monday 2007 (05-28) was a one-off closure
  2007: { closed: ['01-01', '04-06', '04-09', '05-01', '05-28', '12-24', '12-25', '12-26', '12-31'], early: [] },
  // the 14:00 close on the last trading day before New Year's Eve starts in 2010
  2010: { closed: ['01-01', '04-02', '04-05', '12-24', '12-31'], early: ['12-30 14:00'] },
  // Reformation Day 500th anniversary (10-31); Whit Monday and German Unity Day 2014-2021
  2017: { closed: ['04-14', '04-17', '05-01', '06-05', '10-03', '10-31', '12-25', '12-26'], early: ['12-29 14:00'] },
  2021: { closed: ['01-01', '04-02', '04-05', '05-24', '12-24', '12-31'], early: ['12-30 14:00'] },
  // from 2022 Xetra trades on Whit Monday and German Unity Day
  2022: { closed: ['04-15', '04-18', '12-26'], early: ['12-30 14:00'] },
  2024: { closed: ['01-01', '03-29', '04-01', '05-01', '12-24', '12-25', '12-26', '12-31'], early: ['12-30 14:00'] },
  2025: { closed: ['01-01', '04-18', '04-21', '05-01', '12-24', '12-25', '12-26', '12-31'], early: ['12-30 14:00'] },
};

describe('exchange holidays, closures and early closes', () => {
  it.each(Object.entries(XNYS_YEARS))('XNYS %s', (year, want) => {
    expect(closures('XNYS', Number(year))).toEqual(want);
  });

  it('XNAS trades the NYSE schedule', () => {
    for (const year of [1994, 2012, 2025]) expect(closures('XNAS', year)).toEqual(XNYS_YEARS[year]);
  });

  it.each(Object.entries(XLON_YEARS))('XLON %s', (year, want) => {
    expect(closures('XLON', Number(year))).toEqual(want);
  });

  it.each(Object.entries(XETR_YEARS))('XETR %s', (year, want) => {
    expect(closures('XETR', Number(year))).toEqual(want);
  });
});

describe('half days', () => {
  const xnys = loadCalendar('XNYS');

  it('an early close gives fewer intraday bars: 4 hourly and 42 five-minute bars on Black Friday 2024, 7 and 78 the day before a full day', () => {
    const day = (m: number, d: number) => Date.UTC(2024, m - 1, d);
    expect(xnys.countTradingBars(day(11, 29), day(11, 30), '1h')).toBe(4);
    expect(xnys.countTradingBars(day(11, 29), day(11, 30), '5m')).toBe(42);
    expect(xnys.countTradingBars(day(11, 26), day(11, 27), '1h')).toBe(7);
    expect(xnys.countTradingBars(day(11, 26), day(11, 27), '5m')).toBe(78);
    // the half day's last hourly bar opens 12:30 and closes with the session at 13:00 New York (18:00Z)
    expect(xnys.barCloseTime(Date.UTC(2024, 10, 29, 17, 30), '1h')).toBe(Date.UTC(2024, 10, 29, 18));
    expect(xnys.barCloseTime(day(11, 29), '1d')).toBe(Date.UTC(2024, 10, 29, 18));
  });

  it('a 1h series on the session grid over half days and holidays has no gap', () => {
    // Thanksgiving week 2024 and Christmas 2024: Nov 28 closed, Nov 29, Dec 24 half days, Dec 25 closed
    const s = generateSeries({ symbol: 'X', interval: '1h', bars: 7 * 25, seed: 1, start: Date.UTC(2024, 10, 25), calendar: xnys });
    const iso = Array.from(s.time, (t) => new Date(t).toISOString().slice(0, 16));
    expect(iso.filter((t) => t.startsWith('2024-11-29'))).toEqual(['2024-11-29T14:30', '2024-11-29T15:30', '2024-11-29T16:30', '2024-11-29T17:30']);
    expect(iso.some((t) => t.startsWith('2024-11-28') || t.startsWith('2024-12-25'))).toBe(false);
    expect(findGaps(s.time, '1h', xnys)).toEqual([]);
    // the same bars on a weekday-only view of the session would miss three bars each half day
    const crypto = loadCalendar('crypto');
    expect(findGaps(s.time, '1h', crypto).length).toBeGreaterThan(20);
  });
});
