/** Squared error (L2) regression: gradient s - y, hessian 1, initial score the label mean. */
import type { Objective, ObjectiveFactory } from './objective.js';
import { mean } from './objective.js';

/** L2 regression (LightGBM `regression`, XGBoost `reg:squarederror`). */
export const createRegression: ObjectiveFactory = () => {
  const objective: Objective = {
    name: 'regression',
    kind: 'regression',
    numClass: 1,
    defaultMetric: 'rmse',
    exactHessian: true,
    unitHessian: true,
    checkLabels() {},
    initScore: (labels) => Float64Array.of(mean(labels)),
    gradients(labels, scores, grad, hess) {
      for (let i = 0; i < labels.length; i++) {
        grad[i] = scores[i] - labels[i];
        hess[i] = 1;
      }
    },
    loss: (labels, scores, i) => 0.5 * (scores[i] - labels[i]) ** 2,
    spec: () => ({ name: 'regression', numClass: 1, params: {} }),
  };
  return objective;
};
