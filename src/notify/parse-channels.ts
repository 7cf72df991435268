/** Validating a `notify.channels` list from outside the config file (tests, tools), with its secrets masked. */
import { ConfigError } from '../core/errors.js';
import { describeIssues } from '../core/zod-issues.js';
import { channelsSchema, type ChannelConfig } from './channel-config.js';
import { redact, secretsOfRawChannels } from './redact.js';

/**
 * Validate a `notify.channels` list (e.g. from JSON). Every problem is listed in one ConfigError, with any URL
 * token or header value in the input redacted.
 * @throws ConfigError
 */
export function parseChannels(input: unknown): ChannelConfig[] {
  const parsed = channelsSchema.safeParse(input, { reportInput: true });
  if (parsed.success) return parsed.data;
  const message = describeIssues(parsed.error.issues, { name: (path) => `notify.channels${fieldPath(path)}` });
  throw new ConfigError(redact(`invalid notify.channels: ${message}`, secretsOfRawChannels(input)), 'see docs/notifications.md for the channel fields');
}

function fieldPath(path: readonly PropertyKey[]): string {
  return path.map((p) => (typeof p === 'number' ? `[${p}]` : `.${String(p)}`)).join('');
}
