/**
 * One successive-halving bracket, as Optuna 3.1's `SuccessiveHalvingPruner` (asynchronous successive halving,
 * ASHA): rung r is reached at step minResource · η^(minEarlyStoppingRate + r). On reaching it a trial records its
 * latest value as `completed_rung_r` and continues only if that value is within the best 1/η of the values recorded
 * at that rung so far (the best one while fewer than η trials have reached the rung); a NaN value is pruned.
 * Hyperband (hyperband.ts) runs several of these brackets.
 */
import type { PruneContext } from './pruner.js';
import type { Direction, Trial } from './trial.js';

/** The parameters of one bracket. */
export interface SuccessiveHalvingOptions {
  readonly minResource: number;
  readonly reductionFactor: number;
  readonly minEarlyStoppingRate: number;
  readonly bootstrapCount: number;
}

const rungKey = (rung: number): string => `completed_rung_${rung}`;

function isPromotable(value: number, competing: number[], reductionFactor: number, direction: Direction): boolean {
  let idx = Math.floor(competing.length / reductionFactor) - 1;
  // Optuna cannot pause trials, so among the first η - 1 it promotes only the best one so far.
  if (idx === -1) idx = 0;
  competing.sort((a, b) => a - b);
  return direction === 'maximize' ? value >= competing[competing.length - (idx + 1)] : value <= competing[idx];
}

/** Optuna's `SuccessiveHalvingPruner.prune`, over `trials` (the bracket's trials, the judged one included). */
export async function successiveHalvingPrune(ctx: PruneContext, trials: readonly Trial[], o: SuccessiveHalvingOptions): Promise<boolean> {
  const { trial, direction } = ctx;
  if (trial.intermediate.length === 0) return false;
  const { step, value } = trial.intermediate[trial.intermediate.length - 1];
  let rung = 0;
  while (trial.attrs[rungKey(rung)] !== undefined) rung++;
  for (;;) {
    const promotionStep = o.minResource * o.reductionFactor ** (o.minEarlyStoppingRate + rung);
    if (step < promotionStep) return false;
    if (Number.isNaN(value)) return true;
    const key = rungKey(rung);
    await ctx.setAttr(key, value);
    // Values other trials recorded at this rung (read before this trial's), then this trial's.
    const competing = trials.filter((t) => t.number !== trial.number && t.attrs[key] !== undefined).map((t) => t.attrs[key]);
    competing.push(value);
    if (competing.length <= o.bootstrapCount) return true;
    if (!isPromotable(value, competing, o.reductionFactor, direction)) return true;
    rung++;
  }
}
