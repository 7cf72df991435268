/** XNYS: the New York Stock Exchange, 09:30-16:00 New York time, US holidays (us-holidays.ts). */
import type { ExchangeDefinition } from './exchange.js';
import { US_CLOSURES, US_EARLY_CLOSES, US_HOLIDAYS } from './us-holidays.js';

/** The NYSE's definition, as exchange_calendars' `XNYSExchangeCalendar` has it (open 09:30 throughout). */
export const XNYS: ExchangeDefinition = {
  name: 'XNYS',
  timezone: 'America/New_York',
  open: [{ time: '09:30' }],
  close: [{ time: '16:00' }],
  holidays: US_HOLIDAYS,
  closures: US_CLOSURES,
  earlyCloses: US_EARLY_CLOSES,
};
