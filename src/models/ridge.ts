/**
 * Ridge regression on standardised features, solved in closed form.
 *
 * Missing values (NaN) are imputed with the feature's training median, then every feature is centred and scaled
 * by its training mean and standard deviation (constant features are ignored) and clamped to ±`clip`. The fit minimises
 * `sum (y - b0 - z.b)^2 + alpha |b|^2` (scikit-learn's `Ridge(alpha)` on standardised features): `alpha` is a prior
 * on how much any one feature can explain, worth `alpha` rows of evidence, so its pull fades as data grows, and the
 * intercept is not penalised (it is the training mean of y).
 */
import { DataError, UsageError } from '../core/errors.js';
import { checkFrame, checkLabels, checkTask, resolveTableParams, type ParamTable, type ParamValues } from './model-params.js';
import { choleskySolve, fitStandardizer, gram, linearScores } from './linear-algebra.js';
import type { CompressionCheck, CompressionOutcome, CompressionTolerances } from './compression.js';
import { CLIP_PARAM, linearImportance, linearStateFromJson, linearStateToJson, notFitted, pruneCoefficients, type LinearState } from './linear-model.js';
import { makeDocument, readEnvelope } from './model-document.js';
import type { FeatureColumns, FitOptions, FitReport, Model, ModelDescription, ModelDocument, Task } from './model.js';

/** Ridge parameters. */
export const RIDGE_PARAMS: ParamTable = {
  alpha: {
    type: 'float', min: 0, max: 1e12, default: 1000,
    description: 'L2 penalty on standardised coefficients, in rows of evidence (0 = ordinary least squares). 1000 halves a lone feature\'s coefficient on 1,000 rows and barely touches it on 100,000: market features are noisy and collinear.',
  },
  clip: CLIP_PARAM,
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

  async fit(X: FeatureColumns, y: Float64Array, options: FitOptions): Promise<FitReport> {
    checkFrame(X, 'ridge training features');
    checkLabels(y, X.numRows, 'regression', 1, 'ridge training labels');
    if (X.numRows < 2) throw new DataError(`ridge needs at least 2 training rows, got ${X.numRows}`, 'train on more rows');
    this.state = fitRidge(X, y, this.params.alpha as number, this.params.clip as number);
    this.featureNames = [...X.names];
    this.seed = options.seed;
    options.onProgress?.({ stage: 'ridge', step: 1, total: 1 });
    return { bestIteration: null, iterations: null };
  }

  predict(X: FeatureColumns): Float64Array {
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
    m.state = linearStateFromJson(d.state, d.featureNames.length, 1, m.params.clip as number);
    m.featureNames = d.featureNames;
    m.seed = d.seed;
    return m;
  }

  /** A copy with coefficients pruned by magnitude within the level's tolerances on the check rows (see `pruneCoefficients`). */
  compress(tolerances: CompressionTolerances, check: CompressionCheck): CompressionOutcome {
    const s = this.state ?? notFitted('ridge');
    const copy = new RidgeModel(this.task, this.params);
    copy.featureNames = this.featureNames;
    copy.seed = this.seed;
    const pruned = pruneCoefficients(s, tolerances, (state) => {
      copy.state = state;
      return copy.predict(check.X);
    }, check);
    copy.state = pruned.state;
    return { model: copy, steps: pruned.steps };
  }

  describe(): ModelDescription {
    const s = this.state ?? notFitted('ridge');
    return {
      family: 'ridge', task: this.task, numClass: 1, params: { ...this.params },
      featureImportance: linearImportance(s, this.featureNames), details: { intercept: s.intercept[0] },
    };
  }
}

/**
 * Closed-form ridge fit (see the module note) with an unpenalised intercept, solved as one (p + 1)-dimensional
 * system because clamped features are not exactly centred. Throws `DataError` when the system is singular
 * (alpha 0, collinear features).
 */
export function fitRidge(X: FeatureColumns, y: Float64Array, alpha: number, clip = Infinity): LinearState {
  const n = X.numRows;
  const p = X.columns.length;
  const m = p + 1;
  const lambda = alpha / n;
  const standardizer = fitStandardizer(X, clip);
  let ybar = 0;
  for (let i = 0; i < n; i++) ybar += y[i];
  ybar /= n;
  const yc = new Float64Array(n);
  for (let i = 0; i < n; i++) yc[i] = y[i] - ybar;
  const { zz, zt, zsum } = gram(X, standardizer, undefined, yc);
  // index 0 is the intercept (offset from the mean of y); the system is divided by n to keep it of order one
  const A = new Float64Array(m * m);
  const b = new Float64Array(m);
  A[0] = 1;
  for (let f = 0; f < p; f++) {
    A[f + 1] = A[(f + 1) * m] = zsum[f] / n;
    b[f + 1] = zt[f] / n;
    for (let g = 0; g < p; g++) A[(f + 1) * m + g + 1] = zz[f * p + g] / n;
    // constant features have a zero row and column: pin their coefficient to 0
    A[(f + 1) * m + f + 1] += standardizer.scale[f] > 0 ? lambda : 1;
  }
  const x = choleskySolve(A, b, m);
  if (!x) {
    throw new DataError(`ridge: the features are collinear and alpha = ${alpha} does not regularise them`, 'set alpha > 0 (e.g. 1000) or drop duplicate features');
  }
  return { standardizer, coef: x.slice(1), intercept: Float64Array.of(ybar + x[0]) };
}
