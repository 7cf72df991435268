import { rollingCountPositive, rollingSum } from '../kernels/rolling.js';
import { nanArray, periodParam, type Indicator } from '../types.js';

/**
 * Chaikin money flow in [-1, 1]: `cmf_N` = sum(MFM V) / sum(V) over N bars with the money-flow multiplier
 * MFM = ((C - L) - (H - C))/(H - L) (0 on a bar with zero range); 0 when the window has no volume. Lookback N-1.
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
        const mfv = new Float64Array(len);
        for (let i = 0; i < len; i++) {
          const range = high[i] - low[i];
          mfv[i] = range > 0 ? ((close[i] - low[i] - (high[i] - close[i])) / range) * volume[i] : 0;
        }
        const num = rollingSum(mfv, n);
        const den = rollingSum(volume, n);
        const traded = rollingCountPositive(volume, n);
        const out = nanArray(len);
        for (let i = n - 1; i < len; i++) {
          const r = traded[i] > 0 && den[i] > 0 ? num[i] / den[i] : 0;
          out[i] = r > 1 ? 1 : r < -1 ? -1 : r;
        }
        return out;
      },
    },
  ],
};
