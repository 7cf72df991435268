/**
 * The sampler interface: given the space and the study's trials so far, choose the next trial's parameters.
 *
 * Samplers keep no state between calls. Their randomness comes from a generator the study derives from its stored
 * seed and the trial's number (`new Rng(seed).fork(number)`), so a resumed study draws exactly what an
 * uninterrupted one would have, and the same seed gives the same trials.
 */
import type { Params, SearchSpace } from './space.js';
import type { Direction, Trial } from './trial.js';

/** A source of uniform doubles in [0, 1): pulse's `Rng`, or a recorded stream in oracle tests. */
export interface RandomSource {
  next(): number;
}

/** What a sampler sees when asked for a trial's parameters. */
export interface SampleContext {
  readonly space: SearchSpace;
  /** Every trial of the study before this one (any state), in number order. */
  readonly trials: readonly Trial[];
  readonly direction: Direction;
  readonly rng: RandomSource;
}

/** Chooses parameters; one implementation per file (random.ts, grid.ts, tpe.ts). */
export interface Sampler {
  readonly name: SamplerName;
  /** Parameters for the next trial: one value per parameter of `context.space`. */
  sample(context: SampleContext): Params;
  /** The number of distinct trials the sampler can propose, when finite (a grid); a study stops there. */
  size?(space: SearchSpace): number;
}

/** The samplers pulse offers. */
export type SamplerName = 'tpe' | 'random' | 'grid';

/** A uniform integer in [0, n) from a uniform double (as NumPy's `choice` over n items). */
export function uniformIndex(rng: RandomSource, n: number): number {
  return Math.min(n - 1, Math.floor(rng.next() * n));
}
