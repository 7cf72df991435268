import { describe, expect, it } from 'vitest';
import { InternalError, InterruptedError, SourceError, UsageError } from '../../../src/core/errors.js';
import { Rng } from '../../../src/core/rng.js';
import { HttpSourceError } from '../../../src/market/sources/http.js';
import {
  YAHOO_INTERVALS,
  classifyYahooFailure,
  createYahooSource,
  exchangeDayKeyer,
  planYahooWindows,
  yahooChartToRows,
} from '../../../src/market/sources/yahoo.js';
import { fixturePath } from '../../helpers/shared.js';
import { loadCalendar } from '../../../src/market/calendars/registry.js';
import { validateRows } from '../../../src/market/validate.js';
import { type RecordedResponse, createReplayer, hangingFetch, loadRecording, recordingSleep, routeOf } from './replayer.js';

const DAY = 86_400_000;
const KEYS = ['period1', 'period2', 'interval'] as const;
/** Daily requests reach 14 h past both ends of the range, so daily recordings are matched by path and interval. */
const DAILY = ['interval'] as const;
const yahooFixture = (name: string) => loadRecording(fixturePath('yahoo', name));
const MSFT = 'chart-MSFT-1d-2024-03-04-to-2024-03-09.json';
const MSFT_FROM = Date.UTC(2024, 2, 4);
const MSFT_TO = Date.UTC(2024, 2, 9);

function source(routes: Parameters<typeof createReplayer>[0], now: number, extra: Parameters<typeof createYahooSource>[0] = {}) {
  const replay = createReplayer(routes);
  const sleeper = recordingSleep();
  const yahoo = createYahooSource({ fetch: replay.fetch, sleep: sleeper.sleep, rng: new Rng(7), now: () => now, ...extra });
  return { yahoo, calls: replay.calls, waits: sleeper.waits };
}

/** A route that serves `responses` in order at the URL of the MSFT recording. */
function msftRoute(responses: RecordedResponse[]) {
  return { url: yahooFixture(MSFT).request.url, keys: DAILY, responses };
}

async function failure(promise: Promise<unknown>): Promise<Error> {
  try {
    await promise;
  } catch (error) {
    return error as Error;
  }
  throw new Error('expected a rejection');
}

