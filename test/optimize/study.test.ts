import { describe, expect, it } from 'vitest';
import { gridSampler } from '../../src/optimize/grid.js';
import { medianPruner } from '../../src/optimize/median.js';
import { randomSampler } from '../../src/optimize/random.js';
import { categoricalDist, floatDist, intDist, type SearchSpace } from '../../src/optimize/space.js';
import { MemoryStudyStorage, type StudyStorage } from '../../src/optimize/storage.js';
import { DIED_WHILE_RUNNING, type Objective, Study, type StudyConfig, TrialPruned } from '../../src/optimize/study.js';
import { tpeSampler } from '../../src/optimize/tpe.js';

const space: SearchSpace = { x: floatDist(-5, 5), n: intDist(1, 8), c: categoricalDist(['a', 'b']) };
const quadratic: Objective = async (t) => ((t.params.x as number) - 1) ** 2 + (t.params.n as number) + (t.params.c === 'a' ? 0 : 1);

function config(storage: StudyStorage, over: Partial<StudyConfig> = {}): StudyConfig {
  return { storage, name: 's', direction: 'minimize', space, sampler: tpeSampler(), pruner: null, seed: 7, subject: { symbol: 'SPY' }, owner: { pid: 1, startTime: 1 }, isOwnerAlive: () => false, ...over };
}

describe('study loop', () => {
  it('numbers trials 0..n-1 and finds a good point', async () => {
    const study = await Study.open(config(new MemoryStudyStorage()));
    const r = await study.optimize(quadratic, { nTrials: 30 });
    const trials = await study.trials();
    expect(trials.map((t) => t.number)).toEqual(Array.from({ length: 30 }, (_, i) => i));
    expect(r).toMatchObject({ ran: 30, stoppedBy: 'n-trials', counts: { complete: 30, pruned: 0, failed: 0, running: 0 } });
    expect(r.bestTrial!.value).toBeLessThan(2.5);
  });

  it('gives the same trials for the same seed, different ones for another', async () => {
    const run = async (seed: number) => {
      const study = await Study.open(config(new MemoryStudyStorage(), { seed }));
      await study.optimize(quadratic, { nTrials: 15 });
      return (await study.trials()).map((t) => t.params);
    };
    expect(await run(3)).toEqual(await run(3));
    expect(await run(3)).not.toEqual(await run(4));
  });

  it('resumes by name after an interrupted loop: numbering continues and the trials equal an uninterrupted run', async () => {
    const whole = await Study.open(config(new MemoryStudyStorage()));
    await whole.optimize(quadratic, { nTrials: 16 });

    const storage = new MemoryStudyStorage();
    const stop = new AbortController();
    const first = await Study.open(config(storage));
    const r1 = await first.optimize(async (t) => {
      if (t.number === 11) stop.abort();
      return quadratic(t);
    }, { nTrials: 16, signal: stop.signal });
    expect(r1.stoppedBy).toBe('interrupted');
    // the trial running at the interrupt finished (its objective returned), then the loop stopped
    expect((await first.trials()).length).toBe(12);
    const resumed = await Study.open(config(storage));
    const r2 = await resumed.optimize(quadratic, { nTrials: 16 });
    expect(r2.ran).toBe(4);
    const trials = await resumed.trials();
    expect(trials.map((t) => t.number)).toEqual(Array.from({ length: 16 }, (_, i) => i));
    expect(trials.map((t) => t.params)).toEqual((await whole.trials()).map((t) => t.params));
  });

  it('fails a trial left running by a dead process and continues to N ended trials', async () => {
    const storage = new MemoryStudyStorage();
    const study = await Study.open(config(storage));
    await study.optimize(quadratic, { nTrials: 5 });
    await study.ask(); // trial 5 starts, then its process is killed (never told)
    // a live owner's running trial is left alone
    const alive = await Study.open(config(storage, { isOwnerAlive: () => true }));
    expect((await alive.trials())[5].state).toBe('running');
    const resumed = await Study.open(config(storage, { owner: { pid: 2, startTime: 2 } }));
    const t5 = (await resumed.trials())[5];
    expect(t5).toMatchObject({ state: 'failed', failReason: DIED_WHILE_RUNNING });
    const r = await resumed.optimize(quadratic, { nTrials: 8 });
    const trials = await resumed.trials();
    expect(trials.map((t) => t.number)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8]);
    expect(r.counts).toEqual({ running: 0, complete: 8, pruned: 0, failed: 1 });
  });

  it('records failed objectives with the reason and goes on; NaN fails the trial', async () => {
    const study = await Study.open(config(new MemoryStudyStorage()));
    const r = await study.optimize(async (t) => {
      if (t.number === 1) throw new Error('the model made no trades');
      if (t.number === 2) return NaN;
      return quadratic(t);
    }, { nTrials: 4 });
    const trials = await study.trials();
    expect(trials[1]).toMatchObject({ state: 'failed', failReason: 'the model made no trades' });
    expect(trials[2]).toMatchObject({ state: 'failed', failReason: 'the objective returned NaN' });
    expect(r.counts).toEqual({ running: 0, complete: 2, pruned: 0, failed: 2 });
  });

  it('refuses to resume a study of another subject, direction or space, and --trials 0', async () => {
    const storage = new MemoryStudyStorage();
    await Study.open(config(storage));
    await expect(Study.open(config(storage, { subject: { symbol: 'QQQ' } }))).rejects.toThrow('study "s" exists with a different subject');
    await expect(Study.open(config(storage, { direction: 'maximize' }))).rejects.toThrow('different direction');
    await expect(Study.open(config(storage, { space: { x: floatDist(0, 1) } }))).rejects.toThrow('different search space');
    await expect(Study.open(config(storage, { seed: 8 }))).rejects.toThrow('different seed');
    const study = await Study.open(config(storage, { seed: undefined }));
    expect(study.record.seed).toBe(7);
    await expect(study.optimize(quadratic, { nTrials: 0 })).rejects.toThrow('at least 1 (got 0)');
  });

  it('stops at the time budget', async () => {
    let clock = 0;
    const study = await Study.open(config(new MemoryStudyStorage(), { sampler: randomSampler, now: () => clock }));
    const r = await study.optimize(async (t) => {
      clock += 1000;
      return quadratic(t);
    }, { timeoutMs: 4500 });
    expect(r).toMatchObject({ ran: 5, stoppedBy: 'timeout' });
  });

  it('prunes through the pruner and records the step reached; the grid stops when exhausted', async () => {
    const study = await Study.open(config(new MemoryStudyStorage(), { sampler: randomSampler, pruner: medianPruner() }));
    const r0 = await study.optimize(async (t) => {
      const base = quadratic(t);
      const v = await base;
      for (let step = 0; step < 4; step++) {
        await t.report(step, v + (3 - step));
        if (await t.shouldPrune()) throw new TrialPruned();
      }
      return v;
    }, { nTrials: 20 });
    const trials = await study.trials();
    const pruned = trials.filter((t) => t.state === 'pruned');
    expect(pruned.length).toBeGreaterThan(0);
    for (const t of pruned) {
      expect(t.intermediate.length).toBeGreaterThan(0);
      expect(t.value).toBe(t.intermediate[t.intermediate.length - 1].value);
    }
    expect(r0.bestTrial!.state).toBe('complete');
    expect(trials.slice(0, 5).every((t) => t.state === 'complete')).toBe(true); // 5 startup trials

    const grid = await Study.open(config(new MemoryStudyStorage(), { name: 'g', sampler: gridSampler(), space: { c: categoricalDist(['a', 'b']), n: intDist(1, 3) } }));
    const r = await grid.optimize(async (t) => (t.params.n as number), { nTrials: 100 });
    expect(r).toMatchObject({ ran: 6, stoppedBy: 'grid-exhausted' });
  });
});

