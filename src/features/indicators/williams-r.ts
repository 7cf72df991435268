import { highestHigh, lowestLow } from '../kernels/shared.js';
import { nanArray, periodParam, type Indicator } from '../types.js';

/** Williams %R in [-100, 0]: `willr_N` = -100 (HH_N - C)/(HH_N - LL_N); -50 when the range is zero. Lookback N-1. */
export const williamsRIndicator: Indicator = {
  name: 'williams-r',
  families: [
    {
      prefix: 'willr',
      group: 'momentum',
      inputs: ['high', 'low', 'close'],
      params: [periodParam()],
      describe: ([n]) => `Williams %R -100 (HH${n} - C)/(HH${n} - LL${n}); -50 when the range is zero (-100..0)`,
      lookback: ([n]) => n - 1,
      compute: (ctx, [n]) => {
        const c = ctx.series.close;
        const hh = highestHigh(ctx, n);
        const ll = lowestLow(ctx, n);
        const out = nanArray(c.length, n - 1);
        for (let i = n - 1; i < c.length; i++) {
          const range = hh[i] - ll[i];
          out[i] = range > 0 ? (-100 * (hh[i] - c[i])) / range : -50;
        }
        return out;
      },
    },
  ],
};