describe('createYahooSource: daily bars', () => {
  it('requests exactly the chart URL and keys daily bars by the exchange date at 00:00 UTC', async () => {
    const { yahoo, calls } = source([routeOf(yahooFixture(MSFT), DAILY)], Date.UTC(2024, 5, 1));
    const { rows, meta, notes } = await yahoo.fetch({ symbol: 'MSFT', interval: '1d', from: MSFT_FROM, to: MSFT_TO });
    expect(calls).toHaveLength(1);
    const url = new URL(calls[0]);
    expect(url.pathname).toBe('/v8/finance/chart/MSFT');
    // 14 h of reach past both ends; rows keyed outside [from, to) are left out.
    expect(url.searchParams.get('period1')).toBe(String(MSFT_FROM / 1000 - 14 * 3600));
    expect(url.searchParams.get('period2')).toBe(String(MSFT_TO / 1000 + 14 * 3600));
    expect(url.searchParams.get('interval')).toBe('1d');
    expect(rows.map((r) => new Date(r.ts).toISOString().slice(0, 10))).toEqual([
      '2024-03-04',
      '2024-03-05',
      '2024-03-06',
      '2024-03-07',
      '2024-03-08',
    ]);
    expect(rows.every((r) => r.ts % DAY === 0)).toBe(true);
    expect(rows[0]).toMatchObject({ open: 413.44000244140625, close: 414.9200134277344, volume: 17596000, adjClose: 411.6600036621094 });
    expect(meta).toEqual({ currency: 'USD', exchange: 'NasdaqGS', timezone: 'America/New_York', name: 'Microsoft Corporation', kind: 'equity', calendar: 'XNAS' }); // exchangeName NMS: Nasdaq's calendar
    expect(notes).toEqual([]);
  });

  it('talks to another Yahoo host when asked', async () => {
    const { yahoo, calls } = source([routeOf(yahooFixture(MSFT), DAILY)], Date.UTC(2024, 5, 1), { host: 'query1.finance.yahoo.com' });
    await yahoo.fetch({ symbol: 'MSFT', interval: '1d', from: MSFT_FROM, to: MSFT_TO });
    expect(new URL(calls[0]).hostname).toBe('query1.finance.yahoo.com');
  });

  it('keeps a row with a null value as NaN with its raw JSON (never drops it)', async () => {
    const { yahoo } = source([routeOf(yahooFixture(MSFT), DAILY)], Date.UTC(2024, 5, 1));
    const { rows } = await yahoo.fetch({ symbol: 'MSFT', interval: '1d', from: MSFT_FROM, to: MSFT_TO });
    const bad = rows[2];
    expect(Number.isNaN(bad.volume)).toBe(true);
    expect(bad.close).toBe(402.0899963378906);
    expect(JSON.parse(bad.raw)).toEqual({
      timestamp: Date.UTC(2024, 2, 6, 14, 30) / 1000,
      open: 402.9700012207031,
      high: 409.2200012207031,
      low: 401.7799987792969,
      close: 402.0899963378906,
      volume: null,
      adjclose: 398.9299926757812,
    });
  });

  it('dates summer futures bars in the exchange time zone, not the fixed winter gmtoffset', async () => {
    const rec = yahooFixture('chart-GC=F-1d-2024-07-01-to-2024-07-04.json');
    const { yahoo } = source([routeOf(rec, DAILY)], Date.UTC(2024, 8, 1));
    const { rows } = await yahoo.fetch({ symbol: 'GC=F', interval: '1d', from: Date.UTC(2024, 6, 1), to: Date.UTC(2024, 6, 4) });
    expect(rows.map((r) => r.ts)).toEqual([Date.UTC(2024, 6, 1), Date.UTC(2024, 6, 2), Date.UTC(2024, 6, 3)]);
    // The fixed offset (-5 h) would have put 04:00Z on the previous calendar day.
    const fixed = exchangeDayKeyer(undefined, -18000);
    expect(fixed(Date.UTC(2024, 6, 1, 4))).toBe(Date.UTC(2024, 5, 30));
  });

  it('reaches past both ends for sessions that open before 00:00 UTC of their date (ASX in summer)', async () => {
    const rec = yahooFixture('chart-BHP.AX-1d-2024-01-08-to-2024-01-11.json');
    const { yahoo } = source([routeOf(rec, KEYS)], Date.UTC(2024, 1, 1));
    const { rows, meta } = await yahoo.fetch({ symbol: 'BHP.AX', interval: '1d', from: Date.UTC(2024, 0, 8), to: Date.UTC(2024, 0, 11) });
    // Stamped 2024-01-07T23:00Z = 10:00 in Sydney on the 8th; the bar keyed at `to` (the 11th) is left out.
    expect(rows.map((r) => r.ts)).toEqual([Date.UTC(2024, 0, 8), Date.UTC(2024, 0, 9), Date.UTC(2024, 0, 10)]);
    expect(rows[0].open).toBe(49.560001373291016);
    expect(meta?.currency).toBe('AUD');
  });

  it('keys weekly bars by Monday and monthly bars by the 1st', async () => {
    const wk = yahooFixture('chart-AAPL-1wk-2024-02-19-to-2024-03-14.json');
    const mo = yahooFixture('chart-AAPL-1mo-2024-01-01-to-2024-05-01.json');
    const { yahoo } = source([routeOf(wk, DAILY), routeOf(mo, DAILY)], Date.UTC(2024, 4, 20));
    const weekly = await yahoo.fetch({ symbol: 'AAPL', interval: '1wk', from: Date.UTC(2024, 1, 19), to: Date.UTC(2024, 2, 14) });
    expect(weekly.rows.map((r) => r.ts)).toEqual([Date.UTC(2024, 1, 19), Date.UTC(2024, 1, 26), Date.UTC(2024, 2, 4), Date.UTC(2024, 2, 11)]);
    const monthly = await yahoo.fetch({ symbol: 'AAPL', interval: '1mo', from: Date.UTC(2024, 0, 1), to: Date.UTC(2024, 4, 1) });
    expect(monthly.rows.map((r) => r.ts)).toEqual([Date.UTC(2024, 0, 1), Date.UTC(2024, 1, 1), Date.UTC(2024, 2, 1), Date.UTC(2024, 3, 1)]);
  });

  it('notes a bar that is still forming', async () => {
    const { yahoo } = source([routeOf(yahooFixture(MSFT), DAILY)], Date.UTC(2024, 2, 8, 18));
    const { notes } = await yahoo.fetch({ symbol: 'MSFT', interval: '1d', from: MSFT_FROM, to: MSFT_TO });
    expect(notes).toEqual(['the last 1d bar (2024-03-08) is still forming; a later collect will revise it']);
  });
});

