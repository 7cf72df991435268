import { closeSma, closeStd } from '../kernels/shared.js';
import { nanArray, periodParam, type Indicator } from '../types.js';

/**
 * Z-score of the close: `zscore_N` = (C - SMA_N)/sd_N with the population standard deviation (as Bollinger);
 * 0 when the window is flat. Lookback N-1.
 */
export const zscoreIndicator: Indicator = {
  name: 'zscore',
  families: [
    {
      prefix: 'zscore',
      group: 'returns',
      inputs: ['close'],
      params: [periodParam('period', 2)],
      describe: ([n]) => `z-score of the close (C - SMA${n})/sd${n}, population standard deviation; 0 when flat`,
      lookback: ([n]) => n - 1,
      compute: (ctx, [n]) => {
        const c = ctx.series.close;
        const m = closeSma(ctx, n);
        const sd = closeStd(ctx, n);
        const out = nanArray(c.length, n - 1);
        for (let i = n - 1; i < c.length; i++) out[i] = sd[i] > 0 ? (c[i] - m[i]) / sd[i] : 0;
        return out;
      },
    },
  ],
};
