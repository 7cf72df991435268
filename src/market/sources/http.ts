/**
 * HTTP plumbing shared by the online bar sources: one timed, fully buffered exchange (`fetchText`), a typed
 * failure (`HttpSourceError`) that says whether retrying may help, and a retry loop (`withRetry`) with
 * exponential backoff, seeded jitter and `Retry-After` support. Nothing here knows about any particular API.
 */
import { InterruptedError, SourceError } from '../../core/errors.js';
import { Rng } from '../../core/rng.js';
import { backoffDelayMs } from '../../core/retry.js';
import type { HttpFetch } from './source.js';

/** Waits `ms` milliseconds; rejects with `InterruptedError` when `signal` aborts first. Injected so tests never wait. */
export type Sleep = (ms: number, signal?: AbortSignal) => Promise<void>;

/** The production `Sleep`: a real timer that honours an abort signal. */
export const realSleep: Sleep = (ms, signal) =>
  new Promise<void>((resolve, reject) => {
    if (signal?.aborted) {
      reject(new InterruptedError());
      return;
    }
    const onAbort = (): void => {
      clearTimeout(timer);
      reject(new InterruptedError());
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, Math.max(0, ms));
    signal?.addEventListener('abort', onAbort, { once: true });
  });

/** Throws `InterruptedError` when the caller's signal has fired (user interrupt). */
export function throwIfAborted(signal: AbortSignal | undefined): void {
  if (signal?.aborted) throw new InterruptedError();
}

/** One complete HTTP exchange with the body read into memory. */
export interface HttpReply {
  /** The URL that was requested. */
  url: string;
  /** HTTP status code (100..599). */
  status: number;
  statusText: string;
  headers: Headers;
  /** The whole response body as text (UTF-8). */
  body: string;
}

/**
 * A source failure that came from the HTTP exchange: a timeout, an unreachable host or a status code.
 * `status` is the HTTP status when there was one; `retryAfterMs` is the server's `Retry-After` in ms, if sent.
 */
export class HttpSourceError extends SourceError {
  readonly status?: number;
  readonly retryAfterMs?: number;
  constructor(
    message: string,
    options: { transient: boolean; hint?: string; cause?: unknown; status?: number; retryAfterMs?: number },
  ) {
    super(message, { transient: options.transient, hint: options.hint, cause: options.cause });
    this.status = options.status;
    this.retryAfterMs = options.retryAfterMs;
  }
}

/**
 * Whether an HTTP status means "try again later" rather than "this request is wrong":
 * 401/403 (access refused or throttled, lifts with time), 408, 418 (temporary IP ban), 425, 429 and every 5xx.
 */
export function isTransientStatus(status: number): boolean {
  return status === 401 || status === 403 || status === 408 || status === 418 || status === 425 || status === 429 || status >= 500;
}

/** True when a body is an HTML page rather than data (by content type or by its first tag). */
export function looksLikeHtml(body: string, contentType: string | null): boolean {
  if (contentType !== null && /text\/html/i.test(contentType)) return true;
  return /^\s*<(!doctype\s+html|html|head|body)\b/i.test(body);
}

/** The `<title>` of an HTML page, whitespace-collapsed, or undefined. */
export function htmlTitle(body: string): string | undefined {
  const m = /<title[^>]*>([^<]*)<\/title>/i.exec(body);
  const title = m?.[1].replace(/\s+/g, ' ').trim();
  return title ? title : undefined;
}

/** The first `max` characters of a body on one line, for error messages. */
export function bodySnippet(body: string, max = 120): string {
  const line = body.replace(/\s+/g, ' ').trim();
  return line.length > max ? `${line.slice(0, max)}…` : line;
}

/** Options of one timed exchange. */
export interface FetchTextOptions {
  /** Whole-exchange budget (headers and body) in ms; > 0. */
  timeoutMs: number;
  /** The caller's signal (user interrupt); aborting it raises `InterruptedError`. */
  signal?: AbortSignal;
  /** Source name for messages, e.g. "Yahoo". */
  sourceName: string;
}

/**
 * Perform one HTTP request and read the whole body within `timeoutMs`. Never throws for an HTTP status (the
 * caller classifies the reply); throws a transient `HttpSourceError` on timeout or when the host cannot be
 * reached, and `InterruptedError` when the caller's signal aborts. Does not depend on `fetch` honouring its
 * signal: the timer races the exchange.
 */
