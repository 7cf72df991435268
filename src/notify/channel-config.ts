/**
 * The configuration of notification channels (`notify.channels` in `pulse.config.json`): where each channel sends,
 * in which format, and which events it wants. The schemas are exported for the config schema; parse errors are
 * worded by src/core/zod-issues.ts and redacted, since a channel's URL usually is its secret.
 */
import { z } from 'zod';
import { EVENT_TYPES, SEVERITIES } from './event.js';

/** The body formats pulse can send (one file each under src/notify/). */
export const CHANNEL_FORMATS = ['slack', 'telegram', 'discord', 'generic'] as const;
export type ChannelFormat = (typeof CHANNEL_FORMATS)[number];

/** An HTTP header name (RFC 9110 token). */
const HEADER_NAME = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;

/** One channel. */
export const channelConfigSchema = z
  .object({
    name: z.string().min(1).max(64).describe('the channel\'s name in logs and outcomes, unique among channels'),
    format: z.enum(CHANNEL_FORMATS).describe('the body format: slack, telegram, discord or generic'),
    url: z
      .string()
      .refine(isHttpUrl, 'must be an http:// or https:// URL')
      .describe('where to POST: the webhook URL, or https://api.telegram.org/bot<TOKEN>/sendMessage (a secret: it is redacted everywhere)'),
    events: z.array(z.enum(EVENT_TYPES)).min(1).optional().describe('event types this channel receives (default: all)'),
    minSeverity: z.enum(SEVERITIES).optional().describe('the least severity this channel receives (default: info, i.e. all)'),
    chatId: z.union([z.string().min(1), z.number().int()]).optional().describe('the Telegram chat to post to (telegram only, required there)'),
    headers: z
      .record(z.string().regex(HEADER_NAME, 'must be a valid HTTP header name'), z.string())
      .optional()
      .describe('extra request headers, e.g. Authorization for a generic receiver (values are redacted everywhere)'),
  })
  .strict()
  .superRefine((channel, ctx) => {
    if (channel.format === 'telegram' && channel.chatId === undefined) {
      ctx.addIssue({ code: 'custom', path: ['chatId'], message: 'a telegram channel needs chatId', input: undefined });
    }
    if (channel.format !== 'telegram' && channel.chatId !== undefined) {
      ctx.addIssue({ code: 'custom', path: ['chatId'], message: 'chatId is for telegram channels only', input: channel.chatId });
    }
  });
export type ChannelConfig = z.infer<typeof channelConfigSchema>;

/** The list of channels; names must be unique so outcomes and logs can say which one failed. */
export const channelsSchema = z.array(channelConfigSchema).superRefine((channels, ctx) => {
  const seen = new Set<string>();
  channels.forEach((channel, i) => {
    if (seen.has(channel.name)) ctx.addIssue({ code: 'custom', path: [i, 'name'], message: `duplicate channel name "${channel.name}"`, input: undefined });
    seen.add(channel.name);
  });
});

/** The `notify` section of the configuration. */
export const notifyConfigSchema = z
  .object({
    channels: channelsSchema.default([]).describe('webhooks that receive pulse\'s events'),
  })
  .strict();
export type NotifyConfig = z.infer<typeof notifyConfigSchema>;

function isHttpUrl(text: string): boolean {
  if (!URL.canParse(text)) return false;
  const protocol = new URL(text).protocol;
  return protocol === 'http:' || protocol === 'https:';
}
