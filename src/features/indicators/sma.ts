import { closeSma } from '../kernels/shared.js';
import { periodParam, type Indicator } from '../types.js';

/** Simple moving average of the close: `sma_N` (price units), lookback N-1. */
export const smaIndicator: Indicator = {
  name: 'sma',
  families: [
    {
      prefix: 'sma',
      group: 'trend',
      inputs: ['close'],
      params: [periodParam()],
      describe: ([n]) => `simple moving average of the close over ${n} bars (price units)`,
      lookback: ([n]) => n - 1,
      compute: (ctx, [n]) => closeSma(ctx, n),
    },
  ],
};
