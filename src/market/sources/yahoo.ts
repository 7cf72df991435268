/**
 * Yahoo Finance bars through yahoo-finance2's `chart` module (the library's own request building, cookie
 * handling and JSON checks), with pulse's HTTP layer injected as its `fetch`: a per-request timeout, retries
 * with seeded jitter, and a record of the last exchange so failures are classified from what Yahoo really
 * answered. The chart endpoint needs no crumb, so one `chart` call is exactly one HTTP request.
 *
 * Time keys: intraday bars keep Yahoo's open time (ms, UTC). Daily and coarser bars are keyed by the exchange's
 * local calendar date at 00:00 UTC, taken in the exchange time zone (`meta.exchangeTimezoneName`, so DST is
 * handled per bar; `meta.gmtoffset` only as a fallback): a NASDAQ bar stamped 2020-01-02T14:30Z becomes
 * 2020-01-02T00:00Z. Weekly bars are keyed by that week's Monday, monthly bars by the 1st. For these intervals
 * `from`/`to` select keys: the request reaches 14 h past both ends and rows keyed outside the range are left out.
 * Yahoo aligns intraday bars to the session open (US 1h bars open at 13:30Z/14:30Z); such off-grid open times are
 * kept as sent and counted in a note, for the caller to decide.
 *
 * History limits (Yahoo's, as of its current error messages): 1m bars only within the last 30 days and at most
 * 7 days per request; 5m–30m within the last 60 days; 1h within the last 730 days; 1d and coarser unlimited.
 * A range starting earlier is clipped (with a note); a range wholly out of reach is a `UsageError`. Long 1m
 * ranges are split into 7-day requests. 4h is not native (resample from 1h).
 */
import { parseRetryAfter } from '../../core/retry.js';
import { DataError, InternalError, PulseError, SourceError, UsageError } from '../../core/errors.js';
import { DEFAULT_SEED } from '../../core/rng.js';
import type { SourceRow } from '../../core/bars.js';
import { type Interval, floorToInterval, isAligned, isIntraday, nextBoundary } from '../../core/interval.js';
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
  replyToResponse,
  resolveOnlineOptions,
  withRetry,
} from './http.js';
import type { BarSource, FetchRequest, FetchResult, HttpFetch, InstrumentMeta } from './source.js';

const MINUTE = 60_000;
const DAY = 86_400_000;

/** Intervals Yahoo serves natively (4h is resampled from 1h by the orchestrator). */
export const YAHOO_INTERVALS = ['1m', '5m', '15m', '30m', '1h', '1d', '1wk', '1mo'] as const satisfies readonly Interval[];

/** How far back Yahoo serves each intraday interval, ms before now; absent = unlimited. */
export const YAHOO_HISTORY_LIMIT_MS: Readonly<Partial<Record<Interval, number>>> = {
  '1m': 30 * DAY,
  '5m': 60 * DAY,
  '15m': 60 * DAY,
  '30m': 60 * DAY,
  '1h': 730 * DAY,
};

/** Longest span one request may cover, ms (Yahoo: "only 7 days worth of 1m granularity data per request"). */
export const YAHOO_MAX_SPAN_MS: Readonly<Partial<Record<Interval, number>>> = { '1m': 7 * DAY - MINUTE };

/** A clipped start sits this far inside the limit: Yahoo measures "the last N days" on its own clock. */
const EDGE_MARGIN_MS = 60 * MINUTE;

/**
 * Daily and coarser requests reach this far past both ends of the range: a session may open up to 14 h away
 * from its local date's 00:00 UTC key (UTC+14 .. UTC-12; an ASX bar for D is stamped D-1 23:00Z in summer).
 * Rows whose key falls outside the range are then left out, so `from`/`to` act on keys.
 */
const DAY_KEY_REACH_MS = 14 * 60 * MINUTE;

/** Where an unlimited interval's history starts when no `from` is given (Yahoo serves some indices from 1927). */
const UNLIMITED_START_MS = Date.UTC(1900, 0, 1);

const YAHOO_INTERVAL_PARAM: Record<(typeof YAHOO_INTERVALS)[number], string> = {
  '1m': '1m',
  '5m': '5m',
  '15m': '15m',
  '30m': '30m',
  '1h': '1h',
  '1d': '1d',
  '1wk': '1wk',
  '1mo': '1mo',
};

