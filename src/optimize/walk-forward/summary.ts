/**
 * The figures of a walk-forward optimisation: each window's walk-forward efficiency, their mean, and how stable
 * the best parameters are across windows.
 *
 * Efficiency compares a window's out-of-sample value with its in-sample value (the best trial's) so that 1 means
 * the parameters did as well out of sample as in sample and less than 1 means they degraded:
 * - objectives to maximize (cv-ic, sharpe, ...): `outOfSample / inSample`, defined when `inSample > 0` (a ratio to
 *   a non-positive in-sample value says nothing);
 * - objectives to minimize (cv-loss, a loss >= 0): `inSample / outOfSample`, defined when `outOfSample > 0` and
 *   `inSample >= 0`.
 * An undefined efficiency (or an out-of-sample value that is undefined, e.g. no trade) is null; the mean is the
 * arithmetic mean of the defined ones (null when none is).
 *
 * Stability, per parameter of the search space: the value chosen in each window, and
 * - int and float parameters: the mean, the population standard deviation (divided by the count) and the
 *   coefficient of variation `std / |mean|` (null when the mean is 0);
 * - categorical parameters: the modal value (the first in window order on a tie) and its share of the windows.
 */
import type { Direction } from '../trial.js';
import type { Distribution, ParamValue } from '../space.js';

/** The walk-forward efficiency of one window (see the module note), or null where it is not defined. */
export function windowEfficiency(inSample: number, outOfSample: number | null, direction: Direction): number | null {
  if (outOfSample === null || !Number.isFinite(outOfSample) || !Number.isFinite(inSample)) return null;
  if (direction === 'maximize') return inSample > 0 ? outOfSample / inSample : null;
  return outOfSample > 0 && inSample >= 0 ? inSample / outOfSample : null;
}

/** The mean of the defined efficiencies, and how many there are. */
export function meanEfficiency(efficiencies: readonly (number | null)[]): { mean: number | null; windows: number } {
  const defined = efficiencies.filter((e): e is number => e !== null);
  return { mean: defined.length ? defined.reduce((s, e) => s + e, 0) / defined.length : null, windows: defined.length };
}

/** A numeric parameter across windows. */
export interface NumericStability {
  kind: 'numeric';
  /** The best value of each window, in window order (null: the window's best parameters lack it). */
  values: (number | null)[];
  mean: number;
  /** Population standard deviation. */
  std: number;
  /** `std / |mean|`; null when the mean is 0. */
  cv: number | null;
}

/** A categorical parameter across windows. */
export interface CategoricalStability {
  kind: 'categorical';
  values: (ParamValue | null)[];
  /** The most frequent value (the first in window order on a tie). */
  mode: ParamValue;
  /** Windows with the modal value over windows with a value. */
  modeShare: number;
}

export type ParamStability = NumericStability | CategoricalStability;

/**
 * The stability of each parameter of `space` across the windows' best parameters (see the module note). A
 * parameter no window has is left out.
 */
export function parameterStability(space: Readonly<Record<string, Distribution>>, windows: readonly Readonly<Record<string, unknown>>[]): Record<string, ParamStability> {
  const out: Record<string, ParamStability> = {};
  for (const [name, d] of Object.entries(space)) {
    const values = windows.map((p) => (p[name] === undefined ? null : (p[name] as ParamValue)));
    const present = values.filter((v): v is ParamValue => v !== null);
    if (present.length === 0) continue;
    if (d.kind !== 'categorical' && present.every((v) => typeof v === 'number')) {
      const xs = present as number[];
      const mean = xs.reduce((s, x) => s + x, 0) / xs.length;
      const std = Math.sqrt(xs.reduce((s, x) => s + (x - mean) ** 2, 0) / xs.length);
      out[name] = { kind: 'numeric', values: values as (number | null)[], mean, std, cv: mean === 0 ? null : std / Math.abs(mean) };
    } else {
      const counts = new Map<string, { value: ParamValue; n: number }>();
      for (const v of present) {
        const key = JSON.stringify(v);
        const c = counts.get(key) ?? { value: v, n: 0 };
        c.n++;
        counts.set(key, c);
      }
      let mode = counts.values().next().value!;
      for (const c of counts.values()) if (c.n > mode.n) mode = c;
      out[name] = { kind: 'categorical', values, mode: mode.value, modeShare: mode.n / present.length };
    }
  }
  return out;
}
