/** `pulse features`: list a feature set, or build its matrix (and labels) for a stored series and export it. */
import { UsageError } from '../src/core/errors.js';
import { parseOptions } from '../src/core/option-schema.js';
import { buildFeatureFrame } from '../src/dataset/feature-frame.js';
import { summarizeFrame, writeFrame, type FrameSummary } from '../src/dataset/feature-export.js';
import { resolveFeatureSet, withContext } from '../src/dataset/feature-set-files.js';
import { parseLabelOption } from '../src/dataset/label-syntax.js';
import { listFeatures } from '../src/features/feature-set.js';
import { isIntraday } from '../src/core/interval.js';
import { FEATURES_OPTIONS } from '../src/dataset/feature-options.js';
import type { Context } from './context.js';
import { emit, formatCount, formatTime, table } from './ui/output.js';
import { writeToFile } from './ui/files.js';

export async function features(ctx: Context, symbol: string | undefined, raw: Record<string, unknown>): Promise<void> {
  const opts = parseOptions(FEATURES_OPTIONS, raw);
  const interval = opts.interval;
  const { spec, references } = withContext(resolveFeatureSet(ctx.home, opts.set), opts.context ?? []);
  if (opts.list) {
    const list = listFeatures(spec, { interval });
    emit(ctx, { set: spec.name, version: spec.version, count: list.length, features: list }, (r) =>
      [
        table(['feature', 'group', 'lookback', 'definition'], r.features.map((f) => [f.name, f.group, f.lookback, f.definition]), ['l', 'l', 'r', 'l']),
        `${r.count} features in set "${r.set}" v${r.version}${interval ? ` for ${interval} bars` : ''}`,
      ].join('\n'),
    );
    return;
  }
  if (!symbol) throw new UsageError('name a symbol, or use --list', 'e.g. pulse features AAPL --interval 1d');
  if (!interval) throw new UsageError('--interval is required to build features', 'e.g. --interval 1d');
  const frame = await buildFeatureFrame(await ctx.store(), {
    symbol: symbol.toUpperCase(),
    interval,
    set: spec,
    references,
    labels: opts.labels ? parseLabelOption(opts.labels) : [],
    from: opts.from,
    to: opts.to,
    checkLookahead: opts.check,
  });
  const format = opts.format ?? (opts.export?.endsWith('.json') ? 'json' : opts.export ? 'csv' : undefined);
  if (format && !opts.export) {
    if (ctx.json) throw new UsageError('--json and --format both write to stdout', 'use --export FILE with --json');
    await writeFrame(frame, format, ctx.stdout, ctx.signal);
    return;
  }
  if (opts.export && format) await writeToFile(opts.export, '--export', (out) => writeFrame(frame, format, out, ctx.signal));
  emit(ctx, summarizeFrame(frame, opts.export ?? null, opts.check ?? false), (r) => renderSummary(r, isIntraday(interval)));
}

function renderSummary(r: FrameSummary, intraday: boolean): string {
  const lines = [
    `${r.symbol} ${r.interval}: ${formatCount(r.rows)} rows x ${r.features} features of set "${r.set.name}" v${r.set.version} (hash ${r.set.hash.slice(0, 12)}), lookback ${r.lookback} bars${r.cached ? ', from cache' : ''}`,
    `rows ${formatTime(r.first, !intraday)} .. ${formatTime(r.last, !intraday)}; every feature defined from ${formatTime(r.firstCompleteRow, !intraday)}`,
  ];
  if (r.lookaheadChecked) lines.push('look-ahead check: passed (no feature changes at past rows when later bars change)');
  for (const l of r.labelsKnown) lines.push(`label ${l.name}: ${formatCount(l.known)} rows known`);
  if (r.exported) lines.push(`exported to ${r.exported}`);
  lines.push('', `latest values (${formatTime(r.last, !intraday)}):`);
  lines.push(table(['feature', 'group', 'value', 'NaN rows'], r.latest.map((f) => [f.name, f.group, f.value === null ? 'NaN' : Number(f.value.toPrecision(6)), f.nanRows]), ['l', 'l', 'r', 'r']));
  return lines.join('\n');
}