export async function fetchText(
  fetch: HttpFetch,
  url: string,
  init: RequestInit | undefined,
  options: FetchTextOptions,
): Promise<HttpReply> {
  throwIfAborted(options.signal);
  const controller = new AbortController();
  let timer: ReturnType<typeof setTimeout> | undefined;
  let timedOut = false;
  let onAbort: (() => void) | undefined;
  const guard = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      timedOut = true;
      controller.abort();
      reject(
        new HttpSourceError(`${options.sourceName} did not answer within ${options.timeoutMs} ms (${shortUrl(url)})`, {
          transient: true,
          hint: 'the service is slow or the network is down; pulse retries with backoff, or raise the timeout',
        }),
      );
    }, options.timeoutMs);
    onAbort = (): void => {
      controller.abort();
      reject(new InterruptedError());
    };
    options.signal?.addEventListener('abort', onAbort, { once: true });
  });
  const exchange = (async (): Promise<HttpReply> => {
    const response = await fetch(url, { ...init, signal: controller.signal });
    const body = await response.text();
    return { url, status: response.status, statusText: response.statusText, headers: response.headers, body };
  })();
  try {
    return await Promise.race([exchange, guard]);
  } catch (error) {
    if (error instanceof HttpSourceError || error instanceof InterruptedError) throw error;
    if (timedOut) throw error;
    throw new HttpSourceError(`${options.sourceName} could not be reached: ${networkReason(error)} (${shortUrl(url)})`, {
      transient: true,
      hint: 'check the network connection, proxy and DNS; pulse retries with backoff',
      cause: error,
    });
  } finally {
    clearTimeout(timer);
    if (onAbort) options.signal?.removeEventListener('abort', onAbort);
    // The losing side of the race must not surface as an unhandled rejection.
    exchange.catch(() => undefined);
    guard.catch(() => undefined);
  }
}

/** Rebuild a `Response` from a buffered reply (for libraries that want to read it themselves). */
export function replyToResponse(reply: HttpReply): Response {
  const nullBody = reply.status === 204 || reply.status === 205 || reply.status === 304;
  return new Response(nullBody ? null : reply.body, {
    status: reply.status,
    statusText: reply.statusText,
    headers: reply.headers,
  });
}

function networkReason(error: unknown): string {
  if (error instanceof Error) {
    const cause = (error as Error & { cause?: unknown }).cause;
    const code = cause instanceof Error ? ((cause as Error & { code?: string }).code ?? cause.message) : undefined;
    return code ? `${error.message} (${code})` : error.message;
  }
  return String(error);
}

/** An instant for messages: ISO 8601 without milliseconds; whole UTC days print as dates (2020-01-02). */
export function formatInstant(ms: number): string {
  if (!Number.isFinite(ms)) return String(ms);
  const iso = new Date(ms).toISOString().replace('.000Z', 'Z');
  return iso.endsWith('T00:00:00Z') ? iso.slice(0, 10) : iso;
}

/** A URL without its query string, for messages. */
export function shortUrl(url: string): string {
  const q = url.indexOf('?');
  return q < 0 ? url : url.slice(0, q);
}

/** How `withRetry` retries. */
export interface RetryOptions {
  /** Extra attempts after the first (0 = no retry); default 3. */
  retries: number;
  /** First backoff step in ms; the cap doubles each attempt. Default 500. */
  baseDelayMs: number;
  /** Upper bound of one backoff wait in ms. Default 20 000. */
  maxDelayMs: number;
  /** A server asking to wait longer than this (Retry-After) is not retried in-process. Default 120 000. */
  maxRetryAfterMs: number;
  /** Source of jitter draws (seeded). */
  rng: Rng;
  sleep: Sleep;
  signal?: AbortSignal;
  /** Called before each wait, e.g. to log "retry 2/3 in 1.4 s". */
  onRetry?: (info: { attempt: number; delayMs: number; error: SourceError }) => void;
}

/** Default retry settings (without rng/sleep). */
export const DEFAULT_RETRY = { retries: 3, baseDelayMs: 500, maxDelayMs: 20_000, maxRetryAfterMs: 120_000 } as const;

