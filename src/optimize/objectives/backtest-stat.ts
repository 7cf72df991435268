/**
 * The shared part of the backtest objectives (sharpe, sortino, calmar, profit-drawdown): the folds' out-of-sample
 * forecasts are stitched in time order (rows between validation blocks have no forecast and trade flat), turned
 * into signals by the one signal rule and run through the backtest engine with the configured costs; the objective
 * reads the statistics (src/backtest/stats). A trial whose signals made no trade has no such statistic: it fails
 * with that reason.
 */
import type { BacktestResult } from '../../backtest/types.js';
import { ObjectiveUndefined, type FoldOutcome, type ObjectiveContext } from './objective.js';

/** The backtest of the folds' stitched forecasts. */
export function backtestFolds(folds: readonly FoldOutcome[], ctx: ObjectiveContext): BacktestResult {
  const from = folds[0].validFrom;
  const to = folds[folds.length - 1].validTo + 1;
  const forecasts = new Float64Array(to - from).fill(NaN);
  for (const f of folds) forecasts.set(f.forecasts, f.validFrom - from);
  return ctx.backtest(forecasts, from, to);
}

/**
 * A statistic of the folds' backtest. Throws {@link ObjectiveUndefined} when no trade was made, or when the
 * statistic is not meaningful (with the backtest's reason); NaN instead when `partial` (an intermediate step).
 */
export function backtestStat(result: BacktestResult, key: 'sharpe' | 'sortino' | 'calmar' | 'returnPct' | 'maxDrawdownPct', partial: boolean): number {
  if (result.trades.length === 0) {
    if (partial) return NaN;
    throw new ObjectiveUndefined(`the model's signals made no trade in the ${result.stats.bars} out-of-sample bars, so ${key} is undefined`);
  }
  const value = result.stats[key];
  if (value === null) {
    if (partial) return NaN;
    const reason = result.notMeaningful.find((n) => n.key === key)?.reason ?? 'not meaningful';
    throw new ObjectiveUndefined(`${key} of the out-of-sample backtest is undefined: ${reason}`);
  }
  return value;
}
