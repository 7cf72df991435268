/**
 * The Tree-structured Parzen Estimator sampler, following Optuna 3.1's `TPESampler` (single objective, no
 * constraints, no constant liar) with its defaults: 10 random startup trials, 24 expected-improvement candidates,
 * prior on with weight 1, magic clip on, endpoints off, gamma(n) = min(ceil(0.1 n), 25) "good" trials, and
 * Optuna's default_weights.
 *
 * Per trial: the complete and pruned trials are ranked (complete trials first by value; pruned trials after them,
 * those that reached a later step first, then by their last intermediate value; pruned trials without any
 * intermediate value last), split into the best gamma(n) ("below") and the rest ("above"), and a Parzen
 * estimator is fitted to each. 24 candidates are drawn from the "below" estimator and the one maximising
 * log l(x) - log g(x) is chosen. Independently per parameter by default; with `multivariate`, jointly over all
 * (non-constant) parameters.
 *
 * The draws follow Optuna's, generator by generator: the startup trials are random search on `startupRng` (Optuna's
 * `TPESampler` hands them to its own `RandomSampler(seed)`), the Parzen estimator samples from `rng` (the sampler's
 * `RandomState(seed)`), one parameter after the other in the space's order. So with a study's NumPy streams a
 * seeded pulse study takes the trials a seeded Optuna study takes (test/optimize/seeded-studies.test.ts), and fed
 * the uniforms NumPy gave Optuna it returns what Optuna returns (test/optimize/tpe-oracle.test.ts).
 */
import { type Distribution, isSingle, type Params, type SearchSpace, toExternal, toInternal } from './space.js';
import { sampleUniform } from './random.js';
import type { RandomSource, SampleContext, Sampler } from './sampler.js';
import { type Columns, defaultWeights, ParzenEstimator, type ParzenParameters } from './tpe/parzen-estimator.js';
import { lastIntermediate, type Direction, type Trial } from './trial.js';

/** Options of {@link tpeSampler}; every default is Optuna 3.1's. */
export interface TpeOptions {
  nStartupTrials?: number;
  nEiCandidates?: number;
  considerPrior?: boolean;
  priorWeight?: number;
  considerMagicClip?: boolean;
  considerEndpoints?: boolean;
  gamma?: (n: number) => number;
  weights?: (n: number) => Float64Array;
  multivariate?: boolean;
}

/** Optuna's `default_gamma`: the best 10% of trials, at most 25. */
export function defaultGamma(n: number): number {
  return Math.min(Math.ceil(0.1 * n), 25);
}

/** A trial's rank key, as Optuna's `(-step, sign · value)`: smaller is better, compared step first. */
export interface Score {
  readonly step: number;
  readonly value: number;
}

/** The trials TPE learns from (complete and pruned, in number order) and their rank keys. */
export function observationPairs(trials: readonly Trial[], direction: Direction): { trials: Trial[]; scores: Score[] } {
  const sign = direction === 'minimize' ? 1 : -1;
  const used: Trial[] = [];
  const scores: Score[] = [];
  for (const t of trials) {
    if (t.state === 'complete') {
      if (t.value === null) continue;
      scores.push({ step: -Infinity, value: sign * t.value });
    } else if (t.state === 'pruned') {
      const last = lastIntermediate(t);
      if (last === undefined) scores.push({ step: 1, value: 0 });
      else scores.push({ step: -last.step, value: Number.isNaN(last.value) ? Infinity : sign * last.value });
    } else continue;
    used.push(t);
  }
  return { trials: used, scores };
}

/** NumPy's structured-array order on (step, value): lexicographic, NaN last. */
function compareScores(a: Score, b: Score): number {
  const key = (x: number, y: number): number => (x < y ? -1 : x > y ? 1 : Number.isNaN(x) ? (Number.isNaN(y) ? 0 : 1) : Number.isNaN(y) ? -1 : 0);
  return key(a.step, b.step) || key(a.value, b.value);
}

