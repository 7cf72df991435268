/**
 * Multiclass softmax log-loss on integer labels 0..K-1: gradient p_k - [y = k], hessian K/(K-1) p_k (1 - p_k)
 * (LightGBM's scaling of the diagonal), initial scores the log class frequencies.
 */
import { DataError } from '../../core/errors.js';
import type { Objective, ObjectiveFactory } from './objective.js';

/** Multiclass classification (LightGBM `multiclass`, XGBoost `multi:softprob`). */
export const createMulticlass: ObjectiveFactory = (params) => {
  const K = params.num_class;
  const factor = K / (K - 1);
  const probs = new Float64Array(K);
  const softmaxRow = (scores: Float64Array, i: number): void => {
    const base = i * K;
    let max = -Infinity;
    for (let k = 0; k < K; k++) if (scores[base + k] > max) max = scores[base + k];
    let sum = 0;
    for (let k = 0; k < K; k++) {
      probs[k] = Math.exp(scores[base + k] - max);
      sum += probs[k];
    }
    for (let k = 0; k < K; k++) probs[k] /= sum;
  };
  const objective: Objective = {
    name: 'multiclass',
    kind: 'multiclass',
    numClass: K,
    defaultMetric: 'multi_logloss',
    exactHessian: false,
    unitHessian: false,
    checkLabels(labels, what, training) {
      const seen = new Uint8Array(K);
      let distinct = 0;
      for (let i = 0; i < labels.length; i++) {
        const y = labels[i];
        if (!Number.isInteger(y) || y < 0 || y >= K) {
          throw new DataError(`${what}: multiclass objective: label of row ${i} is ${y}; labels must be integers in [0, ${K - 1}]`,
            'encode classes as 0..num_class-1 or raise num_class');
        }
        if (!seen[y]) {
          seen[y] = 1;
          distinct++;
        }
      }
      if (training && distinct < 2) throw new DataError(`${what}: multiclass objective: every label is the same class; at least two classes are needed`, 'check the label definition');
    },
    initScore(labels) {
      const counts = new Float64Array(K);
      for (let i = 0; i < labels.length; i++) counts[labels[i]]++;
      return counts.map((c) => Math.log(Math.max(c / labels.length, 1e-15)));
    },
    gradients(labels, scores, grad, hess) {
      const n = labels.length;
      for (let i = 0; i < n; i++) {
        softmaxRow(scores, i);
        const y = labels[i];
        for (let k = 0; k < K; k++) {
          const p = probs[k];
          grad[k * n + i] = k === y ? p - 1 : p;
          hess[k * n + i] = factor * p * (1 - p);
        }
      }
    },
    loss(labels, scores, i) {
      softmaxRow(scores, i);
      return -Math.log(Math.max(probs[labels[i]], 1e-300));
    },
    spec: () => ({ name: 'multiclass', numClass: K, params: {} }),
  };
  return objective;
};
