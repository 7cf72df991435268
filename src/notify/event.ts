/**
 * What pulse tells the outside world about: a failed job, drift, a promotion, a refused or rolled-back model, a
 * critical health check, a failed backup or cycle. An event is plain data; channels (slack.ts, telegram.ts, ...)
 * only render it, so the code that raises an event never knows where it goes.
 */

/** The kinds of event a channel can subscribe to (`notify.channels[].events`). */
export const EVENT_TYPES = [
  'job-failed',
  'drift-found',
  'promotion',
  'refusal',
  'rollback',
  'health-critical',
  'backup-failed',
  'cycle-failed',
  'test',
] as const;
export type NotifyEventType = (typeof EVENT_TYPES)[number];

/** How urgent an event is, in increasing order (the same words as health states, plus `info`). */
export const SEVERITIES = ['info', 'warn', 'critical'] as const;
export type Severity = (typeof SEVERITIES)[number];

/** Severity as a number for `minSeverity` comparisons: info 0 < warn 1 < critical 2. */
export function severityRank(severity: Severity): number {
  return SEVERITIES.indexOf(severity);
}

/**
 * The severity an event of each type gets unless its raiser says otherwise: failures that stop the pipeline
 * (health, backups, cycles) are critical; things an operator should look at soon are warnings; good news is info.
 */
export const DEFAULT_SEVERITY: Record<NotifyEventType, Severity> = {
  'job-failed': 'warn',
  'drift-found': 'warn',
  promotion: 'info',
  refusal: 'warn',
  rollback: 'warn',
  'health-critical': 'critical',
  'backup-failed': 'critical',
  'cycle-failed': 'critical',
  test: 'info',
};

/** A value of an event's structured fields: what a receiver can filter or chart on. */
export type FieldValue = string | number | boolean | null;

/** One notification. */
export interface NotifyEvent {
  type: NotifyEventType;
  severity: Severity;
  /** A short headline, e.g. `drift found on BTC-USD 1h`. */
  title: string;
  /** One line saying what happened and what to do. */
  message: string;
  /** The pulse home the event comes from (several homes may share a channel). */
  home: string;
  /** When it happened: ISO 8601 UTC, e.g. `2026-12-05T08:30:00.000Z`. */
  time: string;
  /** Structured details, keys with units where they have one (`psi`, `ageHours`, `modelId`). */
  fields: Record<string, FieldValue>;
}

/** What a raiser gives {@link createEvent}; severity, time and fields have defaults. */
export interface EventInput {
  type: NotifyEventType;
  title: string;
  message: string;
  home: string;
  severity?: Severity;
  /** Default: now. */
  time?: Date;
  fields?: Record<string, FieldValue>;
}

/**
 * Build an event, filling the type's default severity and the current time. Titles and messages are folded onto
 * one line, since every channel shows them as a headline and one line of text.
 * @example createEvent({ type: 'backup-failed', title: 'backup failed', message: 'disk full', home: '/srv/pulse' })
 */
export function createEvent(input: EventInput): NotifyEvent {
  return {
    type: input.type,
    severity: input.severity ?? DEFAULT_SEVERITY[input.type],
    title: oneLine(input.title),
    message: oneLine(input.message),
    home: input.home,
    time: (input.time ?? new Date()).toISOString(),
    fields: { ...(input.fields ?? {}) },
  };
}

/** The event `pulse notify test` sends: harmless, info, and recognisable in any channel. */
export function testEvent(home: string, time: Date = new Date()): NotifyEvent {
  return createEvent({
    type: 'test',
    title: 'pulse test notification',
    message: 'this channel receives pulse events; nothing needs doing',
    home,
    time,
  });
}

function oneLine(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}
