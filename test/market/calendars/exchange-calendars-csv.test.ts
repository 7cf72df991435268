/**
 * Session-by-session check of the exchange calendars against the session lists that the exchange_calendars
 * Python library ships with its tests (`tests/resources/xnys.csv`, `xlon.csv`, `xetr.csv`: every session with
 * its open and close in UTC). Those files are not part of pulse: point PULSE_EXCHANGE_CALENDARS_DIR at a
 * directory holding them to run this check; without it the test skips.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ExchangeCalendar, type ExchangeDefinition } from '../../../src/market/calendars/exchange.js';
import { XETR } from '../../../src/market/calendars/xetr.js';
import { XLON } from '../../../src/market/calendars/xlon.js';
import { XNYS } from '../../../src/market/calendars/xnys.js';

const DIR = process.env.PULSE_EXCHANGE_CALENDARS_DIR;
const DAY = 86_400_000;

const CASES: [string, ExchangeDefinition][] = [
  ['xnys.csv', XNYS],
  ['xlon.csv', XLON],
  ['xetr.csv', XETR],
];

describe.skipIf(!DIR)('exchange calendars against the exchange_calendars session lists', () => {
  it.each(CASES)('%s: every session, open and close from the first to the last listed day', (file, def) => {
    const path = join(DIR as string, file);
    expect(existsSync(path)).toBe(true);
    const rows = readFileSync(path, 'utf8').trim().split('\n').slice(1).map((l) => l.split(','));
    const expected = rows.map(([d, o, c]) => `${d.slice(0, 10)} ${new Date(o).toISOString()} ${new Date(c).toISOString()}`);
    const first = Date.parse(rows[0][0]) / DAY;
    const last = Date.parse(rows[rows.length - 1][0]) / DAY;
    const t = new ExchangeCalendar(def).sessions;
    const actual: string[] = [];
    for (let s = 0; s < t.day.length; s++) {
      if (t.day[s] < first || t.day[s] > last) continue;
      actual.push(`${new Date(t.day[s] * DAY).toISOString().slice(0, 10)} ${new Date(t.open[s]).toISOString()} ${new Date(t.close[s]).toISOString()}`);
    }
    const have = new Set(actual);
    const want = new Set(expected);
    const missing = expected.filter((x) => !have.has(x));
    const extra = actual.filter((x) => !want.has(x));
    expect({ missing, extra }).toEqual({ missing: [], extra: [] });
    expect(actual.length).toBe(expected.length);
  });
});