/** Options of `createYahooSource` (see `OnlineSourceOptions` for the shared ones). */
export interface YahooSourceOptions extends OnlineSourceOptions {
  /** Include pre- and post-market bars in intraday requests; default false (regular session only). */
  includePrePost?: boolean;
  /** Yahoo API host; default `query2.finance.yahoo.com`. */
  host?: string;
}

/** The part of a yahoo-finance2 `chart(..., { return: 'object' })` result pulse reads. Values are unvalidated. */
export interface YahooChartObject {
  meta?: {
    symbol?: string;
    currency?: string;
    exchangeName?: string;
    fullExchangeName?: string;
    exchangeTimezoneName?: string;
    gmtoffset?: number;
    longName?: string;
    shortName?: string;
    instrumentType?: string;
  };
  timestamp?: unknown[];
  indicators?: {
    quote?: Array<Partial<Record<'open' | 'high' | 'low' | 'close' | 'volume', unknown[]>>>;
    adjclose?: Array<{ adjclose?: unknown[] }>;
  };
  events?: { splits?: Record<string, { date?: unknown; numerator?: unknown; denominator?: unknown }> };
}

/** One request window, ms since epoch, `to` exclusive. */
export interface TimeWindow {
  from: number;
  to: number;
}

/**
 * Turn a request into Yahoo request windows, applying the history limit and the per-request span
 * (pure; `now` in ms since epoch). Throws `UsageError` when the range is empty or wholly out of reach.
 */
export function planYahooWindows(request: FetchRequest, now: number): { windows: TimeWindow[]; notes: string[] } {
  const notes: string[] = [];
  const limit = YAHOO_HISTORY_LIMIT_MS[request.interval];
  const earliest = limit === undefined ? UNLIMITED_START_MS : now - limit + EDGE_MARGIN_MS;
  const to = Math.min(request.to ?? now, now);
  let from = request.from ?? earliest;
  if (limit !== undefined && to <= earliest) {
    throw new UsageError(
      `Yahoo serves ${request.interval} bars only for the last ${limit / DAY} days; ` +
        `the requested range ${fmtRange(from, to)} ends before ${formatInstant(earliest)}`,
      'use a coarser interval (1h reaches 730 days back, 1d is unlimited) ' +
        'or a source with deeper intraday history, e.g. --source binance for crypto',
    );
  }
  if (from < earliest) {
    if (request.from !== undefined) {
      notes.push(
        `Yahoo serves ${request.interval} bars only for the last ${limit! / DAY} days: ` +
          `the start was clipped from ${formatInstant(from)} to ${formatInstant(earliest)}`,
      );
    }
    from = earliest;
  }
  if (from >= to) {
    throw new UsageError(`the requested range ${fmtRange(from, to)} is empty`, 'give --from earlier than --to (and not in the future)');
  }
  const span = YAHOO_MAX_SPAN_MS[request.interval];
  const windows: TimeWindow[] = [];
  if (span === undefined) windows.push({ from, to });
  else for (let start = from; start < to; start += span) windows.push({ from: start, to: Math.min(to, start + span) });
  return { windows, notes };
}

/**
 * The trading calendar of each Yahoo exchange code (`meta.exchangeName`) whose venue trades on it. Codes not
 * listed give no calendar (the instrument keeps its stored one, or `none`): e.g. `FRA`, the Frankfurt floor,
 * trades far longer hours than Xetra.
 */
export const YAHOO_EXCHANGE_CALENDARS: Readonly<Record<string, string>> = {
  // Nasdaq Global Select, Global Market, Capital Market
  NMS: 'XNAS',
  NGM: 'XNAS',
  NCM: 'XNAS',
  NAS: 'XNAS',
  // NYSE, NYSE Arca, NYSE American, Cboe BZX: all on the NYSE's schedule
  NYQ: 'XNYS',
  NYS: 'XNYS',
  PCX: 'XNYS',
  ASE: 'XNYS',
  BTS: 'XNYS',
  // London Stock Exchange and its International Order Book
  LSE: 'XLON',
  IOB: 'XLON',
  // Xetra
  GER: 'XETR',
  // Yahoo's crypto and currency pseudo-exchanges
  CCC: 'crypto',
  CCY: 'fx',
};

/**
 * Convert one chart object into unvalidated rows (pure). Every timestamp yields a row; nulls and unparseable
 * values become NaN (validation and quarantine happen downstream). `raw` is the row's values as Yahoo sent
 * them, as JSON. Also returns instrument meta and notes (time-zone fallback, splits in range).
 */
