import { describe, expect, it } from 'vitest';
import { Rng } from '../../src/core/rng.js';
import { sortedCopy } from '../../src/core/sort-float64.js';

function expectSameOrder(x: Float64Array): void {
  const expected = Float64Array.from(x).sort();
  const got = sortedCopy(x);
  expect(got.length).toBe(x.length);
  for (let i = 0; i < x.length; i++) if (!Object.is(got[i], expected[i])) expect([i, got[i]]).toEqual([i, expected[i]]);
}

describe('sortedCopy', () => {
  it('orders like Float64Array.prototype.sort across signs, magnitudes, zeros, subnormals and infinities', () => {
    const rng = new Rng(11);
    const x = Float64Array.from({ length: 50_000 }, (_, i) => rng.normal() * 10 ** ((i % 41) - 20) * (i % 97 === 0 ? 1e-300 : 1));
    x.set([-0, 0, Infinity, -Infinity, 5e-324, -5e-324, Number.MAX_VALUE, -Number.MAX_VALUE, NaN], 100);
    expectSameOrder(x);
  });

  it('keeps duplicates and handles the passes it can skip (all values with the same exponent)', () => {
    const rng = new Rng(12);
    expectSameOrder(Float64Array.from({ length: 10_000 }, () => 1 + Math.floor(rng.next() * 50) / 64));
    expectSameOrder(new Float64Array(5000).fill(3.25));
  });

  it('sorts short arrays with the built-in sort and leaves its input alone', () => {
    const x = Float64Array.from([3, -1, 2]);
    expect(Array.from(sortedCopy(x))).toEqual([-1, 2, 3]);
    expect(Array.from(x)).toEqual([3, -1, 2]);
    expect(sortedCopy(new Float64Array(0)).length).toBe(0);
  });
});

describe('sortedCopy into a buffer', () => {
  it('writes into the buffer and returns a view of the sorted values', () => {
    const rng = new Rng(13);
    const buffer = new Float64Array(6000).fill(99);
    for (const n of [5000, 3, 2500]) {
      const x = Float64Array.from({ length: n }, () => rng.normal());
      const view = sortedCopy(x, buffer);
      expect(view.buffer).toBe(buffer.buffer);
      expect(Array.from(view)).toEqual(Array.from(Float64Array.from(x).sort()));
    }
    expect(() => sortedCopy(new Float64Array(7000), buffer)).toThrow(RangeError);
  });
});
