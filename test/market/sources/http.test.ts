import { backoffDelayMs, parseRetryAfter } from '../../../src/core/retry.js';
import { describe, expect, it } from 'vitest';
import { InterruptedError, SourceError, UsageError } from '../../../src/core/errors.js';
import { Rng } from '../../../src/core/rng.js';
import {
  HttpSourceError,
  fetchText,
  formatInstant,
  htmlTitle,
  isTransientStatus,
  looksLikeHtml,
  realSleep,
  replyToResponse,
  resolveOnlineOptions,
  withRetry,
} from '../../../src/market/sources/http.js';
import { hangingFetch, recordingSleep } from './replayer.js';

const retryOptions = (extra: Partial<Parameters<typeof withRetry>[1]> = {}) => {
  const sleeper = recordingSleep();
  return {
    waits: sleeper.waits,
    options: { retries: 3, baseDelayMs: 500, maxDelayMs: 4000, maxRetryAfterMs: 60_000, rng: new Rng(11), sleep: sleeper.sleep, ...extra },
  };
};
const transient = (msg = 'down', extra: { retryAfterMs?: number; status?: number } = {}) => new HttpSourceError(msg, { transient: true, ...extra });

describe('withRetry', () => {
  it('retries transient failures with equal-jitter exponential backoff, capped', async () => {
    const { waits, options } = retryOptions({ retries: 5 });
    let calls = 0;
    const value = await withRetry(async () => {
      calls++;
      if (calls <= 5) throw transient();
      return 'ok';
    }, options);
    expect(value).toBe('ok');
    expect(calls).toBe(6);
    const caps = [500, 1000, 2000, 4000, 4000];
    waits.forEach((w, i) => {
      expect(w).toBeGreaterThanOrEqual(caps[i] / 2);
      expect(w).toBeLessThanOrEqual(caps[i]);
    });
  });

  it('draws jitter only from the seeded Rng (same seed, same waits; other seed, other waits)', async () => {
    const run = async (seed: number) => {
      const { waits, options } = retryOptions({ rng: new Rng(seed) });
      await withRetry(async () => {
        throw transient();
      }, options).catch(() => undefined);
      return waits;
    };
    expect(await run(5)).toEqual(await run(5));
    expect(await run(5)).not.toEqual(await run(6));
  });

  it('does not retry permanent errors or non-source errors', async () => {
    for (const error of [new SourceError('gone', { transient: false }), new UsageError('bad'), new TypeError('bug')]) {
      const { waits, options } = retryOptions();
      let calls = 0;
      await expect(
        withRetry(async () => {
          calls++;
          throw error;
        }, options),
      ).rejects.toBe(error);
      expect(calls).toBe(1);
      expect(waits).toEqual([]);
    }
  });

  it('gives up after retries + 1 attempts and says so, keeping status and hint', async () => {
    const { waits, options } = retryOptions({ retries: 2 });
    const error = (await withRetry(async () => {
      throw new HttpSourceError('Yahoo refused X (HTTP 503)', { transient: true, status: 503, hint: 'later' });
    }, options).catch((e: unknown) => e)) as HttpSourceError;
    expect(error.message).toBe('Yahoo refused X (HTTP 503); gave up after 3 attempts');
    expect(error.status).toBe(503);
    expect(error.hint).toBe('later');
    expect(error.transient).toBe(true);
    expect(waits).toHaveLength(2);
  });

  it('waits at least Retry-After, and refuses waits beyond maxRetryAfterMs', async () => {
    const { waits, options } = retryOptions();
    let calls = 0;
    await withRetry(async () => {
      if (calls++ === 0) throw transient('slow down', { retryAfterMs: 9000 });
      return 1;
    }, options);
    expect(waits).toEqual([9000]);
    const long = retryOptions();
    const error = (await withRetry(async () => {
      throw transient('banned', { retryAfterMs: 3_600_000 });
    }, long.options).catch((e: unknown) => e)) as Error;
    expect(error.message).toBe('banned; the server asks to wait 3600 s before retrying');
    expect(long.waits).toEqual([]);
  });

  it('stops with InterruptedError when the signal aborts', async () => {
    const controller = new AbortController();
    const { options } = retryOptions({
      signal: controller.signal,
      sleep: async () => {
        controller.abort();
      },
    });
    await expect(
      withRetry(async () => {
        throw transient();
      }, options),
    ).rejects.toBeInstanceOf(InterruptedError);
  });

  it('reports each retry to onRetry', async () => {
    const seen: number[] = [];
    const { options } = retryOptions({ retries: 2, onRetry: ({ attempt }) => seen.push(attempt) });
    await withRetry(async () => {
      throw transient();
    }, options).catch(() => undefined);
    expect(seen).toEqual([1, 2]);
  });
});

describe('backoffDelayMs', () => {
  it('stays within [cap/2, cap] with cap = min(max, base * 2^attempt)', () => {
    const rng = new Rng(1);
    for (let attempt = 0; attempt < 12; attempt++) {
      const cap = Math.min(30_000, 250 * 2 ** attempt);
      const d = backoffDelayMs(attempt, 250, 30_000, rng);
      expect(d).toBeGreaterThanOrEqual(cap / 2);
      expect(d).toBeLessThanOrEqual(cap);
    }
  });
});

