/**
 * The single source of truth for GBDT training parameters: one typed table entry per parameter, giving its
 * canonical (LightGBM) name, the names and aliases each training mode accepts, per-mode defaults, the valid
 * range and a description. `resolveParams` validates user input against it, and `renderParameterDocs`
 * (params-docs.ts) generates docs/gbdt-parameters.md from it (a test keeps the committed doc current).
 *
 * Modes: `lightgbm` (leaf-wise, LightGBM names), `xgboost` (depth-wise by default, XGBoost names), `rf`
 * (random forest: bagging, no shrinkage, averaged trees, LightGBM names).
 */
import { UsageError } from '../core/errors.js';
import type { MetricName } from '../evaluation/metric/metric.js';

/** Training mode: leaf-wise `lightgbm`, depth-wise `xgboost`, or `rf` (random forest). */
export type TrainMode = 'lightgbm' | 'xgboost' | 'rf';

/** Objectives pulse can train. */
export type TrainObjectiveName = 'regression' | 'regression_l1' | 'huber' | 'quantile' | 'binary' | 'multiclass';

/** Fully resolved training parameters, keyed by canonical (LightGBM) name. */
export interface GbdtParams {
  objective: TrainObjectiveName;
  num_class: number;
  alpha: number;
  num_iterations: number;
  learning_rate: number;
  num_leaves: number;
  max_depth: number;
  grow_policy: 'leafwise' | 'depthwise';
  min_data_in_leaf: number;
  min_sum_hessian_in_leaf: number;
  lambda_l1: number;
  lambda_l2: number;
  min_gain_to_split: number;
  feature_fraction: number;
  bagging_fraction: number;
  bagging_freq: number;
  max_bin: number;
  bin_construct_sample_cnt: number;
  early_stopping_round: number;
  metric: MetricName[];
  num_threads: number;
  seed: number;
}

export type Value = number | string | boolean;

/** How a parameter is named and defaulted in one mode; absent means the mode does not accept the parameter. */
interface ModeSpelling {
  /** Names accepted in this mode; the first is the one shown in the docs. */
  names: readonly string[];
  default: Value | readonly string[];
}

/** One parameter's definition. */
export interface ParamSpec {
  type: 'int' | 'float' | 'enum' | 'list';
  /** Inclusive/exclusive numeric bounds (ints and floats). */
  min?: number;
  minExclusive?: boolean;
  max?: number;
  maxExclusive?: boolean;
  /** Allowed values for enums and lists: accepted spelling -> canonical value. */
  values?: Readonly<Record<string, string>>;
  description: string;
  lightgbm?: ModeSpelling;
  xgboost?: ModeSpelling;
  /** Overrides of the lightgbm spelling for random-forest mode (names and defaults), when they differ. */
  rf?: ModeSpelling;
}

const OBJECTIVES: Record<string, TrainObjectiveName> = {
  regression: 'regression', regression_l2: 'regression', l2: 'regression', mean_squared_error: 'regression', mse: 'regression',
  regression_l1: 'regression_l1', l1: 'regression_l1', mean_absolute_error: 'regression_l1', mae: 'regression_l1',
  huber: 'huber', quantile: 'quantile', binary: 'binary', multiclass: 'multiclass', softmax: 'multiclass',
};
const XGB_OBJECTIVES: Record<string, TrainObjectiveName> = {
  'reg:squarederror': 'regression', 'reg:absoluteerror': 'regression_l1', 'reg:quantileerror': 'quantile',
  'binary:logistic': 'binary', 'multi:softprob': 'multiclass',
};
export const METRIC_SPELLINGS: Record<string, MetricName> = {
  rmse: 'rmse', l2_root: 'rmse', root_mean_squared_error: 'rmse', mae: 'mae', l1: 'mae', mean_absolute_error: 'mae',
  mape: 'mape', mean_absolute_percentage_error: 'mape', r2: 'r2', logloss: 'logloss', binary_logloss: 'logloss',
  auc: 'auc', accuracy: 'accuracy', multi_logloss: 'multi_logloss', multiclass: 'multi_logloss', softmax: 'multi_logloss',
  mlogloss: 'multi_logloss', directional_accuracy: 'directional_accuracy', ic: 'ic', pearson_ic: 'pearson_ic', brier: 'brier',
};

