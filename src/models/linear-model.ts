/**
 * Shared state of the linear families (ridge, logistic): the standardiser learned on the training rows, the
 * coefficients on standardised features and the intercepts, with their strict (de)serialisation and
 * importance (share of |standardised coefficient|).
 */
import { UsageError } from '../core/errors.js';
import { badField, onlyKeys, readNumbers, readObject } from './model-document.js';
import type { CompressionTolerances } from './compression.js';
import type { ImportanceEntry } from './model.js';
import type { Standardizer } from './linear-algebra.js';
import type { ParamSpec } from './model-params.js';

/** The `clip` parameter shared by the linear families. */
export const CLIP_PARAM: ParamSpec = {
  type: 'float', min: 0, max: 1e6, default: 5,
  description: 'Clamp standardised features to ±clip in fitting and prediction (0 = no clamp): fat tails and drifting levels otherwise let one bar dominate.',
};

/** A fitted linear predictor on standardised features. */
export interface LinearState {
  standardizer: Standardizer;
  /** `width x p` coefficients, row-major (one row per output). */
  coef: Float64Array;
  /** One intercept per output. */
  intercept: Float64Array;
}

/** The state as JSON-safe fields. */
export function linearStateToJson(s: LinearState): Record<string, unknown> {
  return {
    median: Array.from(s.standardizer.median),
    mean: Array.from(s.standardizer.mean),
    scale: Array.from(s.standardizer.scale),
    coef: Array.from(s.coef),
    intercept: Array.from(s.intercept),
  };
}

/** Read a linear state of `p` features and `width` outputs, clamping at `clip`; `ModelFormatError` naming the bad field. */
export function linearStateFromJson(input: unknown, p: number, width: number, clip: number): LinearState {
  const o = readObject(input, 'document.state');
  onlyKeys(o, 'document.state', ['median', 'mean', 'scale', 'coef', 'intercept']);
  const scale = readNumbers(o.scale, 'document.state.scale', p);
  for (let f = 0; f < p; f++) {
    if (scale[f] < 0) badField(`document.state.scale[${f}]`, `must be >= 0, got ${scale[f]}`);
  }
  return {
    standardizer: {
      median: readNumbers(o.median, 'document.state.median', p), mean: readNumbers(o.mean, 'document.state.mean', p), scale,
      clip: clip > 0 ? clip : Infinity,
    },
    coef: readNumbers(o.coef, 'document.state.coef', p * width),
    intercept: readNumbers(o.intercept, 'document.state.intercept', width),
  };
}

/** Importance: each feature's share of the summed |standardised coefficient| over outputs. */
export function linearImportance(s: LinearState, names: readonly string[]): ImportanceEntry[] {
  const p = names.length;
  const width = s.intercept.length;
  const raw = new Float64Array(p);
  for (let k = 0; k < width; k++) for (let f = 0; f < p; f++) raw[f] += Math.abs(s.coef[k * p + f]);
  return normalizedImportance(raw, names);
}

/** Importance entries from raw non-negative scores, normalised to sum to 1 (zeros stay zeros). */
export function normalizedImportance(raw: ArrayLike<number>, names: readonly string[]): ImportanceEntry[] {
  let total = 0;
  for (let f = 0; f < names.length; f++) total += raw[f];
  return names.map((feature, f) => ({ feature, importance: total > 0 ? raw[f] / total : 0 }));
}

/** Throw the error every family gives when used before `fit`. */
export function notFitted(family: string): never {
  throw new UsageError(`the ${family} model is not fitted`, 'call fit() (or load a fitted model with fromJSON) before predicting');
}

/**
 * Prune coefficients by magnitude: features in order of their summed |standardised coefficient| over outputs,
 * smallest first, have their coefficients set to 0 while the predictions with the pruned state stay acceptable
 * (`accept`), at most `coefPrune` of the features with a nonzero coefficient. `predict` gives the predictions of a
 * state, `loss` their loss (reported). Returns the pruned state and what was done.
 */
export function pruneCoefficients(
  s: LinearState,
  tolerances: CompressionTolerances,
  predict: (state: LinearState) => Float64Array,
  check: { loss: (p: Float64Array) => number; accept: (p: Float64Array) => boolean },
): { state: LinearState; steps: Record<string, unknown> } {
  const width = s.intercept.length;
  const p = s.coef.length / width;
  const magnitude = Array.from({ length: p }, (_, f) => {
    let m = 0;
    for (let k = 0; k < width; k++) m += Math.abs(s.coef[k * p + f]);
    return { f, m };
  }).filter((e) => e.m > 0);
  magnitude.sort((a, b) => a.m - b.m || a.f - b.f);
  const original = check.loss(predict(s));
  const limit = Math.floor(tolerances.coefPrune * magnitude.length);
  const coef = s.coef.slice();
  const pruned: number[] = [];
  let current = original;
  for (const { f } of magnitude) {
    if (pruned.length >= limit) break;
    const saved = Array.from({ length: width }, (_, k) => coef[k * p + f]);
    for (let k = 0; k < width; k++) coef[k * p + f] = 0;
    const predictions = predict({ ...s, coef });
    if (check.accept(predictions)) {
      pruned.push(f);
      current = check.loss(predictions);
    } else {
      for (let k = 0; k < width; k++) coef[k * p + f] = saved[k];
    }
  }
  return {
    state: { ...s, coef },
    steps: { coefficients: { before: magnitude.length, after: magnitude.length - pruned.length, pruned: pruned.length, limit }, prunedFeatures: pruned.sort((a, b) => a - b), loss: { original, compressed: current } },
  };
}
