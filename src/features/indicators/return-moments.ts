import { rollingShape } from '../kernels/rolling.js';
import { logReturn1 } from '../kernels/shared.js';
import { periodParam, type Indicator } from '../types.js';

/**
 * Rolling shape of one-bar log returns over N bars, population moments: `skew_N` = m3/m2^1.5 and `kurt_N` =
 * m4/m2^2 - 3 (excess kurtosis); 0 when the returns are constant. Lookback N.
 */
export const returnMomentsIndicator: Indicator = {
  name: 'return-moments',
  families: [
    {
      prefix: 'skew',
      group: 'returns',
      inputs: ['close'],
      params: [periodParam('period', 3)],
      describe: ([n]) => `skewness m3/m2^1.5 of the last ${n} one-bar log returns (population moments); 0 when constant`,
      lookback: ([n]) => n,
      compute: (ctx, [n]) => rollingShape(logReturn1(ctx), n, 'skew', 1),
    },
    {
      prefix: 'kurt',
      group: 'returns',
      inputs: ['close'],
      params: [periodParam('period', 4)],
      describe: ([n]) => `excess kurtosis m4/m2^2 - 3 of the last ${n} one-bar log returns (population moments); 0 when constant`,
      lookback: ([n]) => n,
      compute: (ctx, [n]) => rollingShape(logReturn1(ctx), n, 'kurt', 1),
    },
  ],
};