const NUM_ITERATION_NAMES = ['num_iterations', 'num_iteration', 'n_iter', 'num_tree', 'num_trees', 'num_round', 'num_rounds', 'nrounds', 'num_boost_round', 'n_estimators'];

/**
 * The parameter table. Keys are canonical names; `Record<keyof GbdtParams, ...>` makes the compiler demand
 * exactly one entry per resolved parameter, so the table and the typed result cannot drift apart.
 */
export const PARAMS: Readonly<Record<keyof GbdtParams, ParamSpec>> = {
  objective: {
    type: 'enum', values: { ...OBJECTIVES, ...XGB_OBJECTIVES },
    description: 'Loss to minimise: regression (L2), regression_l1, huber, quantile, binary (logloss), multiclass (softmax).',
    lightgbm: { names: ['objective', 'objective_type', 'app', 'application', 'loss'], default: 'regression' },
    xgboost: { names: ['objective'], default: 'regression' },
  },
  num_class: {
    type: 'int', min: 1, max: 10000,
    description: 'Number of classes for multiclass (labels 0..num_class-1); 1 for every other objective.',
    lightgbm: { names: ['num_class', 'num_classes'], default: 1 },
    xgboost: { names: ['num_class'], default: 1 },
  },
  alpha: {
    type: 'float', min: 0, minExclusive: true,
    description: 'Huber delta (residuals beyond it get a constant gradient) and the quantile level for quantile (must then be < 1).',
    lightgbm: { names: ['alpha'], default: 0.9 },
    xgboost: { names: ['quantile_alpha', 'huber_slope'], default: 0.9 },
  },
  num_iterations: {
    type: 'int', min: 1, max: 1_000_000,
    description: 'Boosting iterations (trees per class); the number of trees in random-forest mode.',
    lightgbm: { names: NUM_ITERATION_NAMES, default: 100 },
    xgboost: { names: ['num_boost_round', 'n_estimators', 'nrounds', 'num_round'], default: 100 },
  },
  learning_rate: {
    type: 'float', min: 0, minExclusive: true, max: 1,
    description: 'Shrinkage applied to every leaf value (ignored in random-forest mode).',
    lightgbm: { names: ['learning_rate', 'shrinkage_rate', 'eta'], default: 0.1 },
    xgboost: { names: ['eta', 'learning_rate'], default: 0.3 },
  },
  num_leaves: {
    type: 'int', min: 0, max: 131072,
    description: 'Maximum leaves per tree (at least 2 in lightgbm/rf mode); 0 in xgboost mode means no limit besides max_depth.',
    lightgbm: { names: ['num_leaves', 'num_leaf', 'max_leaves', 'max_leaf', 'max_leaf_nodes'], default: 31 },
    xgboost: { names: ['max_leaves'], default: 0 },
  },
  max_depth: {
    type: 'int', min: -1, max: 64,
    description: 'Maximum tree depth; -1 (lightgbm) or 0 (xgboost lossguide) means no limit.',
    lightgbm: { names: ['max_depth'], default: -1 },
    xgboost: { names: ['max_depth'], default: 6 },
  },
  grow_policy: {
    type: 'enum', values: { depthwise: 'depthwise', lossguide: 'leafwise' },
    description: 'Tree growth in xgboost mode: depthwise (level by level) or lossguide (best leaf first, like lightgbm).',
    lightgbm: { names: [], default: 'leafwise' },
    xgboost: { names: ['grow_policy'], default: 'depthwise' },
  },
  min_data_in_leaf: {
    type: 'int', min: 0, max: 2 ** 31 - 1,
    description: 'Minimum training rows in a leaf.',
    lightgbm: { names: ['min_data_in_leaf', 'min_data_per_leaf', 'min_data', 'min_child_samples', 'min_samples_leaf'], default: 20 },
    xgboost: { names: [], default: 0 },
  },
  min_sum_hessian_in_leaf: {
    type: 'float', min: 0,
    description: 'Minimum sum of hessians in a leaf (XGBoost min_child_weight).',
    lightgbm: { names: ['min_sum_hessian_in_leaf', 'min_sum_hessian_per_leaf', 'min_sum_hessian', 'min_hessian', 'min_child_weight'], default: 1e-3 },
    xgboost: { names: ['min_child_weight'], default: 1 },
  },
  lambda_l1: {
    type: 'float', min: 0,
    description: 'L1 regularisation of leaf values.',
    lightgbm: { names: ['lambda_l1', 'reg_alpha', 'l1_regularization'], default: 0 },
    xgboost: { names: ['alpha', 'reg_alpha'], default: 0 },
  },
  lambda_l2: {
    type: 'float', min: 0,
    description: 'L2 regularisation of leaf values.',
    lightgbm: { names: ['lambda_l2', 'reg_lambda', 'lambda', 'l2_regularization'], default: 0 },
    xgboost: { names: ['lambda', 'reg_lambda'], default: 1 },
  },
  min_gain_to_split: {
    type: 'float', min: 0,
    description: 'Minimum loss reduction a split must bring (XGBoost gamma).',
    lightgbm: { names: ['min_gain_to_split', 'min_split_gain'], default: 0 },
    xgboost: { names: ['gamma', 'min_split_loss'], default: 0 },
  },
  feature_fraction: {
    type: 'float', min: 0, minExclusive: true, max: 1,
    description: 'Fraction of features drawn (seeded) for each tree.',
    lightgbm: { names: ['feature_fraction', 'sub_feature', 'colsample_bytree'], default: 1 },
    xgboost: { names: ['colsample_bytree'], default: 1 },
  },
  bagging_fraction: {
    type: 'float', min: 0, minExclusive: true, max: 1,
    description: 'Fraction of rows drawn (seeded, without replacement) every bagging_freq iterations; < 1 is required in rf mode.',
    lightgbm: { names: ['bagging_fraction', 'sub_row', 'subsample', 'bagging'], default: 1 },
    xgboost: { names: ['subsample'], default: 1 },
    rf: { names: ['bagging_fraction', 'sub_row', 'subsample', 'bagging'], default: 0.632 },
  },
  bagging_freq: {
    type: 'int', min: 0, max: 1_000_000,
    description: 'Redraw the bag every k iterations (0 disables bagging; xgboost mode redraws every iteration).',
    lightgbm: { names: ['bagging_freq', 'subsample_freq'], default: 0 },
    xgboost: { names: [], default: 1 },
    rf: { names: ['bagging_freq', 'subsample_freq'], default: 1 },
  },
  max_bin: {
    type: 'int', min: 2, max: 65535,
    description: 'Maximum value bins per feature (one more bin holds missing values); bin codes are uint8 up to 255, uint16 above.',
    lightgbm: { names: ['max_bin', 'max_bins'], default: 255 },
    xgboost: { names: ['max_bin'], default: 255 },
  },
  bin_construct_sample_cnt: {
    type: 'int', min: 1, max: 2 ** 31 - 1,
    description: 'Rows sampled (seeded) to find the bin boundaries.',
    lightgbm: { names: ['bin_construct_sample_cnt', 'subsample_for_bin'], default: 200000 },
    xgboost: { names: ['bin_construct_sample_cnt'], default: 200000 },
  },
  early_stopping_round: {
    type: 'int', min: 0, max: 1_000_000,
    description: 'Stop when a validation metric has not improved for this many iterations (0 disables); the best iteration is kept.',
    lightgbm: { names: ['early_stopping_round', 'early_stopping_rounds', 'early_stopping', 'n_iter_no_change'], default: 0 },
    xgboost: { names: ['early_stopping_rounds'], default: 0 },
  },
  metric: {
    type: 'list', values: METRIC_SPELLINGS,
    description: 'Validation metrics (comma-separated or a list); empty means the objective\'s default metric. Each metric must score the objective\'s predictions (see Metrics below); early stopping watches every (validation set, metric) pair.',
    lightgbm: { names: ['metric', 'metrics', 'metric_types'], default: [] },
    xgboost: { names: ['eval_metric'], default: [] },
  },
  num_threads: {
    type: 'int', min: 0, max: 1024,
    description: 'Threads for histogram building; 0 means all cores. Results are identical for every thread count.',
    lightgbm: { names: ['num_threads', 'num_thread', 'nthread', 'nthreads', 'n_jobs'], default: 0 },
    xgboost: { names: ['nthread', 'n_jobs'], default: 0 },
  },
  seed: {
    type: 'int', min: 0, max: 0xffffffff,
    description: 'Seed of every random draw (row sampling for bins, bagging, feature fraction); stored in the model.',
    lightgbm: { names: ['seed', 'random_seed', 'random_state'], default: 42 },
    xgboost: { names: ['seed', 'random_state'], default: 42 },
  },
};

