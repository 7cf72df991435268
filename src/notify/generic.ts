/**
 * A documented JSON body for any receiver (a small service of one's own, n8n, Zapier, an alert router): the event
 * as it is, under a version number so receivers can rely on its shape (docs/notifications.md describes it).
 */
import type { Channel } from './channel.js';
import { looksLikeToken } from './channel.js';
import type { NotifyEvent } from './event.js';

/** The version of the generic body; bumped when a field changes meaning or goes away. */
export const GENERIC_BODY_VERSION = 1;

/** The generic body. */
export interface GenericBody {
  schemaVersion: typeof GENERIC_BODY_VERSION;
  source: 'pulse';
  type: NotifyEvent['type'];
  severity: NotifyEvent['severity'];
  title: string;
  message: string;
  home: string;
  time: string;
  fields: NotifyEvent['fields'];
}

export const genericChannel: Channel = {
  format: 'generic',
  body(event: NotifyEvent): GenericBody {
    return {
      schemaVersion: GENERIC_BODY_VERSION,
      source: 'pulse',
      type: event.type,
      severity: event.severity,
      title: event.title,
      message: event.message,
      home: event.home,
      time: event.time,
      fields: event.fields,
    };
  },
  // An unknown receiver's routes are unknown: hide every segment that looks like a token.
  pathSecrets(segments) {
    return segments.filter(looksLikeToken);
  },
};