/** Optuna's `_split_observation_pairs`: indices of the best `nBelow` scores and of the rest, each ascending. */
export function splitObservations(scores: readonly Score[], nBelow: number): { below: number[]; above: number[] } {
  const order = scores.map((_, i) => i).sort((i, j) => compareScores(scores[i], scores[j]) || i - j);
  return { below: order.slice(0, nBelow).sort((a, b) => a - b), above: order.slice(nBelow).sort((a, b) => a - b) };
}

/** Internal values of `names` for the trials at `indices` that have all of them (Optuna's NaN mask). */
function columnsOf(trials: readonly Trial[], indices: readonly number[], space: SearchSpace, names: readonly string[]): Columns {
  const kept = indices.filter((i) => names.every((n) => trials[i].params[n] !== undefined));
  const cols: Columns = {};
  for (const n of names) cols[n] = Float64Array.from(kept, (i) => toInternal(space[n], trials[i].params[n]));
  return cols;
}

/** Index of the largest value, the first NaN if any (NumPy's `argmax`). */
function argmax(x: Float64Array): number {
  let best = 0;
  for (let i = 0; i < x.length; i++) {
    if (Number.isNaN(x[i])) return i;
    if (x[i] > x[best]) best = i;
  }
  return best;
}

/** A TPE sampler. */
export function tpeSampler(options: TpeOptions = {}): Sampler {
  const nStartup = options.nStartupTrials ?? 10;
  const nCandidates = options.nEiCandidates ?? 24;
  const gamma = options.gamma ?? defaultGamma;
  const multivariate = options.multivariate ?? false;
  const parzen: ParzenParameters = {
    considerPrior: options.considerPrior ?? true,
    priorWeight: options.priorWeight ?? 1.0,
    considerMagicClip: options.considerMagicClip ?? true,
    considerEndpoints: options.considerEndpoints ?? false,
    weights: options.weights ?? defaultWeights,
    multivariate,
  };

  /** Optuna's `_sample_relative` / `sample_independent` core: TPE over `names` jointly. */
  const sampleJointly = (space: SearchSpace, names: string[], observed: Trial[], scores: Score[], rng: RandomSource): Params => {
    const { below, above } = splitObservations(scores, gamma(scores.length));
    const sub: SearchSpace = Object.fromEntries(names.map((n) => [n, space[n]]));
    const mpeBelow = new ParzenEstimator(columnsOf(observed, below, space, names), sub, parzen);
    const mpeAbove = new ParzenEstimator(columnsOf(observed, above, space, names), sub, parzen);
    const candidates = mpeBelow.sample(rng, nCandidates);
    const logL = mpeBelow.logPdf(candidates);
    const logG = mpeAbove.logPdf(candidates);
    for (let i = 0; i < logL.length; i++) logL[i] -= logG[i];
    const best = argmax(logL);
    return Object.fromEntries(names.map((n) => [n, toExternal(space[n], candidates[n][best])]));
  };

  return {
    name: 'tpe',
    sample({ space, trials, direction, rng, startupRng }: SampleContext): Params {
      const { trials: observed, scores } = observationPairs(trials, direction);
      const n = scores.length;
      let relative: Params = {};
      if (multivariate && n > 0 && n >= nStartup) {
        // Optuna's IntersectionSearchSpace keeps the trials' parameter order; constant ones are left out.
        const names = Object.keys(space).filter((k) => !isSingle(space[k]));
        if (names.length > 0) relative = sampleJointly(space, names, observed, scores, rng);
      }
      const params: Params = {};
      for (const [name, d] of Object.entries(space)) {
        if (isSingle(d)) params[name] = singleValue(d);
        else if (name in relative) params[name] = relative[name];
        else if (n < nStartup) params[name] = sampleUniform(d, startupRng);
        else params[name] = sampleJointly(space, [name], observed, scores, rng)[name];
      }
      return params;
    },
  };
}

function singleValue(d: Distribution): Params[string] {
  return d.kind === 'categorical' ? d.choices[0] : d.low;
}
