/** `pulse serve [--port 9464] [--host 127.0.0.1]`: read-only HTTP endpoints for monitoring, until SIGTERM/SIGINT. */
import { once } from 'node:events';
import { ServiceStopped } from '../src/core/errors.js';
import { parseOptions } from '../src/core/option-schema.js';
import { SERVE_OPTIONS } from '../src/ops/serve/options.js';
import { serve } from '../src/ops/serve/serve.js';
import { statusDocument } from '../src/pipeline/status.js';
import type { Context } from './context.js';
import { emit } from './ui/output.js';

export async function serveCommand(ctx: Context, raw: Record<string, unknown>): Promise<void> {
  const opts = parseOptions(SERVE_OPTIONS, raw);
  const token = ctx.env.PULSE_SERVE_TOKEN || undefined;
  const store = await ctx.store();
  const clm = ctx.config().clm;
  const started = ctx.now();
  const server = await serve(store, {
    host: opts.host,
    port: opts.port,
    token,
    now: ctx.now,
    policy: ctx.config().health,
    status: () => statusDocument({ store, clm, now: ctx.now() }),
    onError: (path, message) => ctx.log.warn(`GET ${path} failed: ${message}`),
  });
  const url = `http://${server.host.includes(':') ? `[${server.host}]` : server.host}:${server.port}`;
  // Always printed (also with --quiet and --json): a caller that asked for port 0 needs the bound address.
  ctx.stderr.write(`pulse serve: listening on ${url} (/metrics /health /status /models)${token ? ', bearer token required' : ''}\n`);
  if (!ctx.signal.aborted) await once(ctx.signal, 'abort');
  await server.close();
  ctx.log.info('pulse serve: stopped');
  emit(ctx, { url, requests: server.requests(), uptimeMs: ctx.now() - started }, () => '');
  throw new ServiceStopped();
}