/** The spelling of a parameter in a mode (rf falls back to lightgbm's). */
export function spellingOf(spec: ParamSpec, mode: TrainMode): ModeSpelling | undefined {
  if (mode === 'rf') return spec.rf ?? spec.lightgbm;
  return spec[mode];
}

export function rangeText(spec: ParamSpec): string {
  if (spec.type === 'enum' || spec.type === 'list') return `one of ${[...new Set(Object.keys(spec.values ?? {}))].join(', ')}`;
  const lo = spec.min === undefined ? '(-inf' : `${spec.minExclusive ? '(' : '['}${spec.min}`;
  const hi = spec.max === undefined ? 'inf)' : `${spec.max}${spec.maxExclusive ? ')' : ']'}`;
  return `${spec.type === 'int' ? 'an integer in ' : ''}${lo}, ${hi}`;
}

function coerce(key: string, given: string, spec: ParamSpec, raw: unknown): Value | string[] {
  const bad = (why: string): UsageError =>
    new UsageError(`parameter ${given} = ${JSON.stringify(raw)} is invalid: ${why}`, `${given} must be ${rangeText(spec)}`);
  if (spec.type === 'enum') {
    const v = spec.values?.[String(raw)];
    if (typeof raw !== 'string' || v === undefined) throw bad('not a known value');
    return v;
  }
  if (spec.type === 'list') {
    const items = Array.isArray(raw) ? raw : typeof raw === 'string' ? raw.split(',') : null;
    if (!items) throw bad('expected a list or a comma-separated string');
    const out: string[] = [];
    for (const item of items) {
      const name = String(item).trim();
      if (name === '' || name === 'None' || name === 'na') continue;
      const v = spec.values?.[name];
      if (v === undefined) throw bad(`unknown ${key} ${JSON.stringify(name)}`);
      if (!out.includes(v)) out.push(v);
    }
    return out;
  }
  const n = typeof raw === 'number' ? raw : typeof raw === 'string' && raw.trim() !== '' ? Number(raw) : NaN;
  if (!Number.isFinite(n)) throw bad('not a finite number');
  if (spec.type === 'int' && !Number.isInteger(n)) throw bad('not an integer');
  if (spec.min !== undefined && (spec.minExclusive ? n <= spec.min : n < spec.min)) throw bad('out of range');
  if (spec.max !== undefined && (spec.maxExclusive ? n >= spec.max : n > spec.max)) throw bad('out of range');
  return n;
}

