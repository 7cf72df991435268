import { describe, expect, it } from 'vitest';
import { SourceError, UsageError } from '../../../src/core/errors.js';
import { Rng } from '../../../src/core/rng.js';
import { INTERVALS } from '../../../src/core/interval.js';
import { createBinanceSource, klineToRow, toBinanceSymbol } from '../../../src/market/sources/binance.js';
import { HttpSourceError } from '../../../src/market/sources/http.js';
import { fixturePath } from '../../helpers/shared.js';
import { type RecordedResponse, createReplayer, hangingFetch, loadRecording, recordingSleep, routeOf } from './replayer.js';

const H = 3_600_000;
const T0 = Date.UTC(2024, 2, 4);
const KEYS = ['symbol', 'interval', 'startTime', 'endTime', 'limit'] as const;
const fixture = (name: string) => loadRecording(fixturePath('binance', name));
const NOW = Date.UTC(2024, 5, 1);
const request = { symbol: 'BTCUSDT', interval: '1h' as const, from: T0, to: T0 + 5 * H };

function source(routes: Parameters<typeof createReplayer>[0], extra: Parameters<typeof createBinanceSource>[0] = {}) {
  const replay = createReplayer(routes);
  const sleeper = recordingSleep();
  const binance = createBinanceSource({ fetch: replay.fetch, sleep: sleeper.sleep, rng: new Rng(3), now: () => NOW, ...extra });
  return { binance, calls: replay.calls, waits: sleeper.waits };
}

/** Serve `responses` in order at the single-page URL of the request above. */
function allRoute(responses: RecordedResponse[]) {
  return { url: fixture('klines-BTCUSDT-1h-all.json').request.url, keys: KEYS, responses };
}

async function failure(promise: Promise<unknown>): Promise<HttpSourceError> {
  try {
    await promise;
  } catch (error) {
    return error as HttpSourceError;
  }
  throw new Error('expected a rejection');
}

describe('toBinanceSymbol', () => {
  it.each([
    ['BTCUSDT', 'BTCUSDT', 'USDT', false],
    ['btcusdt', 'BTCUSDT', 'USDT', false],
    ['BTC-USDT', 'BTCUSDT', 'USDT', false],
    ['ETH/BTC', 'ETHBTC', 'BTC', false],
    ['BTC-USD', 'BTCUSDT', 'USDT', true],
    ['sol_usd', 'SOLUSDT', 'USDT', true],
  ])('%s -> %s', (input, symbol, quote, mappedUsd) => {
    expect(toBinanceSymbol(input)).toEqual({ symbol, quote, mappedUsd });
  });

  it.each(['EURUSD=X', '^GSPC', 'BTC USD', ''])('rejects %j with a UsageError', (input) => {
    expect(() => toBinanceSymbol(input)).toThrow(UsageError);
  });
});

