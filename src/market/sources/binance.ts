/**
 * Binance spot klines (`GET /api/v3/klines`), a keyless public endpoint. Served from Binance's market-data-only
 * host `https://data-api.binance.vision` by default (same API as `api.binance.com`, no account features).
 *
 * Paging: at most `limit` (<= 1000) klines per request; the next page starts 1 ms after the last open time.
 * Klines are keyed by open time in UTC (Binance's default `timeZone` 0), which already matches pulse's keys:
 * daily at 00:00 UTC, weekly on Monday 00:00 UTC, monthly on the 1st. Every pulse interval is native, 4h too.
 *
 * Rate limits: 429 (back off, `Retry-After` seconds) and 418 (temporary IP ban, `Retry-After` up to days) are
 * transient; a wait longer than `maxRetryAfterMs` is not slept in-process but reported. Errors come as
 * `{code,msg}` JSON, e.g. `{"code":-1121,"msg":"Invalid symbol."}` with HTTP 400; 451 means the host refuses
 * the caller's region.
 */
import { parseRetryAfter } from '../../core/retry.js';
import { PulseError, SourceError, UsageError } from '../../core/errors.js';
import { DEFAULT_SEED } from '../../core/rng.js';
import type { SourceRow } from '../../core/bars.js';
import { type Interval, INTERVALS, nextBoundary } from '../../core/interval.js';
import {
  type HttpReply,
  HttpSourceError,
  type OnlineSourceOptions,
  bodySnippet,
  fetchText,
  formatInstant,
  htmlTitle,
  isTransientStatus,
  looksLikeHtml,
  resolveOnlineOptions,
  throwIfAborted,
  withRetry,
} from './http.js';
import type { BarSource, FetchRequest, FetchResult, InstrumentMeta } from './source.js';

/** Default API host (market data only, no key). */
export const BINANCE_DATA_HOST = 'https://data-api.binance.vision';

/** Binance's largest page, klines per request. */
export const BINANCE_MAX_LIMIT = 1000;

const BINANCE_INTERVAL_PARAM: Record<Interval, string> = {
  '1m': '1m',
  '5m': '5m',
  '15m': '15m',
  '30m': '30m',
  '1h': '1h',
  '4h': '4h',
  '1d': '1d',
  '1wk': '1w',
  '1mo': '1M',
};

/** Quote assets recognised at the end of a glued symbol such as BTCUSDT (longest first). */
const QUOTE_ASSETS = ['FDUSD', 'USDT', 'USDC', 'TUSD', 'BUSD', 'DAI', 'BTC', 'ETH', 'BNB', 'EUR', 'GBP', 'TRY', 'BRL', 'JPY', 'AUD'];

/** Options of `createBinanceSource` (see `OnlineSourceOptions` for the shared ones). */
export interface BinanceSourceOptions extends OnlineSourceOptions {
  /** API base URL without trailing slash; default `https://data-api.binance.vision`. */
  baseUrl?: string;
  /** Klines per page, 1..1000; default 1000. */
  pageLimit?: number;
  /** Pause between pages in ms (politeness toward the IP weight limit); default 100. */
  pageIntervalMs?: number;
  /**
   * Most pages per fetch (>= 1); default 250, i.e. 250 000 klines. A longer range stops there with a note, and the
   * next incremental collect continues from the last stored bar; this bounds memory and run time per symbol.
   */
  maxPages?: number;
}

/**
 * Map a pulse symbol to a Binance spot symbol, case-insensitively:
 * - `BTCUSDT` (already glued) stays `BTCUSDT`;
 * - `BTC-USDT`, `BTC/USDT`, `BTC_USDT`, `BTC:USDT` become `BTCUSDT`;
 * - a `USD` quote maps to `USDT` (`BTC-USD` → `BTCUSDT`), since Binance spot lists no USD pairs: the bars are
 *   USDT-quoted, which tracks USD closely but not exactly; the source adds a note when it maps.
 * Returns the Binance symbol, the quote asset when known, and whether USD was mapped to USDT.
 * Throws `UsageError` for anything else (spaces, Yahoo-style suffixes such as `=X` or `^GSPC`).
 */
export function toBinanceSymbol(symbol: string): { symbol: string; quote?: string; mappedUsd: boolean } {
  const s = symbol.trim().toUpperCase();
  const pair = /^([A-Z0-9]{2,20})[-/_:]([A-Z0-9]{2,10})$/.exec(s);
  if (pair) {
    const quote = pair[2] === 'USD' ? 'USDT' : pair[2];
    return { symbol: pair[1] + quote, quote, mappedUsd: pair[2] === 'USD' };
  }
  if (/^[A-Z0-9]{4,30}$/.test(s)) {
    const quote = QUOTE_ASSETS.find((q) => s.endsWith(q) && s.length > q.length);
    return { symbol: s, quote, mappedUsd: false };
  }
  throw new UsageError(
    `"${symbol}" is not a Binance spot symbol`,
    'use a crypto pair such as BTCUSDT, BTC-USDT or BTC-USD (USD is served as USDT)',
  );
}

