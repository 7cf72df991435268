/** The objective registry: one factory per trainable objective, keyed by canonical name. */
import type { TrainObjectiveName } from '../params.js';
import { createBinary } from './binary.js';
import { createHuber } from './huber.js';
import { createMulticlass } from './multiclass.js';
import type { ObjectiveFactory } from './objective.js';
import { createQuantile } from './quantile.js';
import { createRegression } from './regression.js';
import { createRegressionL1 } from './regression-l1.js';

/** Every trainable objective by name. */
export const OBJECTIVES: Readonly<Record<TrainObjectiveName, ObjectiveFactory>> = {
  regression: createRegression,
  regression_l1: createRegressionL1,
  huber: createHuber,
  quantile: createQuantile,
  binary: createBinary,
  multiclass: createMulticlass,
};
