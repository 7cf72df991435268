/**
 * pulse's gradient-boosted tree engine, public surface. Training (`trainGbdt`, parameters, objectives, metrics),
 * the shared model types, prediction, TreeSHAP and model files. Everything else under src/gbdt/ is internal.
 *
 * @example
 * const { model, evals, bestIteration } = trainGbdt({
 *   mode: 'lightgbm', features: X, numRows, numFeatures, labels: y, featureNames,
 *   params: { objective: 'regression', num_leaves: 31, learning_rate: 0.05 },
 *   valid: [{ name: 'holdout', features: Xv, numRows: nv, labels: yv }], earlyStoppingRounds: 50, seed: 42,
 * });
 * const predictions = predictBatchSync(model, Xnew, rows);
 */
export {
  trainGbdt,
  type IterationEvals,
  type IterationProgress,
  type TrainGbdtOptions,
  type TrainGbdtResult,
  type ValidSet,
} from './booster.js';
export type { FeatureColumns, FeatureInput } from './dataset/feature-matrix.js';
export type { Metric, MetricName, TaskKind } from '../evaluation/metric/metric.js';
export { METRICS } from '../evaluation/metric/metrics.js';
export { ENGINE_VERSION, type GbdtModel, type ModelOrigin, type ObjectiveName, type ObjectiveSpec } from './model.js';
export { OBJECTIVES } from './objective/objectives.js';
export type { Objective, ObjectiveFactory } from './objective/objective.js';
export { transformOutput, type TransformName } from './objective/transform.js';
export { renderParameterDocs } from './params-docs.js';
export {
  PARAMS,
  canonicalNameOf,
  resolveParams,
  type GbdtParams,
  type ParamSpec,
  type TrainMode,
  type TrainObjectiveName,
} from './params.js';
export { predictBatch, predictBatchSync, predictRow, type PredictBatchOptions, type PredictOptions } from './predict.js';
export { featureImportance, treeShap, type FeatureImportance, type TreeShapOptions } from './shap.js';
export { detectModelFormat, parseModel, readModelFile, serializeModel, writeModelFile, type ModelFormatName, type WritableModelFormat } from './format/model-file.js';
export { predictRawRow, type Ensemble, type Tree } from './tree.js';
