/**
 * Ridge regression on standardised features, solved in closed form.
 *
 * Missing values (NaN) are imputed with the feature's training median, then every feature is centred and scaled
 * by its training mean and standard deviation (constant features are ignored). The fit minimises
 * `(1/n) sum (y - b0 - z.b)^2 + lambda |b|^2`: the penalty is per row, so the same `lambda` shrinks equally on 2,500
 * and 500,000 rows, and the intercept is not penalised (it is the training mean of y).
 */
import { DataError, UsageError } from '../core/errors.js';
import { checkFrame, checkLabels, checkTask, resolveTableParams, type ParamTable, type ParamValues } from './model-params.js';
import { choleskySolve, fitStandardizer, gram, linearScores } from './linear-algebra.js';
import { linearImportance, linearStateFromJson, linearStateToJson, notFitted, type LinearState } from './linear-model.js';
import { makeDocument, readEnvelope } from './model-document.js';
import type { FeatureFrame, FitOptions, FitReport, Model, ModelDescription, ModelDocument, Task } from './model.js';

/** Ridge parameters. */
export const RIDGE_PARAMS: ParamTable = {
  lambda: {
    type: 'float', min: 0, max: 1e6, default: 0.1,
    description: 'L2 penalty per row on standardised coefficients (0 = ordinary least squares). 0.1 shrinks a lone unit-variance signal by about 9%: market features are noisy and collinear.',
  },
};

/** Ridge regression (regression task only). */
export class RidgeModel implements Model {
  readonly family = 'ridge' as const;
  readonly numClass = 1;
  readonly params: ParamValues;
  private state: LinearState | null = null;
  private featureNames: string[] = [];
  private seed = 0;

  constructor(readonly task: Task, params: Readonly<Record<string, unknown>> = {}) {
    checkTask(task, 1);
    if (task !== 'regression') throw new UsageError('ridge predicts numbers: it needs the regression task', 'use logistic for direction or triple-barrier targets');
    this.params = resolveTableParams('ridge', RIDGE_PARAMS, params);
  }

  fit(X: FeatureFrame, y: Float64Array, options: FitOptions): FitReport {
    checkFrame(X, 'ridge training features');
    checkLabels(y, X.numRows, 'regression', 1, 'ridge training labels');
    if (X.numRows < 2) throw new DataError(`ridge needs at least 2 training rows, got ${X.numRows}`, 'train on more rows');
    this.state = fitRidge(X, y, this.params.lambda as number);
    this.featureNames = [...X.names];
    this.seed = options.seed;
    options.onProgress?.({ stage: 'ridge', step: 1, total: 1 });
    return { bestIteration: null, iterations: null };
  }

  predict(X: FeatureFrame): Float64Array {
    const s = this.state ?? notFitted('ridge');
    checkFrame(X, 'ridge prediction features', this.featureNames);
    return linearScores(X, s.standardizer, s.coef, s.intercept, 1);
  }

  toJSON(): ModelDocument {
    const s = this.state ?? notFitted('ridge');
    return makeDocument('ridge', this.task, 1, this.featureNames, this.params, this.seed, linearStateToJson(s));
  }

  /** Read a ridge model document; `ModelFormatError` naming the bad field. */
  static fromJSON(doc: unknown): RidgeModel {
    const d = readEnvelope(doc, 'ridge');
    const m = new RidgeModel(d.task, d.params);
    m.state = linearStateFromJson(d.state, d.featureNames.length, 1);
    m.featureNames = d.featureNames;
    m.seed = d.seed;
    return m;
  }

  describe(): ModelDescription {
    const s = this.state ?? notFitted('ridge');
    return {
      family: 'ridge', task: this.task, numClass: 1, params: { ...this.params },
      featureImportance: linearImportance(s, this.featureNames), details: { intercept: s.intercept[0] },
    };
  }
}

/** Closed-form ridge fit (see the module note). Throws `DataError` when the system is singular (lambda 0, collinear). */
export function fitRidge(X: FeatureFrame, y: Float64Array, lambda: number): LinearState {
  const n = X.numRows;
  const p = X.columns.length;
  const standardizer = fitStandardizer(X);
  let ybar = 0;
  for (let i = 0; i < n; i++) ybar += y[i];
  ybar /= n;
  const yc = new Float64Array(n);
  for (let i = 0; i < n; i++) yc[i] = y[i] - ybar;
  const { zz, zt } = gram(X, standardizer, undefined, yc);
  for (let i = 0; i < p * p; i++) zz[i] /= n;
  for (let f = 0; f < p; f++) {
    zt[f] /= n;
    // constant features have a zero row and column: pin their coefficient to 0
    zz[f * p + f] += standardizer.scale[f] > 0 ? lambda : 1;
  }
  const coef = p === 0 ? new Float64Array(0) : choleskySolve(zz, zt, p);
  if (!coef) {
    throw new DataError(`ridge: the features are collinear and lambda = ${lambda} does not regularise them`, 'set lambda > 0 (e.g. 0.1) or drop duplicate features');
  }
  return { standardizer, coef, intercept: Float64Array.of(ybar) };
}
