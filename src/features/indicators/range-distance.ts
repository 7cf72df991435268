import { highestHigh, lowestLow } from '../kernels/shared.js';
import { nanArray, periodParam, type Indicator } from '../types.js';

/**
 * Distances to the rolling extremes: `hhdist_N` = C / HH_N - 1 (<= 0) and `lldist_N` = C / LL_N - 1 (>= 0), with
 * HH_N / LL_N the highest high / lowest low over N bars including the current one (fractions). Lookback N-1.
 */
export const rangeDistanceIndicator: Indicator = {
  name: 'range-distance',
  families: [
    {
      prefix: 'hhdist',
      group: 'returns',
      inputs: ['high', 'close'],
      params: [periodParam()],
      describe: ([n]) => `distance to the ${n}-bar highest high C / HH${n} - 1 (fraction, <= 0)`,
      lookback: ([n]) => n - 1,
      compute: (ctx, [n]) => {
        const c = ctx.series.close;
        const hh = highestHigh(ctx, n);
        const out = nanArray(c.length, n - 1);
        for (let i = n - 1; i < c.length; i++) out[i] = c[i] / hh[i] - 1;
        return out;
      },
    },
    {
      prefix: 'lldist',
      group: 'returns',
      inputs: ['low', 'close'],
      params: [periodParam()],
      describe: ([n]) => `distance to the ${n}-bar lowest low C / LL${n} - 1 (fraction, >= 0)`,
      lookback: ([n]) => n - 1,
      compute: (ctx, [n]) => {
        const c = ctx.series.close;
        const ll = lowestLow(ctx, n);
        const out = nanArray(c.length, n - 1);
        for (let i = n - 1; i < c.length; i++) out[i] = c[i] / ll[i] - 1;
        return out;
      },
    },
  ],
};
