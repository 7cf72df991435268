/**
 * L2-regularised logistic regression on standardised features (same handling as ridge: training-median
 * imputation, centring and scaling, clamping to ±`clip`; constant features ignored).
 *
 * Objective: summed log loss + `alpha/2 |w|^2` (scikit-learn's `LogisticRegression(C = 1/alpha)` on standardised
 * features; intercepts not penalised, so the fitted base rate is exact). Like ridge's, `alpha` is worth `alpha`
 * rows of evidence. Binary: Newton's method with a backtracking (Armijo) line search. Multiclass (softmax over
 * `numClass` classes): minorise-maximise steps with Böhning's fixed curvature bound `0.5 Z'Z/n + lambda`, which
 * decrease the objective monotonically without a line search. Internally the objective is divided by the row
 * count (penalty `lambda = alpha / n` per row) to keep gradients of order one.
 */
import { DataError, UsageError } from '../core/errors.js';
import { BLOCK_ROWS, choleskySolve, fitStandardizer, linearScores, standardizeBlock, type Standardizer } from './linear-algebra.js';
import type { CompressionCheck, CompressionOutcome, CompressionTolerances } from './compression.js';
import { CLIP_PARAM, linearImportance, linearStateFromJson, linearStateToJson, notFitted, pruneCoefficients, type LinearState } from './linear-model.js';
import { badField, makeDocument, readEnvelope, readNumber } from './model-document.js';
import { checkFrame, checkLabels, checkTask, resolveTableParams, type ParamTable, type ParamValues } from './model-params.js';
import type { FeatureColumns, FitOptions, FitReport, Model, ModelDescription, ModelDocument, Task } from './model.js';

/** Logistic parameters. */
export const LOGISTIC_PARAMS: ParamTable = {
  alpha: {
    type: 'float', min: 0, max: 1e12, default: 1000,
    description: 'L2 penalty on standardised coefficients, in rows of evidence. Keeps the fit finite on separable folds and damps noise.',
  },
  clip: CLIP_PARAM,
  max_iter: { type: 'int', min: 1, max: 100000, default: 500, description: 'Most Newton (binary) or bound-optimisation (multiclass) steps.' },
  tol: {
    type: 'float', min: 0, max: 1, minExclusive: true, default: 1e-8,
    description: 'Stop when the largest gradient component of the objective is below this.',
  },
};

/** Logistic regression for binary and multiclass tasks. */
export class LogisticModel implements Model {
  readonly family = 'logistic' as const;
  readonly params: ParamValues;
  private state: LinearState | null = null;
  private featureNames: string[] = [];
  private seed = 0;
  private converged = false;
  private steps = 0;

  constructor(readonly task: Task, readonly numClass: number, params: Readonly<Record<string, unknown>> = {}) {
    checkTask(task, numClass);
    if (task === 'regression') throw new UsageError('logistic predicts class probabilities: it needs a binary or multiclass task', 'use ridge for return targets');
    this.params = resolveTableParams('logistic', LOGISTIC_PARAMS, params);
  }

  async fit(X: FeatureColumns, y: Float64Array, options: FitOptions): Promise<FitReport> {
    checkFrame(X, 'logistic training features');
    checkLabels(y, X.numRows, this.task, this.numClass, 'logistic training labels');
    if (X.numRows < 2) throw new DataError(`logistic needs at least 2 training rows, got ${X.numRows}`, 'train on more rows');
    const fit = this.numClass === 2
      ? fitBinary(X, y, this.params, options.onProgress)
      : fitSoftmax(X, y, this.numClass, this.params, options.onProgress);
    this.state = fit.state;
    this.converged = fit.converged;
    this.steps = fit.steps;
    this.featureNames = [...X.names];
    this.seed = options.seed;
    return { bestIteration: null, iterations: fit.steps };
  }

