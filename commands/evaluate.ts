/** `pulse evaluate [SYMBOL] --interval I [--last N | --from DATE --to DATE] [--by day|week|month]`. */
import { isIntraday } from '../src/core/interval.js';
import { parseOptions } from '../src/core/option-schema.js';
import { evaluate, type EvaluateResult, type ModelMetrics } from '../src/monitor/evaluate.js';
import { EVALUATE_OPTIONS, evaluateWindow } from '../src/monitor/evaluate-options.js';
import type { Context } from './context.js';
import { emit, formatTime, style, table } from './ui/output.js';

const fmt = (x: number | null) => (x === null ? '-' : Math.abs(x) >= 1e-3 || x === 0 ? Number(x.toPrecision(4)) : x.toExponential(2));
const pct = (x: number | null) => (x === null ? '-' : `${(x * 100).toFixed(1)}%`);

export async function evaluateCommand(ctx: Context, symbol: string | undefined, raw: Record<string, unknown>): Promise<void> {
  const opts = parseOptions(EVALUATE_OPTIONS, raw);
  const clm = ctx.config().clm;
  const result = await evaluate(await ctx.store(), {
    symbol: symbol?.toUpperCase(),
    interval: opts.interval,
    ...evaluateWindow(opts),
    by: opts.by,
    degradation: { degradationPct: clm.degradationPct, degradationMin: clm.degradationMin },
    now: ctx.now(),
    lock: ctx.lock,
    signal: ctx.signal,
  });
  emit(ctx, result, (r) => render(ctx, r));
}

const HEADERS = ['model', 'status', 'n', 'rmse', 'mae', 'log loss', 'dir. acc.', 'IC', 'Pearson IC', 'hit rate (95% CI)', 'signal return', 'Sharpe', 'profit factor'];
const ALIGN: ('l' | 'r')[] = ['l', 'l', 'r', 'r', 'r', 'r', 'r', 'r', 'r', 'r', 'r', 'r', 'r'];

function row(m: ModelMetrics): (string | number)[] {
  const hit = m.hitRate === null ? '-' : `${pct(m.hitRate)} (${pct(m.hitInterval![0])}..${pct(m.hitInterval![1])})`;
  return [m.modelId, m.status, m.n, fmt(m.rmse), fmt(m.mae), fmt(m.logLoss), pct(m.directionalAccuracy), fmt(m.ic), fmt(m.pearsonIc), hit, pct(m.signalReturn), fmt(m.sharpe), fmt(m.profitFactor)];
}

function render(ctx: Context, r: EvaluateResult): string {
  const s = style(ctx);
  const dateOnly = !isIntraday(r.interval);
  const out: string[] = [];
  for (const slot of r.slots) {
    out.push(`${slot.slot} on ${slot.symbol}: ${slot.n} paired bars with outcomes${slot.n ? ` (${formatTime(slot.from, dateOnly)}..${formatTime(slot.to, dateOnly)})` : ''}` +
      `${slot.periodsPerYear === null ? `; no Sharpe: the ${slot.calendar} calendar has no periods per year` : ''}`);
    if (slot.n === 0) {
      out.push(`  predictions with outcomes: ${slot.models.map((m) => `${m.modelId} ${m.withOutcomes}`).join(', ')}`);
      continue;
    }
    out.push(table(HEADERS, slot.metrics.map(row), ALIGN));
    if (slot.periods.length > 0) {
      out.push(table(['period', ...HEADERS], slot.periods.flatMap((p) => p.models.map((m) => [formatTime(p.start, true), ...row(m)])), ['l', ...ALIGN]));
    }
    const d = slot.degradation;
    if (d) out.push(`${d.degraded ? s.red('degraded') : 'not degraded'}: ${d.reasons.join('; ')}`);
  }
  if (r.recorded > 0) out.push(`recorded ${r.recorded} performance-history row(s)`);
  return out.join('\n');
}
