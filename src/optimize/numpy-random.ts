/**
 * NumPy's legacy `RandomState` (numpy 1.24, `numpy/random/mtrand.pyx` over `_mt19937.pyx` and `distributions.c`),
 * reduced to the draws Optuna 3.1's samplers make, so that a pulse sampler seeded like an Optuna sampler draws the
 * same numbers:
 *
 * - seeding: `RandomState(seed)` with an integer seed runs MT19937's `init_genrand(seed)` (`mt19937_seed`), not
 *   `init_by_array`; the first output of `RandomState(42).random_sample()` is 0.3745401188473625;
 * - `random_sample()`: a 53-bit double from two 32-bit outputs, (a >> 5) · 2^26 + (b >> 6), over 2^53;
 * - `uniform(low, high)`: low + (high - low) · random_sample();
 * - `randint(0, high)` (what `choice(n)` without probabilities calls): masked rejection on 32-bit outputs, each
 *   output ANDed with the smallest all-ones mask covering high - 1 and redrawn while above it; no draw when high is 1.
 *
 * `choice(n, p=...)` (cumulative sum, `searchsorted` of `random_sample` draws) lives with its one user, the Parzen
 * estimator (tpe/parzen-estimator.ts), which needs only `random_sample`.
 *
 * The generator counts the 32-bit outputs it has produced ({@link NumpyRandomState.position}), and
 * {@link NumpyRandomState.at} rebuilds a generator at a counted position: a study stores its samplers' positions so
 * that a resumed study continues each stream where it stopped.
 */
import type { RandomSource } from './sampler.js';

const N = 624;
const M = 397;
const MATRIX_A = 0x9908b0df;
const UPPER_MASK = 0x80000000;
const LOWER_MASK = 0x7fffffff;

/** NumPy's `np.random.RandomState(seed)` for an integer seed in [0, 2^32 - 1]. */
export class NumpyRandomState implements RandomSource {
  private readonly mt = new Uint32Array(N);
  private index = N;
  private drawn = 0;

  /** Seeded as `RandomState(seed)`. Throws a RangeError outside [0, 4294967295], as NumPy raises a ValueError. */
  constructor(readonly seed: number) {
    if (!Number.isInteger(seed) || seed < 0 || seed > 0xffffffff) {
      throw new RangeError(`seed must be an integer between 0 and 4294967295, got ${seed}`);
    }
    const mt = this.mt;
    mt[0] = seed >>> 0;
    for (let i = 1; i < N; i++) {
      const prev = mt[i - 1] ^ (mt[i - 1] >>> 30);
      mt[i] = (Math.imul(1812433253, prev) + i) >>> 0;
    }
  }

  /** A generator seeded with `seed` that has already produced `position` 32-bit outputs. */
  static at(seed: number, position: number): NumpyRandomState {
    const rs = new NumpyRandomState(seed);
    rs.advance(position);
    return rs;
  }

  /** The number of 32-bit outputs produced since seeding (a double takes two). */
  get position(): number {
    return this.drawn;
  }

  /** Skip `count` 32-bit outputs. */
  advance(count: number): void {
    if (!Number.isInteger(count) || count < 0) throw new RangeError(`cannot advance by ${count} draws`);
    for (let i = 0; i < count; i++) this.nextUint32();
  }

  /** The next 32-bit output of MT19937 (`mt19937_next32`). */
  nextUint32(): number {
    if (this.index >= N) this.twist();
    let y = this.mt[this.index++];
    y ^= y >>> 11;
    y ^= (y << 7) & 0x9d2c5680;
    y ^= (y << 15) & 0xefc60000;
    y ^= y >>> 18;
    this.drawn++;
    return y >>> 0;
  }

  /** NumPy's `random_sample()`: a uniform double in [0, 1) with 53 random bits. */
  next(): number {
    const a = this.nextUint32() >>> 5;
    const b = this.nextUint32() >>> 6;
    return (a * 67108864 + b) / 9007199254740992;
  }

  /** NumPy's `uniform(low, high)`: low + (high - low) · random_sample(). */
  uniform(low: number, high: number): number {
    return low + (high - low) * this.next();
  }

  /** NumPy's legacy `randint(0, high)`: a uniform integer in [0, high) for 1 <= high <= 2^32. */
  randint(high: number): number {
    if (!Number.isInteger(high) || high < 1 || high > 0x100000000) throw new RangeError(`randint needs 1 <= high <= 2^32, got ${high}`);
    const range = high - 1;
    if (range === 0) return 0;
    if (range === 0xffffffff) return this.nextUint32();
    let mask = range;
    mask |= mask >>> 1;
    mask |= mask >>> 2;
    mask |= mask >>> 4;
    mask |= mask >>> 8;
    mask |= mask >>> 16;
    let value: number;
    do value = (this.nextUint32() & mask) >>> 0;
    while (value > range);
    return value;
  }

  private twist(): void {
    const mt = this.mt;
    for (let i = 0; i < N; i++) {
      const y = (mt[i] & UPPER_MASK) | (mt[(i + 1) % N] & LOWER_MASK);
      mt[i] = (mt[(i + M) % N] ^ (y >>> 1) ^ (y & 1 ? MATRIX_A : 0)) >>> 0;
    }
    this.index = 0;
  }
}