/**
 * Convert one kline array (`[openTime, "open", "high", "low", "close", "volume", closeTime, ...]`) into an
 * unvalidated row. Unparseable values become NaN; `raw` is the kline as JSON.
 */
export function klineToRow(kline: unknown): SourceRow {
  const k = Array.isArray(kline) ? kline : [];
  return {
    ts: toNumber(k[0]),
    open: toNumber(k[1]),
    high: toNumber(k[2]),
    low: toNumber(k[3]),
    close: toNumber(k[4]),
    volume: toNumber(k[5]),
    adjClose: null,
    raw: JSON.stringify(kline),
  };
}

function toNumber(value: unknown): number {
  if (typeof value === 'number') return value;
  if (typeof value === 'string' && value.trim() !== '') return Number(value);
  return NaN;
}

/**
 * A Binance spot `BarSource` named "binance" (no API key). Production defaults: global `fetch`, 15 s timeout,
 * 3 retries with seeded equal-jitter backoff, 1000 klines per page, at most 250 pages per fetch. `from` defaults
 * to the first listed bar; `to` (exclusive) defaults to now. Errors are per request: `SourceError` (`transient`
 * for timeouts, 403, 418, 429, 5xx) or `UsageError` (a symbol that cannot be mapped).
 *
 * @example
 * const binance = createBinanceSource();
 * const { rows } = await binance.fetch({ symbol: 'BTC-USD', interval: '4h', from: Date.UTC(2024, 0, 1) });
 */
export function createBinanceSource(options: BinanceSourceOptions = {}): BarSource {
  const settings = resolveOnlineOptions(options, DEFAULT_SEED);
  const baseUrl = (options.baseUrl ?? BINANCE_DATA_HOST).replace(/\/+$/, '');
  const pageLimit = options.pageLimit ?? BINANCE_MAX_LIMIT;
  const pageIntervalMs = options.pageIntervalMs ?? 100;
  const maxPages = options.maxPages ?? 250;
  if (!Number.isInteger(maxPages) || maxPages < 1) throw new RangeError(`maxPages must be an integer >= 1, got ${maxPages}`);
  if (!Number.isInteger(pageLimit) || pageLimit < 1 || pageLimit > BINANCE_MAX_LIMIT) {
    throw new RangeError(`pageLimit must be an integer in 1..${BINANCE_MAX_LIMIT}, got ${pageLimit}`);
  }
  return {
    name: 'binance',
    intervals: INTERVALS,
    defaultCalendar: 'crypto',
    historyLimitMs: () => undefined,
    async fetch(request: FetchRequest): Promise<FetchResult> {
      const mapped = toBinanceSymbol(request.symbol);
      const now = settings.now();
      const from = Math.max(0, Math.floor(request.from ?? 0));
      const to = Math.floor(Math.min(request.to ?? now, now));
      if (from >= to) {
        throw new UsageError(`the requested range ${formatInstant(from)}..${formatInstant(to)} is empty`, 'give --from earlier than --to (and not in the future)');
      }
      const notes: string[] = [];
      if (mapped.mappedUsd) notes.push(`${request.symbol} is served as Binance ${mapped.symbol} (USDT-quoted, a close proxy for USD)`);
      const rows: SourceRow[] = [];
      let start = from;
      for (let page = 0; ; page++) {
        if (page > 0 && pageIntervalMs > 0) await settings.retry.sleep(pageIntervalMs, request.signal);
        throwIfAborted(request.signal);
        const url =
          `${baseUrl}/api/v3/klines?symbol=${encodeURIComponent(mapped.symbol)}&interval=${BINANCE_INTERVAL_PARAM[request.interval]}` +
          `&startTime=${start}&endTime=${to - 1}&limit=${pageLimit}`;
        const what = `${mapped.symbol} ${request.interval}`;
        const klines = await withRetry(
          async () => parseKlines(await fetchText(settings.fetch, url, { headers: { accept: 'application/json' } }, {
            timeoutMs: settings.timeoutMs,
            signal: request.signal,
            sourceName: 'Binance',
          }), what, mapped.symbol, settings.now()),
          { ...settings.retry, signal: request.signal },
        );
        for (const k of klines) rows.push(klineToRow(k));
        if (klines.length < pageLimit) break;
        const lastOpen = rows[rows.length - 1].ts;
        if (!Number.isFinite(lastOpen) || lastOpen < start) {
          throw new SourceError(`Binance answered ${what} with a page whose last open time (${String(lastOpen)}) does not advance from ${start}`, {
            transient: false,
            hint: 'the reply is malformed; retry later, and report it if it persists',
          });
        }
        start = lastOpen + 1;
        if (start >= to) break;
        if (page + 1 >= maxPages) {
          notes.push(
            `stopped after ${maxPages} pages (${rows.length} klines) at ${formatInstant(lastOpen)}; the next collect continues from there`,
          );
          break;
        }
      }
      if (rows.length === 0) {
        throw new SourceError(`Binance returned no ${request.interval} klines for ${mapped.symbol} in ${formatInstant(from)}..${formatInstant(to)}`, {
          transient: false,
          hint: 'the pair may not have been listed yet in that range; widen --from/--to',
        });
      }
      const last = rows[rows.length - 1].ts;
      if (Number.isFinite(last) && nextBoundary(last, request.interval) > now) {
        notes.push(`the last ${request.interval} bar (${formatInstant(last)}) is still forming; a later collect will revise it`);
      }
      const meta: InstrumentMeta = { currency: mapped.quote, exchange: 'Binance', timezone: 'UTC', name: mapped.symbol, kind: 'crypto', calendar: 'crypto' };
      return { rows, meta, notes };
    },
  };
}

