/**
 * The GBDT families on pulse's engine: `lightgbm` (leaf-wise, LightGBM parameter names), `xgboost` (depth-wise,
 * XGBoost names) and `rf` (random forest: bagged, unshrunk, averaged trees). Parameters are the engine's (see
 * docs/gbdt-parameters.md), validated by the engine with the same messages; this module only adds defaults
 * suited to noisy market data (docs/models.md gives the reasoning) and picks the objective from the task.
 */
import { UsageError } from '../core/errors.js';
import { noPace } from '../core/async.js';
import { readPulseModel, writePulseModel } from '../gbdt/format/pulse-json.js';
import type { GbdtModel } from '../gbdt/model.js';
import { canonicalNameOf, PARAMS, resolveParams, spellingOf, type GbdtParams, type TrainMode } from '../gbdt/params.js';
import { predictBatchSync, treesUsed } from '../gbdt/predict.js';
import { featureImportance } from '../gbdt/shap.js';
import { normalizedImportance, notFitted } from './linear-model.js';
import { badField, makeDocument, onlyKeys, readEnvelope, readObject } from './model-document.js';
import { checkFrame, checkLabels, checkTask } from './model-params.js';
import { toRowMajor } from './frame.js';
import type { FeatureColumns, FitOptions, FitReport, Model, ModelDescription, ModelDocument, Task } from './model.js';

type GbdtDefaults = Partial<Record<keyof GbdtParams, number>>;

/**
 * pulse's defaults per GBDT family, by canonical parameter name (written in each mode's own spelling). Small
 * learning rate with many rounds and early stopping, shallow trees, large leaves, row and feature subsampling and
 * some L2: returns are mostly noise, and these settings trade a little bias for much less variance. Bin edges
 * come from a 50,000-row sample (LightGBM samples 200,000): 255 quantile bins are just as well placed, and
 * cross-validation re-bins every fold, which dominates the cost of large intraday fits otherwise.
 */
export const GBDT_DEFAULTS: Readonly<Record<TrainMode, GbdtDefaults>> = {
  lightgbm: {
    num_iterations: 1000, learning_rate: 0.03, num_leaves: 15, max_depth: 6, min_data_in_leaf: 50,
    feature_fraction: 0.7, bagging_fraction: 0.7, bagging_freq: 1, lambda_l2: 1, early_stopping_round: 50,
    bin_construct_sample_cnt: 50000,
  },
  xgboost: {
    num_iterations: 1000, learning_rate: 0.03, max_depth: 3, min_sum_hessian_in_leaf: 10,
    feature_fraction: 0.7, bagging_fraction: 0.7, lambda_l2: 5, early_stopping_round: 50, bin_construct_sample_cnt: 50000,
  },
  rf: {
    num_iterations: 200, num_leaves: 31, min_data_in_leaf: 50, feature_fraction: 0.5, bagging_fraction: 0.632, bagging_freq: 1,
    bin_construct_sample_cnt: 50000,
  },
};

const OBJECTIVE_OF_TASK: Readonly<Record<Task, readonly GbdtParams['objective'][]>> = {
  regression: ['regression', 'regression_l1', 'huber', 'quantile'],
  binary: ['binary'],
  multiclass: ['multiclass'],
};

/**
 * Merge pulse's defaults under the user's parameters (a user value under any alias wins over the default) and
 * set the objective and class count from the task. Throws `UsageError` for unknown names, bad values and an
 * objective that does not fit the task.
 */
export function gbdtParamsFor(mode: TrainMode, task: Task, numClass: number, user: Readonly<Record<string, unknown>>): Record<string, unknown> {
  const merged: Record<string, unknown> = { ...user };
  const given = new Set(Object.keys(user).map((name) => canonicalNameOf(mode, name)));
  for (const [key, value] of Object.entries(GBDT_DEFAULTS[mode]) as [keyof GbdtParams, number][]) {
    if (given.has(key)) continue;
    const name = spellingOf(PARAMS[key], mode)?.names[0];
    if (name) merged[name] = value;
  }
  const objectiveName = Object.keys(user).find((name) => canonicalNameOf(mode, name) === 'objective');
  if (objectiveName === undefined) merged.objective = task === 'regression' ? 'regression' : task;
  const classKey = spellingOf(PARAMS.num_class, mode)!.names[0];
  if (task === 'multiclass' && !given.has('num_class')) merged[classKey] = numClass;
  const resolved = resolveParams(mode, merged);
  if (!OBJECTIVE_OF_TASK[task].includes(resolved.objective)) {
    throw new UsageError(`objective ${resolved.objective} does not fit the ${task} task`, `use one of ${OBJECTIVE_OF_TASK[task].join(', ')}`);
  }
  if (task === 'multiclass' && resolved.num_class !== numClass) {
    throw new UsageError(`num_class = ${resolved.num_class} but the labels have ${numClass} classes`, 'drop num_class; pulse sets it from the labels');
  }
  return merged;
}

/** A GBDT-family model (lightgbm, xgboost or rf). */
export class GbdtFamilyModel implements Model {
  readonly params: Record<string, number | string | boolean>;
  private readonly trainParams: Record<string, unknown>;
  private model: GbdtModel | null = null;

