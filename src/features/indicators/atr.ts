import { averageTrueRange } from '../kernels/shared.js';
import { nanArray, periodParam, type Indicator } from '../types.js';

/**
 * Average true range: `atr_N` = Wilder-smoothed true range (TR uses the previous close, so bar 0 has none;
 * seeded with the mean TR of bars 1..N), price units, lookback N. `natr_N` = ATR / C (fraction; TA-Lib's NATR
 * is in percent), lookback N.
 */
export const atrIndicator: Indicator = {
  name: 'atr',
  families: [
    {
      prefix: 'atr',
      group: 'volatility',
      inputs: ['high', 'low', 'close'],
      params: [periodParam()],
      describe: ([n]) => `average true range: Wilder smoothing over ${n} bars of max(H, C_prev) - min(L, C_prev) (price units)`,
      lookback: ([n]) => n,
      compute: (ctx, [n]) => averageTrueRange(ctx, n),
    },
    {
      prefix: 'natr',
      group: 'volatility',
      inputs: ['high', 'low', 'close'],
      params: [periodParam()],
      describe: ([n]) => `normalised average true range ATR${n} / C (fraction)`,
      lookback: ([n]) => n,
      compute: (ctx, [n]) => {
        const atr = averageTrueRange(ctx, n);
        const c = ctx.series.close;
        const out = nanArray(c.length, n);
        for (let i = n; i < c.length; i++) out[i] = atr[i] / c[i];
        return out;
      },
    },
  ],
};
