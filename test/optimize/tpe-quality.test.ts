/**
 * Sampler quality: TPE (independent and multivariate) must beat random search on the median, over seeds, of the
 * best value found after a fixed budget, on Branin (2-D, minimum 0.397887) and Hartmann-6 (6-D, minimum -3.32237).
 */
import { describe, expect, it } from 'vitest';
import { randomSampler } from '../../src/optimize/random.js';
import type { Sampler } from '../../src/optimize/sampler.js';
import { floatDist, type SearchSpace } from '../../src/optimize/space.js';
import { MemoryStudyStorage } from '../../src/optimize/storage.js';
import { Study } from '../../src/optimize/study.js';
import { tpeSampler } from '../../src/optimize/tpe.js';
import { BRANIN, HARTMANN6 } from '../../src/optimize/test-functions.js';

async function bestAfter(sampler: Sampler, space: SearchSpace, f: (x: number[]) => number, nTrials: number, seed: number): Promise<number> {
  const study = await Study.open({ storage: new MemoryStudyStorage(), name: 'q', direction: 'minimize', space, sampler, pruner: null, seed, owner: null });
  const names = Object.keys(space);
  const r = await study.optimize(async (t) => f(names.map((n) => t.params[n] as number)), { nTrials });
  return r.bestTrial!.value!;
}

const median = (x: number[]): number => {
  const s = [...x].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

describe('TPE beats random search', () => {
  for (const fn of [BRANIN, HARTMANN6]) {
    it(`${fn.name}: median best over 9 seeds after ${fn.trials} trials`, async () => {
      const space: SearchSpace = Object.fromEntries(fn.bounds.map(([lo, hi], i) => [`x${i}`, floatDist(lo, hi)]));
      const seeds = [1, 2, 3, 4, 5, 6, 7, 8, 9];
      const results: Record<string, number> = {};
      for (const [label, sampler] of [['random', randomSampler], ['tpe', tpeSampler()], ['tpe-multivariate', tpeSampler({ multivariate: true })]] as const) {
        const bests = [];
        for (const seed of seeds) bests.push(await bestAfter(sampler, space, fn.f, fn.trials, seed));
        results[label] = median(bests);
      }
      expect(results.tpe, JSON.stringify(results)).toBeLessThan(results.random);
      expect(results['tpe-multivariate'], JSON.stringify(results)).toBeLessThan(results.random);
      // and TPE's gap to the optimum is clearly smaller than random's
      expect(results.tpe - fn.minimum, JSON.stringify(results)).toBeLessThan(0.8 * (results.random - fn.minimum));
    }, 60_000);
  }
});