export function yahooChartToRows(
  chart: YahooChartObject,
  interval: Interval,
): { rows: SourceRow[]; meta: InstrumentMeta; notes: string[] } {
  const notes: string[] = [];
  const m = chart.meta ?? {};
  const meta: InstrumentMeta = {
    currency: m.currency,
    exchange: m.fullExchangeName ?? m.exchangeName,
    timezone: m.exchangeTimezoneName,
    name: m.longName ?? m.shortName,
    kind: m.instrumentType?.toLowerCase(),
    calendar: m.exchangeName === undefined ? undefined : YAHOO_EXCHANGE_CALENDARS[m.exchangeName.toUpperCase()],
  };
  const stamps = chart.timestamp ?? [];
  const quote = chart.indicators?.quote?.[0] ?? {};
  const adj = chart.indicators?.adjclose?.[0]?.adjclose;
  const toKey = isIntraday(interval) ? undefined : exchangeDayKeyer(m.exchangeTimezoneName, m.gmtoffset, notes);
  const rows: SourceRow[] = new Array(stamps.length);
  for (let i = 0; i < stamps.length; i++) {
    const t = stamps[i];
    const open = quote.open?.[i] ?? null;
    const high = quote.high?.[i] ?? null;
    const low = quote.low?.[i] ?? null;
    const close = quote.close?.[i] ?? null;
    const volume = quote.volume?.[i] ?? null;
    const adjclose = adj === undefined ? undefined : (adj[i] ?? null);
    const openMs = toNumber(t) * 1000;
    let ts = openMs;
    if (toKey !== undefined && Number.isFinite(openMs)) {
      const day = toKey(openMs);
      ts = interval === '1d' ? day : floorToInterval(day, interval);
    }
    rows[i] = {
      ts,
      open: toNumber(open),
      high: toNumber(high),
      low: toNumber(low),
      close: toNumber(close),
      volume: toNumber(volume),
      adjClose: adjclose === undefined ? null : toNumber(adjclose),
      raw: JSON.stringify(
        adjclose === undefined
          ? { timestamp: t, open, high, low, close, volume }
          : { timestamp: t, open, high, low, close, volume, adjclose },
      ),
    };
  }
  for (const split of Object.values(chart.events?.splits ?? {})) {
    const at = split.date instanceof Date ? split.date.getTime() : toNumber(split.date) * 1000;
    if (Number.isFinite(at)) {
      notes.push(
        `Yahoo reports a ${String(split.numerator)}:${String(split.denominator)} split on ` +
          `${formatInstant(toKey ? toKey(at) : at)}; OHLC is split-adjusted, adjClose also for dividends`,
      );
    }
  }
  return { rows, meta, notes };
}

/** A number from a JSON value: numbers as-is, numeric strings parsed, anything else (null, "", objects) NaN. */
function toNumber(value: unknown): number {
  if (typeof value === 'number') return value;
  if (typeof value === 'string' && value.trim() !== '') return Number(value);
  return NaN;
}

const dayFormatters = new Map<string, Intl.DateTimeFormat>();

/**
 * A function mapping a UTC instant to its exchange-local calendar date at 00:00 UTC. Uses the IANA zone when
 * valid (historical DST per bar), else the fixed `gmtoffset` (seconds), else UTC; fallbacks add a note.
 */
export function exchangeDayKeyer(
  timezone: string | undefined,
  gmtoffsetSec: number | undefined,
  notes: string[] = [],
): (ms: number) => number {
  if (timezone) {
    let fmt = dayFormatters.get(timezone);
    if (!fmt) {
      try {
        fmt = new Intl.DateTimeFormat('en-US', { timeZone: timezone, year: 'numeric', month: 'numeric', day: 'numeric' });
        dayFormatters.set(timezone, fmt);
      } catch {
        fmt = undefined;
      }
    }
    if (fmt) {
      const f = fmt;
      return (ms) => {
        let y = 0;
        let mo = 0;
        let d = 0;
        for (const p of f.formatToParts(ms)) {
          if (p.type === 'year') y = Number(p.value);
          else if (p.type === 'month') mo = Number(p.value);
          else if (p.type === 'day') d = Number(p.value);
        }
        return Date.UTC(y, mo - 1, d);
      };
    }
    notes.push(`unknown exchange time zone "${timezone}"; daily bars keyed with the fixed UTC offset instead`);
  }
  if (typeof gmtoffsetSec === 'number' && Number.isFinite(gmtoffsetSec)) {
    const off = gmtoffsetSec * 1000;
    return (ms) => Math.floor((ms + off) / DAY) * DAY;
  }
  notes.push('Yahoo sent no exchange time zone; daily bars keyed by their UTC date');
  return (ms) => Math.floor(ms / DAY) * DAY;
}