describe('createYahooSource: intraday bars and history limits', () => {
  const spy = yahooFixture('chart-SPY-1m-2024-03-05.json');
  const from = Date.UTC(2024, 2, 5, 14, 30);
  const to = Date.UTC(2024, 2, 5, 14, 35);

  it('keeps intraday open times in ms UTC and asks for the regular session only', async () => {
    const { yahoo, calls } = source([routeOf(spy, KEYS)], Date.UTC(2024, 2, 6));
    const { rows } = await yahoo.fetch({ symbol: 'SPY', interval: '1m', from, to });
    expect(rows.map((r) => r.ts)).toEqual([0, 1, 2, 3, 4].map((i) => from + i * 60_000));
    expect(rows.every((r) => r.adjClose === null)).toBe(true);
    expect(new URL(calls[0]).searchParams.get('includePrePost')).toBe('false');
  });

  it('asks for 1h (Yahoo also calls it 60m), keeps session-aligned open times and counts them in a note', async () => {
    const rec = yahooFixture('chart-SPY-1h-2024-03-05.json');
    const { yahoo, calls } = source([routeOf(rec, KEYS)], Date.UTC(2024, 2, 6));
    const { rows, notes } = await yahoo.fetch({ symbol: 'SPY', interval: '1h', from: Date.UTC(2024, 2, 5, 14), to: Date.UTC(2024, 2, 5, 17) });
    expect(new URL(calls[0]).searchParams.get('interval')).toBe('1h');
    expect(rows.map((r) => r.ts)).toEqual([0, 1, 2].map((i) => Date.UTC(2024, 2, 5, 14, 30) + i * 3_600_000));
    expect(notes).toEqual([
      '3 of 3 1h bars open off the UTC 1h grid (Yahoo aligns intraday bars to the session open, e.g. 13:30Z); their open times are kept as sent',
    ]);
  });

  it('reports the exchange calendar (SPY on NYSE Arca: XNYS), on whose session grid the 1h bars are valid', async () => {
    const rec = yahooFixture('chart-SPY-1h-2024-03-05.json');
    const { yahoo } = source([routeOf(rec, KEYS)], Date.UTC(2024, 2, 6));
    const { rows, meta } = await yahoo.fetch({ symbol: 'SPY', interval: '1h', from: Date.UTC(2024, 2, 5, 14), to: Date.UTC(2024, 2, 5, 17) });
    expect(meta?.calendar).toBe('XNYS');
    const now = Date.UTC(2024, 2, 6);
    const onSessions = validateRows(rows, { interval: '1h', now, calendar: loadCalendar(meta!.calendar!) });
    expect([onSessions.bars.length, onSessions.rejected.length]).toEqual([3, 0]);
    // on the UTC grid of a 24/7 calendar the same bars are misaligned
    const onUtc = validateRows(rows, { interval: '1h', now, calendar: loadCalendar('crypto') });
    expect(onUtc.rejected.map((r) => r.reason)).toEqual(['misaligned_timestamp', 'misaligned_timestamp', 'misaligned_timestamp']);
  });

  it('leaves 4h out of the native intervals and reports history limits', () => {
    expect(YAHOO_INTERVALS).not.toContain('4h');
    const yahoo = createYahooSource({ fetch: hangingFetch });
    expect(yahoo.historyLimitMs('1h')).toBe(730 * DAY);
    expect(yahoo.historyLimitMs('1d')).toBeUndefined();
    return expect(yahoo.fetch({ symbol: 'SPY', interval: '4h' })).rejects.toBeInstanceOf(UsageError);
  });

  it('splits long 1m ranges into requests of at most 7 days', () => {
    const now = Date.UTC(2024, 2, 30);
    const { windows, notes } = planYahooWindows({ symbol: 'SPY', interval: '1m', from: now - 20 * DAY, to: now }, now);
    expect(windows.length).toBe(3);
    expect(windows[0].from).toBe(now - 20 * DAY);
    expect(windows[windows.length - 1].to).toBe(now);
    for (let i = 0; i < windows.length; i++) {
      expect(windows[i].to - windows[i].from).toBeLessThanOrEqual(7 * DAY);
      if (i > 0) expect(windows[i].from).toBe(windows[i - 1].to);
    }
    expect(notes).toEqual([]);
  });

  it('clips a start beyond the history limit and says so', () => {
    const now = Date.UTC(2024, 5, 1);
    const { windows, notes } = planYahooWindows({ symbol: 'SPY', interval: '5m', from: now - 90 * DAY, to: now }, now);
    expect(windows).toHaveLength(1);
    expect(windows[0].from).toBeGreaterThan(now - 60 * DAY);
    expect(windows[0].from).toBeLessThan(now - 59 * DAY);
    expect(notes[0]).toMatch(/^Yahoo serves 5m bars only for the last 60 days: the start was clipped from 2024-03-03 to /);
  });

  it('throws a UsageError when the whole range is out of reach, before any request', async () => {
    const now = Date.UTC(2024, 5, 1);
    const { yahoo, calls } = source([], now);
    const error = await failure(yahoo.fetch({ symbol: 'SPY', interval: '1m', from: Date.UTC(2024, 0, 2), to: Date.UTC(2024, 0, 5) }));
    expect(error).toBeInstanceOf(UsageError);
    expect(error.message).toMatch(/^Yahoo serves 1m bars only for the last 30 days; the requested range 2024-01-02\.\.2024-01-05 ends before /);
    expect(calls).toEqual([]);
  });

  it('throws a UsageError for an empty range', () => {
    expect(() => planYahooWindows({ symbol: 'SPY', interval: '1d', from: 10 * DAY, to: 10 * DAY }, 20 * DAY)).toThrow(UsageError);
  });
});

