/**
 * US market holiday rules shared by XNYS and XNAS, from 1970 on, as exchange_calendars defines them
 * (`us_holidays.py`, itself derived from the NYSE's historical closings list).
 */
import { easterOffset, fixedDate, FRI, MON, nthWeekday, observances, THU, TUE, WED, type DateRule } from './holiday-rules.js';

/** Regular full-day holidays. */
export const US_HOLIDAYS: readonly DateRule[] = [
  // New Year's Day: a Sunday is observed on Monday; a Saturday is not observed (2005, 2011, 2022).
  fixedDate(1, 1, { observance: observances.sundayToMonday }),
  // Martin Luther King Jr. Day, third Monday of January, observed by the markets since 1998.
  nthWeekday(1, 1, MON, 3, { from: '1998-01-01' }),
  // Washington's Birthday on Feb 22 until 1970, then Presidents' Day, the third Monday of February.
  fixedDate(2, 22, { observance: observances.nearestWorkday, to: '1970-12-31' }),
  nthWeekday(2, 1, MON, 3, { from: '1971-01-01' }),
  // Good Friday.
  easterOffset(-2),
  // Memorial Day, last Monday of May (since 1971; May 30, 1970 was a Saturday).
  nthWeekday(5, 25, MON, 1, { from: '1971-01-01' }),
  // Juneteenth, since 2022, nearest weekday.
  fixedDate(6, 19, { observance: observances.nearestWorkday, from: '2022-01-01' }),
  // Independence Day, nearest weekday.
  fixedDate(7, 4, { observance: observances.nearestWorkday }),
  // Labor Day, first Monday of September.
  nthWeekday(9, 1, MON, 1),
  // Presidential Election Day (first Tuesday after Nov 1) in election years until 1980.
  (year) => (year % 4 === 0 && year <= 1980 ? nthWeekday(11, 2, TUE, 1)(year) : []),
  // Thanksgiving, fourth Thursday of November.
  nthWeekday(11, 1, THU, 4),
  // Christmas, nearest weekday.
  fixedDate(12, 25, { observance: observances.nearestWorkday }),
];

/** Unscheduled full closures since 1970: mourning, weather, blackout, emergencies. */
export const US_CLOSURES: readonly string[] = [
  '1972-12-28', // Harry S. Truman's death
  '1973-01-25', // Lyndon B. Johnson's death
  '1977-07-14', // New York City blackout
  '1985-09-27', // Hurricane Gloria
  '1994-04-27', // Richard Nixon's death
  '2001-09-11', '2001-09-12', '2001-09-13', '2001-09-14', // September 11 attacks
  '2004-06-11', // Ronald Reagan's death
  '2007-01-02', // Gerald Ford's death
  '2012-10-29', '2012-10-30', // Hurricane Sandy
  '2018-12-05', // George H. W. Bush's death
  '2025-01-09', // Jimmy Carter's death
];

/** Early closes at 13:00 (since 1993) and 14:00 (before). */
export const US_EARLY_CLOSES = [
  {
    close: '13:00',
    rules: [
      // July 3 on a Monday, Tuesday or Thursday (since 1995); on a Wednesday since 2013.
      fixedDate(7, 3, { weekdays: [MON, TUE, THU], from: '1995-01-01' }),
      fixedDate(7, 3, { weekdays: [WED], from: '2013-01-01' }),
      // July 5 on a Friday, 1995-2012.
      fixedDate(7, 5, { weekdays: [FRI], from: '1995-01-01', to: '2013-01-01' }),
      // The day after Thanksgiving, since 1993.
      nthWeekday(11, 1, THU, 4, { shift: 1, from: '1993-01-01' }),
      // Christmas Eve on Monday to Thursday, since 1993.
      fixedDate(12, 24, { weekdays: [MON, TUE, WED, THU], from: '1993-01-01' }),
    ],
    dates: ['1997-12-26', '1999-12-31', '2003-12-26'],
  },
  {
    close: '14:00',
    rules: [
      fixedDate(12, 24, { weekdays: [MON, TUE, WED, THU], to: '1993-01-01' }),
      nthWeekday(11, 1, THU, 4, { shift: 1, from: '1992-01-01', to: '1993-01-01' }),
    ],
  },
] as const;
