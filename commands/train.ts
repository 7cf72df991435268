/** `pulse train`: options -> TrainRequest (src/train/options.ts) -> trainJob() -> summary. */
import { ExitCode, ReportedError } from '../src/core/errors.js';
import { parseOptions } from '../src/core/option-schema.js';
import type { EvalMetrics } from '../src/evaluation/reports.js';
import { bestParamsOf } from '../src/optimize/results.js';
import { TRAIN_OPTIONS } from '../src/train/options.js';
import { trainRequest } from '../src/train/request.js';
import { trainJob, type TrainJobResult, type TrainedModel } from '../src/train/train-job.js';
import type { Context } from './context.js';
import { emit, formatCount, formatTime, style, table } from './ui/output.js';

export async function train(ctx: Context, symbols: string[], raw: Record<string, unknown>): Promise<void> {
  const opts = parseOptions(TRAIN_OPTIONS, raw);
  const fromStudy = opts.paramsFrom === undefined ? undefined : await bestParamsOf(await ctx.store(), opts.paramsFrom);
  const request = trainRequest(symbols, opts, ctx.config(), ctx.home, fromStudy);
  const result = await trainJob(request, {
    store: await ctx.store(),
    home: ctx.home,
    now: ctx.now,
    log: ctx.log,
    lock: ctx.lock,
    signal: ctx.signal,
    onProgress: (sym, p) => {
      if (p.phase === 'fold') ctx.log.info(`${sym}: fold ${p.fold}/${p.folds}: ${foldScore(p.metrics, p.baseline)}${p.bestIteration ? `, best iteration ${p.bestIteration}` : ''}`);
      else if (p.phase === 'final') ctx.log.info(`${sym}: final model fitted`);
    },
  });
  emit(ctx, result, (r) => render(ctx, r));
  if (result.failures.length > 0) {
    throw new ReportedError(`${result.failures.length} of ${result.failures.length + result.models.length} trainings failed`, ExitCode.internal);
  }
}

/** The fold's headline metric beside the naive baseline's, e.g. `rmse 0.0161 (naive 0.0160)`. */
function foldScore(m: EvalMetrics | undefined, base: EvalMetrics | undefined): string {
  const key = m && 'rmse' in m ? 'rmse' : 'auc';
  const get = (x: EvalMetrics | undefined) => (x as unknown as Record<string, unknown> | undefined)?.[key];
  return `${key} ${fmt(get(m))} (naive ${fmt(get(base))})`;
}

const fmt = (v: unknown) => (typeof v === 'number' && Number.isFinite(v) ? Number(v.toPrecision(4)) : '-');

function render(ctx: Context, r: TrainJobResult): string {
  const st = style(ctx);
  const lines: string[] = [];
  for (const m of r.models) lines.push(...renderModel(ctx, m), '');
  for (const f of r.failures) lines.push(st.red(`${f.symbols.join('+')}: ${f.error}`));
  lines.push(`job #${r.jobId} ${r.status === 'completed' ? st.green('completed') : st.red(r.status)}: ${r.models.length} model(s) registered`);
  return lines.join('\n');
}

function renderModel(ctx: Context, m: TrainedModel): string[] {
  const st = style(ctx);
  const keys = m.model.metrics.task === 'regression' ? ['rmse', 'mae', 'r2', 'directionalAccuracy', 'ic'] : ['logLoss', 'auc', 'accuracy', 'brier'];
  const row = (name: string, x: Record<string, unknown> | null | undefined) => [name, ...keys.map((k) => fmt(x?.[k]))];
  const lines = [
    `${st.bold(m.model.id)} (${m.model.status}) ${m.model.family} on ${m.symbols.join('+')} ${m.model.interval}, target ${m.model.target} h=${m.model.horizon}, seed ${m.model.seed}`,
    `  ${formatCount(m.rows.labelled)} labelled rows: ${formatCount(m.rows.development)} for cross-validation and the final fit, ${formatCount(m.rows.test)} held out as the test tail; trained in ${(m.trainMs / 1000).toFixed(2)} s`,
    table(['', ...keys], [row('cv mean', m.cvMetrics), row('cv naive', m.baselineCvMetrics), row('test', m.testMetrics as Record<string, unknown> | null), row('test naive', m.baselineTestMetrics as Record<string, unknown> | null)], ['l', ...keys.map(() => 'r' as const)])
      .split('\n')
      .map((l) => `  ${l}`)
      .join('\n'),
  ];
  if (m.conformal) {
    lines.push(`  prediction intervals: ${m.conformal.levels.map((l) => `${Math.round(l.coverage * 100)}% +-${fmt(l.halfWidth)} (test coverage ${Number.isNaN(l.testCoverage) ? '-' : `${(l.testCoverage * 100).toFixed(1)}%`})`).join(', ')}`);
  }
  if (m.topFeatures.length) lines.push(`  top features: ${m.topFeatures.slice(0, 6).map((f) => `${f.feature} ${(f.importance * 100).toFixed(1)}%`).join(', ')}`);
  lines.push(`  data ${formatTime(m.model.trainFrom)} .. ${formatTime(m.model.trainTo)}, file ${m.model.filePath}`);
  return lines;
}
