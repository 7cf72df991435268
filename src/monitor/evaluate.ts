/**
 * `pulse evaluate`: how the models of a slot (the active model and its shadows) have done on the bars they all
 * predicted, with the outcomes known (paired: every model is scored on the same bars, so the figures compare).
 *
 * Per model, on the paired bars of the window (all of them, the newest `last`, or those in [from, to)):
 * - `rmse`, `mae` of the stored forecast against the outcome (regression; the outcome is the forward log return),
 *   or `logLoss`, the mean log loss of the probability given to the class that happened (classification);
 * - `directionalAccuracy`: the sign of the forecast (binary: P(up) - 1/2) against the sign of the realised forward
 *   log return; `ic` (Spearman, Qlib's Rank IC) and `pearsonIc` (Pearson, Qlib's IC) of the forecast against it;
 * - `hitRate`: the share of long and short signals whose direction came true (flat signals make no call), with its
 *   95% Wilson score interval;
 * - the signals' returns: side (+1 long, -1 short, 0 flat) x the realised simple return over the horizon,
 *   exp(forward log return) - 1, without costs. For classification targets the return comes from the stored bars (the
 *   outcome is a class); `signalReturn` is their sum, `sharpe` their annualised Sharpe ratio (mean / sd x
 *   sqrt(periods per year / horizon), the series calendar's periods as `pulse backtest` uses them; null on a calendar
 *   without a schedule, `none`), `profitFactor` gross gains / gross losses of the non-flat bars.
 * Undefined figures are null (no rows, a constant side, no loss).
 *
 * With `by`, the same metrics per UTC day, ISO week (from Monday) or calendar month, recorded in the store's
 * performance history (one row per model, symbol and period; a re-evaluated period replaces its row).
 *
 * The active model's degradation (degradation.ts) is judged on its own predictions with outcomes in the window.
 */
import { groupBy } from '../core/arrays.js';
import { InterruptedError, UsageError, DataError } from '../core/errors.js';
import type { Interval } from '../core/interval.js';
import { slotScope, type LockFn } from '../core/lock.js';
import { profitFactor, sharpe, wilsonInterval } from '../backtest/stats/metrics.js';
import { METRICS } from '../evaluation/metric/metrics.js';
import { computeLabels } from '../features/labels.js';
import type { TargetSpec } from '../lifecycle/targets.js';
import { storedCalendar } from '../market/calendars/resolve.js';
import { hitOf } from '../predict/predict.js';
import { listModels, type ModelVersion } from '../registry/registry.js';
import type { PerformanceRecord, PerformanceSource, PredictionRecord } from '../store/records.js';
import type { Store } from '../store/store.js';
import { judgeDegradation, type DegradationPolicy, type DegradationResult } from './degradation.js';
import { lossOf } from './promotion.js';

export const PERIODS = ['day', 'week', 'month'] as const;
export type Period = (typeof PERIODS)[number];

export interface EvaluateRequest {
  /** One symbol, or every symbol with models of the interval. */
  symbol?: string;
  interval: Interval;
  /** The newest `last` paired bars, or bars in [from, to); neither: every paired bar. */
  last?: number;
  from?: number;
  to?: number;
  by?: Period;
  degradation: DegradationPolicy;
  now: number;
  /** Takes the slot's lock while its performance history is written. */
  lock?: LockFn;
  signal?: AbortSignal;
}

/** One model's figures on a set of bars (see the module note). */
export interface ModelMetrics {
  modelId: string;
  status: string;
  n: number;
  rmse: number | null;
  mae: number | null;
  logLoss: number | null;
  directionalAccuracy: number | null;
  ic: number | null;
  pearsonIc: number | null;
  /** Long and short signals with outcomes, and how many came true. */
  calls: number;
  hits: number;
  hitRate: number | null;
  hitInterval: [number, number] | null;
  signalReturn: number | null;
  sharpe: number | null;
  profitFactor: number | null;
}

export interface PeriodMetrics {
  start: number;
  end: number;
  models: ModelMetrics[];
}

