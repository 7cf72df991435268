/**
 * Sending one event to every configured channel. A notification must never fail the command that raised it: a
 * channel that is down, slow, misconfigured or refusing is reported as a `failed` outcome, logged (redacted) and
 * counted, and `notify` itself never rejects. Channels are sent to concurrently, so one slow receiver does not
 * delay the others.
 */
import { toError } from '../core/errors.js';
import { silentLogger, type Logger } from '../core/logger.js';
import { DEFAULT_SEED, Rng } from '../core/rng.js';
import type { ChannelConfig } from './channel-config.js';
import { CHANNELS } from './channels.js';
import { severityRank, type FieldValue, type NotifyEvent } from './event.js';
import { channelSecrets, describeChannel, redact } from './redact.js';
import { deliver, type ChannelRequest } from './send.js';

/** What became of the event on one channel. Reasons are redacted. */
export type NotifyOutcome =
  | { channel: string; status: 'sent'; attempts: number; httpStatus: number; elapsedMs: number }
  | { channel: string; status: 'failed'; attempts: number; reason: string; httpStatus?: number; elapsedMs: number }
  | { channel: string; status: 'filtered'; reason: string };

/** Running totals across `notify` calls (e.g. for `pulse serve`'s metrics or a cycle's summary). */
export interface NotifyCounters {
  sent: number;
  failed: number;
  filtered: number;
}

/** Zeroed counters. */
export function createNotifyCounters(): NotifyCounters {
  return { sent: 0, failed: 0, filtered: 0 };
}

/** Options of {@link notify}; every field has a production default. */
export interface NotifyOptions {
  /** Where failures (warn) and sends and retries (debug) are logged; default silent. */
  logger?: Logger;
  /** Totals to add this call's outcomes to. */
  counters?: NotifyCounters;
  /** Budget of one attempt in ms; default 10 000. */
  timeoutMs?: number;
  /** Extra attempts after a retryable failure; default 3. */
  retries?: number;
  /** First backoff step in ms; default 500. */
  baseDelayMs?: number;
  /** Largest backoff wait in ms; default 8 000. */
  maxDelayMs?: number;
  /** Longest `Retry-After` waited for, in ms; default 30 000 (beyond it the send fails at once). */
  maxRetryAfterMs?: number;
  /** Seed of the jitter draws; default 42. Channel i draws from `fork(i)`, so results do not depend on timing. */
  seed?: number;
  /** The caller's interrupt: no new attempt starts once it aborts. */
  signal?: AbortSignal;
  /** HTTP function; default the global fetch. */
  fetch?: typeof globalThis.fetch;
}

/** Production defaults of {@link NotifyOptions}. */
export const NOTIFY_DEFAULTS = { timeoutMs: 10_000, retries: 3, baseDelayMs: 500, maxDelayMs: 8_000, maxRetryAfterMs: 30_000 } as const;

/**
 * Why `channel` does not take `event` (its `events` filter or `minSeverity`), or undefined when it does.
 */
export function filterReason(channel: ChannelConfig, event: NotifyEvent): string | undefined {
  if (channel.events !== undefined && !channel.events.includes(event.type)) return `${event.type} is not in its events`;
  if (channel.minSeverity !== undefined && severityRank(event.severity) < severityRank(channel.minSeverity)) {
    return `${event.severity} is below its minSeverity ${channel.minSeverity}`;
  }
  return undefined;
}

/**
 * Send `event` to every channel that wants it and report one outcome per channel, in the channels' order.
 * Never rejects. The event's texts are redacted with every channel's secrets first, so one channel's token never
 * reaches another channel's receiver.
 * @example const outcomes = await notify(config.notify.channels, createEvent({ type: 'test', ... }), { logger });
 */
export async function notify(list: readonly ChannelConfig[], event: NotifyEvent, options: NotifyOptions = {}): Promise<NotifyOutcome[]> {
  const channels = Array.isArray(list) ? list : [];
  const logger = options?.logger ?? silentLogger;
  const counters = options?.counters ?? createNotifyCounters();
  let secrets: string[] = [];
  try {
    secrets = channels.flatMap(safeSecrets);
    const safeEvent = redactEvent(event, secrets);
    const rng = new Rng(options.seed ?? DEFAULT_SEED);
    return await Promise.all(channels.map((channel, index) => notifyGuarded(channel, index, safeEvent, options, rng.fork(index), logger, counters, secrets)));
  } catch (error) {
    // Only a malformed event or options get here (each channel is guarded on its own): every channel failed.
    const reason = redact(toError(error).message, secrets);
    counters.failed += channels.length;
    log(logger, 'warn', `notify: could not send ${redact(String(event?.type), secrets)}: ${reason}`);
    return channels.map((channel, index) => ({ channel: channelName(channel, index, secrets), status: 'failed', attempts: 0, reason, elapsedMs: 0 }));
  }
}