/** The canonical name of a parameter name or alias in a mode, or undefined when the mode does not accept it. */
export function canonicalNameOf(mode: TrainMode, name: string): keyof GbdtParams | undefined {
  for (const key of Object.keys(PARAMS) as (keyof GbdtParams)[]) {
    if (spellingOf(PARAMS[key], mode)?.names.includes(name)) return key;
  }
  return undefined;
}

/**
 * Validate user parameters for a mode and fill in the mode's defaults. Names may be any name or alias the mode
 * accepts; values may be numbers or numeric strings (as from a config file). Throws `UsageError` naming an
 * unknown parameter, a parameter given twice under two aliases, or a value outside its range (with the range).
 */
export function resolveParams(mode: TrainMode, user: Readonly<Record<string, unknown>> = {}): GbdtParams {
  const out: Record<string, unknown> = {};
  const givenAs: Record<string, string> = {};
  for (const [given, raw] of Object.entries(user)) {
    if (raw === undefined) continue;
    const key = canonicalNameOf(mode, given);
    if (key === undefined) {
      throw new UsageError(`unknown ${mode} parameter ${JSON.stringify(given)}`,
        `see docs/gbdt-parameters.md for the parameters ${mode} mode accepts`);
    }
    if (givenAs[key] !== undefined) {
      throw new UsageError(`parameter ${key} given twice (as ${givenAs[key]} and ${given})`, 'keep one of the two names');
    }
    givenAs[key] = given;
    out[key] = coerce(key, given, PARAMS[key], raw);
  }
  for (const key of Object.keys(PARAMS) as (keyof GbdtParams)[]) {
    if (out[key] !== undefined) continue;
    const spelling = spellingOf(PARAMS[key], mode);
    const fallback = PARAMS[key].lightgbm?.default;
    const d = spelling?.default ?? fallback;
    out[key] = Array.isArray(d) ? [...d] : d;
  }
  const p = out as unknown as GbdtParams;
  checkConsistency(mode, p);
  return p;
}

