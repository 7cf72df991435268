/**
 * The median pruner, as Optuna 3.1's `MedianPruner` (a `PercentilePruner` at the 50th percentile) with its
 * defaults: no pruning until 5 trials are complete (`nStartupTrials`) or before step 0 (`nWarmupSteps`), checks
 * every step (`intervalSteps`), and at least 1 complete trial with a value at the step (`nMinTrials`).
 *
 * A trial is pruned when its best intermediate value so far is worse than the median (NaN-ignoring, linearly
 * interpolated) of the complete trials' values at the trial's latest step; a trial whose values are all NaN is
 * pruned.
 */
import type { PruneContext, Pruner } from './pruner.js';
import type { Trial } from './trial.js';

/** Options of {@link medianPruner} (and the percentile pruner it is). */
export interface PercentileOptions {
  /** 0..100; the median is 50. */
  percentile?: number;
  nStartupTrials?: number;
  nWarmupSteps?: number;
  intervalSteps?: number;
  nMinTrials?: number;
}

/** NumPy's `nanpercentile(values, p)` with linear interpolation (NaN if no value is a number). */
export function nanPercentile(values: readonly number[], p: number): number {
  const x = values.filter((v) => !Number.isNaN(v)).sort((a, b) => a - b);
  if (x.length === 0) return NaN;
  const pos = (p / 100) * (x.length - 1);
  const lo = Math.floor(pos);
  const hi = Math.min(lo + 1, x.length - 1);
  const t = pos - lo;
  const a = x[lo];
  const b = x[hi];
  const diff = b - a;
  // NumPy's _lerp: from below for t < 0.5, from above otherwise (monotone and exact at both ends).
  return t >= 0.5 ? b - diff * (1 - t) : a + diff * t;
}

/** Optuna's `_is_first_in_interval_step`: the latest step is the first report at or after the last pruning check. */
function isFirstInIntervalStep(step: number, steps: readonly number[], warmup: number, interval: number): boolean {
  const nearestLowerPruningStep = Math.floor((step - warmup) / interval) * interval + warmup;
  let secondLast = -1;
  for (const s of steps) if (s > secondLast && s !== step) secondLast = s;
  return secondLast < nearestLowerPruningStep;
}

function valueAt(t: Trial, step: number): number | undefined {
  return t.intermediate.find((i) => i.step === step)?.value;
}

/** A percentile pruner; {@link medianPruner} is the 50th percentile. */
export function percentilePruner(options: PercentileOptions = {}): Pruner {
  const percentile = options.percentile ?? 50;
  const nStartup = options.nStartupTrials ?? 5;
  const warmup = options.nWarmupSteps ?? 0;
  const interval = options.intervalSteps ?? 1;
  const nMin = options.nMinTrials ?? 1;
  if (!(percentile >= 0 && percentile <= 100)) throw new RangeError(`percentile must be in [0, 100] (got ${percentile})`);
  if (interval < 1 || nMin < 1 || nStartup < 0 || warmup < 0) throw new RangeError('intervalSteps and nMinTrials must be >= 1, nStartupTrials and nWarmupSteps >= 0');
  return {
    name: 'median',
    async prune({ trial, trials, direction }: PruneContext): Promise<boolean> {
      const complete = trials.filter((t) => t.state === 'complete');
      if (complete.length === 0 || complete.length < nStartup) return false;
      if (trial.intermediate.length === 0) return false;
      const step = trial.intermediate[trial.intermediate.length - 1].step;
      if (step < warmup) return false;
      if (!isFirstInIntervalStep(step, trial.intermediate.map((i) => i.step), warmup, interval)) return false;
      const own = trial.intermediate.map((i) => i.value).filter((v) => !Number.isNaN(v));
      if (own.length === 0) return true;
      const best = direction === 'maximize' ? Math.max(...own) : Math.min(...own);
      const atStep = complete.map((t) => valueAt(t, step)).filter((v): v is number => v !== undefined);
      if (atStep.length < nMin) return false;
      const p = nanPercentile(atStep, direction === 'maximize' ? 100 - percentile : percentile);
      if (Number.isNaN(p)) return false;
      return direction === 'maximize' ? best < p : best > p;
    },
  };
}

/** Optuna's MedianPruner with its defaults (or the given overrides). */
export function medianPruner(options: Omit<PercentileOptions, 'percentile'> = {}): Pruner {
  return percentilePruner({ ...options, percentile: 50 });
}
