import { rollingCo } from '../kernels/rolling.js';
import { periodParam, type Indicator } from '../types.js';

/**
 * Price-volume correlation: `pvcorr_N` = Pearson correlation of the close and the volume over N bars (-1..1);
 * 0 when either is constant over the window. Lookback N-1.
 */
export const priceVolumeCorrelationIndicator: Indicator = {
  name: 'price-volume-correlation',
  families: [
    {
      prefix: 'pvcorr',
      group: 'volume',
      inputs: ['close', 'volume'],
      params: [periodParam('period', 2)],
      describe: ([n]) => `Pearson correlation of close and volume over ${n} bars; 0 when either is constant (-1..1)`,
      lookback: ([n]) => n - 1,
      compute: (ctx, [n]) => rollingCo(ctx.series.close, ctx.series.volume, n, 'corr'),
    },
  ],
};
