import { describe, expect, it } from 'vitest';
import { gridPoints, gridSampler, gridValues } from '../../src/optimize/grid.js';
import { NumpyRandomState } from '../../src/optimize/numpy-random.js';
import { randomSampler } from '../../src/optimize/random.js';
import { categoricalDist, contains, floatDist, intDist, type SearchSpace } from '../../src/optimize/space.js';
import { tpeSampler } from '../../src/optimize/tpe.js';
import type { Trial } from '../../src/optimize/trial.js';

const space: SearchSpace = {
  x: floatDist(-1, 1),
  lr: floatDist(1e-4, 1, { log: true }),
  k: intDist(1, 4),
  bs: intDist(16, 64, { step: 16 }),
  c: categoricalDist(['a', 'b', 'c']),
};
const done = (number: number, params: Trial['params']): Trial => ({ number, state: 'complete', params, value: 0, intermediate: [], startedAt: 0, finishedAt: 0, failReason: null, attrs: {} });

describe('random sampler', () => {
  it('draws every value inside its range, grid values equally often', () => {
    const rng = new NumpyRandomState(7);
    const counts: Record<string, number> = {};
    let logBelow = 0;
    for (let i = 0; i < 4000; i++) {
      const p = randomSampler.sample({ space, trials: [], direction: 'minimize', rng, startupRng: rng });
      for (const [n, d] of Object.entries(space)) expect(contains(d, p[n]), `${n}=${p[n]}`).toBe(true);
      counts[`k${p.k}`] = (counts[`k${p.k}`] ?? 0) + 1;
      counts[`bs${p.bs}`] = (counts[`bs${p.bs}`] ?? 0) + 1;
      if ((p.lr as number) < 1e-2) logBelow++;
    }
    for (const k of [1, 2, 3, 4]) expect(counts[`k${k}`]).toBeGreaterThan(880);
    for (const b of [16, 32, 48, 64]) expect(counts[`bs${b}`]).toBeGreaterThan(880);
    // log-uniform: half the draws below 1e-2 on [1e-4, 1]
    expect(logBelow / 4000).toBeGreaterThan(0.46);
    expect(logBelow / 4000).toBeLessThan(0.54);
  });
});

describe('grid sampler', () => {
  it("enumerates values from the space in Optuna's order", () => {
    expect(gridValues(intDist(16, 64, { step: 16 }))).toEqual([16, 32, 48, 64]);
    expect(gridValues(floatDist(1e-4, 1, { log: true }), 5)).toEqual([1e-4, 1e-3, 1e-2, 0.1, 1].map((v, i) => (i === 0 || i === 4 ? v : expect.closeTo(v, 12))));
    expect(gridValues(intDist(1, 100), 4)).toEqual([1, 34, 67, 100]);
    expect(gridPoints({ b: categoricalDist([1, 2]), a: categoricalDist(['x', 'y']) })).toEqual([{ a: 'x', b: 1 }, { a: 'x', b: 2 }, { a: 'y', b: 1 }, { a: 'y', b: 2 }]);
  });
  it('visits every point once before repeating, and reports its size', () => {
    const sampler = gridSampler({ pointsPerRange: 3 });
    const n = sampler.size!(space);
    expect(n).toBe(3 * 3 * 3 * 3 * 3);
    const trials: Trial[] = [];
    const seen = new Set<string>();
    const rng = new NumpyRandomState(1);
    for (let i = 0; i < n; i++) {
      const p = sampler.sample({ space, trials, direction: 'minimize', rng, startupRng: rng });
      expect(Object.keys(p)).toEqual(Object.keys(space));
      seen.add(JSON.stringify(p));
      trials.push(done(i, p));
    }
    expect(seen.size).toBe(n);
  });
});

describe('TPE startup', () => {
  it("samples at random from the startup stream until 10 trials are complete or pruned (Optuna's n_startup_trials), then draws 24 candidates from its own", () => {
    const counter = (seed: number): { next: () => number; randint: (n: number) => number; draws: number } => {
      const rs = new NumpyRandomState(seed);
      const c = { draws: 0, next: () => (c.draws++, rs.next()), randint: (n: number) => (c.draws++, rs.randint(n)) };
      return c;
    };
    const oneParam: SearchSpace = { x: floatDist(0, 1) };
    const trials: Trial[] = Array.from({ length: 9 }, (_, i) => done(i, { x: i / 10 }));
    const failed: Trial = { ...done(9, { x: 0.95 }), state: 'failed', value: null };
    let rng = counter(3);
    let startupRng = counter(3);
    tpeSampler().sample({ space: oneParam, trials: [...trials, failed], direction: 'minimize', rng, startupRng });
    expect([rng.draws, startupRng.draws]).toEqual([0, 1]);
    rng = counter(3);
    startupRng = counter(3);
    tpeSampler().sample({ space: oneParam, trials: [...trials, done(10, { x: 0.95 })], direction: 'minimize', rng, startupRng });
    expect([rng.draws, startupRng.draws]).toEqual([48, 0]); // 24 component choices + 24 truncated-normal quantiles
  });
});

describe('random sampler draws', () => {
  it("take one uniform per numerical parameter and one per categorical choice (Optuna's one-hot transform)", () => {
    const rs = new NumpyRandomState(11);
    randomSampler.sample({ space, trials: [], direction: 'minimize', rng: rs, startupRng: rs });
    expect(rs.position).toBe(2 * (4 + 3));
  });
  it('pick the choice with the largest draw', () => {
    const draws = [0.2, 0.9, 0.4];
    let i = 0;
    const rng = { next: () => draws[i++], randint: () => 0 };
    expect(randomSampler.sample({ space: { c: categoricalDist(['a', 'b', 'c']) }, trials: [], direction: 'minimize', rng, startupRng: rng })).toEqual({ c: 'b' });
  });
});
