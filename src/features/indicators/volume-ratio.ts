import { isRecomputeRow } from '../kernels/rolling.js';
import { nanArray, periodParam, type Indicator } from '../types.js';

/**
 * Relative volume: `volratio_N` = V / SMA_N(V) (ratio; 1 when the window has no volume, decided by an exact count
 * of traded bars rather than the running sum's rounding residue). Lookback N-1.
 */
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
        const out = nanArray(v.length, n - 1);
        let sum = 0;
        let traded = 0;
        for (let i = n - 1; i < v.length; i++) {
          if (i === n - 1 || isRecomputeRow(i)) {
            sum = 0;
            traded = 0;
            for (let j = i - n + 1; j <= i; j++) {
              sum += v[j];
              if (v[j] > 0) traded++;
            }
          } else {
            sum += v[i] - v[i - n];
            traded += (v[i] > 0 ? 1 : 0) - (v[i - n] > 0 ? 1 : 0);
          }
          // the window holds v[i] itself, so a window with volume has a positive sum (up to rounding)
          out[i] = traded > 0 && sum > 0 ? (v[i] * n) / sum : 1;
        }
        return out;
      },
    },
  ],
};
