import { isRecomputeRow } from '../kernels/rolling.js';
import { nanArray, periodParam, type Indicator } from '../types.js';

/**
 * Chaikin money flow in [-1, 1]: `cmf_N` = sum(MFM V) / sum(V) over N bars with the money-flow multiplier
 * MFM = ((C - L) - (H - C))/(H - L) (0 on a bar with zero range); 0 when the window has no volume. One pass:
 * both running sums and an exact count of traded bars (so an empty window is exactly 0, not rounding residue).
 * Lookback N-1.
 */
export const cmfIndicator: Indicator = {
  name: 'cmf',
  families: [
    {
      prefix: 'cmf',
      group: 'volume',
      inputs: ['high', 'low', 'close', 'volume'],
      params: [periodParam()],
      describe: ([n]) => `Chaikin money flow sum(V ((C-L) - (H-C))/(H-L))/sum(V) over ${n} bars; 0 without volume (-1..1)`,
      lookback: ([n]) => n - 1,
      compute: (ctx, [n]) => {
        const { high, low, close, volume } = ctx.series;
        const len = close.length;
        const out = nanArray(len, n - 1);
        const mfv = (j: number): number => {
          const range = high[j] - low[j];
          return range > 0 ? ((close[j] - low[j] - (high[j] - close[j])) / range) * volume[j] : 0;
        };
        let num = 0;
        let den = 0;
        let traded = 0;
        for (let i = n - 1; i < len; i++) {
          if (i === n - 1 || isRecomputeRow(i)) {
            num = den = 0;
            traded = 0;
            for (let j = i - n + 1; j <= i; j++) {
              num += mfv(j);
              den += volume[j];
              if (volume[j] > 0) traded++;
            }
          } else {
            num += mfv(i) - mfv(i - n);
            den += volume[i] - volume[i - n];
            traded += (volume[i] > 0 ? 1 : 0) - (volume[i - n] > 0 ? 1 : 0);
          }
          const r = traded > 0 && den > 0 ? num / den : 0;
          out[i] = r > 1 ? 1 : r < -1 ? -1 : r;
        }
        return out;
      },
    },
  ],
};
