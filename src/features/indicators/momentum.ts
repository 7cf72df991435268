import { nanArray, periodParam, type Indicator } from '../types.js';

/** Momentum: `mom_N` = C_t - C_(t-N) (price units, as TA-Lib's MOM). Lookback N. */
export const momentumIndicator: Indicator = {
  name: 'momentum',
  families: [
    {
      prefix: 'mom',
      group: 'momentum',
      inputs: ['close'],
      params: [periodParam()],
      describe: ([n]) => `momentum C_t - C_(t-${n}) (price units)`,
      lookback: ([n]) => n,
      compute: (ctx, [n]) => {
        const c = ctx.series.close;
        const out = nanArray(c.length, n);
        for (let i = n; i < c.length; i++) out[i] = c[i] - c[i - n];
        return out;
      },
    },
  ],
};
