/** The channel formats by name: the one place a format is looked up, so adding one is a file and a line here. */
import type { Channel } from './channel.js';
import type { ChannelFormat } from './channel-config.js';
import { discordChannel } from './discord.js';
import { genericChannel } from './generic.js';
import { slackChannel } from './slack.js';
import { telegramChannel } from './telegram.js';

export const CHANNELS: Record<ChannelFormat, Channel> = {
  slack: slackChannel,
  telegram: telegramChannel,
  discord: discordChannel,
  generic: genericChannel,
};