describe('createBinanceSource', () => {
  it('serves every pulse interval natively, 4h included, without a history limit', () => {
    const binance = createBinanceSource({ fetch: hangingFetch });
    expect(binance.intervals).toEqual(INTERVALS);
    expect(binance.historyLimitMs('1m')).toBeUndefined();
  });

  it('paginates by startTime until a short page and keeps open times as keys', async () => {
    const { binance, calls, waits } = source(
      [routeOf(fixture('klines-BTCUSDT-1h-page1.json'), KEYS), routeOf(fixture('klines-BTCUSDT-1h-page2.json'), KEYS)],
      { pageLimit: 3, pageIntervalMs: 50 },
    );
    const { rows, meta, notes } = await binance.fetch(request);
    expect(calls.map((u) => new URL(u).searchParams.get('startTime'))).toEqual([String(T0), String(T0 + 2 * H + 1)]);
    expect(new URL(calls[0]).searchParams.get('endTime')).toBe(String(T0 + 5 * H - 1));
    expect(waits).toEqual([50]);
    expect(rows.map((r) => r.ts)).toEqual([0, 1, 2, 3, 4].map((i) => T0 + i * H));
    expect(rows[0]).toMatchObject({ open: 63113.97, high: 63399, low: 62866, close: 63280.01, volume: 1210.46218, adjClose: null });
    expect(meta).toEqual({ currency: 'USDT', exchange: 'Binance', timezone: 'UTC', name: 'BTCUSDT', kind: 'crypto', calendar: 'crypto' });
    expect(notes).toEqual([]);
  });

  it('stops after maxPages with a note instead of walking all history at once', async () => {
    const { binance, calls } = source([routeOf(fixture('klines-BTCUSDT-1h-page1.json'), KEYS)], { pageLimit: 3, maxPages: 1 });
    const { rows, notes } = await binance.fetch(request);
    expect(calls).toHaveLength(1);
    expect(rows).toHaveLength(3);
    expect(notes).toEqual(['stopped after 1 pages (3 klines) at 2024-03-04T02:00:00Z; the next collect continues from there']);
    expect(() => createBinanceSource({ maxPages: 0 })).toThrow(RangeError);
  });

  it('keeps a kline with a null value as NaN with its raw JSON', async () => {
    const { binance } = source([routeOf(fixture('klines-BTCUSDT-1h-all.json'), KEYS)]);
    const { rows } = await binance.fetch(request);
    expect(rows).toHaveLength(5);
    expect(rows[4].high).toBeNaN();
    expect(rows[4].close).toBe(62777.7);
    expect(JSON.parse(rows[4].raw)[2]).toBeNull();
  });

  it('maps BTC-USD to BTCUSDT and says so', async () => {
    const { binance, calls } = source([routeOf(fixture('klines-BTCUSDT-1h-all.json'), KEYS)]);
    const { notes } = await binance.fetch({ ...request, symbol: 'BTC-USD' });
    expect(new URL(calls[0]).searchParams.get('symbol')).toBe('BTCUSDT');
    expect(notes).toEqual(['BTC-USD is served as Binance BTCUSDT (USDT-quoted, a close proxy for USD)']);
  });

  it('weekly klines open on Monday 00:00 UTC (interval 1w)', async () => {
    const { binance, calls } = source([routeOf(fixture('klines-BTCUSDT-1w.json'), KEYS)]);
    const from = Date.UTC(2024, 1, 19);
    const { rows } = await binance.fetch({ symbol: 'BTCUSDT', interval: '1wk', from, to: from + 21 * 24 * H });
    expect(new URL(calls[0]).searchParams.get('interval')).toBe('1w');
    expect(rows.map((r) => new Date(r.ts).getUTCDay())).toEqual([1, 1, 1]);
  });

  it('notes a kline that is still forming', async () => {
    // `to` is clipped to now, so endTime differs from the recording: match without it.
    const rec = fixture('klines-BTCUSDT-1h-all.json');
    const replay = createReplayer([{ url: rec.request.url, keys: ['symbol', 'interval', 'startTime'], responses: [rec.response] }]);
    const binance = createBinanceSource({ fetch: replay.fetch, now: () => T0 + 4 * H + 30 * 60_000, sleep: async () => {} });
    const { notes } = await binance.fetch(request);
    expect(new URL(replay.calls[0]).searchParams.get('endTime')).toBe(String(T0 + 4 * H + 30 * 60_000 - 1));
    expect(notes).toEqual(['the last 1h bar (2024-03-04T04:00:00Z) is still forming; a later collect will revise it']);
  });
});

