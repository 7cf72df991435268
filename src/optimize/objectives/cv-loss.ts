/**
 * `cv-loss`: the mean validation loss of the cross-validation folds, the number `pulse train` reports as `cv mean`:
 * RMSE for regression targets, log loss for classification (both from the metric set). Lower is better.
 */
import { meanMetrics } from '../../evaluation/reports.js';
import type { StudyObjective } from './objective.js';

export const cvLoss: StudyObjective = {
  name: 'cv-loss',
  direction: 'minimize',
  description: 'mean cross-validation loss: rmse (regression) or log loss (classification); lower is better',
  backtest: false,
  unsupported: () => null,
  value(folds, ctx) {
    const mean = meanMetrics(folds.map((f) => f.metrics));
    return ctx.task === 'regression' ? mean.rmse : mean.logLoss;
  },
};
