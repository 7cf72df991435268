/**
 * Output transforms: how a model turns raw scores (margins) into predictions. One small pure function per
 * transform, selected through typed tables keyed by the objective, so training objectives, prediction and
 * every model format (pulse JSON, LightGBM text, XGBoost JSON) agree on a single definition.
 *
 * Raw scores are row-major `Float64Array`s of `numRows x rawWidth` values, where `rawWidth` is the number of
 * classes for multiclass objectives and 1 otherwise. Transformed outputs are `numRows x outputWidth`; the
 * width differs from the raw width only for XGBoost's `multi:softmax` (one arg-max class per row).
 */
import { InternalError } from '../../core/errors.js';
import type { ObjectiveName, ObjectiveSpec } from '../model.js';

/** Names of the output transforms pulse implements. */
export type TransformName = 'identity' | 'sigmoid' | 'softmax' | 'exp' | 'ova' | 'argmax';

/**
 * One output transform. `apply` reads `raw` (rows x `rawWidth`) and writes `out` (rows x `outputWidth(rawWidth)`);
 * `out` may be the same array as `raw` (every transform is written to be safe in place). With `float32`, the
 * transform reproduces XGBoost's single-precision arithmetic step by step (expf, float division), so imported
 * XGBoost models give XGBoost's exact float32 outputs; otherwise it is LightGBM's double-precision formula.
 */
export interface OutputTransform {
  readonly name: TransformName;
  /** Values per row in the transformed output, given the raw values per row. */
  outputWidth(rawWidth: number): number;
  /** Transform `numRows` rows; `params` are the objective's parameters (e.g. `sigmoid`). */
  apply(raw: Float64Array, numRows: number, rawWidth: number, params: Readonly<Record<string, number>>, out: Float64Array, float32: boolean): void;
}

/** The slope LightGBM's binary and multiclassova objectives put inside the logistic: p = 1 / (1 + e^(-s x)). */
function sigmoidSlope(params: Readonly<Record<string, number>>): number {
  const s = params.sigmoid;
  return s === undefined ? 1 : s;
}

const identity: OutputTransform = {
  name: 'identity',
  outputWidth: (w) => w,
  apply(raw, numRows, rawWidth, _params, out) {
    if (out !== raw) out.set(raw.subarray(0, numRows * rawWidth));
  },
};

const fround = Math.fround;

/**
 * Logistic of every value: LightGBM `binary` (with its `sigmoid` slope), `xentropy`, XGBoost `binary:logistic`
 * (in float32: `1.0f / (expf(min(-x, 88.7f)) + 1.0f)`).
 */
const sigmoid: OutputTransform = {
  name: 'sigmoid',
  outputWidth: (w) => w,
  apply(raw, numRows, rawWidth, params, out, float32) {
    const s = sigmoidSlope(params);
    const n = numRows * rawWidth;
    if (float32) {
      for (let i = 0; i < n; i++) out[i] = fround(1 / fround(fround(Math.exp(Math.min(-raw[i], 88.69999694824219))) + 1));
    } else {
      for (let i = 0; i < n; i++) out[i] = 1 / (1 + Math.exp(-s * raw[i]));
    }
  },
};

/** Independent per-class logistic (LightGBM `multiclassova`): class probabilities are not normalised. */
const ova: OutputTransform = { ...sigmoid, name: 'ova' };

/**
 * Row-wise softmax with the max subtracted first, as LightGBM's `Common::Softmax` and XGBoost do (XGBoost: float
 * `expf` terms, a double sum, then a float division by the float-cast sum).
 */
const softmax: OutputTransform = {
  name: 'softmax',
  outputWidth: (w) => w,
  apply(raw, numRows, rawWidth, _params, out, float32) {
    for (let r = 0; r < numRows; r++) {
      const base = r * rawWidth;
      let max = -Infinity;
      for (let c = 0; c < rawWidth; c++) if (raw[base + c] > max) max = raw[base + c];
      let sum = 0;
      for (let c = 0; c < rawWidth; c++) {
        const e = float32 ? fround(Math.exp(fround(raw[base + c] - max))) : Math.exp(raw[base + c] - max);
        out[base + c] = e;
        sum += e;
      }
      if (float32) {
        const sum32 = fround(sum);
        for (let c = 0; c < rawWidth; c++) out[base + c] = fround(out[base + c] / sum32);
      } else {
        for (let c = 0; c < rawWidth; c++) out[base + c] /= sum;
      }
    }
  },
};

