/**
 * The mean of three doubles rounded once. `(a + b + c) / 3` rounds three times (each sum, then the division), so two
 * triples whose exact means round to the same double can come out one or two ulps apart: for prices on a tick,
 * (99.93 + 99.87 + 99.9) / 3 = 99.90000000000002 but (99.92 + 99.86 + 99.92) / 3 = 99.89999999999999, while both
 * exact means round to 99.9. R's `mean` and `rowMeans` sum in extended precision and round once, so this is the
 * value R (and TTR, which averages H, L and C that way) sees.
 */

/** The rounding error of `s = a + b` (Knuth's TwoSum): a + b = s + error exactly. */
function sumError(a: number, b: number, s: number): number {
  const bb = s - a;
  return a - (s - bb) + (b - bb);
}

/**
 * The double nearest to the exact (a + b + c) / 3 (ties to even). Exact for terms within a factor 2^10 of each
 * other, which covers a bar's high, low and close; non-finite input gives the plain `(a + b + c) / 3`.
 */
export function meanOfThree(a: number, b: number, c: number): number {
  // hi + lo = a + b + c exactly: two error-free sums, then renormalised (the two errors are short, so their sum is exact).
  const s1 = a + b;
  const s2 = s1 + c;
  const errors = sumError(a, b, s1) + sumError(s1, c, s2);
  const hi = s2 + errors;
  const lo = sumError(s2, errors, hi);
  const q = hi / 3;
  if (!Number.isFinite(q) || !Number.isFinite(lo)) return (a + b + c) / 3;
  // The exact remainder r = (hi + lo) - 3q: 3q = p + pe exactly (2q is exact, so TwoSum of 2q + q gives 3q's
  // rounding error), hi - p is exact (p is within two ulps of hi), and the rest are short multiples of q's ulp.
  const p = 3 * q;
  const pe = sumError(2 * q, q, p);
  const r = hi - p - pe + lo;
  // (hi + lo) / 3 = q + r / 3 with |r / 3| about an ulp of q; the exact mean is never within r / 3's rounding
  // error of a midpoint between doubles unless it is exactly one, and then r / 3 is exact too: one rounding.
  return q + r / 3;
}
