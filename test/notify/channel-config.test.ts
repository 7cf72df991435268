import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../src/core/errors.js';
import { notifyConfigSchema } from '../../src/notify/channel-config.js';
import { parseChannels } from '../../src/notify/parse-channels.js';

const TOKEN = '123456789:AAHsecretTelegramTokenValue_xyz';

function errorOf(input: unknown): string {
  try {
    parseChannels(input);
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return (error as Error).message;
  }
  throw new Error('expected a ConfigError');
}

describe('notify channel config', () => {
  it('accepts every format with its options and defaults to no channels', () => {
    const channels = parseChannels([
      { name: 'ops', format: 'slack', url: 'https://hooks.slack.com/services/T01/B02/abcdefSECRET', events: ['job-failed'], minSeverity: 'warn' },
      { name: 'phone', format: 'telegram', url: `https://api.telegram.org/bot${TOKEN}/sendMessage`, chatId: -100123 },
      { name: 'dc', format: 'discord', url: 'https://discord.com/api/webhooks/1/tok' },
      { name: 'mine', format: 'generic', url: 'http://127.0.0.1:9000/events', headers: { Authorization: 'Bearer s3cr3t-value' } },
    ]);
    expect(channels.map((c) => c.format)).toEqual(['slack', 'telegram', 'discord', 'generic']);
    expect(notifyConfigSchema.parse({})).toEqual({ channels: [] });
  });

  it('names each bad field in one message, in pulse words', () => {
    const message = errorOf([
      { name: 'a', format: 'teams', url: 'https://example.com/x' },
      { name: 'b', format: 'slack', url: 'ftp://example.com/x', events: ['coffee'] },
      { name: 'c', format: 'generic', url: 'https://example.com/x', minSeverity: 'loud' },
    ]);
    expect(message).toContain('notify.channels[0].format must be one of "slack", "telegram", "discord", "generic" (got "teams")');
    expect(message).toContain('notify.channels[1].url: must be an http:// or https:// URL');
    expect(message).toContain('notify.channels[1].events[0] must be one of');
    expect(message).toContain('notify.channels[2].minSeverity must be one of "info", "warn", "critical" (got "loud")');
  });

  it('needs chatId for telegram only, and unique names', () => {
    expect(errorOf([{ name: 'p', format: 'telegram', url: `https://api.telegram.org/bot${TOKEN}/sendMessage` }])).toContain('a telegram channel needs chatId');
    expect(errorOf([{ name: 's', format: 'slack', url: 'https://hooks.slack.com/services/a', chatId: 1 }])).toContain('chatId is for telegram channels only');
    expect(errorOf([
      { name: 'x', format: 'generic', url: 'https://a.example/1' },
      { name: 'x', format: 'generic', url: 'https://b.example/2' },
    ])).toContain('notify.channels[1].name: duplicate channel name "x"');
    expect(errorOf([{ name: 'x', format: 'generic', url: 'https://a.example/1', colour: 'red' }])).toContain('unknown key "colour"');
  });

  it('never quotes a secret from the input in its error', () => {
    const message = errorOf([
      { name: 'p', format: 'telegram', url: `https://api.telegram.org/bot${TOKEN}/sendMessage`, chatId: 1, minSeverity: 'x' },
      { name: 'q', format: 'generic', url: 'not a url but hunter2-secret', headers: { Authorization: 'Bearer zzz-top-secret' } },
      { name: 'r', format: 'generic', url: 'https://a.example/1', headers: { 'Bad Header': 'Bearer another-secret-9' } },
      { name: 's', format: 'generic', url: 'https://a.example/1', headers: { 'X-Key': 42 } },
    ]);
    expect(message).toContain('notify.channels[1].url');
    for (const secret of [TOKEN, 'hunter2-secret', 'zzz-top-secret', 'another-secret-9']) expect(message).not.toContain(secret);
  });
});