describe('createBinanceSource: errors', () => {
  it('invalid symbol {code:-1121}: permanent, one line, no retry', async () => {
    const { binance, calls } = source([routeOf(fixture('klines-BTCUSD-invalid-symbol.json'), KEYS)]);
    const error = await failure(binance.fetch({ ...request, symbol: 'BTCUSD' }));
    expect(error).toBeInstanceOf(SourceError);
    expect(error.transient).toBe(false);
    expect(error.message).toBe('Binance has no symbol BTCUSD: Invalid symbol. (code -1121, HTTP 400)');
    expect(calls).toHaveLength(1);
  });

  it('429 then 200: waits at least Retry-After and succeeds', async () => {
    const { binance, waits, calls } = source([allRoute([fixture('klines-429.json').response, fixture('klines-BTCUSDT-1h-all.json').response])]);
    const { rows } = await binance.fetch(request);
    expect(rows).toHaveLength(5);
    expect(calls).toHaveLength(2);
    expect(waits).toEqual([3000]);
  });

  it('418 ban longer than the in-process limit: transient, not slept, says how long', async () => {
    const { binance, waits, calls } = source([allRoute([fixture('klines-418.json').response])]);
    const error = await failure(binance.fetch(request));
    expect(error.transient).toBe(true);
    expect(error.status).toBe(418);
    expect(error.retryAfterMs).toBe(7_200_000);
    expect(error.message).toMatch(/^Binance has temporarily banned this IP for BTCUSDT 1h: Way too many requests.*; the server asks to wait 7200 s before retrying$/);
    expect(waits).toEqual([]);
    expect(calls).toHaveLength(1);
  });

  it('451 restricted location: permanent with a host hint', async () => {
    const { binance } = source([allRoute([fixture('klines-451.json').response])], { baseUrl: 'https://data-api.binance.vision/' });
    const error = await failure(binance.fetch(request));
    expect(error.transient).toBe(false);
    expect(error.message).toMatch(/^Binance refuses requests from this region for BTCUSDT 1h: Service unavailable from a restricted location/);
    expect(error.hint).toContain('data-api.binance.vision');
  });

  it('empty list: permanent SourceError', async () => {
    const { binance } = source([allRoute([fixture('klines-empty.json').response])]);
    const error = await failure(binance.fetch(request));
    expect(error).toBeInstanceOf(SourceError);
    expect(error.transient).toBe(false);
    expect(error.message).toBe('Binance returned no 1h klines for BTCUSDT in 2024-03-04..2024-03-04T05:00:00Z');
  });

  it('HTML page and 5xx are transient and retried with seeded jitter', async () => {
    const html: RecordedResponse = { status: 502, headers: { 'content-type': 'text/html' }, body: '<html><head><title>502 Bad Gateway</title></head></html>' };
    const { binance, waits } = source([allRoute([html])], { retries: 2 });
    const error = await failure(binance.fetch(request));
    expect(error.transient).toBe(true);
    expect(error.message).toBe('Binance answered BTCUSDT 1h with an HTML page instead of JSON (HTTP 502, "502 Bad Gateway"); gave up after 3 attempts');
    expect(waits).toHaveLength(2);
    expect(waits[1]).toBeGreaterThanOrEqual(500);
  });

  it('a 200 whose JSON is not a kline list is permanent', async () => {
    const { binance } = source([allRoute([{ status: 200, bodyJson: { symbols: [] } }])]);
    const error = await failure(binance.fetch(request));
    expect(error.transient).toBe(false);
    expect(error.message).toBe('Binance answered BTCUSDT 1h with JSON that is not a list of klines: {"symbols":[]}');
  });

  it('an unmappable symbol is a UsageError before any request', async () => {
    const { binance, calls } = source([]);
    await expect(binance.fetch({ ...request, symbol: 'EURUSD=X' })).rejects.toBeInstanceOf(UsageError);
    expect(calls).toEqual([]);
  });

  it('rejects a page size outside 1..1000', () => {
    expect(() => createBinanceSource({ pageLimit: 1001 })).toThrow(RangeError);
  });
});

describe('klineToRow', () => {
  it('parses the documented kline array and turns garbage into NaN', () => {
    const documented = [1499040000000, '0.01634790', '0.80000000', '0.01575800', '0.01577100', '148976.11427815', 1499644799999, '2434.19055334', 308, '1756.87402397', '28.46694368', '0'];
    expect(klineToRow(documented)).toEqual({
      ts: 1499040000000,
      open: 0.0163479,
      high: 0.8,
      low: 0.015758,
      close: 0.015771,
      volume: 148976.11427815,
      adjClose: null,
      raw: JSON.stringify(documented),
    });
    const junk = klineToRow({ not: 'a kline' });
    expect(junk.ts).toBeNaN();
    expect(junk.raw).toBe('{"not":"a kline"}');
  });
});
