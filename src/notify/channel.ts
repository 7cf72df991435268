/**
 * A channel format: how one kind of receiver (Slack, Telegram, Discord, a generic JSON endpoint) wants an event, and
 * which parts of its URL are secrets. One small file per format, registered in channels.ts. Formats only render;
 * sending, retrying and redacting live in send.ts, notify.ts and redact.ts.
 */
import type { ChannelConfig, ChannelFormat } from './channel-config.js';
import type { FieldValue, NotifyEvent } from './event.js';

/** One format. */
export interface Channel {
  readonly format: ChannelFormat;
  /** The JSON body that delivers `event` to the receiver `config` points at. */
  body(event: NotifyEvent, config: ChannelConfig): unknown;
  /**
   * The secrets in the URL's path, given its decoded segments (`['bot123:AA…', 'sendMessage']`): what redaction
   * must hide besides userinfo and query values, which every format treats as secret.
   */
  pathSecrets(segments: readonly string[]): string[];
}

/** `text` cut to at most `max` characters, with an ellipsis when cut (receivers reject over-long fields). */
export function truncate(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, Math.max(0, max - 1))}…`;
}

/** A field's value as text (null shows as a dash). */
export function showField(value: FieldValue): string {
  return value === null ? '-' : String(value);
}

/** The event's fields as `key: value` lines, in the order the raiser gave them. */
export function fieldLines(event: NotifyEvent): string[] {
  return Object.entries(event.fields).map(([key, value]) => `${key}: ${showField(value)}`);
}

/** The line under every message saying where and when: `pulse · /srv/pulse · 2026-12-05T08:30:00.000Z`. */
export function footer(event: NotifyEvent): string {
  return `pulse · ${event.home} · ${event.time}`;
}

/**
 * A path segment that looks like a credential rather than a route: long, or mixing letters and digits
 * (`T0123ABCD`, `a1b2c3d4e5`), as webhook ids and tokens do and words like `api`, `v1` or `events` do not.
 * Over-redacting a route costs a less precise log line; under-redacting leaks a token.
 */
export function looksLikeToken(segment: string): boolean {
  if (segment.length >= 16) return true;
  return segment.length >= 6 && /\d/.test(segment) && /[A-Za-z]/.test(segment);
}
