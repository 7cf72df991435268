/**
 * `pulse optimize SYMBOL ...` (run or resume a study), `pulse optimize ls` and `pulse optimize show STUDY`:
 * options -> request (src/optimize/request.ts) -> one domain call -> render.
 */
import { DataError, ExitCode, ReportedError } from '../src/core/errors.js';
import { parseOptions } from '../src/core/option-schema.js';
import { OPTIMIZE_LS_OPTIONS, OPTIMIZE_OPTIONS, OPTIMIZE_SHOW_OPTIONS } from '../src/optimize/options.js';
import { optimizeRequest } from '../src/optimize/request.js';
import { studyReport, studySummaries, type StudyReport, type TrialView } from '../src/optimize/results.js';
import { runOptimize, type OptimizeDeps, type OptimizeProgress, type OptimizeRunResult } from '../src/optimize/run-study.js';
import type { Context } from './context.js';
import { emit, formatTime, style, table } from './ui/output.js';
import { toYaml } from './ui/yaml.js';
import { isAbsolute, resolve } from 'node:path';
import { writeStudyReportHtml } from '../src/optimize/report-html.js';
import type { OptimizeRequest } from '../src/optimize/run-study.js';
import { walkForwardDocument, walkForwardSummaries, type WalkForwardDocument } from '../src/optimize/walk-forward/document.js';
import { writeWalkForwardReportHtml } from '../src/optimize/walk-forward/report-html.js';
import { runWalkForward, type WalkForwardRunResult } from '../src/optimize/walk-forward/run.js';

const fmt = (v: number | null | undefined): string =>
  v === null || v === undefined || !Number.isFinite(v) ? '-' : Math.abs(v) >= 1e-3 || v === 0 ? String(Number(v.toPrecision(5))) : v.toExponential(3);

const fmtParam = (v: unknown): string => (typeof v === 'number' ? fmt(v) : JSON.stringify(v));

function seconds(ms: number): string {
  const s = Math.max(0, Math.round(ms / 1000));
  return s >= 3600 ? `${Math.floor(s / 3600)}h${String(Math.floor((s % 3600) / 60)).padStart(2, '0')}m` : s >= 60 ? `${Math.floor(s / 60)}m${String(s % 60).padStart(2, '0')}s` : `${s}s`;
}

/** The live line of an interactive terminal: trial, best value, pruned count, ETA. */
function progressLine(p: OptimizeProgress): string {
  const left = Math.max(0, p.target - p.ended);
  const eta = p.ran > 0 && left > 0 ? `, ETA ${seconds((p.elapsedMs / p.ran) * left)}` : '';
  return `${p.study}: trial ${p.ended}/${p.target}, best ${fmt(p.best)}, ${p.counts.pruned} pruned, ${p.counts.failed} failed${eta}`;
}

export async function optimizeRun(ctx: Context, symbol: string, raw: Record<string, unknown>): Promise<void> {
  const opts = parseOptions(OPTIMIZE_OPTIONS, raw);
  const request = optimizeRequest(symbol, opts, ctx.config(), ctx.home);
  let drawn = false;
  const clear = () => {
    if (drawn) ctx.stderr.write('\r\u001b[K');
    drawn = false;
  };
  let last = '';
  const draw = (line: string) => {
    // One terminal row, so the next draw clears all of it.
    const width = (ctx.stderr as { columns?: number }).columns ?? 0;
    ctx.stderr.write(`\r\u001b[K${width > 1 && line.length >= width ? line.slice(0, width - 1) : line}`);
    drawn = true;
  };
  if (request.walkForward) return optimizeWalkForward(ctx, request, opts.report, draw, clear, (l) => (last = l));
  let result: OptimizeRunResult;
  try {
    result = await runOptimize(request, {
      ...(await runDeps(ctx, clear)),
      onFold: (trial, fold, folds) => {
        if (ctx.interactive) draw(`${last || `${request.study}:`} (trial ${trial}: fold ${fold}/${folds})`);
      },
      onProgress: (p) => {
        if (ctx.interactive) {
          last = progressLine(p);
          draw(last);
        } else {
          const what = p.trial.state === 'failed' ? `failed: ${p.trial.failReason}` : `${p.trial.state}${p.trial.value === null ? '' : ` ${fmt(p.trial.value)}`}${p.trial.state === 'pruned' ? ` after fold ${(p.trial.intermediate.at(-1)?.step ?? 0) + 1}` : ''}`;
          ctx.log.info(`trial ${p.trial.number} ${what} (${p.ended}/${p.target}, best ${fmt(p.best)})`);
        }
      },
    });
  } finally {
    clear();
  }
  if (opts.report !== undefined) writeStudyReportHtml(reportPath(ctx, opts.report), await studyReport(await ctx.store(), result.study), ctx.now());
  emit(ctx, result, (r) => renderRun(ctx, r));
  if (!result.bestTrial) {
    const failed = result.counts.failed;
    throw new ReportedError(`study ${result.study} has no complete trial (${failed} failed)`, ExitCode.data, `see why with pulse optimize show ${result.study}`);
  }
}