  predict(X: FeatureColumns): Float64Array {
    const s = this.state ?? notFitted('logistic');
    checkFrame(X, 'logistic prediction features', this.featureNames);
    const width = this.numClass === 2 ? 1 : this.numClass;
    const scores = linearScores(X, s.standardizer, s.coef, s.intercept, width);
    if (width === 1) {
      for (let i = 0; i < scores.length; i++) scores[i] = sigmoid(scores[i]);
    } else {
      for (let r = 0; r < X.numRows; r++) softmaxInPlace(scores, r * width, width);
    }
    return scores;
  }

  toJSON(): ModelDocument {
    const s = this.state ?? notFitted('logistic');
    return makeDocument('logistic', this.task, this.numClass, this.featureNames, this.params, this.seed,
      { ...linearStateToJson(s), converged: this.converged, steps: this.steps });
  }

  /** Read a logistic model document; `ModelFormatError` naming the bad field. */
  static fromJSON(doc: unknown): LogisticModel {
    const d = readEnvelope(doc, 'logistic');
    const m = new LogisticModel(d.task, d.numClass, d.params);
    const { converged, steps, ...linear } = d.state;
    if (typeof converged !== 'boolean') badField('document.state.converged', 'must be true or false');
    m.steps = readNumber(steps, 'document.state.steps', true);
    m.state = linearStateFromJson(linear, d.featureNames.length, d.numClass === 2 ? 1 : d.numClass, m.params.clip as number);
    m.converged = converged;
    m.featureNames = d.featureNames;
    m.seed = d.seed;
    return m;
  }

  /** A copy with coefficients pruned by magnitude within the level's tolerances on the check rows (see `pruneCoefficients`). */
  compress(tolerances: CompressionTolerances, check: CompressionCheck): CompressionOutcome {
    const s = this.state ?? notFitted('logistic');
    const copy = new LogisticModel(this.task, this.numClass, this.params);
    copy.featureNames = this.featureNames;
    copy.seed = this.seed;
    copy.converged = this.converged;
    copy.steps = this.steps;
    const pruned = pruneCoefficients(s, tolerances, (state) => {
      copy.state = state;
      return copy.predict(check.X);
    }, check);
    copy.state = pruned.state;
    return { model: copy, steps: pruned.steps };
  }

  describe(): ModelDescription {
    const s = this.state ?? notFitted('logistic');
    return {
      family: 'logistic', task: this.task, numClass: this.numClass, params: { ...this.params },
      featureImportance: linearImportance(s, this.featureNames),
      details: { converged: this.converged, steps: this.steps, intercept: this.numClass === 2 ? s.intercept[0] : null },
    };
  }
}

/** The logistic function, stable for large |x|. */
export function sigmoid(x: number): number {
  if (x >= 0) return 1 / (1 + Math.exp(-x));
  const e = Math.exp(x);
  return e / (1 + e);
}

/** Softmax of `a[o..o+k)` in place (max-shifted). */
export function softmaxInPlace(a: Float64Array, o: number, k: number): void {
  let max = -Infinity;
  for (let c = 0; c < k; c++) if (a[o + c] > max) max = a[o + c];
  let sum = 0;
  for (let c = 0; c < k; c++) {
    const e = Math.exp(a[o + c] - max);
    a[o + c] = e;
    sum += e;
  }
  for (let c = 0; c < k; c++) a[o + c] /= sum;
}

/** log(1 + e^x) without overflow. */
function log1pExp(x: number): number {
  return x > 0 ? x + Math.log1p(Math.exp(-x)) : Math.log1p(Math.exp(x));
}

interface SolverResult {
  state: LinearState;
  converged: boolean;
  steps: number;
}

/**
 * One pass over the standardised rows: penalised objective, gradient (index 0 = intercept) and, when `hess` is
 * given, the Hessian `Z~' W Z~ / n + lambda D` of the binary problem at `theta` (length p + 1).
 */
