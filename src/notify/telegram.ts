/**
 * Telegram's Bot API sendMessage (https://core.telegram.org/bots/api#sendmessage): POST `{ chat_id, text }` to
 * `https://api.telegram.org/bot<TOKEN>/sendMessage`. The text is plain (no parse_mode), so nothing in an event
 * needs escaping and no markup error can lose a message.
 */
import type { Channel } from './channel.js';
import { fieldLines, footer, truncate } from './channel.js';
import type { NotifyEvent } from './event.js';
import type { ChannelConfig } from './channel-config.js';

/** Telegram's limit on a message's text. */
const TEXT_MAX = 4096;

export const telegramChannel: Channel = {
  format: 'telegram',
  body(event: NotifyEvent, config: ChannelConfig) {
    const lines = [`[${event.severity}] ${event.title}`, event.message];
    const fields = fieldLines(event);
    if (fields.length > 0) lines.push('', ...fields);
    lines.push('', `${event.type} · ${footer(event)}`);
    return { chat_id: config.chatId, text: truncate(lines.join('\n'), TEXT_MAX), disable_web_page_preview: true };
  },
  // bot<TOKEN>: the token (`123456:AA…`) is the bot's whole credential.
  pathSecrets(segments) {
    return segments.filter((s) => /^bot./.test(s)).map((s) => s.slice(3));
  },
};
