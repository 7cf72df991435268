/** `pulse data ...`: inspect, export and maintain the store. */
import { UsageError } from '../src/core/errors.js';
import { parseOptions, parseValue } from '../src/core/option-schema.js';
import { purgeQuarantined, quarantined, quarantinedRow, recentRuns, sourceHealth } from '../src/market/audit.js';
import { resampleSeries } from '../src/market/stored-resample.js';
import { exportBars, inventory, recentBars, removeSeries } from '../src/market/inventory.js';
import { isIntraday } from '../src/core/interval.js';
import {
  DATA_EXPORT_OPTIONS,
  DATA_LS_OPTIONS,
  DATA_RESAMPLE_OPTIONS,
  DATA_RM_OPTIONS,
  DATA_RUNS_OPTIONS,
  DATA_SHOW_OPTIONS,
  QUARANTINE_LS_OPTIONS,
  QUARANTINE_PURGE_OPTIONS,
  quarantineIdText,
} from '../src/market/data-options.js';
import type { Context } from './context.js';
import { emit, formatCount, formatTime, style, table } from './ui/output.js';
import { writeToFile } from './ui/files.js';
import { describeResample } from './ui/market.js';

export async function dataLs(ctx: Context, raw: Record<string, unknown>): Promise<void> {
  const opts = parseOptions(DATA_LS_OPTIONS, raw);
  const rows = await inventory(await ctx.store(), { symbol: opts.symbol }, ctx.now());
  emit(ctx, { series: rows }, (r) =>
    r.series.length === 0
      ? 'no bars stored yet (try `pulse collect DEMO --source synthetic`)'
      : table(
          ['symbol', 'interval', 'calendar', 'rows', 'first', 'last', 'behind', 'last collected', 'gaps', 'derived from'],
          r.series.map((s) => [
            s.symbol,
            s.interval,
            s.calendar,
            formatCount(s.rows),
            formatTime(s.first, !isIntraday(s.interval)),
            formatTime(s.last, !isIntraday(s.interval)),
            s.behindBars === null ? '-' : s.behindBars === 0 ? 'fresh' : `${formatCount(s.behindBars)} bars`,
            formatTime(s.lastCollectedAt),
            s.gaps ? `${s.gaps} (${formatCount(s.missingBars)} bars)` : '0',
            s.derivedFrom,
          ]),
          ['l', 'l', 'l', 'r', 'l', 'l', 'r', 'l', 'r', 'l'],
        ),
  );
}

export async function dataShow(ctx: Context, symbol: string, raw: Record<string, unknown>): Promise<void> {
  const opts = parseOptions(DATA_SHOW_OPTIONS, raw);
  const interval = opts.interval;
  const bars = await recentBars(await ctx.store(), symbol.toUpperCase(), interval, opts.tail);
  emit(ctx, { symbol: symbol.toUpperCase(), interval, bars }, (r) =>
    table(
      ['time', 'open', 'high', 'low', 'close', 'adj close', 'volume', 'source'],
      r.bars.map((b) => [formatTime(b.ts, !isIntraday(interval)), b.open, b.high, b.low, b.close, b.adjClose, b.volume, b.originInterval ? `${b.source} (${b.originInterval})` : b.source]),
      ['l', 'r', 'r', 'r', 'r', 'r', 'r', 'l'],
    ),
  );
}

export async function dataExport(ctx: Context, symbol: string, raw: Record<string, unknown>): Promise<void> {
  const { interval, from, to, format, out } = parseOptions(DATA_EXPORT_OPTIONS, raw);
  const opts = { format, out };
  const range = { from, to };
  const sym = symbol.toUpperCase();
  const store = await ctx.store();
  if (!opts.out) {
    if (ctx.json && opts.format === 'csv') throw new UsageError('--json with a CSV export to stdout would mix two formats', 'use --format json, or --out FILE');
    const rows = await exportBars(store, sym, interval, range, opts.format, ctx.stdout, ctx.signal);
    ctx.log.info(`exported ${formatCount(rows)} bars`);
    return;
  }
  const rows = await writeToFile(opts.out, '--out', (file) => exportBars(store, sym, interval, range, opts.format, file, ctx.signal));
  emit(ctx, { symbol: sym, interval, format: opts.format, file: opts.out, rows }, (r) => `exported ${formatCount(r.rows)} ${interval} bars of ${sym} to ${r.file}`);
}

