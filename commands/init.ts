/** `pulse init` and `pulse config`. */
import { describeConfig } from '../src/config/config.js';
import { initHome } from '../src/config/home.js';
import type { Context } from './context.js';
import { emit, table } from './ui/output.js';

export async function init(ctx: Context, opts: { force?: boolean }): Promise<void> {
  const result = initHome(ctx.home, { force: opts.force });
  ctx.config(); // validate what is there now
  emit(ctx, result, (r) =>
    [
      `pulse home ${r.home}`,
      r.configWritten ? `  wrote ${r.configFile}` : `  kept ${r.configFile} (use --force to overwrite)`,
      ...r.created.map((d) => `  created ${d}`),
    ].join('\n'),
  );
}

export async function showConfig(ctx: Context): Promise<void> {
  const config = ctx.config();
  const settings = describeConfig(config);
  emit(ctx, { home: ctx.home, config, settings }, (r) =>
    table(
      ['setting', 'value', 'default', 'description'],
      r.settings.map((s) => [s.key, JSON.stringify(s.value), JSON.stringify(s.defaultValue), s.description]),
    ),
  );
}
