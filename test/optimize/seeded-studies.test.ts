/**
 * Seeded studies against Optuna 3.1 (fixture test/fixtures/optimize/seeded.json, from scripts/make-optimize-oracles.py):
 * a pulse study with a seed draws from the NumPy streams Optuna's samplers with that seed hold, so on float and int
 * spaces it takes Optuna's trials one by one, startup and TPE alike, and so does a study resumed half way.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { randomSampler } from '../../src/optimize/random.js';
import type { Sampler } from '../../src/optimize/sampler.js';
import type { Params, SearchSpace } from '../../src/optimize/space.js';
import { MemoryStudyStorage } from '../../src/optimize/storage.js';
import { Study } from '../../src/optimize/study.js';
import { BRANIN, MIXED_OFFSETS, ROSENBROCK5, mixedBranin } from '../../src/optimize/test-functions.js';
import { tpeSampler } from '../../src/optimize/tpe.js';

interface StudyCase {
  sampler: 'tpe' | 'random';
  problem: string;
  seed: number;
  multivariate: boolean;
  space: SearchSpace;
  trials: { params: Params; value: number }[];
}
const fixture: { studies: StudyCase[] } = JSON.parse(readFileSync(new URL('../fixtures/optimize/seeded.json', import.meta.url), 'utf8'));

const num = (p: Params, name: string): number => p[name] as number;
function typed(p: Params): number {
  return (num(p, 'x') - 2) ** 2 + (Math.log(num(p, 'lr')) + 4) ** 2 + (num(p, 'k') - 7) ** 2 / 10 + (Math.log(num(p, 'leaves')) - 3) ** 2 +
    10 * (num(p, 'frac') - 0.6) ** 2 + ((num(p, 'bs') - 128) / 64) ** 2;
}
/** The objectives of the fixture's studies, written as scripts/make-optimize-oracles.py writes them. */
const OBJECTIVES: Record<string, (p: Params) => number> = {
  branin: (p) => BRANIN.f([num(p, 'x0'), num(p, 'x1')]),
  rosenbrock5: (p) => ROSENBROCK5.f([0, 1, 2, 3, 4].map((i) => num(p, `x${i}`))),
  typed,
  mixed: (p) => mixedBranin(num(p, 'x1'), num(p, 'x2'), p.c as string),
  'typed-categorical': (p) => typed(p) + MIXED_OFFSETS[p.c as string],
};

const samplerOf = (c: StudyCase): Sampler => (c.sampler === 'random' ? randomSampler : tpeSampler({ multivariate: c.multivariate }));
const label = (c: StudyCase): string => `${c.sampler}${c.multivariate ? ' (multivariate)' : ''} on ${c.problem}, seed ${c.seed}`;

/** Run a fresh study with the case's seed for `nTrials`, then (when `resumeAt` is given, after reopening) to 30. */
async function runStudy(c: StudyCase, resumeAt?: number, jobs = 1): Promise<Params[]> {
  const storage = new MemoryStudyStorage();
  const open = (): Promise<Study> =>
    Study.open({ storage, name: 'seeded', direction: 'minimize', space: c.space, sampler: samplerOf(c), pruner: null, seed: c.seed, owner: null });
  const objective = async (t: { params: Params }): Promise<number> => OBJECTIVES[c.problem](t.params);
  if (resumeAt !== undefined) await (await open()).optimize(objective, { nTrials: resumeAt });
  const study = await open();
  await study.optimize(objective, { nTrials: c.trials.length, jobs });
  return (await study.trials()).map((t) => t.params);
}

/** The number of leading trials whose parameters equal Optuna's (numbers to 1e-9 relative). */
function agreeing(mine: Params[], optuna: readonly { params: Params }[]): number {
  for (let i = 0; i < optuna.length; i++) {
    const want = optuna[i].params;
    const got = mine[i];
    for (const [name, v] of Object.entries(want)) {
      const same = typeof v === 'number' ? Math.abs((got[name] as number) - v) <= 1e-9 * Math.max(1, Math.abs(v)) : got[name] === v;
      if (!same) return i;
    }
  }
  return optuna.length;
}

describe('seeded studies take the trials Optuna takes with the same seed', () => {
  for (const c of fixture.studies.filter((s) => !('c' in s.space) || s.sampler === 'random')) {
    it(`${label(c)}: all ${c.trials.length} trials`, async () => {
      const mine = await runStudy(c);
      expect(agreeing(mine, c.trials), 'trials equal to Optuna\'s').toBe(c.trials.length);
      const values = mine.map((p) => OBJECTIVES[c.problem](p));
      for (let i = 0; i < values.length; i++) expect(Math.abs(values[i] - c.trials[i].value)).toBeLessThanOrEqual(1e-9 * Math.max(1, Math.abs(c.trials[i].value)));
    });
  }
  const first = fixture.studies.find((s) => s.problem === 'branin' && !s.multivariate)!;
  it(`${label(first)}: resumed after 12 trials, the same 30 trials`, async () => {
    expect(agreeing(await runStudy(first, 12), first.trials)).toBe(first.trials.length);
  });
  const random = fixture.studies.find((s) => s.sampler === 'random')!;
  it(`${label(random)}: three trials at a time, still Optuna's trials (asks take the stream in trial order)`, async () => {
    expect(agreeing(await runStudy(random, undefined, 3), random.trials)).toBe(random.trials.length);
  });
});

/**
 * Optuna scores a lone categorical parameter with `np.inner` (BLAS, whose summation order depends on the machine);
 * pulse sums in order. When the "below" and "above" estimators give a choice the same probability in exact
 * arithmetic, the choice's score is 0 up to rounding, and the two round differently: the study then takes another
 * choice than Optuna's and the paths part. Up to that trial the parameters are Optuna's, and in that trial the
 * numerical ones still are (the streams stay aligned; only the pick among the categorical candidates differs).
 */
describe('with a categorical parameter under TPE', () => {
  for (const c of fixture.studies.filter((s) => 'c' in s.space && s.sampler === 'tpe')) {
    it(`${label(c)}: Optuna's trials up to a rounding tie of the categorical's score`, async () => {
      const mine = await runStudy(c);
      const n = agreeing(mine, c.trials);
      expect(n).toBeGreaterThan(10);
      if (n === c.trials.length) return;
      const numerical = (p: Params): Params => Object.fromEntries(Object.entries(p).filter(([k]) => k !== 'c'));
      expect(agreeing([numerical(mine[n])], [{ params: numerical(c.trials[n].params) }])).toBe(1);
      expect(mine[n].c).not.toBe(c.trials[n].params.c);
    });
  }
});
