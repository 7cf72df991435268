/** `pulse init` and `pulse config`. */
import { resolve } from 'node:path';
import { describeConfig, loadConfig, redactConfig } from '../src/config/config.js';
import { initHome } from '../src/config/home.js';
import { INIT_OPTIONS } from '../src/config/init-options.js';
import { parseOptions } from '../src/core/option-schema.js';
import type { Context } from './context.js';
import { emit, table } from './ui/output.js';

export async function init(ctx: Context, dir: string | undefined, raw: Record<string, unknown>): Promise<void> {
  const home = dir === undefined ? ctx.home : resolve(ctx.cwd, dir);
  const result = initHome(home, { force: parseOptions(INIT_OPTIONS, raw).force });
  loadConfig(home, ctx.env); // validate what is there now
  emit(ctx, result, (r) =>
    [
      `pulse home ${r.home}`,
      r.configWritten ? `  wrote ${r.configFile}` : `  kept ${r.configFile} (use --force to overwrite)`,
      ...r.created.map((d) => `  created ${d}`),
    ].join('\n'),
  );
}

export async function showConfig(ctx: Context): Promise<void> {
  ctx.requireHome();
  const config = redactConfig(ctx.config());
  const settings = describeConfig(config);
  emit(ctx, { home: ctx.home, config, settings }, (r) =>
    table(
      ['setting', 'value', 'default', 'description'],
      r.settings.map((s) => [s.key, JSON.stringify(s.value), JSON.stringify(s.defaultValue), s.description]),
    ),
  );
}
