/** `sharpe`: the annualised Sharpe ratio of the backtest of the model's out-of-sample signals (./backtest-stat.ts). Higher is better. */
import { backtestFolds, backtestStat } from './backtest-stat.js';
import type { StudyObjective } from './objective.js';

export const sharpe: StudyObjective = {
  name: 'sharpe',
  direction: 'maximize',
  description: 'annualised Sharpe ratio of the out-of-sample signals\' backtest; higher is better',
  backtest: true,
  unsupported: () => null,
  value: (folds, ctx, final) => backtestStat(backtestFolds(folds, ctx), 'sharpe', !final),
};