function binaryPass(X: FeatureColumns, s: Standardizer, y: Float64Array, theta: Float64Array, lambda: number, grad: Float64Array | null, hess: Float64Array | null): number {
  const p = X.columns.length;
  const m = p + 1;
  const n = X.numRows;
  const block = new Float64Array(BLOCK_ROWS * p);
  if (grad) grad.fill(0);
  if (hess) hess.fill(0);
  let loss = 0;
  for (let start = 0; start < n; start += BLOCK_ROWS) {
    const count = Math.min(BLOCK_ROWS, n - start);
    standardizeBlock(X, s, start, count, block);
    for (let r = 0; r < count; r++) {
      const o = r * p;
      let eta = theta[0];
      for (let f = 0; f < p; f++) eta += block[o + f] * theta[f + 1];
      const yi = y[start + r];
      loss += log1pExp(eta) - yi * eta;
      if (!grad) continue;
      const prob = sigmoid(eta);
      const g = prob - yi;
      grad[0] += g;
      for (let f = 0; f < p; f++) grad[f + 1] += g * block[o + f];
      if (!hess) continue;
      const w = prob * (1 - prob);
      hess[0] += w;
      for (let a = 0; a < p; a++) {
        const wa = w * block[o + a];
        if (wa === 0) continue;
        hess[a + 1] += wa;
        const row = (a + 1) * m;
        for (let b = a; b < p; b++) hess[row + b + 1] += wa * block[o + b];
      }
    }
  }
  let pen = 0;
  for (let f = 1; f < m; f++) pen += theta[f] * theta[f];
  if (grad) {
    for (let j = 0; j < m; j++) grad[j] /= n;
    for (let f = 1; f < m; f++) grad[f] += lambda * theta[f];
  }
  if (hess) {
    for (let a = 0; a < m; a++) for (let b = a; b < m; b++) hess[a * m + b] /= n;
    for (let a = 0; a < m; a++) for (let b = 0; b < a; b++) hess[a * m + b] = hess[b * m + a];
    for (let f = 1; f < m; f++) hess[f * m + f] += s.scale[f - 1] > 0 ? lambda : 1;
  }
  return loss / n + 0.5 * lambda * pen;
}

function maxAbs(a: Float64Array): number {
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i]));
  return m;
}

function fitBinary(X: FeatureColumns, y: Float64Array, params: ParamValues, onProgress: FitOptions['onProgress']): SolverResult {
  const p = X.columns.length;
  const m = p + 1;
  const lambda = (params.alpha as number) / X.numRows;
  const maxIter = params.max_iter as number;
  const tol = params.tol as number;
  const s = fitStandardizer(X, params.clip as number);
  const theta = new Float64Array(m);
  // start from the base rate: the exact optimum when no feature helps
  let mean = 0;
  for (let i = 0; i < y.length; i++) mean += y[i];
  mean /= y.length;
  theta[0] = Math.log(Math.max(mean, 1e-12) / Math.max(1 - mean, 1e-12));
  const grad = new Float64Array(m);
  const hess = new Float64Array(m * m);
  const trial = new Float64Array(m);
  let obj = binaryPass(X, s, y, theta, lambda, grad, hess);
  let converged = false;
  let steps = 0;
  for (; steps < maxIter; ) {
    if (maxAbs(grad) < tol) {
      converged = true;
      break;
    }
    const dir = choleskySolve(hess, grad, m);
    if (!dir) break;
    let slope = 0;
    for (let j = 0; j < m; j++) slope += grad[j] * dir[j];
    let t = 1;
    let next = Infinity;
    for (let k = 0; k < 40; k++, t /= 2) {
      for (let j = 0; j < m; j++) trial[j] = theta[j] - t * dir[j];
      next = binaryPass(X, s, y, trial, lambda, null, null);
      if (next <= obj - 1e-4 * t * slope) break;
    }
    steps++;
    onProgress?.({ stage: 'logistic', step: steps, total: maxIter });
    if (!(next < obj)) {
      // no decrease possible at machine precision: the current point is the optimum to rounding
      converged = maxAbs(grad) < Math.sqrt(tol);
      break;
    }
    theta.set(trial);
    obj = binaryPass(X, s, y, theta, lambda, grad, hess);
  }
  return { state: { standardizer: s, coef: theta.slice(1), intercept: theta.slice(0, 1) }, converged, steps };
}

