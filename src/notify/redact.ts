/**
 * Keeping channel secrets out of everything pulse prints. A webhook URL usually is the credential (Slack's and
 * Discord's path, Telegram's bot token, a `?token=` query, `user:pass@`), and header values such as Authorization
 * are too. Every outcome, log line and error that may mention a channel passes through {@link redact}, and a
 * channel is shown only through {@link describeChannel} or {@link redactChannelConfig}.
 *
 * Two nets: the exact secrets of the configured channels, and patterns of well-known token shapes for text that
 * mentions a secret pulse was not told about (a URL echoed in an error from a redirect, say).
 */
import { CHANNELS } from './channels.js';
import type { ChannelConfig, ChannelFormat } from './channel-config.js';
import { looksLikeToken } from './channel.js';

/** What a secret is replaced with. */
export const MASK = '***';

/**
 * Secrets shorter than this are not masked in free text: no receiver issues 1-3 character credentials, and
 * masking such strings (a webhook path segment `a`, a `?v=1`) would mangle every message. The URL patterns below
 * and {@link redactUrl} still hide them where they appear in a URL.
 */
const MIN_SECRET_LENGTH = 4;

/** Header names whose values are not credentials; every other header value is treated as a secret. */
const PLAIN_HEADERS = new Set(['content-type', 'accept', 'accept-language', 'user-agent', 'content-language']);

/** Query parameter names that carry credentials whatever their value looks like. */
const SECRET_PARAM = /token|key|secret|sig|pass|auth|code|hash|signature/i;

/**
 * Well-known token shapes, masked even when not in the secret list: Telegram bot tokens, Slack and Discord
 * webhook paths, URL userinfo, bearer/basic credentials, and credential-named query parameters.
 */
