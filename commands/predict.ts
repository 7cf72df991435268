/** `pulse predict` and `pulse predictions ls`. */
import { ExitCode, ReportedError } from '../src/core/errors.js';
import { isIntraday } from '../src/core/interval.js';
import { parseOptions } from '../src/core/option-schema.js';
import { PREDICT_OPTIONS, PREDICTIONS_LS_OPTIONS, predictRequest, replayRequest } from '../src/predict/options.js';
import { predict as runPredict, storedPredictions, type PredictResult } from '../src/predict/predict.js';
import type { ReplayResult } from '../src/predict/replay.js';
import type { Context } from './context.js';
import { emit, formatTime, style, table } from './ui/output.js';

const fmt = (v: number | null | undefined) => (typeof v === 'number' && Number.isFinite(v) ? Number(v.toPrecision(4)) : '-');

export async function predict(ctx: Context, symbols: string[], raw: Record<string, unknown>): Promise<void> {
  const opts = parseOptions(PREDICT_OPTIONS, raw);
  const replayed = replayRequest(symbols, opts, ctx.config());
  // the replay (and the backtest's cost and sizing rules it scores with) loads only to replay
  if (replayed) return replayCommand(ctx, await (await import('../src/predict/replay.js')).replay(replayed, { store: await ctx.store(), now: ctx.now, log: ctx.log, signal: ctx.signal, lock: ctx.lock }), isIntraday(replayed.interval));
  const request = predictRequest(symbols, opts, ctx.config());
  const result = await runPredict(request, { store: await ctx.store(), now: ctx.now, log: ctx.log });
  emit(ctx, result, (r) => render(ctx, r, isIntraday(request.interval)), { always: result.fallbacks.length > 0 });
  if (result.fallbacks.length > 0) {
    throw new ReportedError(
      `active model${result.fallbacks.length > 1 ? 's' : ''} ${result.fallbacks.map((f) => f.modelId).join(', ')} could not be loaded; the naive baseline was used (${result.fallbacks[0].error})`,
      ExitCode.data,
      'restore the model file or retrain; `pulse models show ID` shows where it should be',
    );
  }
  if (result.failures.length > 0) {
    const allFailed = result.predictions.length === 0;
    throw new ReportedError(result.failures.map((f) => `${f.symbol}${f.modelId ? ` ${f.modelId}` : ''}: ${f.error}`).join('; '), allFailed ? ExitCode.data : ExitCode.internal);
  }
}

function replayCommand(ctx: Context, result: ReplayResult, intraday: boolean): void {
  emit(ctx, result, (r) =>
    [
      table(
        ['symbol', 'model', 'status', 'trained to', 'predicted', 'skipped', 'first bar', 'last bar', 'outcomes'],
        r.models.map((m) => [m.symbol, m.modelId, m.status, formatTime(m.trainTo, !intraday), m.predicted, m.skipped, m.firstBar === null ? '-' : formatTime(m.firstBar, !intraday), m.lastBar === null ? '-' : formatTime(m.lastBar, !intraday), m.outcomesFilled]),
      ),
      `replayed ${r.predictions} prediction(s); filled ${r.outcomesFilled} outcome(s); bars at or before a model's training end are skipped`,
    ].join('\n'),
  );
  if (result.failures.length > 0) {
    throw new ReportedError(result.failures.map((f) => `${f.symbol}${f.modelId ? ` ${f.modelId}` : ''}: ${f.error}`).join('; '), result.predictions === 0 ? ExitCode.data : ExitCode.internal);
  }
}

function render(ctx: Context, r: PredictResult, intraday: boolean): string {
  const st = style(ctx);
  const color = (s: string) => (s === 'long' ? st.green(s) : s === 'short' ? st.red(s) : s);
  const lines = [
    table(
      ['symbol', 'bar', 'model', 'status', 'prediction', '80% interval', 'signal'],
      r.predictions.map((p) => [
        p.symbol,
        formatTime(p.barTs, !intraday),
        p.modelId,
        p.fallback ? st.yellow('naive fallback') : p.abTest ? `${p.status}, A/B ${p.abTest.arm}${p.abTest.served ? ' (serves)' : ''}` : p.status,
        fmt(p.value),
        p.intervals?.['80'] ? `${fmt(p.intervals['80'][0])} .. ${fmt(p.intervals['80'][1])}` : p.probabilities ? Object.entries(p.probabilities).map(([k, v]) => `P(${k})=${fmt(v)}`).join(' ') : '-',
        color(p.signal),
      ]),
    ),
  ];
  if (r.outcomesFilled) lines.push(`filled the outcome of ${r.outcomesFilled} earlier prediction(s)`);
  return lines.join('\n');
}

export async function predictionsLs(ctx: Context, symbol: string, raw: Record<string, unknown>): Promise<void> {
  const opts = parseOptions(PREDICTIONS_LS_OPTIONS, raw);
  const rows = await storedPredictions(await ctx.store(), symbol.toUpperCase(), { interval: opts.interval, modelId: opts.model, limit: opts.limit });
  const st = style(ctx);
  emit(ctx, { predictions: rows }, (r) =>
    r.predictions.length === 0
      ? `no predictions stored for ${symbol.toUpperCase()}`
      : table(
          ['bar', 'model', 'horizon', 'prediction', 'signal', 'outcome', 'hit', 'made'],
          r.predictions.map((p) => [formatTime(p.barTs), p.fallback ? `${p.modelId} (fallback)` : p.modelId, p.horizon, fmt(p.value), p.signal, fmt(p.outcome), p.hit === null ? '-' : p.hit ? st.green('yes') : st.red('no'), formatTime(p.createdAt)]),
        ),
  );
}