/** What both runners take from the context; a log line first clears the progress line drawn on stderr. */
async function runDeps(ctx: Context, clear: () => void): Promise<Pick<OptimizeDeps, 'store' | 'now' | 'log' | 'lock' | 'signal'>> {
  return {
    store: await ctx.store(),
    now: ctx.now,
    log: { info: (m) => (clear(), ctx.log.info(m)), warn: (m) => (clear(), ctx.log.warn(m)), debug: (m) => ctx.log.debug(m) },
    lock: ctx.lock,
    signal: ctx.signal,
  };
}

const reportPath = (ctx: Context, file: string): string => (isAbsolute(file) ? file : resolve(ctx.cwd, file));

/** `pulse optimize ... --walk-forward N`: one study per window, then the walk-forward document. */
async function optimizeWalkForward(ctx: Context, request: OptimizeRequest, report: string | undefined, draw: (line: string) => void, clear: () => void, setLast: (line: string) => void): Promise<void> {
  let result: WalkForwardRunResult;
  let window = '';
  try {
    result = await runWalkForward(request, {
      ...(await runDeps(ctx, clear)),
      onWindow: (e) => {
        window = `window ${e.index}/${e.windows}`;
        if (e.inSampleValue === undefined) return;
        clear();
        ctx.log.info(`${e.study}: ${e.reused ? 'reused, ' : ''}in sample ${fmt(e.inSampleValue)}, out of sample ${fmt(e.outOfSampleValue)}`);
      },
      onFold: (trial, fold, folds) => {
        if (ctx.interactive) draw(`${request.study} ${window}: trial ${trial}, fold ${fold}/${folds}`);
      },
      onProgress: (p) => {
        if (ctx.interactive) {
          const line = `${window}: ${progressLine(p)}`;
          setLast(line);
          draw(line);
        } else {
          ctx.log.info(`${p.study}: trial ${p.trial.number} ${p.trial.state}${p.trial.value === null ? '' : ` ${fmt(p.trial.value)}`} (${p.ended}/${p.target}, best ${fmt(p.best)})`);
        }
      },
    });
  } finally {
    clear();
  }
  if (report !== undefined) writeWalkForwardReportHtml(reportPath(ctx, report), result, ctx.now());
  emit(ctx, result, (r) => renderWalkForward(ctx, r));
}

const day = (ms: number) => new Date(ms).toISOString().slice(0, 10);