const PATTERNS: readonly [RegExp, string][] = [
  [/\bbot\d+:[A-Za-z0-9_-]+/g, `bot${MASK}`],
  [/(hooks\.slack\.com\/(?:services|workflows|triggers)\/)[A-Za-z0-9/_%-]+/gi, `$1${MASK}`],
  [/(discord(?:app)?\.com\/api\/webhooks\/)[A-Za-z0-9/_%.-]+/gi, `$1${MASK}`],
  [/(\b[a-z][a-z0-9+.-]*:\/\/)[^\s/@"'<>]+@/gi, `$1${MASK}@`],
  [/\b(Bearer|Basic|Token|Bot)\s+[A-Za-z0-9._~+/=:-]{6,}/g, `$1 ${MASK}`],
  [/([?&][^=&\s"'<>#]*(?:token|key|secret|sig|pass|auth)[^=&\s"'<>#]*=)[A-Za-z0-9._~%+/=:-]+/gi, `$1${MASK}`],
];

/**
 * `text` with every occurrence of each secret (as written, percent-encoded and percent-decoded) and every
 * well-known token shape replaced by `***`. Longer secrets are replaced first so a secret containing another
 * leaves no tail behind.
 */
export function redact(text: string, secrets: Iterable<string>): string {
  const forms = new Set<string>();
  for (const secret of secrets) {
    if (typeof secret !== 'string' || secret.length < MIN_SECRET_LENGTH) continue;
    forms.add(secret);
    forms.add(encodeURIComponent(secret));
    const decoded = safeDecode(secret);
    if (decoded !== undefined) forms.add(decoded);
  }
  let out = text;
  for (const form of [...forms].filter((f) => f.length >= MIN_SECRET_LENGTH).sort((a, b) => b.length - a.length)) {
    out = out.split(form).join(MASK);
  }
  for (const [pattern, replacement] of PATTERNS) out = out.replace(pattern, replacement);
  return out;
}

/**
 * The secrets in a channel URL: its userinfo, the path segments its format says are credentials, credential-named
 * or token-like query values. A URL that does not parse is a secret as a whole.
 */
export function urlSecrets(url: string, format: ChannelFormat | undefined): string[] {
  if (!URL.canParse(url)) return [url];
  const parsed = new URL(url);
  // The URL as a whole is not listed: its secret parts are, so a redacted URL still shows its host and routes.
  const secrets = [parsed.username, parsed.password];
  const segments = parsed.pathname.split('/').map((s) => safeDecode(s) ?? s);
  secrets.push(...(format === undefined ? segments.filter(looksLikeToken) : CHANNELS[format].pathSecrets(segments)));
  for (const [name, value] of parsed.searchParams) {
    if (SECRET_PARAM.test(name) || looksLikeToken(value) || value.length >= 8) secrets.push(value);
  }
  return secrets.filter((s) => s.length > 0);
}

/** Every secret of a channel: those of its URL and the values of its headers (except plain ones like Accept). */
export function channelSecrets(channel: ChannelConfig): string[] {
  return [...urlSecrets(channel.url, channel.format), ...headerSecrets(channel.headers)];
}

/**
 * The secrets in a raw, perhaps invalid, `notify.channels` value, so a config error can quote it safely: each
 * entry's URL (with its format's rules when the format is known) and header values.
 */
export function secretsOfRawChannels(input: unknown): string[] {
  if (!Array.isArray(input)) return [];
  const secrets: string[] = [];
  for (const entry of input) {
    if (typeof entry !== 'object' || entry === null) continue;
    const { url, format, headers } = entry as Record<string, unknown>;
    const known = typeof format === 'string' && format in CHANNELS ? (format as ChannelFormat) : undefined;
    if (typeof url === 'string') secrets.push(...urlSecrets(url, known));
    if (typeof headers === 'object' && headers !== null) {
      for (const value of Object.values(headers)) if (typeof value === 'string') secrets.push(value);
    }
  }
  return secrets.filter((s) => s.length > 0);
}

/**
 * A channel URL safe to show: scheme, host and port as they are, userinfo, secret path parts and query values
 * masked, the fragment dropped: a Telegram URL shows as `https://api.telegram.org/bot***` + `/sendMessage`.
 */
export function redactUrl(url: string, format: ChannelFormat | undefined): string {
  if (!URL.canParse(url)) return MASK;
  const parsed = new URL(url);
  const secrets = urlSecrets(url, format);
  const exact = new Set(secrets);
  const path = parsed.pathname
    .split('/')
    .map((segment) => {
      const decoded = safeDecode(segment) ?? segment;
      return exact.has(decoded) ? MASK : redact(decoded, secrets);
    })
    .join('/');
  const query = [...parsed.searchParams.keys()].map((name) => `${encodeURIComponent(name)}=${MASK}`).join('&');
  const userinfo = parsed.username !== '' || parsed.password !== '' ? `${MASK}@` : '';
  return `${parsed.protocol}//${userinfo}${parsed.host}${path}${query === '' ? '' : `?${query}`}`;
}

/** A channel for humans and logs: its name, format and redacted URL, `ops (slack → https://hooks.slack.com/services/…)`. */
export function describeChannel(channel: ChannelConfig): string {
  return `${channel.name} (${channel.format} → ${redactUrl(channel.url, channel.format)})`;
}

/** A channel's configuration safe for `pulse config` and `--json`: its URL redacted, secret header values masked. */
export function redactChannelConfig(channel: ChannelConfig): ChannelConfig {
  const redacted: ChannelConfig = { ...channel, url: redactUrl(channel.url, channel.format) };
  if (channel.headers !== undefined) {
    redacted.headers = Object.fromEntries(
      Object.entries(channel.headers).map(([name, value]) => [name, PLAIN_HEADERS.has(name.toLowerCase()) ? value : MASK]),
    );
  }
  return redacted;
}

function headerSecrets(headers: Record<string, string> | undefined): string[] {
  if (headers === undefined) return [];
  const secrets: string[] = [];
  for (const [name, value] of Object.entries(headers)) {
    if (PLAIN_HEADERS.has(name.toLowerCase()) || value.length === 0) continue;
    secrets.push(value);
    // `Bearer abc`: the credential alone may be echoed back without its scheme.
    const credential = /^\S+\s+(\S.*)$/.exec(value)?.[1];
    if (credential !== undefined) secrets.push(credential);
  }
  return secrets;
}

function safeDecode(text: string): string | undefined {
  try {
    return decodeURIComponent(text);
  } catch {
    return undefined;
  }
}