function checkConsistency(mode: TrainMode, p: GbdtParams): void {
  if (mode !== 'xgboost' && p.num_leaves < 2) {
    throw new UsageError(`parameter num_leaves = ${p.num_leaves} is invalid: out of range`, 'num_leaves must be an integer in [2, 131072]');
  }
  if (mode === 'xgboost' && p.num_leaves === 0 && p.max_depth <= 0) {
    throw new UsageError('xgboost mode needs max_depth > 0 or max_leaves > 0', 'set max_depth (e.g. 6) or max_leaves (e.g. 63)');
  }
  if (mode === 'xgboost' && p.num_leaves === 1) {
    throw new UsageError('parameter max_leaves = 1 is invalid: out of range', 'max_leaves must be 0 (no limit) or at least 2');
  }
  if (p.objective === 'multiclass' && p.num_class < 2) {
    throw new UsageError(`multiclass needs num_class >= 2, got ${p.num_class}`, 'set num_class to the number of classes');
  }
  if (p.objective !== 'multiclass' && p.num_class !== 1) {
    throw new UsageError(`num_class = ${p.num_class} is only valid with the multiclass objective (objective is ${p.objective})`, 'drop num_class or use objective multiclass');
  }
  if (p.objective === 'quantile' && !(p.alpha < 1)) {
    throw new UsageError(`quantile needs alpha in (0, 1), got ${p.alpha}`, 'set alpha to the quantile level, e.g. 0.9');
  }
  if (mode === 'rf' && !(p.bagging_fraction < 1 && p.bagging_freq > 0) && !(p.feature_fraction < 1)) {
    throw new UsageError('random-forest mode needs bagging (bagging_fraction < 1 and bagging_freq > 0) or feature_fraction < 1',
      'keep the rf defaults (bagging_fraction 0.632, bagging_freq 1) or set feature_fraction < 1');
  }
}

/** Parameters as stored in a model file: canonical names, lists joined with commas. */
export function paramsForModel(p: GbdtParams): Record<string, number | string | boolean> {
  const out: Record<string, number | string | boolean> = {};
  for (const [k, v] of Object.entries(p)) out[k] = Array.isArray(v) ? v.join(',') : (v as number | string);
  return out;
}
