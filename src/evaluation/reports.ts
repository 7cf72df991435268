/**
 * The metric reports of a training run (per fold, on the test tail, for the naive baseline): compositions of the
 * metric set in ./metric/metrics.ts, so a report field and the GBDT early-stopping metric of the same name are one
 * function. The report keys (`rmse`, `directionalAccuracy`, `ic`, `logLoss`, ...) are stored with every model and
 * shown by `pulse train --json`: they are a contract, independent of the metric names.
 */
import { METRICS } from './metric/metrics.js';
import { reliabilityTable, type ReliabilityBin } from './reliability.js';

/** Regression metrics of one evaluation. */
export interface RegressionMetrics {
  rows: number;
  rmse: number;
  mae: number;
  r2: number;
  directionalAccuracy: number;
  /** Spearman information coefficient. */
  ic: number;
}

/** Classification metrics of one evaluation. */
export interface ClassificationMetrics {
  rows: number;
  logLoss: number;
  auc: number;
  accuracy: number;
  brier: number;
  reliability: ReliabilityBin[];
}

/** Metrics of one evaluation, by task kind. */
export type EvalMetrics = RegressionMetrics | ClassificationMetrics;

/** Every regression metric of `pred` against `y` (one prediction per row). */
export function regressionMetrics(y: Float64Array, pred: Float64Array): RegressionMetrics {
  return {
    rows: y.length,
    rmse: METRICS.rmse.evaluate(y, pred, 1),
    mae: METRICS.mae.evaluate(y, pred, 1),
    r2: METRICS.r2.evaluate(y, pred, 1),
    directionalAccuracy: METRICS.directional_accuracy.evaluate(y, pred, 1),
    ic: METRICS.ic.evaluate(y, pred, 1),
  };
}

/**
 * Every classification metric of probabilities `prob` against class indices `y`: `numClass` 2 means binary with
 * one P(class 1) per row, more means `numClass` probabilities per row, row-major.
 */
export function classificationMetrics(y: Float64Array, prob: Float64Array, numClass: number): ClassificationMetrics {
  const width = numClass === 2 ? 1 : numClass;
  return {
    rows: y.length,
    logLoss: (width === 1 ? METRICS.logloss : METRICS.multi_logloss).evaluate(y, prob, width),
    auc: METRICS.auc.evaluate(y, prob, width),
    accuracy: METRICS.accuracy.evaluate(y, prob, width),
    brier: METRICS.brier.evaluate(y, prob, width),
    reliability: reliabilityTable(y, prob, numClass),
  };
}

/**
 * Mean of each scalar metric over folds (NaN folds skipped; NaN when every fold is NaN). Row counts are summed;
 * a reliability table is not averaged (it is kept per fold and on the test tail).
 */
export function meanMetrics<T extends EvalMetrics>(folds: readonly T[]): Record<string, number> {
  const out: Record<string, number> = {};
  if (folds.length === 0) return out;
  for (const key of Object.keys(folds[0]) as (keyof T & string)[]) {
    const values = folds.map((f) => f[key]).filter((v): v is T[keyof T & string] & number => typeof v === 'number');
    if (values.length !== folds.length) continue;
    if (key === 'rows') {
      out[key] = values.reduce((a, b) => a + b, 0);
      continue;
    }
    const finite = values.filter((v) => !Number.isNaN(v));
    out[key] = finite.length > 0 ? finite.reduce((a, b) => a + b, 0) / finite.length : NaN;
  }
  return out;
}