/** Exponential of the log-link objectives (poisson, gamma, tweedie): predictions are means > 0. */
const exp: OutputTransform = {
  name: 'exp',
  outputWidth: (w) => w,
  apply(raw, numRows, rawWidth, _params, out, float32) {
    const n = numRows * rawWidth;
    for (let i = 0; i < n; i++) out[i] = float32 ? fround(Math.exp(raw[i])) : Math.exp(raw[i]);
  },
};

/**
 * XGBoost `multi:softmax`: the index (0-based, as a float) of the largest raw score per row; ties go to the
 * lowest class, as in XGBoost's arg-max. Safe in place: row r writes index r only after reading row r.
 */
const argmax: OutputTransform = {
  name: 'argmax',
  outputWidth: () => 1,
  apply(raw, numRows, rawWidth, _params, out) {
    for (let r = 0; r < numRows; r++) {
      const base = r * rawWidth;
      let best = 0;
      let bestValue = raw[base];
      for (let c = 1; c < rawWidth; c++) {
        if (raw[base + c] > bestValue) {
          bestValue = raw[base + c];
          best = c;
        }
      }
      out[r] = best;
    }
  },
};

/** Every transform by name. */
export const TRANSFORMS: Readonly<Record<TransformName, OutputTransform>> = { identity, sigmoid, softmax, exp, ova, argmax };

/** The output transform of each objective (XGBoost `multi:softmax` overrides `multiclass` via `outputClass`). */
export const OBJECTIVE_TRANSFORM: Readonly<Record<ObjectiveName, TransformName>> = {
  regression: 'identity',
  regression_l1: 'identity',
  huber: 'identity',
  quantile: 'identity',
  binary: 'sigmoid',
  cross_entropy: 'sigmoid',
  multiclass: 'softmax',
  multiclassova: 'ova',
  poisson: 'exp',
  gamma: 'exp',
  tweedie: 'exp',
};

/** The transform a model's objective uses. */
export function transformFor(spec: ObjectiveSpec): OutputTransform {
  return spec.outputClass ? TRANSFORMS.argmax : TRANSFORMS[OBJECTIVE_TRANSFORM[spec.name]];
}

/**
 * Parameters the transform actually reads: LightGBM's `cross_entropy` (xentropy) is the plain logistic even
 * when a `sigmoid` parameter is present, so it is dropped there.
 */
function transformParams(spec: ObjectiveSpec): Readonly<Record<string, number>> {
  return spec.name === 'cross_entropy' ? {} : spec.params;
}

/** Raw values per row for a model with this objective: the number of classes, or 1. */
export function rawWidthOf(spec: ObjectiveSpec): number {
  return Math.max(1, spec.numClass);
}

/** Transformed values per row for this objective (1 for `multi:softmax`, otherwise the raw width). */
export function outputWidthOf(spec: ObjectiveSpec): number {
  return transformFor(spec).outputWidth(rawWidthOf(spec));
}

/**
 * Transform a batch of raw scores (`numRows x rawWidthOf(spec)`, row-major) into predictions
 * (`numRows x outputWidthOf(spec)`): probabilities for binary/multiclass, means for log-link objectives, the class
 * index for `multi:softmax`, the raw value otherwise. Pass `out = raw` to transform in place. `float32` selects
 * XGBoost's single-precision arithmetic (for models imported from XGBoost); the default is double precision.
 *
 * @example transformOutput({ name: 'binary', numClass: 1, params: { sigmoid: 1 } }, Float64Array.of(0), 1) // [0.5]
 */
export function transformOutput(spec: ObjectiveSpec, raw: Float64Array, numRows: number, out?: Float64Array, float32 = false): Float64Array {
  const transform = transformFor(spec);
  const rawWidth = rawWidthOf(spec);
  const outWidth = transform.outputWidth(rawWidth);
  if (raw.length < numRows * rawWidth) {
    throw new InternalError(`transformOutput: ${raw.length} raw values cannot hold ${numRows} rows x ${rawWidth} classes`);
  }
  const target = out ?? new Float64Array(numRows * outWidth);
  if (target.length < numRows * outWidth) {
    throw new InternalError(`transformOutput: output of ${target.length} values cannot hold ${numRows} rows x ${outWidth}`);
  }
  transform.apply(raw, numRows, rawWidth, transformParams(spec), target, float32);
  return target;
}