/** One channel's outcome, counted and logged; a bug or a malformed channel object is a failed outcome too. */
async function notifyGuarded(
  channel: ChannelConfig,
  index: number,
  event: NotifyEvent,
  options: NotifyOptions,
  rng: Rng,
  logger: Logger,
  counters: NotifyCounters,
  secrets: readonly string[],
): Promise<NotifyOutcome> {
  try {
    const outcome = await notifyOne(channel, event, options, rng, logger, secrets);
    counters[outcome.status]++;
    if (outcome.status === 'failed') {
      log(logger, 'warn', redact(`notify: ${safeDescribe(channel)} failed: ${outcome.reason} (${counters.failed} failed sends so far)`, secrets));
    }
    return outcome;
  } catch (error) {
    counters.failed++;
    const name = channelName(channel, index, secrets);
    const reason = redact(toError(error).message, secrets);
    log(logger, 'warn', `notify: channel ${name} failed: ${reason} (${counters.failed} failed sends so far)`);
    return { channel: name, status: 'failed', attempts: 0, reason, elapsedMs: 0 };
  }
}

/** A channel's name for outcomes, or `#<index>` when the entry has none. */
function channelName(channel: ChannelConfig, index: number, secrets: readonly string[]): string {
  return typeof channel?.name === 'string' ? redact(channel.name, secrets) : `#${index}`;
}

async function notifyOne(
  channel: ChannelConfig,
  event: NotifyEvent,
  options: NotifyOptions,
  rng: Rng,
  logger: Logger,
  secrets: readonly string[],
): Promise<NotifyOutcome> {
  const filtered = filterReason(channel, event);
  if (filtered !== undefined) return { channel: channel.name, status: 'filtered', reason: filtered };
  const format = CHANNELS[channel.format];
  if (format === undefined) throw new Error(`unknown channel format ${JSON.stringify(channel.format)}`);
  const request: ChannelRequest = {
    url: channel.url,
    headers: { 'user-agent': 'pulse', ...withoutContentType(channel.headers), 'content-type': 'application/json' },
    body: JSON.stringify(format.body(event, channel)),
  };
  const started = performance.now();
  const result = await deliver(request, {
    timeoutMs: options.timeoutMs ?? NOTIFY_DEFAULTS.timeoutMs,
    retries: options.retries ?? NOTIFY_DEFAULTS.retries,
    baseDelayMs: options.baseDelayMs ?? NOTIFY_DEFAULTS.baseDelayMs,
    maxDelayMs: options.maxDelayMs ?? NOTIFY_DEFAULTS.maxDelayMs,
    maxRetryAfterMs: options.maxRetryAfterMs ?? NOTIFY_DEFAULTS.maxRetryAfterMs,
    rng,
    fetch: options.fetch ?? ((input, init) => globalThis.fetch(input, init)),
    signal: options.signal,
    onRetry: ({ attempt, delayMs, reason }) =>
      log(logger, 'debug', redact(`notify: ${describeChannel(channel)}: ${reason}; retry ${attempt} in ${delayMs} ms`, secrets)),
  });
  const elapsedMs = Math.round(performance.now() - started);
  if (!result.ok) {
    return { channel: channel.name, status: 'failed', attempts: result.attempts, reason: redact(result.reason, secrets), httpStatus: result.httpStatus, elapsedMs };
  }
  log(logger, 'debug', redact(`notify: ${event.type} sent to ${describeChannel(channel)} (HTTP ${result.httpStatus}, ${result.attempts} attempt(s), ${elapsedMs} ms)`, secrets));
  return { channel: channel.name, status: 'sent', attempts: result.attempts, httpStatus: result.httpStatus, elapsedMs };
}

/** The configured headers minus any Content-Type (in any case): the body is always JSON. */
function withoutContentType(headers: Record<string, string> | undefined): Record<string, string> {
  return Object.fromEntries(Object.entries(headers ?? {}).filter(([name]) => name.toLowerCase() !== 'content-type'));
}

/** The event with secrets masked in every text it carries. */
function redactEvent(event: NotifyEvent, secrets: readonly string[]): NotifyEvent {
  const fields: Record<string, FieldValue> = {};
  for (const [key, value] of Object.entries(event.fields)) fields[redact(key, secrets)] = typeof value === 'string' ? redact(value, secrets) : value;
  return { ...event, title: redact(event.title, secrets), message: redact(event.message, secrets), home: redact(event.home, secrets), fields };
}

/** A channel's secrets, or none for a malformed entry (which then fails on its own, redacted by pattern). */
function safeSecrets(channel: ChannelConfig): string[] {
  try {
    return channelSecrets(channel).filter((s) => typeof s === 'string');
  } catch {
    return typeof channel?.url === 'string' ? [channel.url] : [];
  }
}

function safeDescribe(channel: ChannelConfig): string {
  try {
    return describeChannel(channel);
  } catch {
    return `channel ${String(channel?.name)}`;
  }
}

/** A logger that throws must not turn a notification into a failure of the caller. */
function log(logger: Logger, level: 'warn' | 'debug', message: string): void {
  try {
    logger[level](message);
  } catch {
    // nothing sensible left to do: the outcome still says what happened
  }
}
