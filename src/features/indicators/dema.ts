import { closeEma, closeEma2 } from '../kernels/shared.js';
import { nanArray, periodParam, type Indicator } from '../types.js';

/** Double EMA: `dema_N` = 2 EMA(C) - EMA(EMA(C)) (price units), lookback 2(N-1). */
export const demaIndicator: Indicator = {
  name: 'dema',
  families: [
    {
      prefix: 'dema',
      group: 'trend',
      inputs: ['close'],
      params: [periodParam()],
      describe: ([n]) => `double exponential moving average 2 EMA${n}(C) - EMA${n}(EMA${n}(C)) (price units)`,
      lookback: ([n]) => 2 * (n - 1),
      compute: (ctx, [n]) => {
        const e1 = closeEma(ctx, n);
        const e2 = closeEma2(ctx, n);
        const out = nanArray(e1.length, 2 * (n - 1));
        for (let i = 2 * (n - 1); i < out.length; i++) out[i] = 2 * e1[i] - e2[i];
        return out;
      },
    },
  ],
};