interface YahooClient {
  chart(symbol: string, query: Record<string, unknown>, moduleOptions: Record<string, unknown>): Promise<unknown>;
}

const silentLogger = { info: () => {}, warn: () => {}, error: () => {}, debug: () => {}, dir: () => {} };

/** Load yahoo-finance2 lazily (about 80 ms of imports) with only the chart module. */
async function createClient(host: string | undefined): Promise<YahooClient> {
  const [{ default: createYahooFinance }, { default: chart }] = await Promise.all([
    import('yahoo-finance2/createYahooFinance'),
    import('yahoo-finance2/modules/chart'),
  ]);
  const YahooFinance = createYahooFinance({ modules: { chart } });
  const client = new YahooFinance({
    logger: silentLogger,
    // The library's version check would call the npm registry on any validation hiccup.
    versionCheck: false,
    validation: { logErrors: false, logOptionsErrors: false },
    ...(host ? { YF_QUERY_HOST: host } : {}),
  });
  return client as unknown as YahooClient;
}

/**
 * A Yahoo Finance `BarSource` named "yahoo". Production defaults use global `fetch`, a 15 s timeout and 3
 * retries (backoff 0.5 s doubling, equal jitter from a seeded Rng). Symbols are Yahoo's (AAPL, BRK-B, ^GSPC,
 * EURUSD=X, BTC-USD, GC=F). Errors are `SourceError`s (`transient` true for timeouts, 429, 5xx, HTML
 * interstitials) or `UsageError`s (range out of reach), one per request, so each symbol fails alone.
 *
 * @example
 * const yahoo = createYahooSource();
 * const { rows, notes } = await yahoo.fetch({ symbol: 'AAPL', interval: '1d', from: Date.UTC(2024, 0, 1) });
 */
