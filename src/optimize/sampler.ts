/**
 * The sampler interface: given the space and the study's trials so far, choose the next trial's parameters.
 *
 * Samplers keep no state between calls. Their randomness comes from the generators the study hands them: NumPy
 * `RandomState` streams (numpy-random.ts) seeded with the study's seed, each continuing where the previous trial
 * left it, as the generators an Optuna sampler holds do. So a sampler with a seed draws what Optuna's sampler with
 * that seed draws, and the study stores the streams' positions so that a resumed study continues them.
 */
import type { Params, SearchSpace } from './space.js';
import type { Direction, Trial } from './trial.js';

/** A source of uniform draws: NumPy's `RandomState` (numpy-random.ts), or a recorded stream in oracle tests. */
export interface RandomSource {
  /** A uniform double in [0, 1) (NumPy's `random_sample`). */
  next(): number;
  /** A uniform integer in [0, high) (NumPy's legacy `randint(0, high)`, which `choice` over `high` items calls). */
  randint(high: number): number;
}

/** What a sampler sees when asked for a trial's parameters. */
export interface SampleContext {
  readonly space: SearchSpace;
  /** Every trial of the study before this one (any state), in number order. */
  readonly trials: readonly Trial[];
  readonly direction: Direction;
  /** The sampler's generator (Optuna: the `RandomState(seed)` a sampler holds). */
  readonly rng: RandomSource;
  /**
   * A second generator with the same seed, for a model-based sampler's random startup trials (Optuna's `TPESampler`
   * draws those from its own `RandomSampler(seed)`, whose `RandomState` is separate from the sampler's).
   */
  readonly startupRng: RandomSource;
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
