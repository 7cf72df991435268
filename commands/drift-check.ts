/** `pulse drift-check SYMBOL --interval I [--model ID|active] ...`: exit 4 when the dataset drifted. */
import { ExitCode, ReportedError, UsageError } from '../src/core/errors.js';
import { parseOptions } from '../src/core/option-schema.js';
import { resolveFeatureSet, withContext } from '../src/dataset/feature-set-files.js';
import { driftCheck, type ColumnVerdict } from '../src/monitor/drift-check.js';
import { DRIFT_CHECK_OPTIONS } from '../src/monitor/drift-options.js';
import type { Context } from './context.js';
import { emit, formatTime, style, table } from './ui/output.js';

const fmt = (x: number | null) => (x === null ? '-' : Math.abs(x) >= 1e-3 || x === 0 ? x.toPrecision(4) : x.toExponential(2));

export async function driftCheckCommand(ctx: Context, symbol: string, raw: Record<string, unknown>): Promise<void> {
  const opts = parseOptions(DRIFT_CHECK_OPTIONS, raw);
  if (opts.retrain && opts.model === undefined) throw new UsageError('--retrain needs a model: it retrains the model\'s slot', 'add --model ID|active');
  if (opts.model !== undefined && opts.set !== undefined) throw new UsageError('--model and --set both name the features to check', 'give one: a model checks its own feature set');
  const set = opts.model === undefined ? withContext(resolveFeatureSet(ctx.home, opts.set ?? 'default'), []) : undefined;
  const checked = await driftCheck(await ctx.store(), {
    symbol: symbol.toUpperCase(),
    interval: opts.interval,
    model: opts.model,
    set: set && { spec: set.spec, references: set.references },
    reference: opts.reference,
    current: opts.current,
    method: opts.method,
    driftShare: ctx.config().clm.driftShare,
    pValueThreshold: ctx.config().clm.driftThreshold,
    now: ctx.now(),
    distributions: opts.report !== undefined,
    retrain: opts.retrain ?? false,
  });
  const { distributions, ...result } = checked;
  // The report is written before a drift exit, so the page that explains the exit is there to open.
  // the report's renderer and the job queue load only when asked for
  if (opts.report !== undefined) (await import('../src/monitor/drift-report.js')).writeDriftReport(opts.report, result, distributions ?? {}, ctx.now());
  const s = style(ctx);
  const row = (c: ColumnVerdict) => [c.feature, c.test, fmt(c.statistic), fmt(c.pValue), fmt(c.threshold), c.drifted ? s.red('drift') : 'ok', c.severity];
  emit(
    ctx,
    result,
    (r) =>
      [
        `${r.symbol} ${r.interval}${r.model ? ` (model ${r.model})` : ''}: reference ${formatTime(r.reference.from)}..${formatTime(r.reference.to)} (${r.reference.rows} bars), current ${formatTime(r.current.from)}..${formatTime(r.current.to)} (${r.current.rows} bars)`,
        table(['column', 'test', 'statistic', 'p-value', 'threshold', 'verdict', 'severity'], [...r.features.slice(0, 20).map(row), ...[r.prediction, r.target].filter((c): c is ColumnVerdict => c !== null).map(row)], ['l', 'l', 'r', 'r', 'r', 'l', 'l']),
        ...(r.features.length > 20 ? [`(${r.features.length - 20} more features; --json lists all)`] : []),
        ...(r.skipped.length ? [`skipped: ${r.skipped.map((x) => `${x.feature} (${x.reason})`).join(', ')}`] : []),
        `${r.datasetDrift ? s.red('dataset drift') : 'no dataset drift'}: ${Math.round(r.shareOfDriftedFeatures * 1000) / 10}% of ${r.features.length} features drifted (threshold ${r.driftShare * 100}%)`,
      ].join('\n'),
    { always: result.datasetDrift },
  );
  if (result.datasetDrift) {
    if (result.triggerRetraining && result.slot) {
      const { addJob } = await import('../src/pipeline/jobs/queue.js');
      const job = await addJob(await ctx.store(), { type: 'retrain', params: { slot: result.slot, trigger: 'drift' }, trigger: 'drift', seed: ctx.config().seed }, ctx.now());
      ctx.log.warn(`queued retrain job #${job.id} of ${result.slot} (pulse jobs run runs it)`);
    }
    const drifted = result.features.filter((f) => f.drifted);
    await ctx.notify({
      type: 'drift-found',
      severity: result.severity === 'high' ? 'critical' : 'warn',
      title: `dataset drift on ${result.symbol} ${result.interval}`,
      message: `${drifted.length} of ${result.features.length} features drifted: ${drifted.slice(0, 5).map((f) => f.feature).join(', ')}${drifted.length > 5 ? ', ...' : ''}`,
      fields: { symbol: result.symbol, interval: result.interval, modelId: result.model, share: result.shareOfDriftedFeatures, severity: result.severity },
    });
    throw new ReportedError(`dataset drift on ${result.symbol} ${result.interval}: ${result.features.filter((f) => f.drifted).length} of ${result.features.length} features drifted`, ExitCode.checkFailed, 'retrain the model on recent data (pulse train)');
  }
}
