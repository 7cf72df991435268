import { wma } from '../kernels/rolling.js';
import { periodParam, type Indicator } from '../types.js';

/** Linearly weighted moving average of the close: `wma_N` (weights 1..N, newest heaviest), lookback N-1. */
export const wmaIndicator: Indicator = {
  name: 'wma',
  families: [
    {
      prefix: 'wma',
      group: 'trend',
      inputs: ['close'],
      params: [periodParam()],
      describe: ([n]) => `linearly weighted moving average of the close over ${n} bars, weights 1..${n} newest heaviest (price units)`,
      lookback: ([n]) => n - 1,
      compute: (ctx, [n]) => ctx.memo(`wma:close:${n}`, () => wma(ctx.series.close, n)),
    },
  ],
};
