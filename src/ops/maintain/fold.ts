/**
 * Retention of predictions with their record kept: before `pulse maintain` deletes the predictions of old bars, it
 * folds them into the performance history, one row per model, symbol and calendar month (by bar time, UTC).
 *
 * - The cutoff is a bar time, the start of a calendar month (`predictionCutoff`): predictions with their outcome known
 *   whose bar opened before it go, whole months at a time; those still waiting for their outcome stay.
 * - A month's row holds the figures `pulse evaluate` computes (`scoreByPeriod`, the same metric code) on the model's
 *   own predictions of the month (not paired with the slot's other models; the naive-fallback predictions are left
 *   out, as evaluate leaves them out, and deleted with the month). Its source is `maintain`, so it never replaces an
 *   evaluate row of the same month, nor the other way round.
 * - The rows are written and the predictions deleted in one transaction: a month's row exists exactly when its
 *   predictions are gone. A month already folded is not folded again: predictions that reach it later (a replay of
 *   old bars) are kept and counted as `kept`, so a second run never double counts nor overwrites the first.
 * - Predictions of a model no longer in the registry cannot be scored (their task and target are unknown): they are
 *   kept and counted as `kept` too.
 */
import { DataError } from '../../core/errors.js';
import { throwIfAborted } from '../../core/async.js';
import { groupBy } from '../../core/arrays.js';
import type { Interval } from '../../core/interval.js';
import { periodOf, performanceRow, scoreByPeriod } from '../../monitor/evaluate.js';
import { toModelVersion } from '../../registry/registry.js';
import type { PerformanceRecord, PredictionRecord } from '../../store/records.js';
import type { Store } from '../../store/store.js';

const DAY = 86_400_000;

/** Predictions with outcomes of bars before this time are folded and deleted: the start of the UTC calendar month holding `now - predictionDays`. */
export function predictionCutoff(now: number, predictionDays: number): number {
  return periodOf(now - predictionDays * DAY, 'month')[0];
}

/** What the fold did (in a dry run: would do). */
export interface FoldReport {
  /** Predictions folded into the performance history (fallback predictions are deleted but not folded). */
  predictions: number;
  /** Performance-history rows written: one per model, symbol and month. */
  periods: number;
  /** Predictions deleted: those folded and the fallback predictions of the folded months. */
  deleted: number;
  /** Predictions before the cutoff kept: of months folded before, or of models no longer registered. */
  kept: number;
}

interface MonthPlan {
  modelId: string;
  symbol: string;
  from: number;
  to: number;
  /** Every prediction of the month with its outcome (folded or fallback): what the delete must remove. */
  rows: number;
}

/** Fold the predictions of bars before `barBefore` into the performance history and delete them (see the module note). */
export async function foldPredictions(store: Store, options: { barBefore: number; now: number; dryRun: boolean; signal?: AbortSignal }): Promise<FoldReport> {
  const report: FoldReport = { predictions: 0, periods: 0, deleted: 0, kept: 0 };
  const rows: Omit<PerformanceRecord, 'id'>[] = [];
  const months: MonthPlan[] = [];
  for (const [modelId, ofModel] of groupBy(await store.predictions.withOutcomesBefore(options.barBefore), (p) => p.modelId)) {
    throwIfAborted(options.signal);
    const record = await store.models.get(modelId);
    if (!record) {
      report.kept += ofModel.length;
      continue;
    }
    const version = toModelVersion(store, record);
    const folded = new Set((await store.performance.list({ modelId, source: 'maintain', limit: Number.MAX_SAFE_INTEGER })).map((r) => `${r.symbol}\u0000${r.periodStart}`));
    for (const [symbol, ps] of groupBy(ofModel, (p) => p.symbol)) {
      const fresh: PredictionRecord[] = [];
      for (const [start, inMonth] of groupBy(ps, (p) => periodOf(p.barTs, 'month')[0])) {
        if (folded.has(`${symbol}\u0000${start}`)) {
          report.kept += inMonth.length;
          continue;
        }
        months.push({ modelId, symbol, from: start, to: periodOf(start, 'month')[1], rows: inMonth.length });
        report.deleted += inMonth.length;
        fresh.push(...inMonth.filter((p) => !p.fallback));
      }
      if (fresh.length === 0) continue;
      const interval = fresh[0].interval as Interval;
      for (const period of await scoreByPeriod(store, version, symbol, interval, fresh, 'month')) {
        rows.push(performanceRow(period.metrics, { slot: version.slot, symbol, interval, period, computedAt: options.now, source: 'maintain' }));
      }
      report.predictions += fresh.length;
    }
  }
  report.periods = rows.length;
  if (options.dryRun || months.length === 0) return report;
  throwIfAborted(options.signal);
  await store.transaction(async (tx) => {
    await tx.performance.upsert(rows);
    for (const m of months) {
      const gone = await tx.predictions.deleteWithOutcomes(m);
      if (gone !== m.rows) {
        // rolled back: the predictions changed since they were scored (another writer without the home lock)
        throw new DataError(`the predictions of ${m.modelId} on ${m.symbol} in ${new Date(m.from).toISOString().slice(0, 7)} changed while maintain folded them`, 'run pulse maintain again');
      }
    }
  });
  return report;
}
