/**
 * Random search, as Optuna 3.1's `RandomSampler`: each parameter drawn independently and uniformly in its
 * transformed range (log ranges in log space; stepped and integer ranges over [low - step/2, high + step/2] and
 * rounded), so every grid value of a stepped range is equally likely. Categorical choices are equally likely.
 */
import { type RandomSource, type SampleContext, type Sampler, uniformIndex } from './sampler.js';
import { type Distribution, type ParamValue, type Params, transformedBounds, untransform } from './space.js';

/** One uniform draw from a distribution. */
export function sampleUniform(d: Distribution, rng: RandomSource): ParamValue {
  if (d.kind === 'categorical') return d.choices[uniformIndex(rng, d.choices.length)];
  const [lo, hi] = transformedBounds(d);
  return untransform(d, lo + (hi - lo) * rng.next());
}

/** The random sampler. */
export const randomSampler: Sampler = {
  name: 'random',
  sample({ space, rng }: SampleContext): Params {
    const params: Params = {};
    for (const [name, d] of Object.entries(space)) params[name] = sampleUniform(d, rng);
    return params;
  },
};