/** One slot's evaluation on one symbol. */
export interface SlotEvaluation {
  slot: string;
  symbol: string;
  target: string;
  task: string;
  horizon: number;
  /** Annualisation of the Sharpe ratio: the calendar's periods per year (null: the calendar has none). */
  periodsPerYear: number | null;
  calendar: string;
  /** Every model of the slot with how many of its predictions have outcomes. */
  models: { modelId: string; status: string; withOutcomes: number }[];
  /** Paired bars with outcomes in the window, and their range. */
  n: number;
  from: number | null;
  to: number | null;
  metrics: ModelMetrics[];
  periods: PeriodMetrics[];
  degradation: DegradationResult | null;
}

export interface EvaluateResult {
  interval: Interval;
  by: Period | null;
  slots: SlotEvaluation[];
  /** Performance-history rows written (with `by`). */
  recorded: number;
}

const orNull = (x: number | null | undefined): number | null => (typeof x === 'number' && Number.isFinite(x) ? x : null);

/** Start of the UTC day, ISO week (Monday) or month holding `t`, and the start of the next. */
export function periodOf(t: number, by: Period): [number, number] {
  const d = new Date(t);
  const y = d.getUTCFullYear();
  const m = d.getUTCMonth();
  const day = Date.UTC(y, m, d.getUTCDate());
  if (by === 'day') return [day, day + 86_400_000];
  if (by === 'week') {
    const start = day - ((d.getUTCDay() + 6) % 7) * 86_400_000;
    return [start, start + 7 * 86_400_000];
  }
  return [Date.UTC(y, m, 1), Date.UTC(y, m + 1, 1)];
}

/** A model's paired rows: its prediction and the realised forward log return of each bar. */
interface Rows {
  predictions: PredictionRecord[];
  realised: Float64Array;
}

/** The figures of one model on rows (see the module note). */
export function modelMetrics(version: ModelVersion, rows: Rows, perYear: number | null): ModelMetrics {
  const { predictions: ps, realised } = rows;
  const n = ps.length;
  const task = (version.metrics as { task?: string }).task ?? 'regression';
  const target = (version.metrics as { target?: TargetSpec }).target;
  const value = Float64Array.from(ps, (p) => p.value);
  const outcome = Float64Array.from(ps, (p) => p.outcome as number);
  const centred = task === 'binary' ? value.map((v) => v - 0.5) : value;
  let logLoss: number | null = null;
  if (task !== 'regression' && n > 0) {
    let s = 0;
    for (const p of ps) s += lossOf(p).value;
    logLoss = s / n;
  }
  let hits = 0;
  let calls = 0;
  const returns = new Float64Array(n);
  const traded: number[] = [];
  for (let i = 0; i < n; i++) {
    const hit = hitOf(ps[i].signal, ps[i].outcome, target);
    if (hit !== null) {
      calls++;
      if (hit) hits++;
    }
    const side = ps[i].signal === 'long' ? 1 : ps[i].signal === 'short' ? -1 : 0;
    returns[i] = side === 0 ? 0 : side * Math.expm1(realised[i]);
    if (side !== 0) traded.push(returns[i]);
  }
  const finite = returns.every(Number.isFinite);
  let total = 0;
  for (const r of returns) total += r;
  return {
    modelId: version.id,
    status: version.status,
    n,
    rmse: task === 'regression' ? orNull(METRICS.rmse.evaluate(outcome, value, 1)) : null,
    mae: task === 'regression' ? orNull(METRICS.mae.evaluate(outcome, value, 1)) : null,
    logLoss: orNull(logLoss),
    directionalAccuracy: orNull(METRICS.directional_accuracy.evaluate(realised, centred, 1)),
    ic: orNull(METRICS.ic.evaluate(realised, value, 1)),
    pearsonIc: orNull(METRICS.pearson_ic.evaluate(realised, value, 1)),
    calls,
    hits,
    hitRate: calls > 0 ? hits / calls : null,
    hitInterval: wilsonInterval(hits, calls),
    signalReturn: n > 0 && finite ? total : null,
    sharpe: perYear !== null && finite ? sharpe(returns, perYear / version.horizon) : null,
    profitFactor: finite ? profitFactor(traded) : null,
  };
}