function renderWalkForward(ctx: Context, r: WalkForwardDocument & Partial<Pick<WalkForwardRunResult, 'ranWindows' | 'reusedWindows'>>): string {
  const st = style(ctx);
  const wf = r.walkForward;
  const lines = [
    `${st.bold(r.study)}: walk-forward of ${r.model} on ${r.symbol} ${r.interval}, ${r.objective} (${r.direction}), ${r.windowsPlanned} ${wf.scheme} windows, seed ${r.seed}`,
  ];
  if (r.ranWindows !== undefined) lines.push(`  ${r.ranWindows} window(s) run now, ${r.reusedWindows} reused`);
  else if (!r.complete) lines.push(`  ${st.yellow(`${wf.windows.length} of ${r.windowsPlanned} windows complete`)} (resume with the same pulse optimize --walk-forward command)`);
  const names = Object.keys(wf.stability);
  lines.push('', table(
    ['window', 'in sample', 'bars', 'out of sample', 'bars', 'IS value', 'OOS value', 'efficiency', ...names],
    wf.windows.map((w) => [w.index, `${day(w.inSample.from)}..${day(w.inSample.to)}`, w.inSample.bars, `${day(w.outOfSample.from)}..${day(w.outOfSample.to)}`, w.outOfSample.bars,
      fmt(w.inSampleValue), w.outOfSampleValue === null ? `- (${w.outOfSampleNote ?? 'undefined'})` : fmt(w.outOfSampleValue), fmt(w.efficiency), ...names.map((n) => (w.bestParams[n] === undefined ? '-' : fmtParam(w.bestParams[n])))]),
    ['r', 'l', 'r', 'l', 'r', 'r', 'r', 'r', ...names.map(() => 'r' as const)],
  ), '');
  const formula = r.direction === 'minimize' ? 'in-sample / out-of-sample' : 'out-of-sample / in-sample';
  lines.push(`  mean efficiency ${st.bold(fmt(wf.efficiency))} over ${wf.efficiencyWindows} window(s) (${formula}; 1 = no degradation)`);
  if (names.length) {
    lines.push('  parameter stability across windows:');
    for (const n of names) {
      const s = wf.stability[n];
      lines.push(`    ${n}: ${s.kind === 'numeric' ? `mean ${fmt(s.mean)}, std ${fmt(s.std)}, cv ${fmt(s.cv)}` : `mode ${JSON.stringify(s.mode)} in ${(s.modeShare * 100).toFixed(0)}% of windows`}`);
    }
  }
  return lines.join('\n');
}

function renderRun(ctx: Context, r: OptimizeRunResult): string {
  const st = style(ctx);
  const lines = [
    `${st.bold(r.study)}: ${r.model} on ${r.symbol} ${r.interval}, ${r.objective} (${r.direction}), seed ${r.seed}`,
    `  ${r.ran} trial(s) run now; the study has ${r.counts.complete} complete, ${r.counts.pruned} pruned, ${r.counts.failed} failed (stopped by ${r.stoppedBy})`,
  ];
  if (r.bestTrial) {
    lines.push(`  best trial #${r.bestTrial.number}: ${r.objective} ${st.green(fmt(r.bestTrial.value))}`);
    for (const [k, v] of Object.entries(r.bestTrial.params)) lines.push(`    ${k} = ${fmtParam(v)}`);
  } else {
    lines.push(`  ${st.yellow('no complete trial yet')}`);
  }
  if (r.registered) lines.push(`  registered ${st.bold(r.registered.id)} (${r.registered.status}) in slot ${r.registered.slot}`);
  lines.push(st.dim(`  peak memory ${r.peakMemoryMB} MB`));
  return lines.join('\n');
}

export async function optimizeLs(ctx: Context, raw: Record<string, unknown>): Promise<void> {
  const opts = parseOptions(OPTIMIZE_LS_OPTIONS, raw);
  const studies = await studySummaries(await ctx.store(), { symbol: opts.symbol });
  const walkForwards = await walkForwardSummaries(await ctx.store(), { symbol: opts.symbol });
  emit(ctx, { studies, walkForwards }, (r) => {
    if (r.studies.length === 0) return 'no studies (start one: pulse optimize SYMBOL --interval 1d --model lightgbm)';
    const lines = [table(
      ['study', 'symbol', 'interval', 'model', 'objective', 'trials', 'complete', 'pruned', 'failed', 'best', 'best #', 'created'],
      r.studies.map((s) => [s.study, s.symbol, s.interval, s.model, s.objective, s.trials, s.complete, s.pruned, s.failed, fmt(s.bestValue), s.bestTrial, formatTime(s.createdAt)]),
      ['l', 'l', 'l', 'l', 'l', 'r', 'r', 'r', 'r', 'r', 'r', 'l'],
    )];
    if (r.walkForwards.length > 0) {
      lines.push('', table(
        ['walk-forward', 'symbol', 'interval', 'model', 'objective', 'scheme', 'windows', 'complete', 'efficiency', 'created'],
        r.walkForwards.map((w) => [w.study, w.symbol, w.interval, w.model, w.objective, w.scheme, w.windows, w.completeWindows, fmt(w.efficiency), formatTime(w.createdAt)]),
        ['l', 'l', 'l', 'l', 'l', 'l', 'r', 'r', 'r', 'l'],
      ));
    }
    return lines.join('\n');
  });
}

