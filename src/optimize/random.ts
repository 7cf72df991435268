/**
 * Random search, as Optuna 3.1's `RandomSampler`: each parameter drawn independently and uniformly in its
 * transformed range (log ranges in log space; stepped and integer ranges over [low - step/2, high + step/2] and
 * rounded), so every grid value of a stepped range is equally likely. Categorical choices are equally likely.
 *
 * The draws are Optuna's, one `sample_independent` call per parameter in the space's order: a numerical parameter
 * takes one `uniform(low, high)` draw; a categorical one is one-hot encoded (`_SearchSpaceTransform`), so it takes
 * one uniform draw per choice and the choice with the largest draw wins (the first among equals, NumPy's `argmax`).
 */
import type { RandomSource, SampleContext, Sampler } from './sampler.js';
import { type Distribution, type ParamValue, type Params, transformedBounds, untransform } from './space.js';

/** One uniform draw from a distribution, consuming the generator as Optuna's `RandomSampler.sample_independent`. */
export function sampleUniform(d: Distribution, rng: RandomSource): ParamValue {
  if (d.kind === 'categorical') {
    let best = 0;
    let bestDraw = -Infinity;
    for (let c = 0; c < d.choices.length; c++) {
      const u = rng.next();
      if (u > bestDraw) {
        best = c;
        bestDraw = u;
      }
    }
    return d.choices[best];
  }
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
