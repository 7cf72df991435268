/** `pulse train`: options -> TrainRequest -> trainJob() -> summary. */
import { readFileSync } from 'node:fs';
import { ConfigError, ExitCode, ReportedError, UsageError, toError } from '../src/core/errors.js';
import { parseDateOption } from '../src/core/time.js';
import { resolveFeatureSet, withContext } from '../src/dataset/feature-sets.js';
import { parseInterval } from '../src/core/interval.js';
import { MODEL_FAMILIES, type ModelFamily } from '../src/models/model.js';
import type { EvalMetrics } from '../src/evaluation/reports.js';
import { MAX_FOLDS, MIN_FOLDS, type TrainWindow } from '../src/evaluation/splits.js';
import { parseTarget } from '../src/lifecycle/targets.js';
import { trainJob, type TrainJobResult, type TrainedModel } from '../src/train/train-job.js';
import type { Context } from './context.js';
import { emit, formatCount, formatTime, style, table } from './ui/output.js';
import { parseIntInRange, parsePositiveInt, parseSeed } from './ui/options.js';

export interface TrainOptions {
  interval: string;
  model: string;
  target: string;
  horizon: string;
  set: string;
  params?: string;
  paramsFile?: string;
  cv: string;
  folds: string;
  window: string;
  embargo?: string;
  testSize: string;
  pooled?: boolean;
  seed?: string;
  activate?: boolean;
  context?: string;
  deadZone?: string;
  classes?: string;
  trigger: string;
  from?: string;
  to?: string;
}

export async function train(ctx: Context, symbols: string[], opts: TrainOptions): Promise<void> {
  if (symbols.length === 0) throw new UsageError('name at least one symbol', 'e.g. pulse train AAPL --interval 1d --model lightgbm');
  if (!(MODEL_FAMILIES as readonly string[]).includes(opts.model)) {
    throw new UsageError(`unknown model "${opts.model}"`, `use one of: ${MODEL_FAMILIES.join(', ')}`);
  }
  const horizon = parsePositiveInt(opts.horizon, '--horizon', 10_000);
  const target = parseTarget(opts.target, {
    horizon,
    deadZone: opts.deadZone === undefined ? undefined : parseNumber(opts.deadZone, '--dead-zone'),
    classes: opts.classes === undefined ? undefined : parseClasses(opts.classes),
  });
  const contextSymbols = opts.context ? opts.context.split(',').map((s) => s.trim().toUpperCase()).filter(Boolean) : [];
  const { spec, references } = withContext(resolveFeatureSet(ctx.home, opts.set), contextSymbols);
  const testSize = parseNumber(opts.testSize, '--test-size');
  if (!(testSize >= 0 && testSize <= 0.9)) throw new UsageError(`--test-size ${opts.testSize} is out of range`, 'use a share between 0 and 0.9, e.g. 0.15');
  if (opts.cv !== 'walk-forward' && opts.cv !== 'purged-kfold') throw new UsageError(`unknown --cv "${opts.cv}"`, 'use walk-forward or purged-kfold');
  if (!['manual', 'schedule', 'drift', 'performance'].includes(opts.trigger)) throw new UsageError(`unknown --trigger "${opts.trigger}"`, 'use manual, schedule, drift or performance');
  const config = ctx.config();
  const result = await trainJob(
    {
      symbols: symbols.map((s) => s.toUpperCase()),
      interval: parseInterval(opts.interval),
      family: opts.model as ModelFamily,
      target,
      set: spec,
      references,
      params: { ...(opts.paramsFile ? readParamsFile(opts.paramsFile) : {}), ...(opts.params ? parseParams(opts.params) : {}) },
      cv: opts.cv,
      folds: parseIntInRange(opts.folds, '--folds', MIN_FOLDS, MAX_FOLDS),
      window: parseWindow(opts.window),
      embargo: opts.embargo === undefined ? horizon : parseNonNegativeInt(opts.embargo, '--embargo'),
      testSize,
      pooled: opts.pooled ?? false,
      seed: opts.seed === undefined ? config.seed : parseSeed(opts.seed),
      activate: opts.activate ?? false,
      trigger: opts.trigger as 'manual',
      ...trainingWindow(opts),
    },
    {
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
    },
  );
  emit(ctx, result, (r) => render(ctx, r));
  if (result.failures.length > 0) {
    throw new ReportedError(`${result.failures.length} of ${result.failures.length + result.models.length} trainings failed`, ExitCode.internal);
  }
}

/** `k=v,k=v`: numbers, true/false, else strings. */
export function parseParams(text: string): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const item of text.split(',').map((s) => s.trim()).filter(Boolean)) {
    const eq = item.indexOf('=');
    if (eq <= 0) throw new UsageError(`--params item "${item}" is not key=value`, 'e.g. --params learning_rate=0.05,num_leaves=15');
    const key = item.slice(0, eq).trim();
    const raw = item.slice(eq + 1).trim();
    out[key] = raw === 'true' ? true : raw === 'false' ? false : raw !== '' && Number.isFinite(Number(raw)) ? Number(raw) : raw;
  }
  return out;
}

function readParamsFile(file: string): Record<string, unknown> {
  let doc: unknown;
  try {
    doc = JSON.parse(readFileSync(file, 'utf8'));
  } catch (err) {
    throw new ConfigError(`cannot read --params-file ${file}: ${toError(err).message}`, 'give a JSON object of parameters');
  }
  if (typeof doc !== 'object' || doc === null || Array.isArray(doc)) throw new ConfigError(`--params-file ${file} must hold a JSON object`, 'e.g. {"learning_rate": 0.05}');
  return doc as Record<string, unknown>;
}

function parseWindow(text: string): TrainWindow {
  if (text === 'expanding') return { kind: 'expanding' };
  const m = /^rolling:(\d+)$/.exec(text);
  if (m && Number(m[1]) >= 10) return { kind: 'rolling', size: Number(m[1]) };
  throw new UsageError(`--window "${text}" is not valid`, 'use expanding or rolling:N with N >= 10 bars');
}

function parseNumber(text: string, name: string): number {
  const n = Number(text);
  if (text.trim() === '' || !Number.isFinite(n)) throw new UsageError(`${name} "${text}" is not a number`);
  return n;
}

function parseNonNegativeInt(text: string, name: string): number {
  const n = Number(text);
  if (!Number.isInteger(n) || n < 0) throw new UsageError(`${name} "${text}" is not valid`, 'use a whole number >= 0');
  return n;
}

function parseClasses(text: string): 'binary' | 'ternary' {
  if (text === 'binary' || text === 'ternary') return text;
  throw new UsageError(`--classes "${text}" is not valid`, 'use binary (up/down) or ternary (up/flat/down)');
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

/** `--from/--to`: the training window (labels as known at `--to`). */
function trainingWindow(opts: TrainOptions): { from?: number; to?: number } {
  const from = opts.from === undefined ? undefined : parseDateOption(opts.from, '--from');
  const to = opts.to === undefined ? undefined : parseDateOption(opts.to, '--to');
  if (from !== undefined && to !== undefined && from >= to) throw new UsageError('--from must be before --to', 'the training window is [--from, --to)');
  return { from, to };
}
