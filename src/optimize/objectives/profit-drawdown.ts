/**
 * `profit-drawdown`: total return minus maximum drawdown, both in percent of the starting equity, of the backtest of
 * the model's out-of-sample signals (./backtest-stat.ts): profit, penalised one for one by the deepest fall on the
 * way. Higher is better.
 */
import { backtestFolds, backtestStat } from './backtest-stat.js';
import type { StudyObjective } from './objective.js';

export const profitDrawdown: StudyObjective = {
  name: 'profit-drawdown',
  direction: 'maximize',
  description: 'returnPct - maxDrawdownPct of the out-of-sample signals\' backtest; higher is better',
  backtest: true,
  unsupported: () => null,
  value(folds, ctx, final) {
    const result = backtestFolds(folds, ctx);
    return backtestStat(result, 'returnPct', !final) - backtestStat(result, 'maxDrawdownPct', !final);
  },
};
