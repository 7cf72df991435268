/** XNAS: Nasdaq, which trades the NYSE's schedule (exchange_calendars makes XNAS an alias of XNYS). */
import type { ExchangeDefinition } from './exchange.js';
import { XNYS } from './xnys.js';

/** Nasdaq's definition: the NYSE's sessions under its own name. */
export const XNAS: ExchangeDefinition = { ...XNYS, name: 'XNAS' };
