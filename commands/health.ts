/** `pulse health`: check a home; `--nagios` for monitoring plugins, `--prometheus FILE` for the textfile collector. */
import { resolve } from 'node:path';
import { ExitCode, ExitStatus, ReportedError } from '../src/core/errors.js';
import { parseOptions } from '../src/core/option-schema.js';
import { healthHistory, runHealth } from '../src/ops/health/health.js';
import { nagiosExitCode, nagiosLine } from '../src/ops/health/nagios.js';
import { HEALTH_OPTIONS } from '../src/ops/health/options.js';
import type { Context } from './context.js';
import { emit, formatTime, style, table } from './ui/output.js';

export async function health(ctx: Context, raw: Record<string, unknown>): Promise<void> {
  const opts = parseOptions(HEALTH_OPTIONS, raw);
  const store = await ctx.store();
  if (opts.history) {
    const runs = await healthHistory(store, opts.last);
    emit(ctx, { runs }, (r) =>
      r.runs.length === 0
        ? 'no health runs recorded yet (pulse health)'
        : table(['checked', 'status', 'critical', 'warnings', 'unknown', 'ms'], r.runs.map((h) => [formatTime(h.createdAt), h.status, h.critical, h.warnings, h.unknown, h.durationMs]), ['l', 'l', 'r', 'r', 'r', 'r']),
    );
    return;
  }
  const policy = ctx.config().health;
  const report = await runHealth(store, ctx.home, { policy, now: ctx.now });
  if (report.status === 'critical') {
    const critical = report.results.filter((x) => x.state === 'critical');
    await ctx.notify({ type: 'health-critical', title: `health critical: ${critical.length} check(s)`, message: critical.map((x) => x.message).join('; '), fields: { critical: report.counts.critical, warnings: report.counts.warn } });
  }
  if (opts.prometheus !== undefined) {
    // prom-client loads only for the textfile, not on every run
    const { writePrometheusFile } = await import('../src/ops/health/prometheus.js');
    await writePrometheusFile(report, resolve(ctx.cwd, opts.prometheus));
  }
  if (opts.nagios) {
    ctx.stdout.write(`${nagiosLine(report, policy)}\n`);
    throw new ExitStatus(nagiosExitCode(report.status) as 0 | 1 | 2 | 3);
  }
  const s = style(ctx);
  const paint = { ok: s.green, warn: s.yellow, critical: s.red, unknown: s.yellow } as const;
  emit(
    ctx,
    report,
    (r) =>
      [
        table(['check', 'state', 'message'], r.results.map((x) => [x.check, paint[x.state](x.state), x.message]), ['l', 'l', 'l']),
        `health ${paint[r.status](r.status)}: ${r.counts.critical} critical, ${r.counts.warn} warnings, ${r.counts.unknown} unknown (${r.durationMs} ms)`,
      ].join('\n'),
    { always: report.status === 'critical' },
  );
  if (report.status === 'critical') {
    throw new ReportedError(`health is critical: ${report.results.filter((x) => x.state === 'critical').map((x) => x.message).join('; ')}`, ExitCode.checkFailed);
  }
}
