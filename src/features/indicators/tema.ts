import { closeEma, closeEma2, closeEma3 } from '../kernels/shared.js';
import { nanArray, periodParam, type Indicator } from '../types.js';

/** Triple EMA: `tema_N` = 3 E1 - 3 E2 + E3 (price units), lookback 3(N-1). */
export const temaIndicator: Indicator = {
  name: 'tema',
  families: [
    {
      prefix: 'tema',
      group: 'trend',
      inputs: ['close'],
      params: [periodParam()],
      describe: ([n]) => `triple exponential moving average 3 E1 - 3 E2 + E3 with E1 = EMA${n}(C), E2 = EMA${n}(E1), E3 = EMA${n}(E2) (price units)`,
      lookback: ([n]) => 3 * (n - 1),
      compute: (ctx, [n]) => {
        const e1 = closeEma(ctx, n);
        const e2 = closeEma2(ctx, n);
        const e3 = closeEma3(ctx, n);
        const out = nanArray(e1.length, 3 * (n - 1));
        for (let i = 3 * (n - 1); i < out.length; i++) out[i] = 3 * e1[i] - 3 * e2[i] + e3[i];
        return out;
      },
    },
  ],
};
