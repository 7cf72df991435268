/** XLON: the London Stock Exchange, 08:00-16:30 London time, English bank holidays, 12:30 closes on the eves. */
import type { ExchangeDefinition } from './exchange.js';
import { easterOffset, fixedDate, MON, nthWeekday, observances, TUE } from './holiday-rules.js';

/** The LSE's definition, as exchange_calendars' `XLONExchangeCalendar` has it. */
export const XLON: ExchangeDefinition = {
  name: 'XLON',
  timezone: 'Europe/London',
  open: [{ time: '08:00' }],
  close: [{ time: '16:30' }],
  holidays: [
    fixedDate(1, 1, { observance: observances.weekendToMonday }),
    easterOffset(-2), // Good Friday
    easterOffset(1), // Easter Monday
    // Early May bank holiday, first Monday of May (moved to VE Day on May 8 in 1995 and 2020).
    nthWeekday(5, 1, MON, 1, { to: '1994-12-31' }),
    nthWeekday(5, 1, MON, 1, { from: '1996-01-01', to: '2019-12-31' }),
    nthWeekday(5, 1, MON, 1, { from: '2021-01-01' }),
    // Spring bank holiday, last Monday of May (moved for the jubilees of 2002, 2012 and 2022).
    nthWeekday(5, 31, MON, -1, { to: '2001-12-31' }),
    nthWeekday(5, 31, MON, -1, { from: '2003-01-01', to: '2011-12-31' }),
    nthWeekday(5, 31, MON, -1, { from: '2013-01-01', to: '2021-12-31' }),
    nthWeekday(5, 31, MON, -1, { from: '2023-01-01' }),
    // Summer bank holiday, last Monday of August.
    nthWeekday(8, 31, MON, -1),
    // Christmas and Boxing Day; on a weekend they move to Dec 27/28 (Monday or Tuesday).
    fixedDate(12, 25),
    fixedDate(12, 27, { weekdays: [MON, TUE] }),
    fixedDate(12, 26),
    fixedDate(12, 28, { weekdays: [MON, TUE] }),
  ],
  closures: [
    '1973-11-14', // wedding of Princess Anne
    '1977-06-07', // Silver Jubilee
    '1981-07-29', // wedding of Prince Charles
    '1995-05-08', // VE Day, 50th anniversary
    '1999-12-31', // eve of the millennium
    '2002-06-03', '2002-06-04', // Golden Jubilee
    '2011-04-29', // wedding of Prince William
    '2012-06-04', '2012-06-05', // Diamond Jubilee
    '2020-05-08', // VE Day, 75th anniversary
    '2022-06-02', '2022-06-03', // Platinum Jubilee
    '2022-09-19', // funeral of Queen Elizabeth II
    '2023-05-08', // coronation of King Charles III
  ],
  earlyCloses: [
    {
      close: '12:30',
      rules: [
        fixedDate(12, 24, { observance: observances.previousFriday }),
        fixedDate(12, 31, { observance: observances.previousFriday, to: '1999-01-01' }),
        fixedDate(12, 31, { observance: observances.previousFriday, from: '2000-01-01' }),
      ],
    },
  ],
};
