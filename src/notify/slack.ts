/**
 * Slack incoming webhooks (https://api.slack.com/messaging/webhooks): POST `{ text, blocks }` to
 * `https://hooks.slack.com/services/T…/B…/<secret>`. `text` is the fallback for notifications and old clients;
 * the blocks show the headline, the message, the fields and a footer.
 */
import type { Channel } from './channel.js';
import { footer, showField, truncate } from './channel.js';
import type { NotifyEvent } from './event.js';

/** Slack caps a section's text at 3000 characters and its fields at 10 of 2000 each. */
const SECTION_MAX = 3000;
const FIELDS_MAX = 10;
const FIELD_MAX = 2000;

export const slackChannel: Channel = {
  format: 'slack',
  body(event: NotifyEvent) {
    const headline = `[${event.severity}] ${event.title}`;
    const blocks: unknown[] = [
      { type: 'section', text: { type: 'mrkdwn', text: truncate(`*${escape(headline)}*\n${escape(event.message)}`, SECTION_MAX) } },
    ];
    const fields = Object.entries(event.fields).slice(0, FIELDS_MAX);
    if (fields.length > 0) {
      blocks.push({
        type: 'section',
        fields: fields.map(([key, value]) => ({ type: 'mrkdwn', text: truncate(`*${escape(key)}*\n${escape(showField(value))}`, FIELD_MAX) })),
      });
    }
    blocks.push({ type: 'context', elements: [{ type: 'mrkdwn', text: escape(`${event.type} · ${footer(event)}`) }] });
    return { text: truncate(`${headline}: ${event.message}`, SECTION_MAX), blocks };
  },
  // /services/<team>/<bot>/<secret>: every segment after `services` identifies or authorises the hook.
  pathSecrets(segments) {
    const at = segments.indexOf('services');
    return at < 0 ? segments.filter((s) => s.length > 0) : segments.slice(at + 1).filter((s) => s.length > 0);
  },
};

/** Slack's mrkdwn treats `&`, `<` and `>` as control characters; everything else is shown as written. */
function escape(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}
