import { describe, expect, it } from 'vitest';
import type { ChannelConfig } from '../../src/notify/channel-config.js';
import { channelSecrets, describeChannel, MASK, redact, redactChannelConfig, redactUrl } from '../../src/notify/redact.js';

const TG_TOKEN = '123456789:AAHsecretTelegramTokenValue_xyz';
const SLACK_SECRET = 'XyZsecretSlackPart0123';
const DISCORD_TOKEN = 'dscTokenAbCdEf-123_456';

const channels: ChannelConfig[] = [
  { name: 'ops', format: 'slack', url: `https://hooks.slack.com/services/T0123ABCD/B0456EFGH/${SLACK_SECRET}` },
  { name: 'phone', format: 'telegram', url: `https://api.telegram.org/bot${TG_TOKEN}/sendMessage`, chatId: 42 },
  { name: 'dc', format: 'discord', url: `https://discord.com/api/webhooks/998877665544/${DISCORD_TOKEN}` },
  {
    name: 'mine',
    format: 'generic',
    url: 'https://alice:pa55word-x@alerts.example.com/api/v1/events?token=qwerty-query-secret&team=ops',
    headers: { Authorization: 'Bearer header-secret-777', 'Content-Type': 'application/json', 'X-Api-Key': 'apikey-secret-555' },
  },
];
const SECRETS = [TG_TOKEN, SLACK_SECRET, DISCORD_TOKEN, 'pa55word-x', 'qwerty-query-secret', 'header-secret-777', 'apikey-secret-555', '998877665544'];

describe('redactUrl and describeChannel', () => {
  it('keep scheme, host and routes and hide every credential', () => {
    expect(redactUrl(channels[0].url, 'slack')).toBe(`https://hooks.slack.com/services/${MASK}/${MASK}/${MASK}`);
    expect(redactUrl(channels[1].url, 'telegram')).toBe(`https://api.telegram.org/bot${MASK}/sendMessage`);
    expect(redactUrl(channels[2].url, 'discord')).toBe(`https://discord.com/api/webhooks/${MASK}/${MASK}`);
    expect(redactUrl(channels[3].url, 'generic')).toBe(`https://${MASK}@alerts.example.com/api/v1/events?token=${MASK}&team=${MASK}`);
    expect(redactUrl('https://example.com/hooks/a1b2c3d4e5f6', 'generic')).toBe(`https://example.com/hooks/${MASK}`);
    expect(redactUrl('not a url', 'generic')).toBe(MASK);
    expect(describeChannel(channels[1])).toBe(`phone (telegram → https://api.telegram.org/bot${MASK}/sendMessage)`);
    for (const channel of channels) {
      const shown = describeChannel(channel);
      for (const secret of SECRETS) expect(shown).not.toContain(secret);
    }
  });

  it('redactChannelConfig masks secret header values and keeps plain ones', () => {
    const shown = redactChannelConfig(channels[3]);
    expect(shown.headers).toEqual({ Authorization: MASK, 'Content-Type': 'application/json', 'X-Api-Key': MASK });
    expect(JSON.stringify(channels.map(redactChannelConfig))).not.toMatch(new RegExp(SECRETS.map((s) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('|')));
  });
});

describe('redact', () => {
  const secrets = channels.flatMap(channelSecrets);

  it('masks each secret as written, percent-encoded and inside longer text', () => {
    const text = [
      `POST ${channels[1].url} failed`,
      `fetch failed for ${encodeURIComponent(TG_TOKEN)}`,
      `header was Bearer header-secret-777 or just header-secret-777`,
      `slack said no to ${SLACK_SECRET}; discord ${DISCORD_TOKEN}`,
      `query qwerty-query-secret and ${channels[3].url}`,
    ].join('\n');
    const out = redact(text, secrets);
    for (const secret of SECRETS) expect(out).not.toContain(secret);
    expect(out).toContain('failed');
    expect(out).toContain(MASK);
  });

  it('masks well-known token shapes it was not told about', () => {
    const out = redact(
      [
        'https://api.telegram.org/bot987654321:ZZunknownTelegramToken_abc/sendMessage',
        'https://hooks.slack.com/services/TAAA/BBBB/unknownSlackSecret',
        'https://discordapp.com/api/webhooks/1234/unknownDiscordToken',
        'https://bob:unknownPass@host.example/x',
        'Authorization: Bearer eyJunknown.jwt.value',
        'https://x.example/hook?api_key=unknownKey123&x=1',
      ].join('\n'),
      [],
    );
    for (const secret of ['ZZunknownTelegramToken_abc', 'unknownSlackSecret', 'unknownDiscordToken', 'unknownPass', 'eyJunknown', 'unknownKey123']) {
      expect(out).not.toContain(secret);
    }
    expect(out).toContain('https://x.example/hook?api_key=***&x=1');
  });

  it('leaves ordinary text and very short strings alone', () => {
    expect(redact('attempt 1 of 3: HTTP 500 Internal Server Error', ['1', 'of', ''])).toBe('attempt 1 of 3: HTTP 500 Internal Server Error');
  });
});