/** The slots to evaluate: active and shadow models of the interval, by slot, per symbol. */
async function slotsOf(store: Store, request: EvaluateRequest): Promise<Map<string, ModelVersion[]>> {
  const models = (await listModels(store, request.symbol ? { symbol: request.symbol } : {}))
    .filter((m) => m.interval === request.interval && (m.status === 'active' || m.status === 'shadow'))
    .sort((a, b) => (a.status === b.status ? a.id.localeCompare(b.id) : a.status === 'active' ? -1 : 1));
  const slots = new Map<string, ModelVersion[]>();
  for (const m of models) {
    for (const symbol of m.symbols) {
      if (request.symbol && symbol !== request.symbol) continue;
      const key = `${m.slot}\u0000${symbol}`;
      slots.set(key, [...(slots.get(key) ?? []), m]);
    }
  }
  return slots;
}

/** Evaluate (see the module note). */
export async function evaluate(store: Store, request: EvaluateRequest): Promise<EvaluateResult> {
  const slots = await slotsOf(store, request);
  const what = `${request.symbol ?? 'any symbol'} ${request.interval}`;
  if (slots.size === 0) throw new UsageError(`no active or shadow model for ${what}`, `train one: pulse train ${request.symbol ?? 'SYMBOL'} --interval ${request.interval}`);
  const result: EvaluateResult = { interval: request.interval, by: request.by ?? null, slots: [], recorded: 0 };
  for (const [key, versions] of slots) {
    if (request.signal?.aborted) throw new InterruptedError();
    const symbol = key.split('\u0000')[1];
    const evaluation = await evaluateSlot(store, request, symbol, versions);
    result.slots.push(evaluation);
    if (request.by && evaluation.periods.length > 0) result.recorded += await record(store, request, evaluation, versions);
  }
  if (result.slots.every((s) => s.n === 0)) {
    const counts = result.slots.map((s) => `${s.slot} on ${s.symbol}: ${s.models.map((m) => `${m.modelId} ${m.withOutcomes}`).join(', ')}`).join('; ');
    throw new DataError(
      `no bar of ${what}${windowText(request)} was predicted by every model of its slot with the outcome known (predictions with outcomes: ${counts})`,
      'replay history (pulse predict SYMBOL --interval I --replay-from DATE), or wait for outcomes',
    );
  }
  return result;
}

function windowText(r: EvaluateRequest): string {
  const day = (t: number) => new Date(t).toISOString().slice(0, 10);
  if (r.last !== undefined) return ` in the newest ${r.last} bars`;
  if (r.from !== undefined || r.to !== undefined) return ` in ${r.from === undefined ? '' : day(r.from)}..${r.to === undefined ? '' : day(r.to)}`;
  return '';
}

/** Keep the bars of the window: [from, to), or the newest `last`. */
function inWindow<T extends { barTs: number }>(rows: T[], request: EvaluateRequest): T[] {
  const kept = rows.filter((p) => (request.from === undefined || p.barTs >= request.from) && (request.to === undefined || p.barTs < request.to));
  return request.last === undefined ? kept : kept.slice(Math.max(0, kept.length - request.last));
}

