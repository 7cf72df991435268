/** XETR: Xetra (Deutsche Börse), 09:00-17:30 Frankfurt time, closed on the Christmas and New Year's eves. */
import type { ExchangeDefinition } from './exchange.js';
import { easterOffset, fixedDate, observances } from './holiday-rules.js';

/** Xetra's definition, as exchange_calendars' `XETRExchangeCalendar` has it. */
export const XETR: ExchangeDefinition = {
  name: 'XETR',
  timezone: 'Europe/Berlin',
  open: [{ time: '09:00' }],
  close: [{ time: '17:30' }],
  holidays: [
    fixedDate(1, 1),
    easterOffset(-2), // Good Friday
    easterOffset(1), // Easter Monday
    fixedDate(5, 1), // Labour Day
    easterOffset(50, { from: '2015-01-01', to: '2022-01-01' }), // Whit Monday, 2015-2021
    fixedDate(10, 3, { from: '2014-01-01', to: '2022-01-01' }), // Day of German Unity, 2014-2021
    fixedDate(12, 24),
    fixedDate(12, 25),
    fixedDate(12, 26),
    fixedDate(12, 31),
  ],
  closures: [
    '2007-05-28', // Whit Monday 2007
    '2017-10-31', // 500th anniversary of the Reformation
  ],
  earlyCloses: [
    // 14:00 on the last weekday before New Year's Eve, since 2010.
    { close: '14:00', rules: [fixedDate(12, 31, { observance: observances.previousWorkday, from: '2010-01-01' })] },
  ],
};
