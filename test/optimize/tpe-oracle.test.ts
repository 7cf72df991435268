/**
 * pulse's TPE against Optuna 3.1 (fixtures from scripts/make-optimize-oracles.py): truncated-normal helpers,
 * the below/above split, Parzen estimator weights/mus/sigmas, samples and log-pdf, and whole sampled trials when
 * pulse's sampler replays the uniforms NumPy's RandomState(seed) gave Optuna's.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { RandomSource } from '../../src/optimize/sampler.js';
import type { Distribution, Params, SearchSpace } from '../../src/optimize/space.js';
import { observationPairs, splitObservations, tpeSampler } from '../../src/optimize/tpe.js';
import { numpyArgsort } from '../../src/optimize/tpe/numpy-argsort.js';
import { defaultWeights, ParzenEstimator } from '../../src/optimize/tpe/parzen-estimator.js';
import { logGaussMass, logNdtr, truncnormLogPdf, truncnormPpf } from '../../src/optimize/tpe/truncnorm.js';
import type { Trial } from '../../src/optimize/trial.js';

const fixture = JSON.parse(readFileSync(new URL('../fixtures/optimize/tpe.json', import.meta.url), 'utf8'));

/** |a - b| <= 1e-12 · max(1, |b|). */
function close(a: number, b: number, what: string): void {
  if (Object.is(a, b) || a === b) return;
  expect(Math.abs(a - b), `${what}: ${a} vs ${b}`).toBeLessThanOrEqual(1e-12 * Math.max(1, Math.abs(b)));
}
function closeAll(a: ArrayLike<number>, b: readonly number[], what: string): void {
  expect(a.length, what).toBe(b.length);
  for (let i = 0; i < b.length; i++) close(a[i], b[i], `${what}[${i}]`);
}
const stream = (u: readonly number[]): RandomSource & { used: () => number } => {
  let i = 0;
  return {
    next: () => { if (i >= u.length) throw new Error('uniform stream exhausted'); return u[i++]; },
    randint: () => { throw new Error('the recorded stream holds uniform doubles only'); },
    used: () => i,
  };
};
const untouched: RandomSource = { next: () => { throw new Error('startup stream used'); }, randint: () => { throw new Error('startup stream used'); } };
const spaceOf = (s: Record<string, Distribution>): SearchSpace => s;

function trialsOf(rows: { params: Params; state: 'complete' | 'pruned'; value: number | null; intermediate: [number, number][] }[]): Trial[] {
  return rows.map((r, number) => ({
    number, state: r.state, params: r.params, value: r.value, startedAt: 0, finishedAt: 0, failReason: null, attrs: {},
    intermediate: r.intermediate.map(([step, value]) => ({ step, value })),
  }));
}

describe('truncated normal (Optuna _truncnorm)', () => {
  it('log Φ, log mass, quantiles and log-pdf match to 1e-12', () => {
    for (const [a, v] of fixture.truncnorm.logNdtr) close(logNdtr(a), v, `logNdtr(${a})`);
    for (const [a, b, v] of fixture.truncnorm.logGaussMass) close(logGaussMass(a, b), v, `logGaussMass(${a}, ${b})`);
    for (const [q, a, b, v] of fixture.truncnorm.ppf) close(truncnormPpf(q, a, b), v, `ppf(${q}, ${a}, ${b})`);
    for (const [x, a, b, v] of fixture.truncnorm.logPdf) close(truncnormLogPdf(x, a, b), v ?? -Infinity, `logpdf(${x}, ${a}, ${b})`);
  });
});

describe('below/above split (Optuna _split_observation_pairs)', () => {
  it('ranks complete trials first, then pruned by step reached and value', () => {
    for (const c of fixture.split) {
      const scores = c.scores.map(([s, v]: [number | string, number]) => ({ step: s === '-inf' ? -Infinity : (s as number), value: v }));
      expect(splitObservations(scores, c.nBelow)).toEqual({ below: c.below, above: c.above });
    }
  });
  it('turns trials into Optuna rank keys', () => {
    const t = trialsOf([
      { params: {}, state: 'complete', value: 2, intermediate: [] },
      { params: {}, state: 'pruned', value: null, intermediate: [[0, 5], [3, 1]] },
      { params: {}, state: 'pruned', value: null, intermediate: [] },
    ]);
    expect(observationPairs(t, 'maximize').scores).toEqual([{ step: -Infinity, value: -2 }, { step: -3, value: -1 }, { step: 1, value: 0 }]);
  });
});

describe("NumPy's default argsort", () => {
  it('orders ties exactly as NumPy 1.24 (introsort, insertion sort up to 16 elements)', () => {
    for (const c of fixture.argsort) expect(Array.from(numpyArgsort(c.values))).toEqual(c.order);
  });
});

describe('Parzen estimator (Optuna _ParzenEstimator)', () => {
  for (const c of fixture.parzen) {
    it(`${c.label}: weights, kernels, samples and log-pdf match to 1e-12`, () => {
      const space = spaceOf(c.space);
      const obs = Object.fromEntries(Object.entries(c.observations as Record<string, number[]>).map(([k, v]) => [k, Float64Array.from(v)]));
      const pe = new ParzenEstimator(obs, space, { ...c.parameters, weights: defaultWeights });
      closeAll(pe.weights, c.weights, 'weights');
      for (const [name, k] of Object.entries(c.kernels as Record<string, Record<string, unknown>>)) {
        const mine = pe.kernels[name];
        if (mine.kind === 'categorical') {
          (k.probabilities as number[][]).forEach((row, i) => closeAll(mine.probabilities[i], row, `${name} probabilities[${i}]`));
        } else {
          close(mine.low, k.low as number, `${name} low`);
          close(mine.high, k.high as number, `${name} high`);
          expect(mine.q, `${name} q`).toBe(k.q);
          closeAll(mine.mus, k.mus as number[], `${name} mus`);
          closeAll(mine.sigmas, k.sigmas as number[], `${name} sigmas`);
        }
      }
      const samples = pe.sample(stream(c.uniforms), 24);
      for (const name of Object.keys(space)) closeAll(samples[name], c.samples[name], `${name} samples`);
      closeAll(pe.logPdf(samples), c.logPdf, 'logPdf');
    });
  }
});

describe('TPE sampler (Optuna TPESampler) replaying RandomState(seed)', () => {
  for (const c of fixture.sampler) {
    it(`${c.label}: the sampled trial equals Optuna's`, () => {
      const sampler = tpeSampler({ multivariate: c.multivariate });
      const params = sampler.sample({ space: spaceOf(c.space), trials: trialsOf(c.trials), direction: c.direction, rng: stream(c.uniforms), startupRng: untouched });
      expect(Object.keys(params)).toEqual(Object.keys(c.params));
      for (const [name, v] of Object.entries(c.params as Params)) {
        if (typeof v === 'number') close(params[name] as number, v, name);
        else expect(params[name], name).toBe(v);
      }
    });
  }
});