  constructor(readonly family: TrainMode, readonly task: Task, readonly numClass: number, params: Readonly<Record<string, unknown>> = {}) {
    checkTask(task, numClass);
    this.trainParams = gbdtParamsFor(family, task, numClass, params);
    this.params = Object.fromEntries(Object.entries(this.trainParams).map(([k, v]) => [k, Array.isArray(v) ? v.join(',') : (v as number | string)]));
  }

  async fit(X: FeatureColumns, y: Float64Array, options: FitOptions): Promise<FitReport> {
    checkFrame(X, `${this.family} training features`);
    checkLabels(y, X.numRows, this.task, this.numClass, `${this.family} training labels`);
    const params: Record<string, unknown> = { ...this.trainParams };
    if (options.iterations !== undefined) {
      for (const name of Object.keys(params)) {
        const key = canonicalNameOf(this.family, name);
        if (key === 'num_iterations' || key === 'early_stopping_round') delete params[name];
      }
      params[spellingOf(PARAMS.num_iterations, this.family)!.names[0]] = options.iterations;
    }
    for (const name of Object.keys(params)) if (canonicalNameOf(this.family, name) === 'seed') delete params[name];
    const valid = options.valid;
    if (valid) checkFrame(valid.X, `${this.family} validation features`, X.names);
    // The training engine loads on the first fit: predicting with a stored model never needs it.
    const { trainGbdtAsync } = await import('../gbdt/booster.js');
    const result = await trainGbdtAsync({
      mode: this.family, params, features: X.columns, numRows: X.numRows, numFeatures: X.columns.length,
      labels: y, featureNames: [...X.names], seed: options.seed,
      valid: valid ? [{ name: 'valid', features: valid.X.columns, numRows: valid.X.numRows, labels: valid.y }] : [],
      onIteration: options.onProgress
        ? (e) => options.onProgress!({ stage: this.family, step: e.iteration, total: e.numIterations })
        : undefined,
    }, options.pace ?? noPace);
    this.model = result.model;
    return { bestIteration: result.bestIteration, iterations: result.iterationsTrained };
  }

  /** The fitted engine model (for SHAP, export to LightGBM text, etc.). */
  get gbdtModel(): GbdtModel {
    return this.model ?? notFitted(this.family);
  }

  predict(X: FeatureColumns): Float64Array {
    const model = this.model ?? notFitted(this.family);
    checkFrame(X, `${this.family} prediction features`, model.featureNames);
    return predictBatchSync(model, toRowMajor(X), X.numRows);
  }

  toJSON(): ModelDocument {
    const model = this.model ?? notFitted(this.family);
    return makeDocument(this.family, this.task, this.numClass, model.featureNames, this.params, model.seed ?? 0,
      { model: JSON.parse(writePulseModel(model)) as unknown });
  }

  /** A copy of this model with other trees (a compressed engine model, src/models/gbdt-compress.ts). */
  withEngineModel(model: GbdtModel): GbdtFamilyModel {
    const copy = new GbdtFamilyModel(this.family, this.task, this.numClass, this.params);
    copy.model = model;
    return copy;
  }

  /** Read a GBDT-family document (the engine's pulse JSON inside); `ModelFormatError` naming the bad field. */
  static fromJSON(doc: unknown, family: TrainMode): GbdtFamilyModel {
    const d = readEnvelope(doc, family);
    const m = new GbdtFamilyModel(family, d.task, d.numClass, d.params);
    const state = readObject(d.state, 'document.state');
    onlyKeys(state, 'document.state', ['model']);
    const model = readPulseModel(JSON.stringify(readObject(state.model, 'document.state.model')));
    if (model.mode !== family) badField('document.state.model.mode', `is ${model.mode}, expected ${family}`);
    const sameNames = model.featureNames.length === d.featureNames.length && model.featureNames.every((n, i) => n === d.featureNames[i]);
    if (!sameNames) badField('document.featureNames', 'differ from the feature names of the trees');
    const expectedClasses = d.task === 'multiclass' ? d.numClass : 1;
    if (model.ensemble.numTreePerIteration !== expectedClasses) {
      badField('document.state.model.objective', `has ${model.ensemble.numTreePerIteration} outputs per iteration, expected ${expectedClasses} for ${d.task}`);
    }
    m.model = model;
    return m;
  }

  describe(): ModelDescription {
    const model = this.model ?? notFitted(this.family);
    const imp = featureImportance(model.ensemble, treesUsed(model));
    return {
      family: this.family, task: this.task, numClass: this.numClass, params: { ...this.params },
      featureImportance: normalizedImportance(imp.gain, model.featureNames),
      details: { bestIteration: model.bestIteration, trees: model.ensemble.trees.length, mode: model.mode },
    };
  }
}

/** Markdown tables of pulse's GBDT defaults per family (canonical names; the family's own spelling is accepted too). */
export function renderGbdtDefaults(): string {
  return (Object.keys(GBDT_DEFAULTS) as TrainMode[]).map((mode) => [
    `### ${mode}`, '', '| parameter | name in this mode | pulse default |', '|---|---|---|',
    ...Object.entries(GBDT_DEFAULTS[mode]).map(([key, value]) =>
      `| \`${key}\` | \`${spellingOf(PARAMS[key as keyof GbdtParams], mode)!.names[0]}\` | \`${value}\` |`),
  ].join('\n')).join('\n\n');
}
