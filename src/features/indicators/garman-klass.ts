import { isRecomputeRow } from '../kernels/rolling.js';
import { logPrice } from '../kernels/shared.js';
import { nanArray, periodParam, type Indicator } from '../types.js';

const K = 2 * Math.LN2 - 1;

/** The Garman-Klass term of bar j from log prices; >= 0 since |ln(C/O)| <= ln(H/L). */
function term(lo: Float64Array, lh: Float64Array, ll: Float64Array, lc: Float64Array, j: number): number {
  const hl = lh[j] - ll[j];
  const co = lc[j] - lo[j];
  const t = 0.5 * hl * hl - K * co * co;
  return t > 0 ? t : 0;
}

/**
 * Garman-Klass volatility: `garman_klass_N` = sqrt(mean over N bars of 0.5 ln(H/L)^2 - (2 ln 2 - 1) ln(C/O)^2),
 * per bar (TTR's `calc = "garman.klass"` with N = 1). One pass over a running sum of the non-negative terms, with
 * an exact count of non-zero terms (a window of flat bars is exactly 0). Lookback N-1.
 */
export const garmanKlassIndicator: Indicator = {
  name: 'garman-klass',
  families: [
    {
      prefix: 'garman_klass',
      group: 'volatility',
      inputs: ['open', 'high', 'low', 'close'],
      params: [periodParam()],
      describe: ([n]) => `Garman-Klass volatility sqrt(mean over ${n} bars of 0.5 ln(H/L)^2 - (2 ln 2 - 1) ln(C/O)^2) (per bar)`,
      lookback: ([n]) => n - 1,
      compute: (ctx, [n]) => {
        const lo = logPrice(ctx, 'open');
        const lh = logPrice(ctx, 'high');
        const ll = logPrice(ctx, 'low');
        const lc = logPrice(ctx, 'close');
        const len = lc.length;
        const out = nanArray(len, n - 1);
        const inv = 1 / n;
        let sum = 0;
        let nonZero = 0;
        for (let i = n - 1; i < len; i++) {
          if (i === n - 1 || isRecomputeRow(i)) {
            sum = 0;
            nonZero = 0;
            for (let j = i - n + 1; j <= i; j++) {
              const t = term(lo, lh, ll, lc, j);
              sum += t;
              if (t > 0) nonZero++;
            }
          } else {
            const t = term(lo, lh, ll, lc, i);
            const o = term(lo, lh, ll, lc, i - n);
            sum += t - o;
            nonZero += (t > 0 ? 1 : 0) - (o > 0 ? 1 : 0);
          }
          out[i] = nonZero > 0 && sum > 0 ? Math.sqrt(sum * inv) : 0;
        }
        return out;
      },
    },
  ],
};
