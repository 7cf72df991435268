import { nanArray, periodParam, type Indicator } from '../types.js';

/** Rate of change: `roc_N` = C_t / C_(t-N) - 1 (fraction; TA-Lib's ROC is in percent). Lookback N. */
export const rocIndicator: Indicator = {
  name: 'roc',
  families: [
    {
      prefix: 'roc',
      group: 'momentum',
      inputs: ['close'],
      params: [periodParam()],
      describe: ([n]) => `rate of change C_t / C_(t-${n}) - 1 (fraction)`,
      lookback: ([n]) => n,
      compute: (ctx, [n]) => {
        const c = ctx.series.close;
        const out = nanArray(c.length, n);
        for (let i = n; i < c.length; i++) out[i] = c[i] / c[i - n] - 1;
        return out;
      },
    },
  ],
};
