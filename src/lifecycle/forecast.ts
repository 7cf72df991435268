/**
 * Forecasts from a model's raw output: the one number per row that signals, backtests and stored predictions use.
 * - regression: the predicted value (a log return for the `return` target);
 * - binary: P(class 1), the higher class value (`direction`: up);
 * - multiclass: the expected class value sum_k p_k x value_k (triple barrier and ternary direction: +1 up, 0, -1 down).
 */
import type { FeatureColumns, Model, Task } from '../models/model.js';

/** The expected class value of row `row` of a multiclass output (`classValues.length` probabilities per row). */
export function expectedClassValue(raw: ArrayLike<number>, row: number, classValues: readonly number[]): number {
  const k = classValues.length;
  let e = 0;
  for (let c = 0; c < k; c++) e += raw[row * k + c] * classValues[c];
  return e;
}

/** One forecast per row of a raw `Model.predict` output of `rows` rows (see the module note). */
export function forecastsOf(raw: ArrayLike<number>, rows: number, task: Task, classValues: readonly number[]): Float64Array {
  const out = new Float64Array(rows);
  if (task === 'multiclass') {
    for (let i = 0; i < rows; i++) out[i] = expectedClassValue(raw, i, classValues);
  } else {
    for (let i = 0; i < rows; i++) out[i] = raw[i];
  }
  return out;
}

/** What a forecast run gives: the raw output (for probabilities) and the forecasts. */
export interface Forecasts {
  raw: Float64Array;
  values: Float64Array;
}

/**
 * Run a model on `X` and turn its output into forecasts; rows before `warmupRows` (features still warming up)
 * get NaN forecasts, which signal nothing.
 */
export function forecast(model: Model, X: FeatureColumns, classValues: readonly number[], warmupRows = 0): Forecasts {
  const raw = model.predict(X);
  const values = forecastsOf(raw, X.numRows, model.task, classValues);
  values.fill(NaN, 0, Math.min(warmupRows, X.numRows));
  return { raw, values };
}
