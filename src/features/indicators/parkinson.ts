import { isRecomputeRow } from '../kernels/rolling.js';
import { logPrice } from '../kernels/shared.js';
import { nanArray, periodParam, type Indicator } from '../types.js';

/**
 * Parkinson range volatility: `parkinson_N` = sqrt(sum ln(H/L)^2 / (4 N ln 2)) over N bars, per bar. One pass
 * over a running sum of the non-negative terms, with an exact count of non-zero terms so that a window of
 * zero-range bars is exactly 0. Lookback N-1.
 */
export const parkinsonIndicator: Indicator = {
  name: 'parkinson',
  families: [
    {
      prefix: 'parkinson',
      group: 'volatility',
      inputs: ['high', 'low'],
      params: [periodParam()],
      describe: ([n]) => `Parkinson volatility sqrt(sum of ln(H/L)^2 over ${n} bars / (4 x ${n} x ln 2)) (per bar)`,
      lookback: ([n]) => n - 1,
      compute: (ctx, [n]) => {
        const lh = logPrice(ctx, 'high');
        const ll = logPrice(ctx, 'low');
        const len = lh.length;
        const out = nanArray(len, n - 1);
        const scale = 1 / (4 * n * Math.LN2);
        let sum = 0;
        let nonZero = 0;
        for (let i = n - 1; i < len; i++) {
          if (i === n - 1 || isRecomputeRow(i)) {
            sum = 0;
            nonZero = 0;
            for (let j = i - n + 1; j <= i; j++) {
              const r = lh[j] - ll[j];
              sum += r * r;
              if (r !== 0) nonZero++;
            }
          } else {
            const r = lh[i] - ll[i];
            const o = lh[i - n] - ll[i - n];
            sum += r * r - o * o;
            nonZero += (r !== 0 ? 1 : 0) - (o !== 0 ? 1 : 0);
          }
          out[i] = nonZero > 0 && sum > 0 ? Math.sqrt(sum * scale) : 0;
        }
        return out;
      },
    },
  ],
};