/**
 * Read one klines reply: a JSON array on 2xx, otherwise a classified `SourceError`
 * (`{code,msg}` errors, rate limits with `Retry-After`, region refusal, HTML or unreadable bodies).
 * Exported for tests.
 */
export function parseKlines(reply: HttpReply, what: string, symbol: string, now: number): unknown[] {
  const { status } = reply;
  let json: unknown;
  let parsed = true;
  try {
    json = JSON.parse(reply.body);
  } catch {
    parsed = false;
  }
  if (status >= 200 && status < 300 && parsed && Array.isArray(json)) return json;
  throw classifyBinanceReply(reply, parsed ? json : undefined, parsed, what, symbol, now);
}

function classifyBinanceReply(reply: HttpReply, json: unknown, parsed: boolean, what: string, symbol: string, now: number): PulseError {
  const { status } = reply;
  const retryAfterMs = parseRetryAfter(reply.headers.get('retry-after'), now);
  const apiError = parsed ? readApiError(json) : undefined;
  const detail = apiError ? `${apiError.msg} (code ${apiError.code}, HTTP ${status})` : `HTTP ${status}`;
  if (status === 429 || status === 418) {
    const banned = status === 418;
    return new HttpSourceError(`Binance ${banned ? 'has temporarily banned this IP' : 'rate-limits this IP'} for ${what}: ${detail}`, {
      transient: true,
      status,
      retryAfterMs,
      hint: banned
        ? 'the ban lifts after the Retry-After time; avoid parallel collects against Binance'
        : 'pulse backs off as Binance asks; collect fewer symbols at once',
    });
  }
  if (status === 451) {
    return new HttpSourceError(`Binance refuses requests from this region for ${what}: ${detail}`, {
      transient: false,
      status,
      hint: `use the market-data host ${BINANCE_DATA_HOST} (the default), or another source`,
    });
  }
  if (apiError && (apiError.code === -1121 || /invalid symbol/i.test(apiError.msg))) {
    return new HttpSourceError(`Binance has no symbol ${symbol}: ${detail}`, {
      transient: false,
      status,
      hint: 'use a listed spot pair such as BTCUSDT or ETHBTC (BTC-USD maps to BTCUSDT)',
    });
  }
  if (apiError) {
    const transient = isTransientStatus(status) || apiError.code === -1003 || apiError.code === -1001;
    return new HttpSourceError(`Binance refused ${what}: ${detail}`, {
      transient,
      status,
      retryAfterMs,
      hint: transient ? 'Binance is overloaded or throttling; run collect again later' : 'check the symbol, interval and range',
    });
  }
  if (!parsed && looksLikeHtml(reply.body, reply.headers.get('content-type'))) {
    const title = htmlTitle(reply.body);
    return new HttpSourceError(`Binance answered ${what} with an HTML page instead of JSON (HTTP ${status}${title ? `, "${title}"` : ''})`, {
      transient: status !== 404,
      status,
      retryAfterMs,
      hint: 'a proxy, captive portal or maintenance page answered; check the network and retry later',
    });
  }
  const transient = isTransientStatus(status) || (status >= 200 && status < 300 && !parsed);
  const body = bodySnippet(reply.body) || 'empty body';
  return new HttpSourceError(
    status >= 200 && status < 300
      ? `Binance answered ${what} with ${parsed ? 'JSON that is not a list of klines' : 'unreadable data'}: ${body}`
      : `Binance refused ${what} (HTTP ${status}): ${body}`,
    {
      transient,
      status,
      retryAfterMs,
      hint: transient ? 'Binance is overloaded or unreachable; run collect again later' : 'check the symbol, interval and range',
    },
  );
}

function readApiError(json: unknown): { code: number; msg: string } | undefined {
  if (typeof json !== 'object' || json === null || Array.isArray(json)) return undefined;
  const { code, msg } = json as { code?: unknown; msg?: unknown };
  if (typeof code !== 'number' && typeof msg !== 'string') return undefined;
  return { code: typeof code === 'number' ? code : 0, msg: typeof msg === 'string' ? msg.replace(/\s+/g, ' ').trim() : '' };
}
