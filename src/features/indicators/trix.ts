import { closeEma3 } from '../kernels/shared.js';
import { nanArray, periodParam, type Indicator } from '../types.js';

/** TRIX: `trix_N` = one-bar rate of change of the triple EMA, as a fraction (TA-Lib gives percent), lookback 3(N-1)+1. */
export const trixIndicator: Indicator = {
  name: 'trix',
  families: [
    {
      prefix: 'trix',
      group: 'trend',
      inputs: ['close'],
      params: [periodParam()],
      describe: ([n]) => `one-bar rate of change of EMA${n}(EMA${n}(EMA${n}(C))), E3_t / E3_(t-1) - 1 (fraction)`,
      lookback: ([n]) => 3 * (n - 1) + 1,
      compute: (ctx, [n]) => {
        const e3 = closeEma3(ctx, n);
        const out = nanArray(e3.length, 3 * (n - 1) + 1);
        for (let i = 3 * (n - 1) + 1; i < out.length; i++) out[i] = e3[i] / e3[i - 1] - 1;
        return out;
      },
    },
  ],
};