export async function dataRm(ctx: Context, symbol: string, raw: Record<string, unknown>): Promise<void> {
  const interval = parseOptions(DATA_RM_OPTIONS, raw).interval;
  const sym = symbol.toUpperCase();
  const removed = await removeSeries(await ctx.store(), sym, interval, ctx.lock);
  emit(ctx, { symbol: sym, interval, removed }, (r) => `removed ${formatCount(r.removed)} ${interval} bars of ${sym}`);
}

export async function dataResample(ctx: Context, symbol: string, raw: Record<string, unknown>): Promise<void> {
  const { fromInterval: fine, toInterval: coarse } = parseOptions(DATA_RESAMPLE_OPTIONS, raw);
  const sym = symbol.toUpperCase();
  const outcome = await resampleSeries(await ctx.store(), sym, fine, coarse, ctx.now(), ctx.lock);
  emit(ctx, { symbol: sym, from: fine, ...outcome }, (r) => `resampled ${sym} ${fine} -> ${describeResample(r)}`);
}

export async function dataSources(ctx: Context): Promise<void> {
  const sources = await sourceHealth(await ctx.store(), ctx.now());
  const st = style(ctx);
  emit(ctx, { sources }, (r) =>
    r.sources.length === 0
      ? 'no online source has been used yet'
      : table(
          ['source', 'breaker', 'failures in a row', 'failures', 'successes', 'last success', 'last failure', 'open until', 'last error'],
          r.sources.map((s) => [
            s.source,
            s.breaker === 'open' ? st.red(s.breaker) : s.breaker,
            s.consecutiveFailures,
            s.totalFailures,
            s.totalSuccesses,
            formatTime(s.lastSuccessAt),
            formatTime(s.lastFailureAt),
            formatTime(s.openUntil),
            s.lastError,
          ]),
        ),
  );
}

export async function dataRuns(ctx: Context, raw: Record<string, unknown>): Promise<void> {
  const runs = await recentRuns(await ctx.store(), parseOptions(DATA_RUNS_OPTIONS, raw).limit);
  emit(ctx, { runs }, (r) =>
    table(
      ['run', 'started', 'status', 'source', 'interval', 'symbols', 'fetched', 'inserted', 'updated', 'quarantined', 'gaps', 'seconds', 'error'],
      r.runs.map((x) => [x.id, formatTime(x.startedAt), x.status, x.source, x.interval, x.symbols.join(' '), x.fetched, x.inserted, x.updated, x.quarantined, x.gaps, x.durationMs === null ? null : (x.durationMs / 1000).toFixed(2), x.error]),
    ),
  );
}

export async function quarantineLs(ctx: Context, raw: Record<string, unknown>): Promise<void> {
  const opts = parseOptions(QUARANTINE_LS_OPTIONS, raw);
  const found = await quarantined(await ctx.store(), { symbol: opts.symbol, limit: opts.limit });
  emit(ctx, found, (r) =>
    r.rows.length === 0
      ? 'quarantine is empty'
      : [
          table(
            ['id', 'run', 'symbol', 'interval', 'source', 'bar time', 'reason', 'detail'],
            r.rows.map((q) => [q.id, q.runId, q.symbol, q.interval, q.source, formatTime(q.ts), q.reason, q.detail]),
          ),
          '',
          `by reason: ${r.reasons.map((x) => `${x.reason} ${x.count}`).join(', ')}`,
        ].join('\n'),
  );
}

export async function quarantineShow(ctx: Context, id: string): Promise<void> {
  const row = await quarantinedRow(await ctx.store(), parseValue(quarantineIdText, id, 'quarantine id'));
  emit(ctx, row, (q) =>
    [
      `#${q.id}  ${q.symbol} ${q.interval} from ${q.source} (run ${q.runId ?? '-'}), quarantined ${formatTime(q.createdAt)}`,
      `bar time: ${formatTime(q.ts)}`,
      `reason:   ${q.reason} - ${q.detail}`,
      `raw:      ${q.raw}`,
    ].join('\n'),
  );
}

export async function quarantinePurge(ctx: Context, raw: Record<string, unknown>): Promise<void> {
  const opts = parseOptions(QUARANTINE_PURGE_OPTIONS, raw);
  const before = opts.before;
  const deleted = await purgeQuarantined(await ctx.store(), before, opts.symbol);
  emit(ctx, { deleted, before }, (r) => `deleted ${formatCount(r.deleted)} quarantined rows created before ${formatTime(r.before)}`);
}
