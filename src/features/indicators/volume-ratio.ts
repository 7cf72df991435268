import { rollingCountPositive, rollingSum } from '../kernels/rolling.js';
import { nanArray, periodParam, type Indicator } from '../types.js';

/** Relative volume: `volratio_N` = V / SMA_N(V) (ratio; 1 when the window has no volume). Lookback N-1. */
export const volumeRatioIndicator: Indicator = {
  name: 'volume-ratio',
  families: [
    {
      prefix: 'volratio',
      group: 'volume',
      inputs: ['volume'],
      params: [periodParam()],
      describe: ([n]) => `relative volume V / SMA${n}(V); 1 when the window has no volume (ratio)`,
      lookback: ([n]) => n - 1,
      compute: (ctx, [n]) => {
        const v = ctx.series.volume;
        const sum = rollingSum(v, n);
        const traded = rollingCountPositive(v, n);
        const out = nanArray(v.length);
        for (let i = n - 1; i < v.length; i++) {
          // the window holds v[i] itself, so a window with volume has a positive mean (up to rounding)
          out[i] = traded[i] > 0 && sum[i] > 0 ? (v[i] * n) / sum[i] : 1;
        }
        return out;
      },
    },
  ],
};
