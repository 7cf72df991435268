/**
 * Binary log-loss on labels 0/1 with the logistic link p = 1 / (1 + e^-s): gradient p - y, hessian p (1 - p),
 * initial score the log-odds of the positive rate.
 */
import { DataError } from '../../core/errors.js';
import type { Objective, ObjectiveFactory } from './objective.js';

/** Binary classification (LightGBM `binary`, XGBoost `binary:logistic`). */
export const createBinary: ObjectiveFactory = () => {
  const objective: Objective = {
    name: 'binary',
    kind: 'binary',
    numClass: 1,
    defaultMetric: 'logloss',
    exactHessian: true,
    unitHessian: false,
    checkLabels(labels, what, training) {
      let pos = 0;
      for (let i = 0; i < labels.length; i++) {
        const y = labels[i];
        if (y !== 0 && y !== 1) {
          throw new DataError(`${what}: binary objective: label of row ${i} is ${y}; labels must be 0 or 1`, 'encode the two classes as 0 and 1');
        }
        pos += y;
      }
      if (training && (pos === 0 || pos === labels.length)) {
        throw new DataError(`${what}: binary objective: every label is ${pos === 0 ? 0 : 1}; both classes are needed`,
          'check the label definition or the training window; one class cannot be learned');
      }
    },
    initScore(labels) {
      let pos = 0;
      for (let i = 0; i < labels.length; i++) pos += labels[i];
      const p = pos / labels.length;
      return Float64Array.of(Math.log(p / (1 - p)));
    },
    gradients(labels, scores, grad, hess) {
      for (let i = 0; i < labels.length; i++) {
        const p = 1 / (1 + Math.exp(-scores[i]));
        grad[i] = p - labels[i];
        hess[i] = p * (1 - p);
      }
    },
    loss(labels, scores, i) {
      const s = scores[i];
      // log(1 + e^-s) for y = 1, log(1 + e^s) for y = 0, computed without overflow
      const z = labels[i] === 1 ? -s : s;
      return z > 0 ? z + Math.log1p(Math.exp(-z)) : Math.log1p(Math.exp(z));
    },
    spec: () => ({ name: 'binary', numClass: 1, params: { sigmoid: 1 } }),
  };
  return objective;
};
