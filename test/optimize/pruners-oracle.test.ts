/**
 * pulse's median and Hyperband pruners against Optuna 3.1's (fixtures from scripts/make-optimize-oracles.py):
 * the same intermediate values reported step by step, with `shouldPrune()` after each report, must stop the same
 * trials at the same steps.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { hyperbandPruner } from '../../src/optimize/hyperband.js';
import { medianPruner, nanPercentile } from '../../src/optimize/median.js';
import { randomSampler } from '../../src/optimize/random.js';
import { floatDist } from '../../src/optimize/space.js';
import { MemoryStudyStorage } from '../../src/optimize/storage.js';
import { Study, TrialPruned } from '../../src/optimize/study.js';

const fixture = JSON.parse(readFileSync(new URL('../fixtures/optimize/pruners.json', import.meta.url), 'utf8'));

describe('pruners against Optuna 3.1', () => {
  for (const c of fixture.cases) {
    it(`${c.label}: prunes the same trials at the same steps`, async () => {
      const o = c.options;
      const pruner = c.pruner === 'median'
        ? medianPruner({ nStartupTrials: o.n_startup_trials, nWarmupSteps: o.n_warmup_steps, intervalSteps: o.interval_steps, nMinTrials: o.n_min_trials })
        : hyperbandPruner({ minResource: o.min_resource, maxResource: o.max_resource, reductionFactor: o.reduction_factor, bootstrapCount: o.bootstrap_count });
      const values: number[][] = c.values.map((row: (number | null)[]) => row.map((v) => v ?? NaN));
      const study = await Study.open({
        storage: new MemoryStudyStorage(), name: c.label, direction: c.direction, space: { u: floatDist(0, 1) },
        sampler: randomSampler, pruner, owner: null,
      });
      await study.optimize(async (t) => {
        const row = values[t.number];
        for (let k = 0; k < row.length; k++) {
          await t.report(c.firstStep + k, row[k]);
          if (await t.shouldPrune()) throw new TrialPruned();
        }
        return Number.isNaN(row[row.length - 1]) ? 0 : row[row.length - 1];
      }, { nTrials: values.length });
      const got = (await study.trials()).map((t) => ({ state: t.state, lastStep: t.intermediate.length ? t.intermediate[t.intermediate.length - 1].step : null }));
      expect(got).toEqual(c.outcome);
    });
  }
});

describe('nanPercentile', () => {
  it("interpolates linearly and ignores NaN, as NumPy's nanpercentile", () => {
    expect(nanPercentile([3, 1, NaN, 2], 50)).toBe(2);
    expect(nanPercentile([1, 2, 3, 4], 50)).toBe(2.5);
    expect(nanPercentile([1, 2, 3, 4], 25)).toBe(1.75);
    expect(nanPercentile([NaN], 50)).toBeNaN();
  });
});
