import { afterEach, describe, expect, it } from 'vitest';
import type { Logger } from '../../src/core/logger.js';
import { Rng } from '../../src/core/rng.js';
import type { ChannelConfig } from '../../src/notify/channel-config.js';
import { CHANNELS } from '../../src/notify/channels.js';
import { createEvent, type NotifyEvent } from '../../src/notify/event.js';
import { createNotifyCounters, notify, type NotifyOptions } from '../../src/notify/notify.js';
import { backoffDelayMs, parseRetryAfter } from '../../src/core/retry.js';
import { startReceiver, type Receiver, type Reply } from './receiver.js';

const TG_TOKEN = '123456789:AAHsecretTelegramTokenValue_xyz';
const AUTH = 'Bearer header-secret-777';

/** Small waits so the whole file runs in about two seconds. */
const FAST: NotifyOptions = { timeoutMs: 2_000, retries: 2, baseDelayMs: 5, maxDelayMs: 20, maxRetryAfterMs: 5_000, seed: 7 };

const event: NotifyEvent = createEvent({
  type: 'job-failed',
  title: 'train BTC-USD 1h failed',
  message: 'the store is locked by another run',
  home: '/srv/pulse',
  time: new Date(Date.UTC(2026, 11, 5, 9, 0)),
  fields: { jobId: 17, kind: 'train' },
});

const receivers: Receiver[] = [];
async function receiver(script?: (request: import('./receiver.js').Received, index: number) => Reply): Promise<Receiver> {
  const r = await startReceiver(script);
  receivers.push(r);
  return r;
}
afterEach(async () => {
  await Promise.all(receivers.splice(0).map((r) => r.close()));
});

function recordingLogger(): Logger & { lines: string[] } {
  const lines: string[] = [];
  return { lines, info: (m) => lines.push(`info ${m}`), warn: (m) => lines.push(`warn ${m}`), debug: (m) => lines.push(`debug ${m}`) };
}

