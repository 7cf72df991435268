/** Retry timing shared by every HTTP client in pulse (market sources, notification webhooks). */
import type { Rng } from './rng.js';

/**
 * Backoff before retry number `attempt` (0-based): "equal jitter" over an exponential cap,
 * `cap = min(maxDelayMs, baseDelayMs * 2^attempt)`, delay uniform in [cap/2, cap). The floor keeps retries spread
 * out; the random half de-synchronises clients. One draw from `rng`.
 */
export function backoffDelayMs(attempt: number, baseDelayMs: number, maxDelayMs: number, rng: Rng): number {
  const cap = Math.min(maxDelayMs, baseDelayMs * 2 ** attempt);
  return Math.round(cap / 2 + rng.next() * (cap / 2));
}

/**
 * Parse a `Retry-After` header: either delay-seconds or an HTTP date. Returns milliseconds to wait (>= 0),
 * or undefined when the header is absent or unreadable. `now` is ms since epoch (for the date form).
 */
export function parseRetryAfter(value: string | null | undefined, now: number): number | undefined {
  const text = value?.trim();
  if (text === undefined || text === '') return undefined;
  if (/^\d+(\.\d+)?$/.test(text)) return Math.round(Number(text) * 1000);
  const at = Date.parse(text);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now);
}
