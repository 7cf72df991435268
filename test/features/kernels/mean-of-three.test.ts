/** meanOfThree against exact rational arithmetic: the double nearest to (a + b + c) / 3, ties to even. */
import { describe, expect, it } from 'vitest';
import { Rng } from '../../../src/core/rng.js';
import { meanOfThree } from '../../../src/features/kernels/mean-of-three.js';

/** A finite double as mantissa * 2^exponent with a BigInt mantissa (exact). */
function exact(x: number): { m: bigint; e: number } {
  const view = new DataView(new ArrayBuffer(8));
  view.setFloat64(0, x);
  const bits = view.getBigUint64(0);
  const sign = bits >> 63n ? -1n : 1n;
  const biased = Number((bits >> 52n) & 0x7ffn);
  const fraction = bits & ((1n << 52n) - 1n);
  return biased === 0 ? { m: sign * fraction, e: -1074 } : { m: sign * (fraction | (1n << 52n)), e: biased - 1075 };
}

/** sign(3 * y - (a + b + c)), exactly. */
function compareThrice(y: number, a: number, b: number, c: number): number {
  const terms = [a, b, c, y].map(exact);
  const e = Math.min(...terms.map((t) => t.e));
  const scaled = terms.map((t) => t.m << BigInt(t.e - e));
  const d = 3n * scaled[3] - (scaled[0] + scaled[1] + scaled[2]);
  return d === 0n ? 0 : d > 0n ? 1 : -1;
}

/** The neighbouring doubles of a positive finite y. */
function neighbours(y: number): [number, number] {
  const view = new DataView(new ArrayBuffer(8));
  view.setFloat64(0, y);
  const bits = view.getBigUint64(0);
  view.setBigUint64(0, bits - 1n);
  const below = view.getFloat64(0);
  view.setBigUint64(0, bits + 1n);
  return [below, view.getFloat64(0)];
}

/** |3 y - S| as an exact BigInt in a common unit, for comparing two candidates. */
function distance(y: number, a: number, b: number, c: number): bigint {
  const terms = [a, b, c, y].map(exact);
  const e = Math.min(...terms.map((t) => t.e));
  const scaled = terms.map((t) => t.m << BigInt(t.e - e));
  const d = 3n * scaled[3] - (scaled[0] + scaled[1] + scaled[2]);
  return d < 0n ? -d : d;
}

function expectNearest(a: number, b: number, c: number): void {
  const y = meanOfThree(a, b, c);
  const [below, above] = neighbours(y);
  const dy = distance(y, a, b, c);
  for (const z of [below, above]) {
    const dz = distance(z, a, b, c);
    // y is at least as near as each neighbour; on an exact tie the even mantissa wins
    if (dz < dy) expect.fail(`meanOfThree(${a}, ${b}, ${c}) = ${y}, but ${z} is nearer`);
    if (dz === dy) expect(exact(y).m % 2n, `tie at ${a}, ${b}, ${c}`).toBe(0n);
  }
}

describe('meanOfThree', () => {
  it('is the nearest double to the exact mean of prices on a tick', () => {
    const rng = new Rng(5);
    for (let k = 0; k < 20_000; k++) {
      const scale = [100, 1e5, 1e8][k % 3];
      const base = Math.round((0.5 + 200 * rng.next()) * scale);
      const spread = 1 + Math.round(rng.next() * 0.02 * base);
      const [h, l, c] = [base + spread, base - spread, base - spread + Math.round(rng.next() * 2 * spread)].map((x) => x / scale);
      expectNearest(h, l, c);
    }
  });

  it('is the nearest double to the exact mean of full-precision prices', () => {
    const rng = new Rng(6);
    for (let k = 0; k < 20_000; k++) {
      const p = 1e-6 + 1e4 * rng.next() ** 4;
      expectNearest(p * (1 + 0.05 * rng.next()), p * (1 - 0.05 * rng.next()), p * (1 + 0.01 * rng.normal()));
    }
  });

  it('rounds once where (a + b + c) / 3 rounds three times', () => {
    expect((99.93 + 99.87 + 99.9) / 3).toBe(99.90000000000002);
    expect((99.92 + 99.86 + 99.92) / 3).toBe(99.89999999999999);
    expect(meanOfThree(99.93, 99.87, 99.9)).toBe(99.9);
    expect(meanOfThree(99.92, 99.86, 99.92)).toBe(99.9);
    expect(compareThrice(99.9, 99.92, 99.86, 99.92)).not.toBe(0); // there 99.9 is the rounding of the exact mean
  });

  it('breaks an exact tie to the even mantissa and passes non-finite input through', () => {
    // 1.25 + 1.25 + (0.5 + 3 * 2^-53) = 3 * (1 + 2^-53): halfway between 1 and 1 + 2^-52, which is odd
    const down = 0.5 + 3 * 2 ** -53;
    expect(meanOfThree(1.25, 1.25, down)).toBe(1);
    expect(distance(1, 1.25, 1.25, down)).toBe(distance(1 + 2 ** -52, 1.25, 1.25, down));
    // ... and 3 * (1 + 3 * 2^-53): halfway between 1 + 2^-52 and the even 1 + 2^-51
    const up = 0.5 + 9 * 2 ** -53;
    expect(meanOfThree(1.25, 1.25, up)).toBe(1 + 2 ** -51);
    expect(distance(1 + 2 ** -51, 1.25, 1.25, up)).toBe(distance(1 + 2 ** -52, 1.25, 1.25, up));
    expect(meanOfThree(NaN, 1, 1)).toBeNaN();
    expect(meanOfThree(Infinity, 1, 1)).toBe(Infinity);
  });
});
