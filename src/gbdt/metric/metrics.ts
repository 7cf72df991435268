/** The metric registry, keyed by canonical metric name. */
import type { MetricName } from '../params.js';
import { accuracy } from './accuracy.js';
import { auc } from './auc.js';
import { logloss } from './logloss.js';
import { mae } from './mae.js';
import { mape } from './mape.js';
import type { Metric } from './metric.js';
import { multiLogloss } from './multi-logloss.js';
import { r2 } from './r2.js';
import { rmse } from './rmse.js';

/** Every metric by name. */
export const METRICS: Readonly<Record<MetricName, Metric>> = {
  rmse,
  mae,
  mape,
  r2,
  logloss,
  auc,
  accuracy,
  multi_logloss: multiLogloss,
};
