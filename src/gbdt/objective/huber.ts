/**
 * Huber regression with threshold `alpha` (delta): squared error for residuals within delta, linear beyond.
 * Gradient clamp(s - y, -delta, delta), unit pseudo-hessian, initial score the label mean (as LightGBM).
 */
import type { Objective, ObjectiveFactory } from './objective.js';
import { mean } from './objective.js';

/** Huber loss (LightGBM `huber`). */
export const createHuber: ObjectiveFactory = (params) => {
  const delta = params.alpha;
  const objective: Objective = {
    name: 'huber',
    kind: 'regression',
    numClass: 1,
    defaultMetric: 'rmse',
    exactHessian: false,
    unitHessian: true,
    checkLabels() {},
    initScore: (labels) => Float64Array.of(mean(labels)),
    gradients(labels, scores, grad, hess) {
      for (let i = 0; i < labels.length; i++) {
        const d = scores[i] - labels[i];
        grad[i] = d > delta ? delta : d < -delta ? -delta : d;
        hess[i] = 1;
      }
    },
    loss(labels, scores, i) {
      const a = Math.abs(scores[i] - labels[i]);
      return a <= delta ? 0.5 * a * a : delta * (a - 0.5 * delta);
    },
    spec: () => ({ name: 'huber', numClass: 1, params: { alpha: delta } }),
  };
  return objective;
};
