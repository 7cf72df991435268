/**
 * Hyperband, as Optuna 3.1's `HyperbandPruner` (defaults: minResource 1, maxResource "auto", reduction factor 3,
 * no bootstrap): floor(log_η(maxResource / minResource)) + 1 successive-halving brackets, bracket s starting its
 * first rung at minResource · η^s. Bracket s gets ceil(n · η^(n-1-s) / (n - s)) shares of the trials (n brackets),
 * and a trial's bracket is crc32("<study>_<number>") modulo the total shares, so the assignment is fixed by the
 * study's name and the trial's number. Each bracket compares its trials only with trials of the same bracket.
 *
 * "auto" takes maxResource as the largest last step of the complete trials, plus one, the first time a trial is
 * judged after one completed (no pruning before); like Optuna, the pruner keeps the brackets from then on.
 */
import { crc32 } from 'node:zlib';
import type { PruneContext, Pruner } from './pruner.js';
import { successiveHalvingPrune } from './successive-halving.js';

/** Options of {@link hyperbandPruner}. */
export interface HyperbandOptions {
  minResource?: number;
  maxResource?: number | 'auto';
  reductionFactor?: number;
  bootstrapCount?: number;
}

/** A Hyperband pruner (stateful: it fixes its brackets once maxResource is known). */
export function hyperbandPruner(options: HyperbandOptions = {}): Pruner {
  const minResource = options.minResource ?? 1;
  let maxResource = options.maxResource ?? 'auto';
  const eta = options.reductionFactor ?? 3;
  const bootstrapCount = options.bootstrapCount ?? 0;
  if (bootstrapCount > 0 && maxResource === 'auto') throw new RangeError('bootstrapCount > 0 needs an explicit maxResource');
  const budgets: number[] = [];
  let total = 0;

  const bracketOf = (studyName: string, number: number): number => {
    let n = crc32(`${studyName}_${number}`) % total;
    for (let b = 0; b < budgets.length; b++) {
      n -= budgets[b];
      if (n < 0) return b;
    }
    throw new Error('unreachable: bracket budgets do not cover the hash');
  };

  return {
    name: 'hyperband',
    async prune(ctx: PruneContext): Promise<boolean> {
      if (budgets.length === 0) {
        if (maxResource === 'auto') {
          const steps = ctx.trials.filter((t) => t.state === 'complete' && t.intermediate.length > 0)
            .map((t) => t.intermediate[t.intermediate.length - 1].step);
          if (steps.length === 0) return false;
          maxResource = Math.max(...steps) + 1;
        }
        const nBrackets = Math.floor(Math.log(maxResource / minResource) / Math.log(eta)) + 1;
        for (let b = 0; b < nBrackets; b++) {
          const s = nBrackets - 1 - b;
          budgets.push(Math.ceil((nBrackets * eta ** s) / (s + 1)));
        }
        total = budgets.reduce((a, b) => a + b, 0);
      }
      const bracket = bracketOf(ctx.studyName, ctx.trial.number);
      const inBracket = ctx.trials.filter((t) => bracketOf(ctx.studyName, t.number) === bracket);
      return successiveHalvingPrune(ctx, inBracket, { minResource, reductionFactor: eta, minEarlyStoppingRate: bracket, bootstrapCount });
    },
  };
}
