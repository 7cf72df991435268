/**
 * The samplers and pruners of `pulse optimize` by name: one line each, so a new sampler or pruner is one file and
 * one line here. Pruners are built fresh per study run (Hyperband keeps its brackets in the instance).
 */
import { gridSampler } from './grid.js';
import { hyperbandPruner } from './hyperband.js';
import { medianPruner } from './median.js';
import type { Pruner, PrunerName } from './pruner.js';
import { randomSampler } from './random.js';
import type { Sampler, SamplerName } from './sampler.js';
import { tpeSampler } from './tpe.js';

/** Sampler names in the order the help lists them. */
export const SAMPLER_NAMES: readonly SamplerName[] = ['tpe', 'random', 'grid'];

/** Pruner names, and `none`. */
export const PRUNER_CHOICES: readonly (PrunerName | 'none')[] = ['median', 'hyperband', 'none'];

const SAMPLERS: Readonly<Record<SamplerName, () => Sampler>> = {
  tpe: () => tpeSampler(),
  random: () => randomSampler,
  grid: () => gridSampler(),
};

const PRUNERS: Readonly<Record<PrunerName | 'none', () => Pruner | null>> = {
  median: () => medianPruner(),
  hyperband: () => hyperbandPruner(),
  none: () => null,
};

/** A sampler by name. */
export function createSampler(name: SamplerName): Sampler {
  return SAMPLERS[name]();
}

/** A pruner by name (null for `none`). */
export function createPruner(name: PrunerName | 'none'): Pruner | null {
  return PRUNERS[name]();
}
