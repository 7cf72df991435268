/**
 * Each GBDT family's default search space, spelled with the parameter names its training mode accepts
 * (src/gbdt/params.ts). The ranges follow common practice for boosted trees on noisy tabular data (LightGBM's
 * parameter-tuning guide, Optuna's LightGBM examples): rates and regularisation searched in log space, tree size
 * and leaf minimums over a decade or more, row and column sampling between 40% and 100%.
 */
import { canonicalNameOf, type TrainMode } from '../gbdt/params.js';
import { floatDist, intDist, type SearchSpace } from './space.js';

/** Families with a default space. */
export type SpaceFamily = 'lightgbm' | 'xgboost';

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

/** Every family's default space. */
export const DEFAULT_SPACES: Readonly<Record<SpaceFamily, SearchSpace>> = { lightgbm: LIGHTGBM, xgboost: XGBOOST };

/** Whether `name` is a parameter (or alias) a GBDT training mode accepts: the check a `--space` file's names get. */
export function gbdtAccepts(mode: TrainMode): (name: string) => boolean {
  return (name) => canonicalNameOf(mode, name) !== undefined;
}