/**
 * Run `task` until it succeeds, retrying transient `SourceError`s (timeouts, 429, 5xx, ...) up to
 * `options.retries` times. Permanent errors and non-source errors propagate at once. When the server sends
 * `Retry-After`, the wait is at least that long; beyond `maxRetryAfterMs` the error propagates immediately.
 * The final error's message says how many attempts were made.
 */
export async function withRetry<T>(task: (attempt: number) => Promise<T>, options: RetryOptions): Promise<T> {
  for (let attempt = 0; ; attempt++) {
    throwIfAborted(options.signal);
    try {
      return await task(attempt);
    } catch (error) {
      if (!(error instanceof SourceError) || !error.transient) throw error;
      const retryAfterMs = error instanceof HttpSourceError ? error.retryAfterMs : undefined;
      if (retryAfterMs !== undefined && retryAfterMs > options.maxRetryAfterMs) {
        throw withSuffix(error, `the server asks to wait ${Math.ceil(retryAfterMs / 1000)} s before retrying`);
      }
      if (attempt >= options.retries) {
        throw attempt === 0 ? error : withSuffix(error, `gave up after ${attempt + 1} attempts`);
      }
      const delayMs = Math.max(backoffDelayMs(attempt, options.baseDelayMs, options.maxDelayMs, options.rng), retryAfterMs ?? 0);
      options.onRetry?.({ attempt: attempt + 1, delayMs, error });
      await options.sleep(delayMs, options.signal);
    }
  }
}

function withSuffix(error: SourceError, suffix: string): HttpSourceError {
  return new HttpSourceError(`${error.message}; ${suffix}`, {
    transient: error.transient,
    hint: error.hint,
    cause: error,
    status: error instanceof HttpSourceError ? error.status : undefined,
    retryAfterMs: error instanceof HttpSourceError ? error.retryAfterMs : undefined,
  });
}

/** Settings every online source accepts; omitted fields take production defaults. */
export interface OnlineSourceOptions {
  /** HTTP function; default global `fetch`. Tests pass a replayer of recorded responses. */
  fetch?: HttpFetch;
  /** Jitter source; default `new Rng(DEFAULT_SEED)` — pass a per-run seeded Rng to vary it. */
  rng?: Rng;
  /** Wait function; default a real timer. */
  sleep?: Sleep;
  /** Whole-exchange timeout per HTTP request in ms; default 15 000. */
  timeoutMs?: number;
  /** Extra attempts after a transient failure; default 3. */
  retries?: number;
  /** First backoff step in ms; default 500. */
  baseDelayMs?: number;
  /** Cap of one backoff wait in ms; default 20 000. */
  maxDelayMs?: number;
  /** Longest server-requested wait (Retry-After) honoured in-process, ms; default 120 000. */
  maxRetryAfterMs?: number;
  /** Clock (ms since epoch) for history limits and "still forming" notes; default `Date.now`. */
  now?: () => number;
  /** Observer of retries (for progress logs). */
  onRetry?: RetryOptions['onRetry'];
}

/** Default per-request timeout of the online sources, ms. */
export const DEFAULT_TIMEOUT_MS = 15_000;

/** Resolve `OnlineSourceOptions` into concrete settings (validating numeric ranges). */
export function resolveOnlineOptions(options: OnlineSourceOptions, seed: number): {
  fetch: HttpFetch;
  timeoutMs: number;
  now: () => number;
  retry: Omit<RetryOptions, 'signal'>;
} {
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const retries = options.retries ?? DEFAULT_RETRY.retries;
  if (!(timeoutMs > 0)) throw new RangeError(`timeoutMs must be > 0, got ${timeoutMs}`);
  if (!Number.isInteger(retries) || retries < 0) throw new RangeError(`retries must be an integer >= 0, got ${retries}`);
  return {
    fetch: options.fetch ?? ((input, init) => globalThis.fetch(input, init)),
    timeoutMs,
    now: options.now ?? Date.now,
    retry: {
      retries,
      baseDelayMs: options.baseDelayMs ?? DEFAULT_RETRY.baseDelayMs,
      maxDelayMs: options.maxDelayMs ?? DEFAULT_RETRY.maxDelayMs,
      maxRetryAfterMs: options.maxRetryAfterMs ?? DEFAULT_RETRY.maxRetryAfterMs,
      rng: options.rng ?? new Rng(seed),
      sleep: options.sleep ?? realSleep,
      onRetry: options.onRetry,
    },
  };
}
