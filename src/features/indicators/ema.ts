import { closeEma } from '../kernels/shared.js';
import { periodParam, type Indicator } from '../types.js';

/** Exponential moving average of the close: `ema_N` (alpha 2/(N+1), SMA-seeded; price units), lookback N-1. */
export const emaIndicator: Indicator = {
  name: 'ema',
  families: [
    {
      prefix: 'ema',
      group: 'trend',
      inputs: ['close'],
      params: [periodParam()],
      describe: ([n]) => `exponential moving average of the close, alpha 2/(${n}+1), seeded with the SMA of the first ${n} closes (price units)`,
      lookback: ([n]) => n - 1,
      compute: (ctx, [n]) => closeEma(ctx, n),
    },
  ],
};
