/**
 * Each model family's default search space, spelled with the parameter names the family accepts (GBDT modes:
 * src/gbdt/params.ts; ridge, logistic and the ensemble: their parameter tables in src/models). The GBDT ranges
 * follow common practice for boosted trees on noisy tabular data (LightGBM's parameter-tuning guide, Optuna's
 * LightGBM examples): rates and regularisation searched in log space, tree size and leaf minimums over a decade or
 * more, row and column sampling between 40% and 100%. The random forest has no learning rate (it averages its
 * trees), so its space is tree size, leaf minimum and sampling. The linear families have one knob, the L2 penalty
 * in rows of evidence, searched in log space around their default (1000). The ensemble searches its meta-learner's
 * penalty and the main knobs of its two base models (`gbdt.` and `linear.` prefixes).
 *
 * The naive baseline has no parameters and no space.
 */
import { canonicalNameOf, type TrainMode } from '../gbdt/params.js';
import type { ModelFamily } from '../models/model.js';
import { floatDist, intDist, type SearchSpace } from './space.js';

/** Families with a default space. */
export type SpaceFamily = Exclude<ModelFamily, 'naive'>;

/** LightGBM: leaf-wise trees, so num_leaves bounds complexity; bagging needs bagging_freq > 0 to take effect. */
const LIGHTGBM: SearchSpace = {
  num_leaves: intDist(8, 256, { log: true }),
  learning_rate: floatDist(0.005, 0.3, { log: true }),
  min_data_in_leaf: intDist(5, 200, { log: true }),
  feature_fraction: floatDist(0.4, 1.0),
  bagging_fraction: floatDist(0.4, 1.0),
  bagging_freq: intDist(0, 7),
  lambda_l1: floatDist(1e-8, 10, { log: true }),
  lambda_l2: floatDist(1e-8, 10, { log: true }),
};

/** XGBoost: depth-wise trees, so max_depth bounds complexity; min_child_weight is its hessian-based leaf minimum. */
const XGBOOST: SearchSpace = {
  max_depth: intDist(2, 10),
  eta: floatDist(0.005, 0.3, { log: true }),
  min_child_weight: floatDist(1e-3, 100, { log: true }),
  colsample_bytree: floatDist(0.4, 1.0),
  subsample: floatDist(0.4, 1.0),
  alpha: floatDist(1e-8, 10, { log: true }),
  lambda: floatDist(1e-8, 10, { log: true }),
  gamma: floatDist(1e-8, 1, { log: true }),
};

/** Random forest (bagged, averaged trees): tree size, leaf minimum and the two sampling rates. */
const RF: SearchSpace = {
  num_leaves: intDist(8, 256, { log: true }),
  min_data_in_leaf: intDist(5, 200, { log: true }),
  feature_fraction: floatDist(0.4, 1.0),
  bagging_fraction: floatDist(0.4, 0.9),
};

/** Ridge: the L2 penalty in rows of evidence, from nearly none to heavy. */
const RIDGE: SearchSpace = { alpha: floatDist(1e-2, 1e6, { log: true }) };

/** Logistic regression: as ridge. */
const LOGISTIC: SearchSpace = { alpha: floatDist(1e-2, 1e6, { log: true }) };

/** The stacking ensemble: the meta-learner's penalty and the base models' main knobs. */
const ENSEMBLE: SearchSpace = {
  meta_alpha: floatDist(1e-1, 1e4, { log: true }),
  'gbdt.num_leaves': intDist(8, 128, { log: true }),
  'gbdt.learning_rate': floatDist(0.01, 0.3, { log: true }),
  'linear.alpha': floatDist(1, 1e6, { log: true }),
};

/** Every family's default space. */
export const DEFAULT_SPACES: Readonly<Record<SpaceFamily, SearchSpace>> = {
  lightgbm: LIGHTGBM, xgboost: XGBOOST, rf: RF, ridge: RIDGE, logistic: LOGISTIC, ensemble: ENSEMBLE,
};

/** The default space of a family, or undefined for one without parameters to search (naive). */
export function defaultSpace(family: ModelFamily): SearchSpace | undefined {
  return (DEFAULT_SPACES as Partial<Record<ModelFamily, SearchSpace>>)[family];
}

/** Whether `name` is a parameter (or alias) a GBDT training mode accepts: the check a `--space` file's names get. */
export function gbdtAccepts(mode: TrainMode): (name: string) => boolean {
  return (name) => canonicalNameOf(mode, name) !== undefined;
}