describe('notify over HTTP', () => {
  it('POSTs each format its body, with the configured headers', async () => {
    const r = await receiver();
    const channels: ChannelConfig[] = [
      { name: 'sl', format: 'slack', url: `${r.origin}/services/T0123ABCD/B0456EFGH/slackSecret0123` },
      { name: 'tg', format: 'telegram', url: `${r.origin}/bot${TG_TOKEN}/sendMessage`, chatId: -100123 },
      { name: 'dc', format: 'discord', url: `${r.origin}/api/webhooks/998877665544/dscToken-abc_123` },
      { name: 'gn', format: 'generic', url: `${r.origin}/events`, headers: { Authorization: AUTH, 'Content-Type': 'text/plain', 'X-Team': 'ops' } },
    ];
    const outcomes = await notify(channels, event, FAST);
    expect(outcomes.map((o) => [o.channel, o.status])).toEqual([['sl', 'sent'], ['tg', 'sent'], ['dc', 'sent'], ['gn', 'sent']]);
    for (const channel of channels) {
      const got = r.requests.find((q) => channel.url.endsWith(q.path));
      expect(got, channel.name).toBeDefined();
      expect(got!.method).toBe('POST');
      expect(got!.headers['content-type']).toBe('application/json');
      expect(JSON.parse(got!.body)).toEqual(CHANNELS[channel.format].body(event, channel));
    }
    const tg = JSON.parse(r.requests.find((q) => q.path.startsWith('/bot'))!.body) as { chat_id: number; text: string };
    expect(tg.chat_id).toBe(-100123);
    expect(tg.text.split('\n')[0]).toBe('[warn] train BTC-USD 1h failed');
    expect(r.requests.find((q) => q.path === '/events')!.headers).toMatchObject({ authorization: AUTH, 'x-team': 'ops', 'content-type': 'application/json', 'user-agent': 'pulse' });
    expect(JSON.parse(r.requests.find((q) => q.path === '/events')!.body)).toMatchObject({ schemaVersion: 1, type: 'job-failed', fields: { jobId: 17 } });
  });

  it('sends only to channels whose events and minSeverity take the event', async () => {
    const r = await receiver();
    const counters = createNotifyCounters();
    const outcomes = await notify(
      [
        { name: 'drift-only', format: 'generic', url: `${r.origin}/a`, events: ['drift-found'] },
        { name: 'critical-only', format: 'generic', url: `${r.origin}/b`, minSeverity: 'critical' },
        { name: 'jobs-warn', format: 'generic', url: `${r.origin}/c`, events: ['job-failed', 'cycle-failed'], minSeverity: 'warn' },
      ],
      event,
      { ...FAST, counters },
    );
    expect(outcomes).toEqual([
      { channel: 'drift-only', status: 'filtered', reason: 'job-failed is not in its events' },
      { channel: 'critical-only', status: 'filtered', reason: 'warn is below its minSeverity critical' },
      expect.objectContaining({ channel: 'jobs-warn', status: 'sent', attempts: 1 }),
    ]);
    expect(r.requests.map((q) => q.path)).toEqual(['/c']);
    expect(counters).toEqual({ sent: 1, failed: 0, filtered: 2 });
  });

  it('retries a 500 and succeeds', async () => {
    const r = await receiver((_, i) => (i < 2 ? { status: 500, body: 'boom' } : { status: 204 }));
    const logger = recordingLogger();
    const [outcome] = await notify([{ name: 'g', format: 'generic', url: `${r.origin}/x` }], event, { ...FAST, logger });
    expect(outcome).toMatchObject({ status: 'sent', attempts: 3, httpStatus: 204 });
    expect(r.requests).toHaveLength(3);
    expect(logger.lines.filter((l) => l.startsWith('debug') && l.includes('HTTP 500 Internal Server Error: boom; retry'))).toHaveLength(2);
    expect(logger.lines.some((l) => l.startsWith('warn'))).toBe(false);
  });

  it('gives up after its retries and says so', async () => {
    const r = await receiver(() => ({ status: 502 }));
    const counters = createNotifyCounters();
    const logger = recordingLogger();
    const [outcome] = await notify([{ name: 'g', format: 'generic', url: `${r.origin}/x` }], event, { ...FAST, logger, counters });
    expect(outcome).toMatchObject({ status: 'failed', attempts: 3, httpStatus: 502, reason: 'HTTP 502 Bad Gateway; gave up after 3 attempts' });
    expect(r.requests).toHaveLength(3);
    expect(counters.failed).toBe(1);
    expect(logger.lines.filter((l) => l.startsWith('warn'))).toEqual([
      `warn notify: g (generic → ${r.origin}/x) failed: HTTP 502 Bad Gateway; gave up after 3 attempts (1 failed sends so far)`,
    ]);
  });

  it('waits as long as Retry-After says on 429, and fails at once when it asks too much', async () => {
    const r = await receiver((_, i) => (i === 0 ? { status: 429, headers: { 'Retry-After': '1' } } : { status: 200 }));
    const [outcome] = await notify([{ name: 'g', format: 'generic', url: `${r.origin}/x` }], event, FAST);
    expect(outcome).toMatchObject({ status: 'sent', attempts: 2 });
    // base 5 ms, cap 20 ms: without the header the retry would come within ~20 ms.
    expect(r.requests[1].at - r.requests[0].at).toBeGreaterThanOrEqual(950);

    const slow = await receiver(() => ({ status: 503, headers: { 'Retry-After': '120' } }));
    const [refused] = await notify([{ name: 'g', format: 'generic', url: `${slow.origin}/x` }], event, FAST);
    expect(refused).toMatchObject({ status: 'failed', attempts: 1, httpStatus: 503 });
    expect(refused.status === 'failed' && refused.reason).toContain('the server asks to wait 120 s');
    expect(slow.requests).toHaveLength(1);
  });

  it("reads Telegram's retry_after from a 429 body", async () => {
    const r = await receiver((_, i) =>
      i === 0 ? { status: 429, body: JSON.stringify({ ok: false, error_code: 429, parameters: { retry_after: 0.3 } }) } : { status: 200, body: '{"ok":true}' },
    );
    const [outcome] = await notify([{ name: 't', format: 'telegram', url: `${r.origin}/bot${TG_TOKEN}/sendMessage`, chatId: 1 }], event, FAST);
    expect(outcome).toMatchObject({ status: 'sent', attempts: 2 });
    expect(r.requests[1].at - r.requests[0].at).toBeGreaterThanOrEqual(280);
  });

  it('times out on a receiver that never answers, per attempt', async () => {
    const r = await receiver(() => 'hang');
    const started = performance.now();
    const [outcome] = await notify([{ name: 'g', format: 'generic', url: `${r.origin}/x` }], event, { ...FAST, timeoutMs: 150, retries: 1 });
    const elapsed = performance.now() - started;
    expect(outcome).toMatchObject({ status: 'failed', attempts: 2, reason: 'no answer within 150 ms; gave up after 2 attempts' });
    expect(r.requests).toHaveLength(2);
    expect(elapsed).toBeGreaterThanOrEqual(300);
    expect(elapsed).toBeLessThan(1_500);
  });

  it('does not retry a 4xx other than 408, 425 and 429', async () => {
    const r = await receiver(() => ({ status: 400, body: '{"ok":false,"description":"Bad Request: chat not found"}' }));
    const [outcome] = await notify([{ name: 't', format: 'telegram', url: `${r.origin}/bot${TG_TOKEN}/sendMessage`, chatId: 1 }], event, FAST);
    expect(outcome).toMatchObject({ status: 'failed', attempts: 1, httpStatus: 400, reason: 'HTTP 400 Bad Request: {"ok":false,"description":"Bad Request: chat not found"}' });
    expect(r.requests).toHaveLength(1);

    const timeoutThenOk = await receiver((_, i) => (i === 0 ? { status: 408 } : { status: 200 }));
    const [retried] = await notify([{ name: 'g', format: 'generic', url: `${timeoutThenOk.origin}/x` }], event, FAST);
    expect(retried).toMatchObject({ status: 'sent', attempts: 2 });
  });

  it('reports an unreachable receiver', async () => {
    const r = await startReceiver();
    await r.close();
    const [outcome] = await notify([{ name: 'g', format: 'generic', url: `${r.origin}/x` }], event, { ...FAST, retries: 1 });
    expect(outcome.status).toBe('failed');
    expect(outcome.status === 'failed' && outcome.reason).toMatch(/^could not reach the receiver: fetch failed \(ECONNREFUSED\); gave up after 2 attempts$/);
  });

  it('never lets a secret into outcomes, logs or the bodies other channels receive', async () => {
    // The receiver echoes the request path, as some servers' error pages do.
    const r = await receiver((q) => ({ status: q.path.startsWith('/bot') ? 401 : 500, body: `no such hook: ${q.path} (auth ${q.headers.authorization ?? '-'})` }));
    const channels: ChannelConfig[] = [
      { name: 'tg', format: 'telegram', url: `${r.origin}/bot${TG_TOKEN}/sendMessage`, chatId: 1 },
      { name: 'gn', format: 'generic', url: `${r.origin}/hooks/gEnErIcSecret42?token=query-secret-99`, headers: { Authorization: AUTH } },
    ];
    const leaky = createEvent({ ...event, time: undefined, message: `failed POST to ${channels[0].url} with ${AUTH}`, fields: { url: channels[1].url } });
    const logger = recordingLogger();
    const outcomes = await notify(channels, leaky, { ...FAST, retries: 1, logger });
    expect(outcomes.map((o) => o.status)).toEqual(['failed', 'failed']);
    expect(outcomes[0]).toMatchObject({ attempts: 1, httpStatus: 401 });
    const everything = JSON.stringify(outcomes) + logger.lines.join('\n') + r.requests.map((q) => q.body).join('\n');
    for (const secret of [TG_TOKEN, 'gEnErIcSecret42', 'query-secret-99', 'header-secret-777']) expect(everything).not.toContain(secret);
    expect(outcomes[0].status === 'failed' && outcomes[0].reason).toBe('HTTP 401 Unauthorized: no such hook: /bot***/sendMessage (auth -)');
    expect(logger.lines.some((l) => l.includes(`gn (generic → ${r.origin}/hooks/***?token=***)`))).toBe(true);
  });

  it('never rejects: malformed channels, a throwing fetch, a throwing logger, an interrupt', async () => {
    const broken = [
      null,
      { name: 'odd', format: 'pager', url: 'https://example.com/x' },
      { name: 'nourl', format: 'generic' },
    ] as unknown as ChannelConfig[];
    const counters = createNotifyCounters();
    const throwingLogger: Logger = { info: () => { throw new Error('log'); }, warn: () => { throw new Error('log'); }, debug: () => { throw new Error('log'); } };
    const outcomes = await notify(broken, event, { ...FAST, logger: throwingLogger, counters });
    expect(outcomes.map((o) => o.status)).toEqual(['failed', 'failed', 'failed']);
    expect(outcomes[1]).toMatchObject({ channel: 'odd', reason: 'unknown channel format "pager"' });
    expect(counters.failed).toBe(3);
    const garbage = await notify([{ name: 'g', format: 'generic', url: 'https://example.com/x' }], undefined as unknown as NotifyEvent, FAST);
    expect(garbage).toEqual([expect.objectContaining({ channel: 'g', status: 'failed', attempts: 0 })]);
    await expect(notify(undefined as unknown as ChannelConfig[], event, FAST)).resolves.toEqual([]);
    const [badSeed] = await notify([{ name: 'g', format: 'generic', url: 'https://example.com/x' }], event, { seed: -1 });
    expect(badSeed).toMatchObject({ status: 'failed', reason: expect.stringContaining('seed must be an integer') });

    const fetchThrows = (() => {
      throw new TypeError(`bad url https://api.telegram.org/bot${TG_TOKEN}/sendMessage`);
    }) as unknown as typeof fetch;
    const [thrown] = await notify([{ name: 't', format: 'telegram', url: `https://api.telegram.org/bot${TG_TOKEN}/sendMessage`, chatId: 1 }], event, { ...FAST, fetch: fetchThrows, retries: 0 });
    expect(thrown).toMatchObject({ status: 'failed', reason: 'could not reach the receiver: bad url https://api.telegram.org/bot***/sendMessage' });

    const r = await receiver(() => 'hang');
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 50);
    const started = performance.now();
    const [interrupted] = await notify([{ name: 'g', format: 'generic', url: `${r.origin}/x` }], event, { ...FAST, signal: controller.signal });
    expect(interrupted).toMatchObject({ status: 'failed', attempts: 1, reason: 'interrupted' });
    expect(performance.now() - started).toBeLessThan(1_000);
  });
});

describe('backoff', () => {
  it('is seeded equal jitter under a doubling cap', () => {
    const delays = (seed: number) => {
      const rng = new Rng(seed);
      return [0, 1, 2, 3, 4, 5].map((attempt) => backoffDelayMs(attempt, 100, 1_000, rng));
    };
    expect(delays(3)).toEqual(delays(3));
    expect(delays(3)).not.toEqual(delays(4));
    delays(3).forEach((d, attempt) => {
      const cap = Math.min(1_000, 100 * 2 ** attempt);
      expect(d).toBeGreaterThanOrEqual(cap / 2);
      expect(d).toBeLessThanOrEqual(cap);
    });
  });

  it('reads Retry-After as seconds or an HTTP date', () => {
    const now = Date.UTC(2026, 11, 5, 9, 0, 0);
    expect(parseRetryAfter('3', now)).toBe(3_000);
    expect(parseRetryAfter('Sat, 05 Dec 2026 09:00:10 GMT', now)).toBe(10_000);
    expect(parseRetryAfter('soon', now)).toBeUndefined();
    expect(parseRetryAfter(null, now)).toBeUndefined();
  });
});
