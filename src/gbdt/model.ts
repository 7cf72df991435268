import type { LeafEncoding } from './leaf-encoding.js';
import type { Ensemble } from './tree.js';

/**
 * Objectives pulse can train or predict with. Training supports regression, regression_l1, huber, quantile,
 * binary, multiclass; imported models may also carry poisson, cross_entropy, multiclassova, gamma, tweedie.
 */
export type ObjectiveName =
  | 'regression'
  | 'regression_l1'
  | 'huber'
  | 'quantile'
  | 'binary'
  | 'multiclass'
  | 'multiclassova'
  | 'poisson'
  | 'cross_entropy'
  | 'gamma'
  | 'tweedie';

/** The objective a model was trained with, enough to reproduce its output transform. */
export interface ObjectiveSpec {
  name: ObjectiveName;
  /** Number of classes for multiclass objectives (1 otherwise). */
  numClass: number;
  /** Objective parameters that affect the output, e.g. `{ sigmoid: 1 }` for LightGBM's binary. */
  params: Record<string, number>;
  /**
   * For multiclass models imported from XGBoost `multi:softmax`: the transformed output is the arg-max class
   * rather than probabilities.
   */
  outputClass?: boolean;
}

/** Where a model came from. */
export type ModelOrigin = 'pulse' | 'lightgbm' | 'xgboost';

/** A complete GBDT model: trees plus everything needed to predict, explain and audit it. */
export interface GbdtModel {
  ensemble: Ensemble;
  objective: ObjectiveSpec;
  featureNames: string[];
  /** Training mode: leaf-wise `lightgbm`, depth-wise `xgboost`, or `rf` (random forest). */
  mode: 'lightgbm' | 'xgboost' | 'rf';
  /** The resolved training parameters (canonical names), as stored in the model file. */
  params: Record<string, number | string | boolean>;
  seed: number | null;
  /** Number of boosting iterations kept (the best iteration with early stopping); null when unknown. */
  bestIteration: number | null;
  /** sha256 of the training matrix and labels, when trained by pulse. */
  dataHash: string | null;
  origin: ModelOrigin;
  /** pulse engine version that trained or imported the model. */
  engineVersion: string;
  /**
   * Compact leaf storage of a compressed model (`pulse models compress`); absent means plain float64. The leaf
   * values in `ensemble` are then exactly the decoded values, so writing and reading change no prediction.
   */
  leafEncoding?: LeafEncoding;
}

/** Version of the GBDT engine; bumped when training results for the same inputs change. */
export const ENGINE_VERSION = '1.0.0';
