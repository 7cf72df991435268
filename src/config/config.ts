/**
 * pulse's configuration: one zod schema holds every setting's default, range and description.
 * Precedence: defaults < `<home>/pulse.config.json` < environment `PULSE__SECTION__KEY` < command-line flags.
 * Past `loadConfig`, only the typed `Config` exists.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { z } from 'zod';
import { ConfigError, toError } from '../core/errors.js';
import { CONFIG_FILE } from '../core/home-files.js';
import { describeIssue } from '../core/zod-issues.js';
import { INTERVALS } from '../core/interval.js';
import { backtestSettingsSchema } from '../backtest/settings.js';
import { clmSettingsSchema } from '../monitor/settings.js';
import { healthSettingsSchema } from '../ops/health/settings.js';
import { maintainSettingsSchema } from '../ops/maintain/settings.js';
import { notifyConfigSchema } from '../notify/channel-config.js';
import { redact, redactChannelConfig, secretsOfRawChannels } from '../notify/redact.js';
import { predictSettingsSchema } from '../predict/settings.js';
import { trainSettingsSchema } from '../train/settings.js';

export { CONFIG_FILE };

const collectSchema = z
  .object({
    source: z.string().min(1).optional().describe('sources of a new series when `pulse collect` has no --source, failover in order (e.g. "yahoo,binance"); unset: --source is required for a new series'),
    interval: z.enum(INTERVALS).default('1d').describe('default bar interval'),
    concurrency: z.number().int().min(1).max(16).default(3).describe('symbols fetched at once from online sources'),
    timeoutMs: z.number().int().min(1_000).max(300_000).default(20_000).describe('per-request timeout of online sources (ms)'),
    retries: z.number().int().min(0).max(10).default(3).describe('retries of a transient failure (timeout, 429, 5xx), with exponential backoff and jitter'),
    overlapBars: z.number().int().min(0).max(1_000).default(5).describe('bars re-fetched before the last stored bar so revised bars are picked up'),
    outlierZ: z.number().min(3).max(1_000).default(12).describe('robust return z-score beyond which a bar is quarantined as suspect_outlier'),
    maxQuarantinePct: z.number().min(0).max(100).default(5).describe('a symbol whose quarantined share of rows exceeds this percentage fails the collect (exit 3; its valid bars are kept)'),
    breakerFailures: z.number().int().min(1).max(100).default(3).describe('consecutive failures that open a source\'s circuit breaker'),
    breakerCooldownMinutes: z.number().min(0).max(24 * 60).default(15).describe('how long an open breaker skips its source (minutes)'),
  })
  .strict();

const storeSchema = z
  .object({
    busyTimeoutMs: z.number().int().min(0).max(600_000).default(30_000).describe('how long a writer waits for another process\'s lock (ms)'),
  })
  .strict();

/** The whole configuration document. */
export const configSchema = z
  .object({
    seed: z.number().int().min(0).max(0xffffffff).default(42).describe('default seed for every random draw'),
    collect: collectSchema.default(() => collectSchema.parse({})),
    store: storeSchema.default(() => storeSchema.parse({})),
    train: trainSettingsSchema.default(() => trainSettingsSchema.parse({})),
    backtest: backtestSettingsSchema.default(() => backtestSettingsSchema.parse({})),
    predict: predictSettingsSchema.default(() => predictSettingsSchema.parse({})),
    clm: clmSettingsSchema.default(() => clmSettingsSchema.parse({})),
    maintain: maintainSettingsSchema.default(() => maintainSettingsSchema.parse({})),
    health: healthSettingsSchema.default(() => healthSettingsSchema.parse({})),
    notify: notifyConfigSchema.default(() => notifyConfigSchema.parse({})),
  })
  .strict();

export type Config = z.infer<typeof configSchema>;

/** The defaults, as `pulse init` writes them. */
export function defaultConfig(): Config {
  return configSchema.parse({});
}

/**
 * Resolve the home directory: `--home DIR` > `PULSE_HOME` > the current directory.
 */
export function resolveHome(flag: string | undefined, env: Record<string, string | undefined>, cwd: string): string {
  return resolve(cwd, flag ?? env.PULSE_HOME ?? '.');
}

/**
 * Load and validate the configuration of `home`: defaults, then the optional config file, then `PULSE__*`
 * environment variables (`PULSE__COLLECT__TIMEOUT_MS=5000` or `PULSE__COLLECT__TIMEOUTMS=5000`).
 * @throws ConfigError naming the bad file, variable or field.
 */