describe('study loop with parallel trials', () => {
  it('runs up to `jobs` trials at once, numbers them without gaps and ends at exactly N', async () => {
    const study = await Study.open(config(new MemoryStudyStorage()));
    let inFlight = 0;
    let most = 0;
    const delays = [30, 5, 20, 1, 15, 10, 25, 3];
    const r = await study.optimize(async (t) => {
      inFlight++;
      most = Math.max(most, inFlight);
      // Trials finish out of order: each waits a different time.
      await new Promise((resolve) => setTimeout(resolve, delays[t.number % delays.length]));
      inFlight--;
      return quadratic(t);
    }, { nTrials: 17, jobs: 3 });
    const trials = await study.trials();
    expect(trials.map((t) => t.number)).toEqual(Array.from({ length: 17 }, (_, i) => i));
    expect(trials.every((t) => t.state === 'complete')).toBe(true);
    expect(r).toMatchObject({ ran: 17, stoppedBy: 'n-trials', counts: { complete: 17, running: 0 } });
    expect(most).toBe(3);
  });

  it('records failures and prunes as the sequential loop does, and stops starting trials on abort', async () => {
    const study = await Study.open(config(new MemoryStudyStorage(), { pruner: medianPruner({ nStartupTrials: 2 }) }));
    const controller = new AbortController();
    const r = await study.optimize(async (t) => {
      if (t.number === 1) throw new Error('boom');
      await t.report(0, t.number === 6 ? 1e9 : 1);
      if (await t.shouldPrune()) throw new TrialPruned();
      if (t.number === 8) controller.abort();
      return 1;
    }, { nTrials: 50, jobs: 2, signal: controller.signal });
    const trials = await study.trials();
    expect(trials[1]).toMatchObject({ state: 'failed', failReason: 'boom' });
    expect(trials[6].state).toBe('pruned');
    expect(r.stoppedBy).toBe('interrupted');
    expect(trials.length).toBeLessThanOrEqual(10);
    expect(trials.every((t) => t.state !== 'running')).toBe(true);
  });

  it('refuses a number of parallel trials below 1', async () => {
    const study = await Study.open(config(new MemoryStudyStorage()));
    await expect(study.optimize(quadratic, { nTrials: 3, jobs: 0 })).rejects.toThrow('the number of parallel trials must be a whole number of at least 1 (got 0)');
  });
});
