/**
 * The queries behind `pulse dashboard`, one per pane. Each reads the store through the owning domain's functions
 * (the registry, predictions, A/B tests, jobs, drift checks, health runs) and returns plain records; nothing here
 * writes, so a dashboard can watch a home while other runs work in it.
 */
import { parseInterval } from '../../core/interval.js';
import type { TargetSpec } from '../../lifecycle/targets.js';
import { abStatus, type AbArmFigures } from '../../monitor/ab-test.js';
import { forwardReturns } from '../../monitor/evaluate.js';
import { hitOf, storedPredictions } from '../../predict/predict.js';
import { listModels, modelSummaries } from '../../registry/registry.js';
import type { HealthRunRecord, JobStatus, ModelStatus, PredictionRecord } from '../../store/records.js';
import type { Store } from '../../store/store.js';
import type { CheckResult } from '../health/check.js';
import { healthHistory } from '../health/health.js';

/** How many rows the list panes keep (the terminal shows what fits). */
export const PANE_ROWS = { predictions: 20, jobs: 10, driftEvents: 500, equityPoints: 500 } as const;

/** A live (active or shadow) model with how its stored predictions have done. */
export interface LiveModel {
  id: string;
  slot: string;
  status: Extract<ModelStatus, 'active' | 'shadow'>;
  /** When the model took this status. */
  since: number;
  family: string;
  /** The series it forecasts, and how many bars ahead. */
  symbols: string[];
  interval: string;
  horizon: number;
  /** The headline test metric (rmse for regression, auc for classification) and the naive baseline's. */
  metric: string;
  test: number | null;
  naive: number | null;
  predictions: number;
  /** Predictions whose outcome is known. */
  outcomes: number;
  /** Share of long/short predictions with a known outcome whose direction came true; null without any. */
  hitRate: number | null;
}

const asNumber = (x: unknown): number | null => (typeof x === 'number' && Number.isFinite(x) ? x : null);
const targetOf = (metrics: Record<string, unknown>) => (metrics as { target?: TargetSpec }).target;

/** The hit rate of predictions with outcomes (null when none was long or short). */
function hitRate(rows: readonly PredictionRecord[], target: TargetSpec | undefined): number | null {
  let calls = 0;
  let hits = 0;
  for (const p of rows) {
    const hit = hitOf(p.signal, p.outcome, target);
    if (hit === null) continue;
    calls++;
    if (hit) hits++;
  }
  return calls === 0 ? null : hits / calls;
}

/** Active models first, then shadows, each newest first. */
export async function liveModels(store: Store): Promise<LiveModel[]> {
  const summaries = (await modelSummaries(store)).filter((m) => m.status === 'active' || m.status === 'shadow');
  summaries.sort((a, b) => (a.status === b.status ? 0 : a.status === 'active' ? -1 : 1));
  const targets = new Map((await listModels(store)).map((m) => [m.id, targetOf(m.metrics)]));
  const out: LiveModel[] = [];
  for (const m of summaries) {
    const rows = await store.predictions.withOutcomes(m.id);
    out.push({
      id: m.id, slot: m.slot, status: m.status as LiveModel['status'], since: m.since, family: m.family,
      symbols: m.symbols, interval: m.interval, horizon: m.horizon,
      metric: m.headline.metric, test: asNumber(m.headline.test), naive: asNumber(m.headline.naive),
      predictions: m.predictions, outcomes: rows.length, hitRate: hitRate(rows, targets.get(m.id)),
    });
  }
  return out;
}

/** A running A/B test as the dashboard shows it. */
export interface AbTestLine {
  id: number;
  slot: string;
  split: number;
  days: number;
  n: number;
  minN: number;
  minDays: number;
  decision: string;
  pValue: number | null;
  control: Pick<AbArmFigures, 'model' | 'served' | 'hitRate' | 'totalReturn'>;
  challenger: Pick<AbArmFigures, 'model' | 'served' | 'hitRate' | 'totalReturn'>;
}

/** The running A/B tests with their figures (as `pulse ab status` computes them; nothing is decided here). */
export async function runningAbTests(store: Store, now: number): Promise<AbTestLine[]> {
  const arm = (a: AbArmFigures) => ({ model: a.model, served: a.served, hitRate: a.hitRate, totalReturn: a.totalReturn });
  return (await abStatus(store, { now })).map((s) => ({
    id: s.id, slot: s.slot, split: s.split, days: s.days, n: s.n, minN: s.minN, minDays: s.minDays, decision: s.decision,
    pValue: s.test?.pValue ?? null, control: arm(s.control), challenger: arm(s.challenger),
  }));
}

/** A job of the queue as the dashboard shows it. */
export interface JobLine {
  id: number;
  /** The job type (`train`, `retrain`, `backtest`, ...). */
  type: string;
  trigger: string;
  status: JobStatus;
  priority: number;
  attempts: number;
  maxAttempts: number;
  /** What it works on, from its parameters: slot or symbols, interval, model family. */
  what: string;
  createdAt: number;
  /** A pending job waiting out a retry's backoff is not started before this. */
  runAfter: number | null;
  durationMs: number | null;
  error: string | null;
}

/** The job queue: how many jobs have each status, and the most recent jobs. */
export interface JobQueue {
  counts: Record<JobStatus, number>;
  recent: JobLine[];
}

/** What a job works on, read from the parameters most job types share (the queue's types own their full label). */
function jobSubject(params: Record<string, unknown>): string {
  const text = (x: unknown) => (Array.isArray(x) ? x.map(String).join(',') : typeof x === 'string' || typeof x === 'number' ? String(x) : '');
  return [text(params.slot) || text(params.symbols) || text(params.symbol), text(params.interval), text(params.family) || text(params.model)].filter(Boolean).join(' ');
}

