/**
 * Quantile (pinball) regression at level `alpha` in (0, 1): gradient 1 - alpha above the label, -alpha below,
 * unit pseudo-hessian; leaves are refit to the alpha-quantile of their residuals and the initial score is the
 * alpha-quantile of the labels (as LightGBM).
 */
import type { Objective, ObjectiveFactory } from './objective.js';
import { quantileInPlace, residualQuantile } from './objective.js';

/** Quantile regression (LightGBM `quantile`, XGBoost `reg:quantileerror`). */
export const createQuantile: ObjectiveFactory = (params) => {
  const alpha = params.alpha;
  const objective: Objective = {
    name: 'quantile',
    kind: 'regression',
    numClass: 1,
    defaultMetric: 'mae',
    exactHessian: false,
    unitHessian: true,
    checkLabels() {},
    initScore: (labels) => Float64Array.of(quantileInPlace(labels.slice(), labels.length, alpha)),
    gradients(labels, scores, grad, hess) {
      for (let i = 0; i < labels.length; i++) {
        grad[i] = scores[i] - labels[i] >= 0 ? 1 - alpha : -alpha;
        hess[i] = 1;
      }
    },
    loss(labels, scores, i) {
      const d = labels[i] - scores[i];
      return d >= 0 ? alpha * d : (alpha - 1) * d;
    },
    renewLeaf: (labels, scores, rows, begin, end, scratch) => residualQuantile(labels, scores, rows, begin, end, scratch, alpha),
    spec: () => ({ name: 'quantile', numClass: 1, params: { alpha } }),
  };
  return objective;
};
