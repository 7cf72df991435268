/**
 * Grid search, as Optuna 3.1's `GridSampler`: the grid is the Cartesian product of each parameter's values with
 * the parameters in name order, and each trial takes a grid point chosen uniformly among those no trial has used
 * yet (random rather than in order, so parallel workers rarely collide). When every point has been used it
 * re-evaluates a random one, and {@link Sampler.size} tells the study to stop at the grid's size.
 *
 * Optuna takes the values from the user; pulse derives them from the space: categorical choices, every value of
 * a stepped or integer range with at most `pointsPerRange` values, otherwise `pointsPerRange` values spread evenly
 * (geometrically for log ranges) from low to high.
 */
import { type Distribution, type ParamValue, type Params, type SearchSpace } from './space.js';
import type { SampleContext, Sampler } from './sampler.js';

/** Options of {@link gridSampler}. */
export interface GridOptions {
  /** Values per continuous or large range (default 5). */
  pointsPerRange?: number;
}

/** The grid values of one parameter. */
export function gridValues(d: Distribution, pointsPerRange = 5): ParamValue[] {
  if (d.kind === 'categorical') return [...d.choices];
  const step = d.step;
  if (step !== null) {
    const count = Math.round((d.high - d.low) / step) + 1;
    if (count <= pointsPerRange) return Array.from({ length: count }, (_, k) => Number((d.low + k * step).toPrecision(15)));
  }
  if (d.low === d.high) return [d.low];
  const out: number[] = [];
  for (let k = 0; k < pointsPerRange; k++) {
    const f = k / (pointsPerRange - 1);
    // The ends are the range's own bounds, not a round trip through exp(log(...)).
    let v = k === 0 ? d.low : k === pointsPerRange - 1 ? d.high : d.log ? Math.exp(Math.log(d.low) + f * (Math.log(d.high) - Math.log(d.low))) : d.low + f * (d.high - d.low);
    if (step !== null) v = Number((d.low + Math.round((v - d.low) / step) * step).toPrecision(15));
    if (d.kind === 'int') v = Math.round(v);
    if (!out.includes(v)) out.push(v);
  }
  return out;
}

/** The grid points in Optuna's order: parameters sorted by name, last parameter varying fastest. */
export function gridPoints(space: SearchSpace, pointsPerRange = 5): Params[] {
  const names = Object.keys(space).sort();
  let points: Params[] = [{}];
  for (const name of names) {
    const values = gridValues(space[name], pointsPerRange);
    points = points.flatMap((p) => values.map((v) => ({ ...p, [name]: v })));
  }
  return points;
}

function keyOf(params: Params, names: readonly string[]): string {
  return JSON.stringify(names.map((n) => params[n]));
}

/** A grid sampler. */
export function gridSampler(options: GridOptions = {}): Sampler {
  const perRange = options.pointsPerRange ?? 5;
  return {
    name: 'grid',
    size: (space) => gridPoints(space, perRange).length,
    sample({ space, trials, rng }: SampleContext): Params {
      const points = gridPoints(space, perRange);
      const names = Object.keys(space).sort();
      const used = new Set(trials.map((t) => keyOf(t.params, names)));
      const unused = points.filter((p) => !used.has(keyOf(p, names)));
      const pool = unused.length > 0 ? unused : points;
      // Optuna: `self._rng.choice(target_grids)`, NumPy's `randint(0, len(target_grids))`.
      const chosen = pool[rng.randint(pool.length)];
      // Return the parameters in the space's order, like every other sampler.
      return Object.fromEntries(Object.keys(space).map((n) => [n, chosen[n]]));
    },
  };
}