async function evaluateSlot(store: Store, request: EvaluateRequest, symbol: string, versions: ModelVersion[]): Promise<SlotEvaluation> {
  const lead = versions[0];
  const task = (lead.metrics as { task?: string }).task ?? 'regression';
  const own = new Map<string, PredictionRecord[]>();
  for (const v of versions) own.set(v.id, (await store.predictions.withOutcomes(v.id)).filter((p) => p.symbol === symbol && !p.fallback));
  // paired: the bars every model predicted
  let bars: number[] = own.get(lead.id)!.map((p) => p.barTs);
  for (const v of versions.slice(1)) {
    const have = new Set(own.get(v.id)!.map((p) => p.barTs));
    bars = bars.filter((t) => have.has(t));
  }
  const paired = inWindow(bars.map((barTs) => ({ barTs })), request).map((b) => b.barTs);
  const keep = new Set(paired);
  const byModel = new Map(versions.map((v) => [v.id, own.get(v.id)!.filter((p) => keep.has(p.barTs))]));

  const calendar = await storedCalendar(store, symbol);
  const perYear = calendar.periodsPerYear(request.interval) ?? null;
  const realisedOf = await realisedReturns(store, symbol, request.interval, lead);
  const rowsOf = (ps: PredictionRecord[]): Rows => ({ predictions: ps, realised: Float64Array.from(ps, realisedOf) });

  const periods: PeriodMetrics[] = [];
  if (request.by) {
    const groups = new Map<number, number>();
    for (const t of paired) {
      const [start, end] = periodOf(t, request.by);
      groups.set(start, end);
    }
    for (const [start, end] of groups) {
      periods.push({ start, end, models: versions.map((v) => modelMetrics(v, rowsOf(byModel.get(v.id)!.filter((p) => p.barTs >= start && p.barTs < end)), perYear)) });
    }
  }

  let degradation: DegradationResult | null = null;
  if (lead.status === 'active') {
    const mine = inWindow(own.get(lead.id)!, request);
    degradation = judgeDegradation(degradationInput(lead, task, mine), request.degradation);
  }
  return {
    slot: lead.slot,
    symbol,
    target: lead.target,
    task,
    horizon: lead.horizon,
    periodsPerYear: perYear,
    calendar: calendar.name,
    models: versions.map((v) => ({ modelId: v.id, status: v.status, withOutcomes: own.get(v.id)!.length })),
    n: paired.length,
    from: paired[0] ?? null,
    to: paired.at(-1) ?? null,
    metrics: versions.map((v) => modelMetrics(v, rowsOf(byModel.get(v.id)!), perYear)),
    periods,
    degradation,
  };
}

/**
 * The figures of a series of predictions with outcomes for one symbol, whichever model of a slot made each (the
 * served series of a loop, say); `lead` gives the task, target and horizon they share.
 */
export async function scorePredictions(store: Store, lead: ModelVersion, symbol: string, interval: Interval, predictions: PredictionRecord[]): Promise<ModelMetrics> {
  const perYear = (await storedCalendar(store, symbol)).periodsPerYear(interval) ?? null;
  const realisedOf = await realisedReturns(store, symbol, interval, lead);
  return modelMetrics(lead, { predictions, realised: Float64Array.from(predictions, realisedOf) }, perYear);
}

/**
 * One model's figures per period (UTC day, ISO week or calendar month, by bar time) on its own predictions with
 * outcomes of one symbol (`predictions` in bar order): the calendar and the bars are read once. Periods without a
 * prediction are left out.
 */
export async function scoreByPeriod(store: Store, version: ModelVersion, symbol: string, interval: Interval, predictions: PredictionRecord[], by: Period): Promise<PeriodScore[]> {
  const perYear = (await storedCalendar(store, symbol)).periodsPerYear(interval) ?? null;
  const realisedOf = await realisedReturns(store, symbol, interval, version);
  return [...groupBy(predictions, (p) => periodOf(p.barTs, by)[0])].map(([start, rows]) => ({
    start, end: periodOf(start, by)[1], metrics: modelMetrics(version, { predictions: rows, realised: Float64Array.from(rows, realisedOf) }, perYear),
  }));
}

/** One model's figures over one period. */
export interface PeriodScore {
  start: number;
  end: number;
  metrics: ModelMetrics;
}

/**
 * The realised forward log return of a prediction's bar: the outcome itself for the `return` target, else from the
 * stored bars (the outcome of a classification target is a class). NaN when the bars do not reach the horizon.
 */
async function realisedReturns(store: Store, symbol: string, interval: Interval, version: ModelVersion): Promise<(p: PredictionRecord) => number> {
  if (version.target === 'return') return (p) => p.outcome as number;
  const forward = await forwardLogReturns(store, symbol, interval, version.horizon);
  return (p) => forward(p.barTs);
}

