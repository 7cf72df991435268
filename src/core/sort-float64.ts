/**
 * Sorting of large Float64Arrays by an LSD radix sort on their bit patterns: about three times faster than
 * `Float64Array.prototype.sort` on 100,000 values, which dominated the two-sample KS test's time.
 *
 * Each double is mapped to an unsigned 64-bit key that orders like the number (negative values have every bit
 * flipped, non-negative ones the sign bit set), the keys are sorted in six stable passes of 11, 11 and 10 bits per
 * 32-bit half (a pass whose digit is the same for every value is skipped), and mapped back. Keys are moved as two
 * 32-bit words, never as doubles, so no bit pattern is altered. The order is that of `Float64Array.prototype.sort`
 * for every value, -0 before +0; NaN (the canonical, positive one JavaScript produces) sorts last.
 */

/** Below this length the built-in sort is as fast (the six 2048-bucket histograms cost more than they save). */
const RADIX_MIN_LENGTH = 2048;
const BUCKETS = 2048;

// Two scratch key buffers, grown on demand and reused across calls (a fresh pair per call made the KS test allocate
// four times its input and left the collector to clean up after it).
let scratchA = new Uint32Array(0);
let scratchB = new Uint32Array(0);

/**
 * A sorted copy of `x` (ascending); `x` is left as it is. With `into` (at least as long as `x`) the copy is written
 * there and a view of its first n values is returned, so that a caller sorting many samples allocates nothing.
 */
export function sortedCopy(x: Float64Array, into?: Float64Array): Float64Array {
  const n = x.length;
  if (into && into.length < n) throw new RangeError(`sortedCopy: the output holds ${into.length} values, the input ${n}`);
  if (n < RADIX_MIN_LENGTH) {
    if (!into) return Float64Array.from(x).sort();
    const view = into.subarray(0, n);
    view.set(x);
    return view.sort();
  }
  if (scratchA.length < 2 * n) {
    scratchA = new Uint32Array(2 * n);
    scratchB = new Uint32Array(2 * n);
  }
  let src = scratchA;
  let dst = scratchB;
  const out = into ? into.subarray(0, n) : new Float64Array(n);
  const out32 = new Uint32Array(out.buffer, out.byteOffset, 2 * n);
  const in32 = new Uint32Array(x.buffer, x.byteOffset, 2 * n);
  const hist = new Uint32Array(6 * BUCKETS);
  const lowWord = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1 ? 0 : 1; // little-endian: low word first
  const highWord = 1 - lowWord;

  // Bit patterns to order-preserving keys, and the six digit histograms in the same pass.
  for (let i = 0; i < n; i++) {
    let lo = in32[2 * i + lowWord];
    let hi = in32[2 * i + highWord];
    if (hi & 0x80000000) {
      lo = ~lo >>> 0;
      hi = ~hi >>> 0;
    } else {
      hi = (hi | 0x80000000) >>> 0;
    }
    src[2 * i] = lo;
    src[2 * i + 1] = hi;
    hist[lo & 2047]++;
    hist[BUCKETS + ((lo >>> 11) & 2047)]++;
    hist[2 * BUCKETS + (lo >>> 22)]++;
    hist[3 * BUCKETS + (hi & 2047)]++;
    hist[4 * BUCKETS + ((hi >>> 11) & 2047)]++;
    hist[5 * BUCKETS + (hi >>> 22)]++;
  }

  const offsets = new Uint32Array(BUCKETS);
  for (let pass = 0; pass < 6; pass++) {
    const base = pass * BUCKETS;
    let skip = false;
    let sum = 0;
    for (let d = 0; d < BUCKETS; d++) {
      const c = hist[base + d];
      if (c === n) skip = true;
      offsets[d] = sum;
      sum += c;
    }
    if (skip) continue; // every key has the same digit here
    const shift = (pass % 3) * 11;
    if (pass < 3) {
      for (let i = 0; i < 2 * n; i += 2) {
        const lo = src[i];
        const j = 2 * offsets[(lo >>> shift) & 2047]++;
        dst[j] = lo;
        dst[j + 1] = src[i + 1];
      }
    } else {
      for (let i = 0; i < 2 * n; i += 2) {
        const hi = src[i + 1];
        const j = 2 * offsets[(hi >>> shift) & 2047]++;
        dst[j] = src[i];
        dst[j + 1] = hi;
      }
    }
    const t = src;
    src = dst;
    dst = t;
  }

  // Keys back to bit patterns, in the platform's word order.
  for (let i = 0; i < n; i++) {
    let lo = src[2 * i];
    let hi = src[2 * i + 1];
    if (hi & 0x80000000) {
      hi = (hi & 0x7fffffff) >>> 0;
    } else {
      lo = ~lo >>> 0;
      hi = ~hi >>> 0;
    }
    out32[2 * i + lowWord] = lo;
    out32[2 * i + highWord] = hi;
  }
  return out;
}