describe('fetchText', () => {
  it('buffers the body and keeps status and headers', async () => {
    const reply = await fetchText(async () => new Response('{"a":1}', { status: 404, statusText: 'Not Found', headers: { 'x-k': 'v' } }), 'https://h/p?q=1', undefined, {
      timeoutMs: 1000,
      sourceName: 'Test',
    });
    expect(reply).toMatchObject({ url: 'https://h/p?q=1', status: 404, statusText: 'Not Found', body: '{"a":1}' });
    expect(reply.headers.get('x-k')).toBe('v');
    const back = replyToResponse(reply);
    expect(back.status).toBe(404);
    expect(await back.text()).toBe('{"a":1}');
  });

  it('times out even if fetch ignores its signal, as a transient error', async () => {
    const ignoring = () => new Promise<Response>(() => undefined);
    const error = (await fetchText(ignoring, 'https://h/p?secret=1', undefined, { timeoutMs: 15, sourceName: 'Test' }).catch((e: unknown) => e)) as SourceError;
    expect(error).toBeInstanceOf(HttpSourceError);
    expect(error.transient).toBe(true);
    expect(error.message).toBe('Test did not answer within 15 ms (https://h/p)');
  });

  it('aborts the underlying fetch on timeout', async () => {
    let aborted = false;
    const watching: typeof hangingFetch = (input, init) => {
      init?.signal?.addEventListener('abort', () => (aborted = true));
      return hangingFetch(input, init);
    };
    await fetchText(watching, 'https://h/p', undefined, { timeoutMs: 10, sourceName: 'Test' }).catch(() => undefined);
    expect(aborted).toBe(true);
  });

  it('turns a network failure into a transient error naming the cause', async () => {
    const failing = async () => {
      throw new TypeError('fetch failed', { cause: Object.assign(new Error('getaddrinfo ENOTFOUND h'), { code: 'ENOTFOUND' }) });
    };
    const error = (await fetchText(failing, 'https://h/p', undefined, { timeoutMs: 1000, sourceName: 'Test' }).catch((e: unknown) => e)) as SourceError;
    expect(error.transient).toBe(true);
    expect(error.message).toBe('Test could not be reached: fetch failed (ENOTFOUND) (https://h/p)');
  });

  it('raises InterruptedError when the caller aborts', async () => {
    const controller = new AbortController();
    const pending = fetchText(hangingFetch, 'https://h/p', undefined, { timeoutMs: 10_000, signal: controller.signal, sourceName: 'Test' });
    controller.abort();
    await expect(pending).rejects.toBeInstanceOf(InterruptedError);
  });
});

describe('small helpers', () => {
  it('parseRetryAfter reads seconds and HTTP dates', () => {
    const now = Date.UTC(2024, 0, 1, 12);
    expect(parseRetryAfter('3', now)).toBe(3000);
    expect(parseRetryAfter('1.5', now)).toBe(1500);
    expect(parseRetryAfter('Mon, 01 Jan 2024 12:00:30 GMT', now)).toBe(30_000);
    expect(parseRetryAfter('Mon, 01 Jan 2024 11:00:00 GMT', now)).toBe(0);
    expect(parseRetryAfter('soon', now)).toBeUndefined();
    expect(parseRetryAfter(null, now)).toBeUndefined();
  });

  it('isTransientStatus separates "later" from "wrong request"', () => {
    expect([401, 403, 408, 418, 425, 429, 500, 502, 503, 504].every(isTransientStatus)).toBe(true);
    expect([200, 400, 404, 410, 422, 451].some(isTransientStatus)).toBe(false);
  });

  it('recognises HTML pages and their titles', () => {
    expect(looksLikeHtml('  <!DOCTYPE html><html>', null)).toBe(true);
    expect(looksLikeHtml('{"a":1}', 'text/html; charset=utf-8')).toBe(true);
    expect(looksLikeHtml('Too Many Requests', 'text/plain')).toBe(false);
    expect(htmlTitle('<title>\n  Oops \n</title>')).toBe('Oops');
    expect(htmlTitle('<p>no title</p>')).toBeUndefined();
  });

  it('formatInstant prints whole days as dates', () => {
    expect(formatInstant(Date.UTC(2024, 2, 4))).toBe('2024-03-04');
    expect(formatInstant(Date.UTC(2024, 2, 4, 14, 30))).toBe('2024-03-04T14:30:00Z');
  });

  it('realSleep resolves, and rejects at once on an aborted signal', async () => {
    await realSleep(1);
    const controller = new AbortController();
    controller.abort();
    await expect(realSleep(10_000, controller.signal)).rejects.toBeInstanceOf(InterruptedError);
  });

  it('resolveOnlineOptions validates ranges', () => {
    expect(() => resolveOnlineOptions({ timeoutMs: 0 }, 1)).toThrow(RangeError);
    expect(() => resolveOnlineOptions({ retries: -1 }, 1)).toThrow(RangeError);
    expect(resolveOnlineOptions({}, 1).retry.retries).toBe(3);
  });
});
