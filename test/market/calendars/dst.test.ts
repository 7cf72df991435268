/**
 * Session opens and closes in UTC around the daylight-saving changes. The US moves on the second Sunday of March
 * and the first Sunday of November, Europe on the last Sundays of March and October, so for two or three weeks
 * a year New York is only four hours behind London and Frankfurt.
 */
import { describe, expect, it } from 'vitest';
import type { Calendar } from '../../../src/market/calendars/calendar.js';
import { loadCalendar } from '../../../src/market/calendars/registry.js';

const z = (iso: string): number => Date.parse(`${iso}:00Z`);
const utc = (t: number): string => new Date(t).toISOString().slice(0, 16);

/** The session of a date as UTC open and close (daily bar open and close times). */
function session(calendar: Calendar, date: string): [string, string] {
  const key = Date.parse(`${date}T00:00:00Z`);
  expect(calendar.isTradingBar(key, '1d'), `${calendar.name} ${date} is a session`).toBe(true);
  return [utc(calendar.barOpenTime(key, '1d')), utc(calendar.barCloseTime(key, '1d'))];
}

describe('sessions across the DST changes of 2024', () => {
  const xnys = loadCalendar('XNYS');
  const xlon = loadCalendar('XLON');
  const xetr = loadCalendar('XETR');

  it('spring: New York moves on March 10, London and Frankfurt on March 31', () => {
    // before either change: 14:30Z / 08:00Z / 08:00Z
    expect(session(xnys, '2024-03-08')).toEqual(['2024-03-08T14:30', '2024-03-08T21:00']);
    expect(session(xlon, '2024-03-08')).toEqual(['2024-03-08T08:00', '2024-03-08T16:30']);
    expect(session(xetr, '2024-03-08')).toEqual(['2024-03-08T08:00', '2024-03-08T16:30']);
    // the weeks in between: New York is on summer time, Europe not yet
    expect(session(xnys, '2024-03-11')).toEqual(['2024-03-11T13:30', '2024-03-11T20:00']);
    expect(session(xlon, '2024-03-28')).toEqual(['2024-03-28T08:00', '2024-03-28T16:30']);
    expect(session(xetr, '2024-03-28')).toEqual(['2024-03-28T08:00', '2024-03-28T16:30']);
    // after Easter (Good Friday and Easter Monday closed in Europe): everyone on summer time
    expect(session(xlon, '2024-04-02')).toEqual(['2024-04-02T07:00', '2024-04-02T15:30']);
    expect(session(xetr, '2024-04-02')).toEqual(['2024-04-02T07:00', '2024-04-02T15:30']);
    expect(session(xnys, '2024-04-02')).toEqual(['2024-04-02T13:30', '2024-04-02T20:00']);
  });

  it('autumn: Europe moves back on October 27, New York on November 3', () => {
    expect(session(xetr, '2024-10-25')).toEqual(['2024-10-25T07:00', '2024-10-25T15:30']);
    expect(session(xetr, '2024-10-28')).toEqual(['2024-10-28T08:00', '2024-10-28T16:30']);
    expect(session(xlon, '2024-10-28')).toEqual(['2024-10-28T08:00', '2024-10-28T16:30']);
    expect(session(xnys, '2024-11-01')).toEqual(['2024-11-01T13:30', '2024-11-01T20:00']);
    expect(session(xnys, '2024-11-04')).toEqual(['2024-11-04T14:30', '2024-11-04T21:00']);
  });

  it('intraday bars follow: XNYS 1h bars open at :30 in UTC, an hour earlier in summer', () => {
    expect(xnys.isAligned(z('2024-03-08T14:30'), '1h')).toBe(true);
    expect(xnys.isAligned(z('2024-03-08T13:30'), '1h')).toBe(false); // before the open
    expect(xnys.isTradingBar(z('2024-03-11T13:30'), '1h')).toBe(true);
    expect(xnys.isTradingBar(z('2024-03-11T20:30'), '1h')).toBe(false); // after the 16:00 EDT close
    expect(xnys.floor(z('2024-03-11T15:10'), '1h')).toBe(z('2024-03-11T14:30'));
    expect(xlon.floor(z('2024-04-02T07:59'), '1h')).toBe(z('2024-04-02T07:00'));
  });

  it('fx: the week runs Sunday 17:00 to Friday 17:00 New York time, 22:00Z in winter and 21:00Z in summer', () => {
    const fx = loadCalendar('fx');
    // the week of the spring change: it opens on Sunday March 10 after the 02:00 change, at 21:00Z
    expect(fx.isTradingBar(z('2024-03-03T22:00'), '1h')).toBe(true);
    expect(fx.isTradingBar(z('2024-03-03T21:00'), '1h')).toBe(false);
    expect(fx.isTradingBar(z('2024-03-08T21:00'), '1h')).toBe(true); // last bar of a winter week
    expect(fx.isTradingBar(z('2024-03-08T22:00'), '1h')).toBe(false);
    expect(fx.isTradingBar(z('2024-03-10T21:00'), '1h')).toBe(true);
    expect(fx.isTradingBar(z('2024-03-10T20:00'), '1h')).toBe(false);
    expect(fx.isTradingBar(z('2024-03-15T20:00'), '1h')).toBe(true); // last bar of a summer week
    expect(fx.isTradingBar(z('2024-03-15T21:00'), '1h')).toBe(false);
    // autumn: Friday November 1 closes at 21:00Z, Sunday November 3 opens at 22:00Z
    expect(fx.countTradingBars(z('2024-11-01T00:00'), z('2024-11-04T00:00'), '1h')).toBe(21 + 2);
    expect(fx.barCloseTime(Date.UTC(2024, 10, 1), '1d')).toBe(z('2024-11-01T21:00'));
    // a trading week has 120 hourly bars in either season
    expect(fx.countTradingBars(z('2024-01-07T00:00'), z('2024-01-14T00:00'), '1h')).toBe(120);
    expect(fx.countTradingBars(z('2024-07-07T00:00'), z('2024-07-14T00:00'), '1h')).toBe(120);
    expect(fx.periodsPerYear('1h')).toBeCloseTo(120 * 365.25 / 7, -1);
  });
});

describe('freshness: the newest bar that should exist', () => {
  it('is the last closed bar of the calendar at a given instant', () => {
    const xnys = loadCalendar('XNYS');
    // Friday 2024-03-08 22:00Z: the session closed at 21:00Z
    expect(utc(xnys.lastClosedBar(z('2024-03-08T22:00'), '1d')!)).toBe('2024-03-08T00:00');
    expect(utc(xnys.lastClosedBar(z('2024-03-08T22:00'), '1h')!)).toBe('2024-03-08T20:30');
    // Monday 15:00Z, mid-session: Monday's daily bar is still open, so Friday's is the newest
    expect(utc(xnys.lastClosedBar(z('2024-03-11T15:00'), '1d')!)).toBe('2024-03-08T00:00');
    expect(utc(xnys.lastClosedBar(z('2024-03-11T15:00'), '1h')!)).toBe('2024-03-11T13:30');
    // Christmas Day 2024: the newest daily bar is the Dec 24 half day
    expect(utc(xnys.lastClosedBar(z('2024-12-25T23:00'), '1d')!)).toBe('2024-12-24T00:00');
    const crypto = loadCalendar('crypto');
    expect(utc(crypto.lastClosedBar(z('2024-03-09T00:30'), '1h')!)).toBe('2024-03-08T23:00');
    expect(loadCalendar('none').lastClosedBar(z('2024-03-09T00:30'), '1h')).toBeUndefined();
  });
});