function fitSoftmax(X: FeatureColumns, y: Float64Array, K: number, params: ParamValues, onProgress: FitOptions['onProgress']): SolverResult {
  const p = X.columns.length;
  const m = p + 1;
  const n = X.numRows;
  const lambda = (params.alpha as number) / n;
  const maxIter = params.max_iter as number;
  const tol = params.tol as number;
  const s = fitStandardizer(X, params.clip as number);
  // theta[k*m + 0] = intercept of class k, theta[k*m + 1 + f] = coefficient of feature f
  const theta = new Float64Array(K * m);
  const counts = new Float64Array(K);
  for (let i = 0; i < n; i++) counts[y[i]]++;
  for (let k = 0; k < K; k++) theta[k * m] = Math.log(Math.max(counts[k], 0.5) / n);
  // the curvature bound 0.5 Z~'Z~/n + lambda D (Böhning), shared by every class and step
  const bound = new Float64Array(m * m);
  const block = new Float64Array(BLOCK_ROWS * p);
  for (let start = 0; start < n; start += BLOCK_ROWS) {
    const count = Math.min(BLOCK_ROWS, n - start);
    standardizeBlock(X, s, start, count, block);
    for (let r = 0; r < count; r++) {
      const o = r * p;
      bound[0] += 1;
      for (let a = 0; a < p; a++) {
        const za = block[o + a];
        if (za === 0) continue;
        bound[a + 1] += za;
        const row = (a + 1) * m;
        for (let b = a; b < p; b++) bound[row + b + 1] += za * block[o + b];
      }
    }
  }
  for (let a = 0; a < m; a++) for (let b = a; b < m; b++) bound[a * m + b] *= 0.5 / n;
  for (let a = 0; a < m; a++) for (let b = 0; b < a; b++) bound[a * m + b] = bound[b * m + a];
  for (let f = 1; f < m; f++) bound[f * m + f] += s.scale[f - 1] > 0 ? lambda : 1;
  // a tiny ridge on the intercept keeps the bound positive definite (softmax is invariant to a shared shift)
  bound[0] += 1e-10;

  const grad = new Float64Array(K * m);
  const probs = new Float64Array(K);
  const gk = new Float64Array(m);
  let converged = false;
  let steps = 0;
  for (; steps < maxIter; steps++) {
    grad.fill(0);
    for (let start = 0; start < n; start += BLOCK_ROWS) {
      const count = Math.min(BLOCK_ROWS, n - start);
      standardizeBlock(X, s, start, count, block);
      for (let r = 0; r < count; r++) {
        const o = r * p;
        for (let k = 0; k < K; k++) {
          let eta = theta[k * m];
          for (let f = 0; f < p; f++) eta += block[o + f] * theta[k * m + 1 + f];
          probs[k] = eta;
        }
        softmaxInPlace(probs, 0, K);
        const yi = y[start + r];
        for (let k = 0; k < K; k++) {
          const g = probs[k] - (yi === k ? 1 : 0);
          grad[k * m] += g;
          for (let f = 0; f < p; f++) grad[k * m + 1 + f] += g * block[o + f];
        }
      }
    }
    for (let k = 0; k < K; k++) {
      for (let j = 0; j < m; j++) grad[k * m + j] /= n;
      for (let f = 1; f < m; f++) grad[k * m + f] += lambda * theta[k * m + f];
    }
    if (maxAbs(grad) < tol) {
      converged = true;
      break;
    }
    for (let k = 0; k < K; k++) {
      gk.set(grad.subarray(k * m, (k + 1) * m));
      const step = choleskySolve(bound, gk, m);
      if (!step) throw new DataError('logistic: the curvature bound is singular', 'set alpha > 0 or drop constant features');
      for (let j = 0; j < m; j++) theta[k * m + j] -= step[j];
    }
    onProgress?.({ stage: 'logistic', step: steps + 1, total: maxIter });
  }
  const coef = new Float64Array(K * p);
  const intercept = new Float64Array(K);
  for (let k = 0; k < K; k++) {
    intercept[k] = theta[k * m];
    for (let f = 0; f < p; f++) coef[k * p + f] = theta[k * m + 1 + f];
  }
  return { state: { standardizer: s, coef, intercept }, converged, steps };
}
