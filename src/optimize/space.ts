/**
 * Search spaces: the distributions a study draws parameters from, and their conversions between the value a
 * model sees (external) and the number a sampler works with (internal).
 *
 * The distributions are Optuna 3.1's (`optuna.distributions`): `FloatDistribution(low, high, log, step)`,
 * `IntDistribution(low, high, log, step=1)` and `CategoricalDistribution(choices)`. As in Optuna, a stepped
 * range whose width is not a multiple of the step is shrunk to the last reachable value
 * (`_adjust_discrete_uniform_high`, `_adjust_int_uniform_high`), log and step exclude each other, and a
 * categorical parameter's internal value is the index of its choice.
 */
import { UsageError } from '../core/errors.js';

/** A value a categorical parameter may take (what Optuna calls `CategoricalChoiceType`). */
export type Choice = string | number | boolean | null;

/** A parameter value as the objective receives it. */
export type ParamValue = Choice;

/** A float range [low, high]; `log` draws uniformly in log space, `step` on the grid low + k·step. */
export interface FloatDistribution {
  readonly kind: 'float';
  readonly low: number;
  readonly high: number;
  readonly log: boolean;
  readonly step: number | null;
}

/** An integer range [low, high] on the grid low + k·step (step 1 unless given); `log` needs step 1. */
export interface IntDistribution {
  readonly kind: 'int';
  readonly low: number;
  readonly high: number;
  readonly log: boolean;
  readonly step: number;
}

/** One of a list of choices; the internal value is the choice's index. */
export interface CategoricalDistribution {
  readonly kind: 'categorical';
  readonly choices: readonly Choice[];
}

/** A parameter's distribution. */
export type Distribution = FloatDistribution | IntDistribution | CategoricalDistribution;

/** Parameter name -> distribution; the key order is the order in which samplers draw the parameters. */
export type SearchSpace = Readonly<Record<string, Distribution>>;

/** Parameter values of one trial. */
export type Params = Record<string, ParamValue>;

/** A float distribution, checked and with a stepped high adjusted as Optuna does. Throws `UsageError`. */
export function floatDist(low: number, high: number, options: { log?: boolean; step?: number | null } = {}): FloatDistribution {
  const log = options.log ?? false;
  const step = options.step ?? null;
  checkRange(low, high, log);
  if (step !== null) {
    if (log) throw new UsageError('a float range cannot have both log and step', 'drop one of them');
    if (!(step > 0) || !Number.isFinite(step)) throw new UsageError(`step must be greater than 0 (got ${step})`);
    // Optuna adjusts in decimal arithmetic; counting whole steps with a relative tolerance gives the same grid
    // for the decimal steps people write (0.1, 0.05, ...).
    const n = Math.floor((high - low) / step + 1e-9);
    high = Number((low + n * step).toPrecision(15));
  }
  return { kind: 'float', low, high, log, step };
}

/** An integer distribution, checked and with high adjusted to low + k·step as Optuna does. Throws `UsageError`. */
export function intDist(low: number, high: number, options: { log?: boolean; step?: number } = {}): IntDistribution {
  const log = options.log ?? false;
  const step = options.step ?? 1;
  if (!Number.isInteger(low) || !Number.isInteger(high)) throw new UsageError(`an int range needs whole-number bounds (got [${low}, ${high}])`);
  if (!Number.isInteger(step) || step < 1) throw new UsageError(`step must be a whole number of at least 1 (got ${step})`);
  if (log && step !== 1) throw new UsageError('an int range cannot have both log and a step other than 1', 'drop one of them');
  checkRange(low, high, log);
  return { kind: 'int', low, high: low + Math.floor((high - low) / step) * step, log, step };
}

/** A categorical distribution. Throws `UsageError` when there are no choices or a choice repeats. */
export function categoricalDist(choices: readonly Choice[]): CategoricalDistribution {
  if (choices.length === 0) throw new UsageError('a categorical parameter needs at least one choice');
  if (new Set(choices).size !== choices.length) throw new UsageError(`categorical choices repeat (${choices.map((c) => JSON.stringify(c)).join(', ')})`);
  return { kind: 'categorical', choices: [...choices] };
}

