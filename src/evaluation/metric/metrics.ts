/**
 * The metric registry: every metric pulse computes, by canonical name. The GBDT engine resolves its `metric`
 * parameter here and the training reports (src/evaluation/reports.ts) compose their fields from here, so early
 * stopping and reports cannot disagree.
 */
import { accuracy } from './accuracy.js';
import { auc } from './auc.js';
import { brier } from './brier.js';
import { directionalAccuracy } from './directional-accuracy.js';
import { informationCoefficient } from './information-coefficient.js';
import { logloss } from './logloss.js';
import { mae } from './mae.js';
import { mape } from './mape.js';
import type { Metric, MetricName, TaskKind } from './metric.js';
import { multiLogloss } from './multi-logloss.js';
import { pearsonIc } from './pearson-ic.js';
import { r2 } from './r2.js';
import { rmse } from './rmse.js';

/** Every metric by name. */
export const METRICS: Readonly<Record<MetricName, Metric>> = {
  rmse,
  mae,
  mape,
  r2,
  directional_accuracy: directionalAccuracy,
  ic: informationCoefficient,
  pearson_ic: pearsonIc,
  logloss,
  multi_logloss: multiLogloss,
  auc,
  accuracy,
  brier,
};

/** The metrics that score predictions of task kind `task`, in registry order. */
export function metricsFor(task: TaskKind): Metric[] {
  return Object.values(METRICS).filter((m) => m.tasks.includes(task));
}
