/** `sortino`: the annualised Sortino ratio of the backtest of the model's out-of-sample signals (./backtest-stat.ts). Higher is better. */
import { backtestFolds, backtestStat } from './backtest-stat.js';
import type { StudyObjective } from './objective.js';

export const sortino: StudyObjective = {
  name: 'sortino',
  direction: 'maximize',
  description: 'annualised Sortino ratio of the out-of-sample signals\' backtest; higher is better',
  backtest: true,
  unsupported: () => null,
  value: (folds, ctx, final) => backtestStat(backtestFolds(folds, ctx), 'sortino', !final),
};
