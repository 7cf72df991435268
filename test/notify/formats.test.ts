import { describe, expect, it } from 'vitest';
import type { ChannelConfig } from '../../src/notify/channel-config.js';
import { CHANNELS } from '../../src/notify/channels.js';
import { createEvent } from '../../src/notify/event.js';

const event = createEvent({
  type: 'drift-found',
  title: 'drift found on BTC-USD 1h',
  message: 'PSI 0.31 on rsi_14 > 0.2 <check the data>',
  home: '/srv/pulse',
  time: new Date(Date.UTC(2026, 11, 5, 8, 30)),
  fields: { symbol: 'BTC-USD', psi: 0.31, retrain: true, model: null },
});
const config = (format: ChannelConfig['format'], extra: Partial<ChannelConfig> = {}): ChannelConfig => ({ name: 'x', format, url: 'https://example.com/h', ...extra });

describe('channel formats', () => {
  it('slack: fallback text, escaped mrkdwn blocks with fields and a footer', () => {
    const body = CHANNELS.slack.body(event, config('slack')) as { text: string; blocks: { type: string; text?: { text: string }; fields?: { text: string }[]; elements?: { text: string }[] }[] };
    expect(body.text).toBe('[warn] drift found on BTC-USD 1h: PSI 0.31 on rsi_14 > 0.2 <check the data>');
    expect(body.blocks[0].text?.text).toBe('*[warn] drift found on BTC-USD 1h*\nPSI 0.31 on rsi_14 &gt; 0.2 &lt;check the data&gt;');
    expect(body.blocks[1].fields?.map((f) => f.text)).toEqual(['*symbol*\nBTC-USD', '*psi*\n0.31', '*retrain*\ntrue', '*model*\n-']);
    expect(body.blocks[2].elements?.[0].text).toBe('drift-found · pulse · /srv/pulse · 2026-12-05T08:30:00.000Z');
  });

  it('telegram: chat_id and a plain-text message', () => {
    expect(CHANNELS.telegram.body(event, config('telegram', { chatId: -100123 }))).toEqual({
      chat_id: -100123,
      text: [
        '[warn] drift found on BTC-USD 1h',
        'PSI 0.31 on rsi_14 > 0.2 <check the data>',
        '',
        'symbol: BTC-USD',
        'psi: 0.31',
        'retrain: true',
        'model: -',
        '',
        'drift-found · pulse · /srv/pulse · 2026-12-05T08:30:00.000Z',
      ].join('\n'),
      disable_web_page_preview: true,
    });
  });

  it('discord: content, one embed with colour, timestamp and inline fields, and no mentions', () => {
    expect(CHANNELS.discord.body(event, config('discord'))).toEqual({
      content: '[warn] drift found on BTC-USD 1h',
      embeds: [
        {
          title: 'drift found on BTC-USD 1h',
          description: 'PSI 0.31 on rsi_14 > 0.2 <check the data>',
          color: 0xf1c40f,
          timestamp: '2026-12-05T08:30:00.000Z',
          fields: [
            { name: 'symbol', value: 'BTC-USD', inline: true },
            { name: 'psi', value: '0.31', inline: true },
            { name: 'retrain', value: 'true', inline: true },
            { name: 'model', value: '-', inline: true },
          ],
          footer: { text: 'pulse · drift-found · /srv/pulse' },
        },
      ],
      allowed_mentions: { parse: [] },
    });
  });

  it('generic: the versioned event document', () => {
    expect(CHANNELS.generic.body(event, config('generic'))).toEqual({
      schemaVersion: 1,
      source: 'pulse',
      type: 'drift-found',
      severity: 'warn',
      title: 'drift found on BTC-USD 1h',
      message: 'PSI 0.31 on rsi_14 > 0.2 <check the data>',
      home: '/srv/pulse',
      time: '2026-12-05T08:30:00.000Z',
      fields: { symbol: 'BTC-USD', psi: 0.31, retrain: true, model: null },
    });
  });

  it("keeps within each receiver's length limits", () => {
    const long = createEvent({ type: 'test', title: 't'.repeat(5000), message: 'm'.repeat(10_000), home: 'h', fields: Object.fromEntries(Array.from({ length: 40 }, (_, i) => [`f${i}`, 'v'.repeat(3000)])) });
    const tg = CHANNELS.telegram.body(long, config('telegram', { chatId: 1 })) as { text: string };
    expect(tg.text.length).toBe(4096);
    expect(tg.text.endsWith('…')).toBe(true);
    const dc = CHANNELS.discord.body(long, config('discord')) as { content: string; embeds: { title: string; description: string; fields: { value: string }[] }[] };
    expect(dc.content.length).toBeLessThanOrEqual(2000);
    expect(dc.embeds[0].title.length).toBe(256);
    expect(dc.embeds[0].description.length).toBe(4096);
    expect(dc.embeds[0].fields).toHaveLength(25);
    expect(Math.max(...dc.embeds[0].fields.map((f) => f.value.length))).toBe(1024);
    const sl = CHANNELS.slack.body(long, config('slack')) as { text: string; blocks: { fields?: { text: string }[] }[] };
    expect(sl.text.length).toBe(3000);
    expect(sl.blocks[1].fields).toHaveLength(10);
  });
});
