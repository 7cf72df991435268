import { highestHigh, lowestLow } from '../kernels/shared.js';
import { nanArray, periodParam, type Indicator } from '../types.js';

/**
 * Donchian channels over N bars (current bar included): `dc_upper_N` = highest high, `dc_lower_N` = lowest low,
 * `dc_middle_N` = their mean (price units). Lookback N-1.
 */
export const donchianIndicator: Indicator = {
  name: 'donchian',
  families: [
    {
      prefix: 'dc_upper',
      group: 'volatility',
      inputs: ['high'],
      params: [periodParam()],
      describe: ([n]) => `Donchian upper channel: highest high over ${n} bars (price units)`,
      lookback: ([n]) => n - 1,
      compute: (ctx, [n]) => highestHigh(ctx, n),
    },
    {
      prefix: 'dc_lower',
      group: 'volatility',
      inputs: ['low'],
      params: [periodParam()],
      describe: ([n]) => `Donchian lower channel: lowest low over ${n} bars (price units)`,
      lookback: ([n]) => n - 1,
      compute: (ctx, [n]) => lowestLow(ctx, n),
    },
    {
      prefix: 'dc_middle',
      group: 'volatility',
      inputs: ['high', 'low'],
      params: [periodParam()],
      describe: ([n]) => `Donchian middle line (HH${n} + LL${n})/2 (price units)`,
      lookback: ([n]) => n - 1,
      compute: (ctx, [n]) => {
        const hh = highestHigh(ctx, n);
        const ll = lowestLow(ctx, n);
        const out = nanArray(hh.length, n - 1);
        for (let i = n - 1; i < out.length; i++) out[i] = (hh[i] + ll[i]) / 2;
        return out;
      },
    },
  ],
};