describe('createYahooSource: errors and retries', () => {
  const now = Date.UTC(2024, 5, 1);
  const msftRequest = { symbol: 'MSFT', interval: '1d' as const, from: MSFT_FROM, to: MSFT_TO };

  it('404 symbol: a permanent SourceError in one line, no retry', async () => {
    const rec = yahooFixture('chart-NOSUCHSYM-404.json');
    const { yahoo, calls } = source([routeOf(rec, DAILY)], now);
    const error = await failure(yahoo.fetch({ symbol: 'NOSUCHSYM', interval: '1d', from: MSFT_FROM, to: MSFT_TO }));
    expect(error).toBeInstanceOf(SourceError);
    expect((error as SourceError).transient).toBe(false);
    expect(error.message).toBe('Yahoo has no data for symbol "NOSUCHSYM": No data found, symbol may be delisted (HTTP 404)');
    expect(error.message).not.toContain('\n');
    expect(calls).toHaveLength(1);
  });

  it('Yahoo error object (422 range refused): permanent, quotes Yahoo', async () => {
    const rec = yahooFixture('chart-AAPL-1m-422-range.json');
    const { yahoo, calls } = source([routeOf(rec, ['interval'])], Date.UTC(2024, 1, 21));
    const error = (await failure(
      yahoo.fetch({ symbol: 'AAPL', interval: '1m', from: Date.UTC(2024, 1, 1), to: Date.UTC(2024, 1, 7, 23, 59) }),
    )) as SourceError;
    // The source never sends such a request itself (it splits by 7 days); the replayer serves the recorded refusal.
    expect(error).toBeInstanceOf(SourceError);
    expect(error.transient).toBe(false);
    expect(error.message).toMatch(/^Yahoo refused AAPL 1m .*: Unprocessable Entity: 1m data not available .* \(HTTP 422\)$/);
    expect(calls).toHaveLength(1);
  });

  it('HTML instead of JSON: a transient SourceError naming the page, retried then given up', async () => {
    const rec = yahooFixture('chart-MSFT-html-consent.json');
    const { yahoo, calls, waits } = source([msftRoute([rec.response])], now, { retries: 2 });
    const error = (await failure(yahoo.fetch(msftRequest))) as SourceError;
    expect(error).toBeInstanceOf(SourceError);
    expect(error.transient).toBe(true);
    expect(error.message).toMatch(
      /^Yahoo answered MSFT 1d 2024-03-04\.\.2024-03-09 with an HTML page instead of JSON \(HTTP 200, "Yahoo is part of the Yahoo family of brands"\); gave up after 3 attempts$/,
    );
    expect(calls).toHaveLength(3);
    expect(waits).toHaveLength(2);
  });

  it('a multi-line Yahoo error description still gives a one-line message', async () => {
    const bad: RecordedResponse = {
      status: 400,
      headers: { 'content-type': 'application/json' },
      bodyJson: { chart: { result: null, error: { code: 'Bad Request', description: 'Invalid input -\n  interval=1d\n' } } },
    };
    const { yahoo } = source([msftRoute([bad])], now);
    const error = (await failure(yahoo.fetch(msftRequest))) as SourceError;
    expect(error.transient).toBe(false);
    expect(error.message).toBe('Yahoo refused MSFT 1d 2024-03-04..2024-03-09: Bad Request: Invalid input - interval=1d (HTTP 400)');
  });

  it('empty chart: a permanent SourceError', async () => {
    const rec = yahooFixture('chart-SPY-1m-empty-weekend.json');
    const { yahoo } = source([routeOf(rec, KEYS)], Date.UTC(2024, 2, 11));
    const error = (await failure(yahoo.fetch({ symbol: 'SPY', interval: '1m', from: Date.UTC(2024, 2, 9), to: Date.UTC(2024, 2, 10) }))) as SourceError;
    expect(error).toBeInstanceOf(SourceError);
    expect(error.transient).toBe(false);
    expect(error.message).toBe('Yahoo returned no 1m bars for SPY in 2024-03-09..2024-03-10');
  });

  it('503 then 200: retried with seeded exponential backoff and succeeds', async () => {
    const down = yahooFixture('chart-MSFT-503.json').response;
    const { yahoo, calls, waits } = source([msftRoute([down, down, yahooFixture(MSFT).response])], now);
    const { rows } = await yahoo.fetch(msftRequest);
    expect(rows).toHaveLength(5);
    expect(calls).toHaveLength(3);
    expect(waits).toHaveLength(2);
    expect(waits[0]).toBeGreaterThanOrEqual(250);
    expect(waits[0]).toBeLessThan(500);
    expect(waits[1]).toBeGreaterThanOrEqual(500);
    expect(waits[1]).toBeLessThan(1000);
    // Same seed, same waits.
    const again = source([msftRoute([down, down, yahooFixture(MSFT).response])], now);
    await again.yahoo.fetch(msftRequest);
    expect(again.waits).toEqual(waits);
  });

  it('429 honours Retry-After as the minimum wait', async () => {
    const limited = yahooFixture('chart-MSFT-429.json').response;
    const { yahoo, waits } = source([msftRoute([limited, yahooFixture(MSFT).response])], now);
    await yahoo.fetch(msftRequest);
    expect(waits).toEqual([2000]);
  });

  it('429 on every attempt: transient, with the rate-limit message', async () => {
    const limited = yahooFixture('chart-MSFT-429.json').response;
    const { yahoo } = source([msftRoute([limited])], now, { retries: 1 });
    const error = (await failure(yahoo.fetch(msftRequest))) as HttpSourceError;
    expect(error.transient).toBe(true);
    expect(error.status).toBe(429);
    expect(error.message).toMatch(/^Yahoo is rate-limiting this client for MSFT 1d .* \(HTTP 429\); gave up after 2 attempts$/);
  });

  it('times out a request that never answers (transient)', async () => {
    const yahoo = createYahooSource({ fetch: hangingFetch, timeoutMs: 20, retries: 1, sleep: async () => {}, now: () => now });
    const error = (await failure(yahoo.fetch(msftRequest))) as SourceError;
    expect(error).toBeInstanceOf(SourceError);
    expect(error.transient).toBe(true);
    expect(error.message).toMatch(/^Yahoo did not answer within 20 ms \(https:\/\/query2\.finance\.yahoo\.com\/v8\/finance\/chart\/MSFT\); gave up after 2 attempts$/);
  });

  it('an interrupt propagates as InterruptedError, not as a source failure', async () => {
    const controller = new AbortController();
    const yahoo = createYahooSource({ fetch: hangingFetch, timeoutMs: 60_000, sleep: async () => {}, now: () => now });
    const pending = yahoo.fetch({ ...msftRequest, signal: controller.signal });
    setTimeout(() => controller.abort(), 5);
    await expect(pending).rejects.toBeInstanceOf(InterruptedError);
  });

  it('a network failure is transient and names the cause', async () => {
    const { yahoo } = source([], now, { retries: 0 });
    const error = (await failure(yahoo.fetch(msftRequest))) as SourceError;
    expect(error.transient).toBe(true);
    expect(error.message).toMatch(/^Yahoo could not be reached: fetch failed: no recording for /);
  });

  it.each(['', 'AAPL/B', 'A B', 'X?y=1'])('rejects the symbol %j with a UsageError before any request', async (symbol) => {
    const { yahoo, calls } = source([], now);
    await expect(yahoo.fetch({ ...msftRequest, symbol })).rejects.toBeInstanceOf(UsageError);
    expect(calls).toEqual([]);
  });

  it('a failure before any HTTP exchange is an internal error', () => {
    const error = classifyYahooFailure(new Error('bad option'), undefined, 'X 1d', 'X');
    expect(error).toBeInstanceOf(InternalError);
  });

  it('errors of one symbol do not affect the next request', async () => {
    const { yahoo } = source([routeOf(yahooFixture('chart-NOSUCHSYM-404.json'), DAILY), routeOf(yahooFixture(MSFT), DAILY)], now);
    await expect(yahoo.fetch({ ...msftRequest, symbol: 'NOSUCHSYM' })).rejects.toBeInstanceOf(SourceError);
    await expect(yahoo.fetch(msftRequest)).resolves.toMatchObject({ rows: { length: 5 } });
  });
});

