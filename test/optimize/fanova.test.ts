/**
 * fANOVA importance against Optuna 3.1's FanovaImportanceEvaluator on the same trials (fixtures from
 * scripts/make-optimize-oracles.py, five forest seeds on Optuna's side). The forests draw from different generators,
 * so the comparison is by ranking and size: the same order of parameters, and each importance within Optuna's own
 * seed-to-seed range widened by 0.02 on either side (measured: pulse's values fall inside Optuna's range or within
 * 0.005 of it; e.g. 10x + y gives x 0.9972-0.9973 against Optuna's 0.9972-0.9974).
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { fanovaImportance } from '../../src/optimize/importance/fanova.js';
import type { Params, SearchSpace } from '../../src/optimize/space.js';
import type { Trial } from '../../src/optimize/trial.js';

const fixture = JSON.parse(readFileSync(new URL('../fixtures/optimize/fanova.json', import.meta.url), 'utf8'));

const trialsOf = (rows: { params: Params; value: number }[]): Trial[] => rows.map((r, number) => ({
  number, state: 'complete', params: r.params, value: r.value, intermediate: [], startedAt: 0, finishedAt: 0, failReason: null, attrs: {},
}));

describe('fANOVA importance', () => {
  for (const c of fixture.cases) {
    it(`${c.label}: ranks parameters as Optuna and matches its sizes within tolerance`, () => {
      const runs: Record<string, number>[] = c.optuna;
      const mine = fanovaImportance(c.space as SearchSpace, trialsOf(c.trials), { seed: 1 });
      expect(mine.reduce((s, p) => s + p.importance, 0)).toBeCloseTo(1, 12);
      expect(mine.map((p) => p.param)).toEqual(Object.keys(runs[0]));
      for (const { param, importance } of mine) {
        const theirs = runs.map((r) => r[param]);
        const within = importance >= Math.min(...theirs) - 0.02 && importance <= Math.max(...theirs) + 0.02;
        expect(within, `${param}: pulse ${importance.toFixed(4)}, Optuna ${theirs.map((v) => v.toFixed(4)).join(' ')}`).toBe(true);
      }
    }, 30_000);
  }

  it('f(x, y, z) = 10x + y: x dominates, y small, z about 0; constant parameters get 0', () => {
    const c = fixture.cases[0];
    const imp = Object.fromEntries(fanovaImportance({ ...c.space, k: { kind: 'float', low: 2, high: 2, log: false, step: null } }, trialsOf(c.trials.map((t: { params: Params; value: number }) => ({ ...t, params: { ...t.params, k: 2 } }))), { seed: 3 }).map((p) => [p.param, p.importance]));
    expect(imp.x).toBeGreaterThan(0.98);
    expect(imp.y).toBeGreaterThan(imp.z);
    expect(imp.y).toBeLessThan(0.02);
    expect(imp.z).toBeLessThan(0.002);
    expect(imp.k).toBe(0);
  });

  it('needs two complete trials and a value that varies', () => {
    const space: SearchSpace = { x: { kind: 'float', low: 0, high: 1, log: false, step: null } };
    expect(() => fanovaImportance(space, trialsOf([{ params: { x: 0.5 }, value: 1 }]))).toThrow('at least 2 complete trials');
    expect(() => fanovaImportance(space, trialsOf([{ params: { x: 0.1 }, value: 1 }, { params: { x: 0.9 }, value: 1 }]))).toThrow('every trial has the same value');
  });
});