export function createYahooSource(options: YahooSourceOptions = {}): BarSource {
  const settings = resolveOnlineOptions(options, DEFAULT_SEED);
  let client: Promise<YahooClient> | undefined;
  return {
    name: 'yahoo',
    intervals: YAHOO_INTERVALS,
    historyLimitMs: (interval) => YAHOO_HISTORY_LIMIT_MS[interval],
    async fetch(request: FetchRequest): Promise<FetchResult> {
      if (!(YAHOO_INTERVALS as readonly Interval[]).includes(request.interval)) {
        throw new UsageError(`Yahoo does not serve ${request.interval} bars natively`, 'collect 1h bars; 4h bars are resampled from them');
      }
      if (request.symbol.trim() === '' || /[\s/?#%]/.test(request.symbol)) {
        throw new UsageError(`"${request.symbol}" is not a Yahoo symbol`, 'use Yahoo tickers such as AAPL, BRK-B, ^GSPC, EURUSD=X, BTC-USD, GC=F');
      }
      const now = settings.now();
      const plan = planYahooWindows(request, now);
      const yf = await (client ??= createClient(options.host).catch((error: unknown) => {
        client = undefined;
        throw new InternalError('could not load yahoo-finance2', error);
      }));
      const notes = [...plan.notes];
      const daily = !isIntraday(request.interval);
      let meta: InstrumentMeta | undefined;
      const byTs = new Map<number, SourceRow>();
      const unkeyed: SourceRow[] = [];
      for (const window of plan.windows) {
        const chart = await withRetry(
          () => fetchChart(yf, settings.fetch, settings.timeoutMs, request, window, options.includePrePost ?? false, settings.now()),
          { ...settings.retry, signal: request.signal },
        );
        const part = yahooChartToRows(chart, request.interval);
        meta ??= part.meta;
        for (const note of part.notes) if (!notes.includes(note)) notes.push(note);
        const keyFrom = daily ? floorToInterval(window.from, request.interval) : -Infinity;
        const keyTo = daily ? window.to : Infinity;
        // Adjacent windows may both return a boundary bar; the later answer wins.
        for (const row of part.rows) {
          if (Number.isNaN(row.ts)) unkeyed.push(row);
          else if (row.ts >= keyFrom && row.ts < keyTo) byTs.set(row.ts, row);
        }
      }
      if (!daily) {
        let offGrid = 0;
        for (const ts of byTs.keys()) if (!isAligned(ts, request.interval)) offGrid++;
        if (offGrid > 0) {
          notes.push(
            `${offGrid} of ${byTs.size} ${request.interval} bars open off the UTC ${request.interval} grid ` +
              '(Yahoo aligns intraday bars to the session open, e.g. 13:30Z); their open times are kept as sent',
          );
        }
      }
      const rows = [...byTs.values()].sort((a, b) => a.ts - b.ts).concat(unkeyed);
      if (rows.length === 0) {
        const range = fmtRange(plan.windows[0].from, plan.windows[plan.windows.length - 1].to);
        throw new SourceError(`Yahoo returned no ${request.interval} bars for ${request.symbol} in ${range}`, {
          transient: false,
          hint: 'the market may have been closed for the whole range, or the symbol has no data there; widen --from/--to or check the symbol',
        });
      }
      const last = byTs.size > 0 ? rows[byTs.size - 1].ts : NaN;
      if (Number.isFinite(last) && nextBoundary(last, request.interval) > now) {
        notes.push(`the last ${request.interval} bar (${formatInstant(last)}) is still forming; a later collect will revise it`);
      }
      return { rows, meta, notes };
    },
  };
}

/** One chart request through yahoo-finance2, with failures classified from the recorded exchange. */
async function fetchChart(
  yf: YahooClient,
  fetch: HttpFetch,
  timeoutMs: number,
  request: FetchRequest,
  window: TimeWindow,
  includePrePost: boolean,
  now: number,
): Promise<YahooChartObject> {
  const what = `${request.symbol} ${request.interval} ${fmtRange(window.from, window.to)}`;
  let last: HttpReply | undefined;
  const recordingFetch: HttpFetch = async (input, init) => {
    const url = typeof input === 'string' ? input : input instanceof URL ? input.href : input.url;
    const reply = await fetchText(fetch, url, init, { timeoutMs, signal: request.signal, sourceName: 'Yahoo' });
    last = reply;
    // Non-2xx replies are classified here: the library would also print the URL to stderr for them.
    if (reply.status < 200 || reply.status >= 300) {
      throw classifyYahooFailure(new Error(`HTTP ${reply.status}`), reply, what, request.symbol, now);
    }
    return replyToResponse(reply);
  };
  const reach = isIntraday(request.interval) ? 0 : DAY_KEY_REACH_MS;
  const period1 = Math.floor((window.from - reach) / 1000);
  const period2 = Math.max(period1 + 1, Math.ceil((window.to + reach) / 1000));
  try {
    const chart = (await yf.chart(
      request.symbol,
      {
        period1,
        period2,
        interval: YAHOO_INTERVAL_PARAM[request.interval as keyof typeof YAHOO_INTERVAL_PARAM],
        includePrePost,
        events: 'div|split',
        return: 'object',
      },
      // Result validation off: a malformed value must reach quarantine as NaN, not fail the whole request.
      { fetch: recordingFetch, validateResult: false },
    )) as YahooChartObject;
    if (typeof chart !== 'object' || chart === null) throw new DataError('chart result is not an object');
    return chart;
  } catch (error) {
    throw classifyYahooFailure(error, last, what, request.symbol, now);
  }
}

/**
 * Map a failed chart call to one clear `PulseError`, judging by the HTTP exchange when there was one:
 * Yahoo's `{chart:{error:{code,description}}}`, an HTML page instead of JSON, a bare status, or a reply the
 * library could not read. Exported for tests.
 */
export function classifyYahooFailure(
  error: unknown,
  reply: HttpReply | undefined,
  what: string,
  symbol: string,
  now: number = Date.now(),
): PulseError {
  if (error instanceof PulseError && !(error instanceof DataError)) return error;
  const reason = error instanceof Error ? error.message : String(error);
  if (reply === undefined) return new InternalError(`yahoo-finance2 refused the chart request for ${what}: ${reason}`, error);
  const { status } = reply;
  const retryAfterMs = parseRetryAfter(reply.headers.get('retry-after'), now);
  const httpNote = `HTTP ${status}`;
  let json: unknown;
  let parsed = false;
  try {
    json = JSON.parse(reply.body);
    parsed = true;
  } catch {
    parsed = false;
  }
  const yahooError = parsed ? findYahooError(json) : undefined;
  if (yahooError) {
    const notFound = status === 404 || /not\s*found/i.test(yahooError.code);
    if (notFound) {
      return new HttpSourceError(`Yahoo has no data for symbol "${symbol}": ${yahooError.description || yahooError.code} (${httpNote})`, {
        transient: false,
        status,
        hint: 'check the symbol on finance.yahoo.com (examples: AAPL, BRK-B, ^GSPC, EURUSD=X, BTC-USD, GC=F)',
        cause: error,
      });
    }
    const transient = isTransientStatus(status);
    return new HttpSourceError(`Yahoo refused ${what}: ${yahooError.code}: ${yahooError.description} (${httpNote})`, {
      transient,
      status,
      retryAfterMs,
      hint: transient ? 'Yahoo is overloaded or throttling; pulse retried with backoff, run collect again later' : 'check the interval and the date range',
      cause: error,
    });
  }
  if (status === 429) {
    return new HttpSourceError(`Yahoo is rate-limiting this client for ${what} (${httpNote})`, {
      transient: true,
      status,
      retryAfterMs,
      hint: 'pulse backs off as Yahoo asks; collect fewer symbols at once or run collect again later',
      cause: error,
    });
  }
  if (parsed && status >= 200 && status < 300 && isEmptyChartEnvelope(json)) {
    return new HttpSourceError(`Yahoo returned an empty chart for ${what} (no result, no error)`, {
      transient: false,
      status,
      hint: 'the symbol may be delisted or have no data in this range; check it on finance.yahoo.com',
      cause: error,
    });
  }
  if (!parsed) {
    const contentType = reply.headers.get('content-type');
    if (looksLikeHtml(reply.body, contentType)) {
      const title = htmlTitle(reply.body);
      return new HttpSourceError(`Yahoo answered ${what} with an HTML page instead of JSON (${httpNote}${title ? `, "${title}"` : ''})`, {
        transient: status !== 404 && status !== 410,
        status,
        retryAfterMs,
        hint: 'Yahoo served a consent, captcha or maintenance page; wait and retry, or check proxy and region settings',
        cause: error,
      });
    }
    const transient = status === 200 || isTransientStatus(status);
    return new HttpSourceError(`Yahoo answered ${what} with unreadable data (${httpNote}): ${bodySnippet(reply.body) || 'empty body'}`, {
      transient,
      status,
      retryAfterMs,
      hint: transient ? 'Yahoo is overloaded or throttling; run collect again later' : 'check the symbol and range',
      cause: error,
    });
  }
  if (status < 200 || status >= 300) {
    const transient = isTransientStatus(status);
    return new HttpSourceError(`Yahoo refused ${what} (${httpNote} ${reply.statusText})`.trim(), {
      transient,
      status,
      retryAfterMs,
      hint: transient ? 'Yahoo is overloaded or throttling; run collect again later' : 'check the symbol and range',
      cause: error,
    });
  }
  return new HttpSourceError(`Yahoo answered ${what} with a chart pulse cannot read: ${reason}`, {
    transient: false,
    status,
    hint: 'Yahoo may have changed its format; retry later, and report it if it persists',
    cause: error,
  });
}

/** Yahoo's error object: `{ <module>: { result: null, error: { code, description } } }` with a single key. */
function findYahooError(json: unknown): { code: string; description: string } | undefined {
  if (typeof json !== 'object' || json === null) return undefined;
  const keys = Object.keys(json);
  if (keys.length !== 1) return undefined;
  const inner = (json as Record<string, unknown>)[keys[0]];
  if (typeof inner !== 'object' || inner === null) return undefined;
  const err = (inner as { error?: unknown }).error;
  if (typeof err !== 'object' || err === null) return undefined;
  const { code, description } = err as { code?: unknown; description?: unknown };
  const oneLine = (v: unknown, fallback: string) => (typeof v === 'string' ? v.replace(/\s+/g, ' ').trim() : fallback);
  return { code: oneLine(code, 'Error'), description: oneLine(description, '') };
}

/** `{ chart: { result: null | [] } }`: Yahoo answered but with nothing in it. */
function isEmptyChartEnvelope(json: unknown): boolean {
  const chart = (json as { chart?: { result?: unknown } } | null)?.chart;
  if (typeof chart !== 'object' || chart === null) return false;
  return chart.result === null || (Array.isArray(chart.result) && chart.result.length === 0);
}


function fmtRange(from: number, to: number): string {
  return `${formatInstant(from)}..${formatInstant(to)}`;
}
