/**
 * Discord webhooks (https://discord.com/developers/docs/resources/webhook#execute-webhook): POST `{ content, embeds }`
 * to `https://discord.com/api/webhooks/<id>/<token>`. Mentions are disabled so an event text can never ping
 * `@everyone`.
 */
import type { Channel } from './channel.js';
import { showField, truncate } from './channel.js';
import type { NotifyEvent, Severity } from './event.js';

/** Discord's limits: content 2000, embed title 256, description 4096, 25 fields of name 256 / value 1024. */
const CONTENT_MAX = 2000;
const TITLE_MAX = 256;
const DESCRIPTION_MAX = 4096;
const FIELDS_MAX = 25;
const FIELD_NAME_MAX = 256;
const FIELD_VALUE_MAX = 1024;

/** Embed side colours: blue for info, amber for warnings, red for critical. */
const COLOR: Record<Severity, number> = { info: 0x3498db, warn: 0xf1c40f, critical: 0xe74c3c };

export const discordChannel: Channel = {
  format: 'discord',
  body(event: NotifyEvent) {
    return {
      content: truncate(`[${event.severity}] ${event.title}`, CONTENT_MAX),
      embeds: [
        {
          title: truncate(event.title, TITLE_MAX),
          description: truncate(event.message, DESCRIPTION_MAX),
          color: COLOR[event.severity],
          timestamp: event.time,
          fields: Object.entries(event.fields)
            .slice(0, FIELDS_MAX)
            .map(([name, value]) => ({ name: truncate(name, FIELD_NAME_MAX), value: truncate(showField(value), FIELD_VALUE_MAX), inline: true })),
          footer: { text: truncate(`pulse · ${event.type} · ${event.home}`, 2048) },
        },
      ],
      allowed_mentions: { parse: [] },
    };
  },
  // /api/webhooks/<id>/<token>: the id and the token.
  pathSecrets(segments) {
    const at = segments.indexOf('webhooks');
    return at < 0 ? segments.filter((s) => s.length > 0) : segments.slice(at + 1).filter((s) => s.length > 0);
  },
};