export function loadConfig(home: string, env: Record<string, string | undefined>): Config {
  let doc: Record<string, unknown> = {};
  const file = join(home, CONFIG_FILE);
  if (existsSync(file)) {
    let text: string;
    try {
      text = readFileSync(file, 'utf8');
    } catch (err) {
      throw new ConfigError(`cannot read ${file}: ${toError(err).message}`, 'fix its permissions or remove it');
    }
    try {
      const parsed: unknown = JSON.parse(text);
      if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) throw new Error('the top level must be an object');
      doc = parsed as Record<string, unknown>;
    } catch (err) {
      throw new ConfigError(`${file} is not valid JSON: ${toError(err).message}`, 'fix the file, or recreate it with `pulse init --force`');
    }
  }
  applyEnv(doc, env);
  const result = configSchema.safeParse(doc, { reportInput: true });
  if (!result.success) {
    // A bad notification channel's message may quote its URL: mask the channels' secrets.
    const channels = (doc.notify as { channels?: unknown } | undefined)?.channels;
    throw new ConfigError(
      redact(`invalid configuration: ${describeIssue(result.error.issues[0])}`, secretsOfRawChannels(channels)),
      `check ${CONFIG_FILE} in ${home} and PULSE__* environment variables; \`pulse config\` shows the settings and their ranges`,
    );
  }
  return result.data;
}

/** Fold `PULSE__SECTION__KEY=value` variables into the document (values parsed as JSON when they can be). */
function applyEnv(doc: Record<string, unknown>, env: Record<string, string | undefined>): void {
  for (const [name, raw] of Object.entries(env)) {
    if (!name.startsWith('PULSE__') || raw === undefined) continue;
    const path = name.slice(7).split('__').filter(Boolean);
    if (path.length === 0) continue;
    let node: Record<string, unknown> = doc;
    let shape: z.ZodType | undefined = configSchema;
    for (let i = 0; i < path.length; i++) {
      const key = matchKey(shape, path[i]);
      if (key === undefined) {
        throw new ConfigError(`unknown setting in environment variable ${name}`, 'see `pulse config` for the settings');
      }
      shape = childSchema(shape, key);
      if (i === path.length - 1) {
        node[key] = parseEnvValue(raw);
      } else {
        const next = node[key];
        node = (typeof next === 'object' && next !== null ? next : (node[key] = {})) as Record<string, unknown>;
      }
    }
  }
}

function objectShape(schema: z.ZodType | undefined): Record<string, z.ZodType> | undefined {
  let s: unknown = schema;
  while (s instanceof z.ZodDefault || s instanceof z.ZodOptional) s = (s as z.ZodDefault<z.ZodType>).unwrap();
  return s instanceof z.ZodObject ? (s.shape as Record<string, z.ZodType>) : undefined;
}

function childSchema(schema: z.ZodType | undefined, key: string): z.ZodType | undefined {
  return objectShape(schema)?.[key];
}

/** Match an env path segment (TIMEOUT_MS, TIMEOUTMS, timeoutMs) to a schema key. */
function matchKey(schema: z.ZodType | undefined, segment: string): string | undefined {
  const shape = objectShape(schema);
  if (!shape) return undefined;
  const norm = segment.replace(/_/g, '').toLowerCase();
  return Object.keys(shape).find((k) => k.toLowerCase() === norm);
}

function parseEnvValue(raw: string): unknown {
  try {
    return JSON.parse(raw);
  } catch {
    return raw;
  }
}

/** The configuration as it may be shown: webhook tokens and header secrets of notification channels masked. */
export function redactConfig(config: Config): Config {
  return { ...config, notify: { ...config.notify, channels: config.notify.channels.map(redactChannelConfig) } };
}

/** Every setting with its dotted key, current value, default and description (for `pulse config`). */
export function describeConfig(config: Config): { key: string; value: unknown; defaultValue: unknown; description: string }[] {
  const defaults = defaultConfig() as unknown as Record<string, unknown>;
  const out: { key: string; value: unknown; defaultValue: unknown; description: string }[] = [];
  const walk = (schema: z.ZodType, value: Record<string, unknown>, def: Record<string, unknown>, prefix: string): void => {
    const shape = objectShape(schema);
    if (!shape) return;
    for (const [key, child] of Object.entries(shape)) {
      if (objectShape(child)) {
        walk(child, value[key] as Record<string, unknown>, def[key] as Record<string, unknown>, `${prefix}${key}.`);
      } else {
        out.push({ key: prefix + key, value: value[key], defaultValue: def[key], description: child.description ?? '' });
      }
    }
  };
  walk(configSchema, config as unknown as Record<string, unknown>, defaults, '');
  return out;
}