describe('replayer', () => {
  it("answers Yahoo's cookie and crumb endpoints, so a crumb-needing library path would replay too", async () => {
    const { fetch, calls } = createReplayer([]);
    const page = await fetch('https://finance.yahoo.com/quote/AAPL');
    expect(page.headers.get('set-cookie')).toMatch(/^A3=/);
    const crumb = await fetch('https://query1.finance.yahoo.com/v1/test/getcrumb');
    expect(await crumb.text()).toBe('replayedCrumb');
    expect(calls).toHaveLength(2);
  });
});

describe('yahooChartToRows', () => {
  it('turns unparseable values into NaN and keeps the row', () => {
    const { rows } = yahooChartToRows(
      {
        meta: { exchangeTimezoneName: 'UTC' },
        timestamp: [1704067200, 'x'],
        indicators: { quote: [{ open: ['1.5', {}], high: [2, null], low: [1], close: [1.75, 3], volume: [10, 20] }] },
      },
      '1d',
    );
    expect(rows).toHaveLength(2);
    expect(rows[0]).toMatchObject({ ts: Date.UTC(2024, 0, 1), open: 1.5, high: 2, low: 1, close: 1.75, volume: 10, adjClose: null });
    expect(Number.isNaN(rows[1].ts)).toBe(true);
    expect(Number.isNaN(rows[1].open)).toBe(true);
    expect(Number.isNaN(rows[1].low)).toBe(true);
    expect(JSON.parse(rows[1].raw)).toEqual({ timestamp: 'x', open: {}, high: null, low: null, close: 3, volume: 20 });
  });
});