/** The job queue's counts by status and its most recent jobs, newest first. */
export async function jobQueue(store: Store): Promise<JobQueue> {
  const recent = (await store.jobs.list(PANE_ROWS.jobs)).map((j) => ({
    id: j.id, type: j.type, trigger: j.trigger, status: j.status, priority: j.priority, attempts: j.attempts, maxAttempts: j.maxAttempts,
    what: jobSubject(j.params), createdAt: j.createdAt, runAfter: j.runAfter, durationMs: j.durationMs, error: j.error,
  }));
  return { counts: await store.jobs.countByStatus(), recent };
}

/** A stored prediction with its signal and, once known, its outcome. */
export interface PredictionLine {
  modelId: string;
  symbol: string;
  interval: string;
  barTs: number;
  value: number;
  signal: 'long' | 'short' | 'flat';
  outcome: number | null;
  hit: boolean | null;
  fallback: boolean;
  createdAt: number;
}

/** The newest predictions of the series the live models forecast, newest bar first. */
export async function latestPredictions(store: Store, models: readonly LiveModel[]): Promise<PredictionLine[]> {
  const series = new Map<string, { symbol: string; interval: string }>();
  for (const m of models) for (const symbol of m.symbols) series.set(`${symbol}|${m.interval}`, { symbol, interval: m.interval });
  const rows: PredictionLine[] = [];
  for (const { symbol, interval } of series.values()) {
    for (const p of await storedPredictions(store, symbol, { interval: parseInterval(interval), limit: PANE_ROWS.predictions })) {
      rows.push({ modelId: p.modelId, symbol: p.symbol, interval: p.interval, barTs: p.barTs, value: p.value, signal: p.signal, outcome: p.outcome, hit: p.hit, fallback: p.fallback, createdAt: p.createdAt });
    }
  }
  rows.sort((a, b) => b.barTs - a.barTs || b.createdAt - a.createdAt || a.modelId.localeCompare(b.modelId));
  return rows.slice(0, PANE_ROWS.predictions);
}

/** The latest dataset-level drift verdict of a series. */
export interface DriftLine {
  symbol: string;
  interval: string;
  modelId: string | null;
  drifted: boolean;
  severity: string;
  /** Share of drifted columns, and the share that makes the dataset drifted. */
  driftedShare: number;
  threshold: number;
  checkedAt: number;
}

/** Per series, the verdict of its most recent `pulse drift-check`. */
export async function driftVerdicts(store: Store): Promise<DriftLine[]> {
  const seen = new Map<string, DriftLine>();
  for (const e of await store.drift.list({ type: 'dataset', limit: PANE_ROWS.driftEvents })) {
    const key = `${e.symbol}|${e.interval}`;
    if (seen.has(key)) continue;
    seen.set(key, { symbol: e.symbol, interval: e.interval, modelId: e.modelId, drifted: e.drifted, severity: e.severity, driftedShare: e.score, threshold: e.threshold, checkedAt: e.detectedAt });
  }
  return [...seen.values()];
}

/** The latest recorded `pulse health` run, with the results that were not ok. */
export interface HealthLine {
  checkedAt: number;
  status: string;
  critical: number;
  warnings: number;
  unknown: number;
  problems: Pick<CheckResult, 'check' | 'subject' | 'state' | 'message'>[];
}

/** The latest health run, or null when `pulse health` never ran. */
export async function latestHealth(store: Store): Promise<HealthLine | null> {
  const [run]: HealthRunRecord[] = await healthHistory(store, 1);
  if (!run) return null;
  const results = Array.isArray(run.results) ? (run.results as CheckResult[]) : [];
  return {
    checkedAt: run.createdAt, status: run.status, critical: run.critical, warnings: run.warnings, unknown: run.unknown,
    problems: results.filter((r) => r.state !== 'ok').map((r) => ({ check: r.check, subject: r.subject, state: r.state, message: r.message })),
  };
}

/** The equity of an active model's signals: the running sum of side x realised return over its predictions. */
export interface EquityLine {
  modelId: string;
  slot: string;
  /** Predictions with a known outcome and a stored realised return. */
  n: number;
  /** The running sum after each of the last {@link PANE_ROWS.equityPoints} of them, in bar order. */
  points: number[];
  /** The sum over all of them (a sum of simple returns, not compounded). */
  total: number;
}

/**
 * Per active model, the running sum of each prediction's signal (long +1, short -1, flat 0) times the bar's realised
 * close-to-close return over the model's horizon (as the A/B figures count served returns), in bar order.
 */
export async function activeEquity(store: Store, models: readonly LiveModel[]): Promise<EquityLine[]> {
  const out: EquityLine[] = [];
  for (const m of models.filter((x) => x.status === 'active')) {
    const returns = new Map<string, (barTs: number) => number | null>();
    const curve: number[] = [];
    let total = 0;
    for (const p of await store.predictions.withOutcomes(m.id)) {
      if (!returns.has(p.symbol)) returns.set(p.symbol, await forwardReturns(store, p.symbol, parseInterval(m.interval), m.horizon));
      const r = returns.get(p.symbol)!(p.barTs);
      if (r === null) continue;
      total += (p.signal === 'long' ? 1 : p.signal === 'short' ? -1 : 0) * r;
      curve.push(total);
    }
    out.push({ modelId: m.id, slot: m.slot, n: curve.length, points: curve.slice(-PANE_ROWS.equityPoints), total });
  }
  return out;
}
