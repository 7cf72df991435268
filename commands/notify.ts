/** `pulse notify test`: send a test event to every configured channel and report each outcome. */
import { ExitCode, ReportedError, UsageError } from '../src/core/errors.js';
import { describeChannel } from '../src/notify/redact.js';
import { testEvent } from '../src/notify/event.js';
import type { Context } from './context.js';
import { emit, table } from './ui/output.js';

export async function notifyTest(ctx: Context): Promise<void> {
  ctx.requireHome();
  const channels = ctx.config().notify.channels;
  if (channels.length === 0) throw new UsageError('no notification channels are configured', 'add notify.channels to pulse.config.json (see docs/notifications.md)');
  const event = testEvent(ctx.home);
  const outcomes = await ctx.notify({ type: event.type, title: event.title, message: event.message, fields: event.fields });
  const rows = outcomes.map((o) => {
    const channel = channels.find((c) => c.name === o.channel);
    return { ...o, channel: channel ? describeChannel(channel) : o.channel };
  });
  emit(ctx, { outcomes: rows }, (r) => table(['channel', 'outcome', 'detail'], r.outcomes.map((o) => [o.channel, o.status, 'reason' in o ? o.reason : `${'attempts' in o ? o.attempts : 1} attempt(s)`]), ['l', 'l', 'l']), { always: outcomes.some((o) => o.status === 'failed') });
  const failed = outcomes.filter((o) => o.status === 'failed').length;
  if (failed > 0) throw new ReportedError(`${failed} of ${outcomes.length} channels could not be reached`, ExitCode.internal, 'check the channel URLs and the network; the details are above');
}
