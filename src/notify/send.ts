/**
 * Delivering one request to one receiver: a POST with a per-attempt timeout, retried with exponential backoff and
 * seeded jitter on what may pass (timeouts, unreachable hosts, 408, 425, 429, 5xx), honouring `Retry-After` on 429
 * and 503, and given up at once on any other 4xx (a wrong URL or token does not heal by retrying). It never
 * throws: the caller gets a result saying what happened. Reasons may quote the URL or the reply, so callers redact
 * them (notify.ts does).
 */
import type { Rng } from '../core/rng.js';
import { backoffDelayMs, parseRetryAfter } from '../core/retry.js';

/** One HTTP request as a channel renders it. */
export interface ChannelRequest {
  url: string;
  headers: Record<string, string>;
  body: string;
}

/** How {@link deliver} times out and retries. */
export interface DeliverOptions {
  /** Budget of one attempt, headers and body, in ms. */
  timeoutMs: number;
  /** Extra attempts after the first (0 = none). */
  retries: number;
  /** First backoff step in ms; the cap doubles each retry. */
  baseDelayMs: number;
  /** Largest backoff wait in ms. */
  maxDelayMs: number;
  /** A `Retry-After` longer than this (ms) is not waited for: the send fails at once. */
  maxRetryAfterMs: number;
  /** Jitter draws. */
  rng: Rng;
  /** HTTP function; the global fetch in production. */
  fetch: typeof globalThis.fetch;
  /** The caller's interrupt; aborting it ends the send as failed without further attempts. */
  signal?: AbortSignal;
  /** Told before each wait (for debug logs). */
  onRetry?: (info: { attempt: number; delayMs: number; reason: string }) => void;
}

/** What became of a delivery. */
export type DeliverResult =
  | { ok: true; attempts: number; httpStatus: number }
  | { ok: false; attempts: number; reason: string; httpStatus?: number };

/** One attempt's failure: whether another may succeed, and how long the server asked to wait. */
interface AttemptFailure {
  reason: string;
  retryable: boolean;
  httpStatus?: number;
  retryAfterMs?: number;
}

/** Deliver `request`, retrying as the options say. Never rejects. */
export async function deliver(request: ChannelRequest, options: DeliverOptions): Promise<DeliverResult> {
  for (let attempt = 0; ; attempt++) {
    if (options.signal?.aborted) return { ok: false, attempts: attempt, reason: 'interrupted before it was sent' };
    const failure = await attemptOnce(request, options);
    if ('sentStatus' in failure) return { ok: true, attempts: attempt + 1, httpStatus: failure.sentStatus };
    const attempts = attempt + 1;
    const give = (reason: string): DeliverResult => ({ ok: false, attempts, reason, httpStatus: failure.httpStatus });
    if (!failure.retryable) return give(failure.reason);
    if (failure.retryAfterMs !== undefined && failure.retryAfterMs > options.maxRetryAfterMs) {
      return give(`${failure.reason}; the server asks to wait ${Math.ceil(failure.retryAfterMs / 1000)} s, longer than ${options.maxRetryAfterMs} ms`);
    }
    if (attempt >= options.retries) return give(attempts === 1 ? failure.reason : `${failure.reason}; gave up after ${attempts} attempts`);
    const delayMs = Math.max(backoffDelayMs(attempt, options.baseDelayMs, options.maxDelayMs, options.rng), failure.retryAfterMs ?? 0);
    options.onRetry?.({ attempt: attempt + 1, delayMs, reason: failure.reason });
    if (!(await sleep(delayMs, options.signal))) return give(`${failure.reason}; interrupted before retrying`);
  }
}

/** Statuses worth another attempt besides 5xx: request timeout, too early, too many requests. */
const RETRYABLE_4XX = new Set([408, 425, 429]);

/** One POST: the 2xx status it was accepted with, or why not. */
async function attemptOnce(request: ChannelRequest, options: DeliverOptions): Promise<{ sentStatus: number } | AttemptFailure> {
  const timeout = AbortSignal.timeout(options.timeoutMs);
  const signal = options.signal === undefined ? timeout : AbortSignal.any([timeout, options.signal]);
  try {
    const response = await options.fetch(request.url, { method: 'POST', headers: request.headers, body: request.body, signal });
    const text = await response.text();
    if (response.ok) return { sentStatus: response.status };
    const reason = `HTTP ${response.status}${response.statusText ? ` ${response.statusText}` : ''}${text.trim() === '' ? '' : `: ${snippet(text)}`}`;
    const retryable = response.status >= 500 || RETRYABLE_4XX.has(response.status);
    // Only 429 and 503 carry a meaningful Retry-After; Telegram sends it in the body as parameters.retry_after.
    const retryAfterMs =
      response.status === 429 || response.status === 503
        ? (parseRetryAfter(response.headers.get('retry-after'), Date.now()) ?? bodyRetryAfterMs(text))
        : undefined;
    return { reason, retryable, httpStatus: response.status, retryAfterMs };
  } catch (error) {
    if (options.signal?.aborted) return { reason: 'interrupted', retryable: false };
    if (timeout.aborted) return { reason: `no answer within ${options.timeoutMs} ms`, retryable: true };
    return { reason: `could not reach the receiver: ${networkReason(error)}`, retryable: true };
  }
}

/** Telegram's 429 body: `{"ok":false,"parameters":{"retry_after":5}}` (seconds). */
function bodyRetryAfterMs(text: string): number | undefined {
  try {
    const seconds = (JSON.parse(text) as { parameters?: { retry_after?: unknown } })?.parameters?.retry_after;
    return typeof seconds === 'number' && seconds >= 0 ? seconds * 1000 : undefined;
  } catch {
    return undefined;
  }
}

/** Waits `ms`; resolves false at once when `signal` aborts (no further attempt should start). */
function sleep(ms: number, signal: AbortSignal | undefined): Promise<boolean> {
  if (signal?.aborted) return Promise.resolve(false);
  return new Promise((resolve) => {
    const onAbort = (): void => {
      clearTimeout(timer);
      resolve(false);
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve(true);
    }, Math.max(0, ms));
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

/** fetch's "fetch failed" says nothing; its cause has the code (ECONNREFUSED, ENOTFOUND, ...). */
function networkReason(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const cause = (error as Error & { cause?: unknown }).cause;
  const code = cause instanceof Error ? ((cause as Error & { code?: string }).code ?? cause.message) : undefined;
  return code ? `${error.message} (${code})` : error.message;
}

/** A reply body on one line, at most 200 characters. */
function snippet(text: string): string {
  const line = text.replace(/\s+/g, ' ').trim();
  return line.length > 200 ? `${line.slice(0, 199)}…` : line;
}
