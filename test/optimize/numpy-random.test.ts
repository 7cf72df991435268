/**
 * pulse's port of NumPy's legacy RandomState against numpy 1.24 (fixture test/fixtures/optimize/seeded.json, from
 * scripts/make-optimize-oracles.py): seeding, random_sample (also past the first state refresh), uniform and the
 * masked randint, bit for bit; and rebuilding a generator at a counted position.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { NumpyRandomState } from '../../src/optimize/numpy-random.js';

interface RandomStateCase {
  seed: number;
  first: number[];
  later: number[];
  uniform: number[];
  randint: [number, number[]][];
  after: number[];
}
const fixture: { randomState: RandomStateCase[] } = JSON.parse(readFileSync(new URL('../fixtures/optimize/seeded.json', import.meta.url), 'utf8'));
const UNIFORM_BOUNDS: [number, number][] = [[-5, 10], [0, 1], [Math.log(1e-4), 0]];

describe('NumpyRandomState (NumPy 1.24 RandomState)', () => {
  for (const c of fixture.randomState) {
    it(`seed ${c.seed}: random_sample, uniform and randint equal NumPy's`, () => {
      const rs = new NumpyRandomState(c.seed);
      expect(Array.from({ length: 5 }, () => rs.next())).toEqual(c.first);
      for (let i = 0; i < 700; i++) rs.next();
      expect(Array.from({ length: 3 }, () => rs.next())).toEqual(c.later);
      expect(UNIFORM_BOUNDS.map(([lo, hi]) => rs.uniform(lo, hi))).toEqual(c.uniform);
      for (const [high, values] of c.randint) expect(values.map(() => rs.randint(high)), `randint(0, ${high})`).toEqual(values);
      expect([rs.next(), rs.next()]).toEqual(c.after);
    });
  }
  it('starts RandomState(42) at 0.3745401188473625 (init_genrand seeding)', () => {
    expect(new NumpyRandomState(42).next()).toBe(0.3745401188473625);
  });
  it('counts its 32-bit draws, and a generator rebuilt at a count continues the stream', () => {
    const rs = new NumpyRandomState(9);
    for (let i = 0; i < 500; i++) rs.next();
    rs.randint(3);
    const position = rs.position;
    expect(position).toBeGreaterThanOrEqual(1001);
    const rebuilt = NumpyRandomState.at(9, position);
    expect(rebuilt.position).toBe(position);
    expect(Array.from({ length: 400 }, () => rebuilt.next())).toEqual(Array.from({ length: 400 }, () => rs.next()));
  });
  it('rejects seeds NumPy rejects', () => {
    expect(() => new NumpyRandomState(-1)).toThrow(RangeError);
    expect(() => new NumpyRandomState(2 ** 32)).toThrow(RangeError);
    expect(() => new NumpyRandomState(1.5)).toThrow(RangeError);
  });
});
