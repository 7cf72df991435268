/**
 * `pulse dashboard`: a live view of a home (models, A/B tests, jobs, predictions, drift, health, equity) that
 * re-reads the store every --refresh seconds. Without a terminal (stdout or stdin not a TTY) it prints one
 * plain-text snapshot; `--json` prints the snapshot document once.
 */
import { InterruptedError } from '../src/core/errors.js';
import { parseOptions } from '../src/core/option-schema.js';
import { DASHBOARD_OPTIONS } from '../src/ops/dashboard/options.js';
import { dashboardSnapshot } from '../src/ops/dashboard/snapshot.js';
import type { Context } from './context.js';
import { plainDashboard } from './ui/dashboard/panes.js';
import { emit } from './ui/output.js';

export async function dashboard(ctx: Context, raw: Record<string, unknown>): Promise<void> {
  const opts = parseOptions(DASHBOARD_OPTIONS, raw);
  const store = await ctx.store();
  const read = () => dashboardSnapshot(store, ctx.now());
  const first = await read();
  const stdout = ctx.stdout as NodeJS.WriteStream;
  const stdin = ctx.stdin as NodeJS.ReadStream;
  if (ctx.json || !stdout.isTTY || !stdin.isTTY) {
    emit(ctx, first, (s) => plainDashboard(s, stdout.columns || 80));
    return;
  }
  // ink and react load only when a terminal is there to draw on. ink draws nothing but the last frame when CI or
  // CONTINUOUS_INTEGRATION is set (it reads them once, on import); here both ends are a terminal, so that wins.
  delete process.env.CI;
  delete process.env.CONTINUOUS_INTEGRATION;
  const { runDashboard } = await import('./ui/dashboard/dashboard.js');
  const end = await runDashboard({ initial: first, read, refreshMs: opts.refresh * 1000, color: ctx.color, stdout, stdin, signal: ctx.signal });
  if (end === 'interrupted') throw new InterruptedError();
}
