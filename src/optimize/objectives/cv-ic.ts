/**
 * `cv-ic`: the mean Spearman information coefficient of the cross-validation folds (the metric set's `ic`), for
 * regression targets. Higher is better.
 */
import { meanMetrics } from '../../evaluation/reports.js';
import type { StudyObjective } from './objective.js';

export const cvIc: StudyObjective = {
  name: 'cv-ic',
  direction: 'maximize',
  description: 'mean cross-validation information coefficient (Spearman) of a regression target; higher is better',
  backtest: false,
  unsupported: (task) => (task === 'regression' ? null : `cv-ic scores forecasts of a return, but the target is learnt as ${task}`),
  value: (folds) => meanMetrics(folds.map((f) => f.metrics)).ic,
};