/** The forward log return over `horizon` bars (the `forwardReturn` label) of each stored bar, by bar time; NaN where the bars do not reach. */
async function forwardLogReturns(store: Store, symbol: string, interval: Interval, horizon: number): Promise<(barTs: number) => number> {
  const series = await store.bars.load(symbol, interval);
  const forward = computeLabels(series, [{ kind: 'forwardReturn', horizon }]).columns[0];
  const index = new Map<number, number>();
  for (let i = 0; i < series.length; i++) index.set(series.time[i], i);
  return (barTs) => {
    const i = index.get(barTs);
    return i === undefined ? NaN : forward[i];
  };
}

/**
 * The realised close-to-close simple return over `horizon` bars of each stored bar, by bar time (null where the bars
 * do not reach): what a signal on the bar earned (A/B served returns, the dashboard's equity).
 */
export async function forwardReturns(store: Store, symbol: string, interval: Interval, horizon: number): Promise<(barTs: number) => number | null> {
  const forward = await forwardLogReturns(store, symbol, interval, horizon);
  return (barTs) => {
    const r = forward(barTs);
    return Number.isNaN(r) ? null : Math.expm1(r);
  };
}

/** The degradation rule's figures for the active model on its own predictions with outcomes `mine`. */
function degradationInput(version: ModelVersion, task: string, mine: PredictionRecord[]) {
  const n = mine.length;
  const test = (version.metrics as { test?: Record<string, number> | null }).test ?? null;
  if (task === 'regression') {
    let se = 0;
    let naive = 0;
    for (const p of mine) {
      se += (p.outcome! - p.value) ** 2;
      naive += p.outcome! ** 2;
    }
    return { loss: 'rmse' as const, n, rollingLoss: n > 0 ? Math.sqrt(se / n) : null, testLoss: orNull(test?.rmse), naiveLoss: n > 0 ? Math.sqrt(naive / n) : null };
  }
  let loss = 0;
  const frequency = new Map<number, number>();
  for (const p of mine) {
    loss += lossOf(p).value;
    frequency.set(p.outcome!, (frequency.get(p.outcome!) ?? 0) + 1);
  }
  // the naive baseline in hindsight: the window's class frequencies as probabilities
  let naive = 0;
  for (const p of mine) naive -= Math.log(frequency.get(p.outcome!)! / n);
  return { loss: 'logLoss' as const, n, rollingLoss: n > 0 ? loss / n : null, testLoss: orNull(test?.logLoss), naiveLoss: n > 0 ? naive / n : null };
}

/** Record a slot's periods in the performance history under the slot's lock; returns the rows written. */
async function record(store: Store, request: EvaluateRequest, evaluation: SlotEvaluation, versions: ModelVersion[]): Promise<number> {
  const rows = evaluation.periods.flatMap((p) =>
    p.models.map((m) => performanceRow(m, { slot: evaluation.slot, symbol: evaluation.symbol, interval: request.interval, period: p, computedAt: request.now, source: 'evaluate' })),
  );
  const held = await request.lock?.([slotScope(versions[0].slot)]);
  try {
    await store.performance.upsert(rows);
  } finally {
    held?.release();
  }
  return rows.length;
}

/** A model's figures over one period as a performance-history row. */
export function performanceRow(
  m: ModelMetrics,
  at: { slot: string; symbol: string; interval: string; period: { start: number; end: number }; computedAt: number; source: PerformanceSource },
): Omit<PerformanceRecord, 'id'> {
  return {
    modelId: m.modelId, slot: at.slot, symbol: at.symbol, interval: at.interval, periodStart: at.period.start, periodEnd: at.period.end, n: m.n,
    rmse: m.rmse, mae: m.mae, logLoss: m.logLoss, directionalAccuracy: m.directionalAccuracy, ic: m.ic, pearsonIc: m.pearsonIc,
    hitRate: m.hitRate, hitLow: m.hitInterval?.[0] ?? null, hitHigh: m.hitInterval?.[1] ?? null,
    signalReturn: m.signalReturn, sharpe: m.sharpe, profitFactor: m.profitFactor, computedAt: at.computedAt, source: at.source,
  };
}