/** The `show` document: `{ study, direction, bestTrial, importance, trials }` plus the study's settings. */
function showDocument(r: StudyReport) {
  const trial = (t: TrialView) => ({ number: t.number, state: t.state, value: t.value, params: t.params, intermediate: t.intermediate, step: t.step, failReason: t.failReason, startedAt: t.startedAt, finishedAt: t.finishedAt });
  return {
    study: r.study,
    direction: r.direction,
    bestTrial: r.bestTrial && trial(r.bestTrial),
    importance: r.importance,
    trials: r.trials.map(trial),
    subject: r.subject,
    sampler: r.sampler,
    pruner: r.pruner,
    seed: r.seed,
    createdAt: r.createdAt,
    space: r.space,
  };
}

export async function optimizeShow(ctx: Context, name: string, raw: Record<string, unknown>): Promise<void> {
  const opts = parseOptions(OPTIMIZE_SHOW_OPTIONS, raw);
  const wf = await walkForwardDocument(await ctx.store(), name);
  if (wf) {
    // A walk-forward optimisation: its document; `-f value` its mean efficiency.
    if (opts.report !== undefined) writeWalkForwardReportHtml(reportPath(ctx, opts.report), wf, ctx.now());
    return printShown(ctx, opts.format, wf, () => {
      if (wf.walkForward.efficiency === null) throw new DataError(`walk-forward "${wf.study}" has no window with a defined efficiency, so it has no value`, 'show it as a table to see each window');
      return wf.walkForward.efficiency;
    }, () => renderWalkForward(ctx, wf));
  }
  const report = await studyReport(await ctx.store(), name);
  if (opts.report !== undefined) writeStudyReportHtml(reportPath(ctx, opts.report), report, ctx.now());
  return printShown(ctx, opts.format, showDocument(report), () => {
    if (!report.bestTrial) throw new DataError(`study "${name}" has no complete trial, so it has no best value`, 'run more trials, or show the study as a table to see why trials failed');
    return report.bestTrial.value;
  }, () => renderShow(ctx, report));
}

/** `show -f table|json|yaml|value` of a document: `value` is its one figure, `table` its rendering. */
function printShown(ctx: Context, format: string | undefined, doc: object, value: () => number | null, render: () => string): void {
  if (ctx.json) return emit(ctx, doc, () => '');
  if (ctx.quiet) return;
  switch (format ?? 'table') {
    case 'json':
      ctx.stdout.write(`${JSON.stringify(doc, null, 2)}\n`);
      return;
    case 'yaml':
      ctx.stdout.write(toYaml(doc));
      return;
    case 'value':
      ctx.stdout.write(`${value()}\n`);
      return;
    default:
      ctx.stdout.write(`${render()}\n`);
  }
}

function renderShow(ctx: Context, r: StudyReport): string {
  const st = style(ctx);
  const s = r.subject;
  const count = (state: string) => r.trials.filter((t) => t.state === state).length;
  const lines = [
    `${st.bold(r.study)}: ${s.model} on ${s.symbol} ${s.interval}, target ${s.target} h=${s.horizon}, ${s.objective} (${r.direction})`,
    `  sampler ${r.sampler}, pruner ${r.pruner}, seed ${r.seed}, ${s.cv} cross-validation with ${s.folds} folds, created ${formatTime(r.createdAt)}`,
    `  ${r.trials.length} trials: ${count('complete')} complete, ${count('pruned')} pruned, ${count('failed')} failed, ${count('running')} running`,
  ];
  if (r.bestTrial) {
    lines.push(`  best trial #${r.bestTrial.number}: ${st.green(fmt(r.bestTrial.value))}`);
    for (const [k, v] of Object.entries(r.bestTrial.params)) lines.push(`    ${k} = ${fmtParam(v)}`);
  }
  if (r.importance) lines.push(`  importance: ${r.importance.map((i) => `${i.param} ${(i.importance * 100).toFixed(1)}%`).join(', ')}`);
  else if (r.importanceNote) lines.push(`  importance: ${st.dim(r.importanceNote)}`);
  const names = Object.keys(r.space);
  lines.push('', table(
    ['#', 'state', 'value', 'step', ...names, 'note'],
    r.trials.map((t) => [t.number, t.state, fmt(t.value), t.step, ...names.map((n) => (t.params[n] === undefined ? '-' : fmtParam(t.params[n]))), t.failReason ?? '']),
    ['r', 'l', 'r', 'r', ...names.map(() => 'r' as const), 'l'],
  ));
  return lines.join('\n');
}