function checkRange(low: number, high: number, log: boolean): void {
  if (!Number.isFinite(low) || !Number.isFinite(high)) throw new UsageError(`range bounds must be finite (got [${low}, ${high}])`);
  if (low > high) throw new UsageError(`the range [${low}, ${high}] is empty`, 'low must be at most high');
  if (log && low <= 0) throw new UsageError(`a log range needs low > 0 (got ${low})`);
}

/** Whether a distribution has only one value (Optuna's `single()`); samplers skip such parameters. */
export function isSingle(d: Distribution): boolean {
  if (d.kind === 'categorical') return d.choices.length === 1;
  if (d.low === d.high) return true;
  if (d.kind === 'float') return d.step !== null && d.high - d.low < d.step;
  return !d.log && d.high - d.low < d.step;
}

/** The internal (sampler) number of an external value: the value itself, or a choice's index. */
export function toInternal(d: Distribution, value: ParamValue): number {
  if (d.kind === 'categorical') {
    const i = d.choices.indexOf(value);
    if (i < 0) throw new UsageError(`${JSON.stringify(value)} is not one of the choices ${JSON.stringify(d.choices)}`);
    return i;
  }
  if (typeof value !== 'number') throw new UsageError(`expected a number for a ${d.kind} parameter (got ${JSON.stringify(value)})`);
  return value;
}

/** The external value of an internal number: the number (an integer for int ranges) or the choice at an index. */
export function toExternal(d: Distribution, internal: number): ParamValue {
  if (d.kind === 'categorical') return d.choices[internal];
  return d.kind === 'int' ? Math.trunc(internal) : internal;
}

/** Whether an external value lies in the distribution (on its grid for stepped ranges). */
export function contains(d: Distribution, value: ParamValue): boolean {
  if (d.kind === 'categorical') return d.choices.includes(value);
  if (typeof value !== 'number' || value < d.low || value > d.high) return false;
  if (d.kind === 'int') return Number.isInteger(value) && (value - d.low) % d.step === 0;
  if (d.step === null) return true;
  const k = (value - d.low) / d.step;
  return Math.abs(k - Math.round(k)) < 1e-8;
}

/**
 * The continuous range a sampler draws from and its mapping back, as Optuna's `_SearchSpaceTransform` with
 * `transform_log` and `transform_step`: log ranges are drawn in log space, stepped and integer ranges over
 * [low - step/2, high + step/2] and rounded to the nearest grid value, so every grid value gets an equal share.
 */
export function transformedBounds(d: FloatDistribution | IntDistribution): [number, number] {
  if (d.kind === 'float') {
    if (d.log) return [Math.log(d.low), Math.log(d.high)];
    if (d.step !== null) return [d.low - 0.5 * d.step, d.high + 0.5 * d.step];
    return [d.low, d.high];
  }
  if (d.log) return [Math.log(d.low - 0.5), Math.log(d.high + 0.5)];
  return [d.low - 0.5 * d.step, d.high + 0.5 * d.step];
}

/** Map a draw from {@link transformedBounds} back to a value of the distribution (Optuna's `_untransform_numerical_param`). */
export function untransform(d: FloatDistribution | IntDistribution, t: number): number {
  if (d.kind === 'float') {
    if (d.log) {
      const v = Math.exp(t);
      return isSingle(d) ? v : Math.min(v, nextBelow(d.high));
    }
    if (d.step !== null) return clip(roundHalfEven((t - d.low) / d.step) * d.step + d.low, d.low, d.high);
    return isSingle(d) ? t : Math.min(t, nextBelow(d.high));
  }
  if (d.log) return clip(roundHalfEven(Math.exp(t)), d.low, d.high);
  return clip(roundHalfEven((t - d.low) / d.step) * d.step + d.low, d.low, d.high);
}

/** NumPy's `round`: halves go to the even neighbour. */
export function roundHalfEven(x: number): number {
  const r = Math.round(x);
  return Math.abs(x % 1) === 0.5 && r % 2 !== 0 ? r - 1 : r;
}

/** `min(max(x, lo), hi)`. */
export function clip(x: number, lo: number, hi: number): number {
  return x < lo ? lo : x > hi ? hi : x;
}

/** The largest double below x (NumPy's `nextafter(x, x - 1)`), so a uniform draw never returns high itself. */
function nextBelow(x: number): number {
  if (x === 0) return -Number.MIN_VALUE;
  const buf = new Float64Array([x]);
  const bits = new BigInt64Array(buf.buffer);
  bits[0] += x > 0 ? -1n : 1n;
  return buf[0];
}
