/**
 * Absolute error (L1) regression: gradient sign(s - y) with a unit pseudo-hessian; after each tree every leaf is
 * refit to the median residual of its rows (as LightGBM does), since the sign gradient alone learns slowly.
 */
import type { Objective, ObjectiveFactory } from './objective.js';
import { quantileInPlace, residualQuantile } from './objective.js';

/** L1 regression (LightGBM `regression_l1`, XGBoost `reg:absoluteerror`). */
export const createRegressionL1: ObjectiveFactory = () => {
  const objective: Objective = {
    name: 'regression_l1',
    kind: 'regression',
    numClass: 1,
    defaultMetric: 'mae',
    exactHessian: false,
    unitHessian: true,
    checkLabels() {},
    initScore: (labels) => Float64Array.of(quantileInPlace(labels.slice(), labels.length, 0.5)),
    gradients(labels, scores, grad, hess) {
      for (let i = 0; i < labels.length; i++) {
        const d = scores[i] - labels[i];
        grad[i] = d > 0 ? 1 : d < 0 ? -1 : 0;
        hess[i] = 1;
      }
    },
    loss: (labels, scores, i) => Math.abs(scores[i] - labels[i]),
    renewLeaf: (labels, scores, rows, begin, end, scratch) => residualQuantile(labels, scores, rows, begin, end, scratch, 0.5),
    spec: () => ({ name: 'regression_l1', numClass: 1, params: {} }),
  };
  return objective;
};
