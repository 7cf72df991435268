import { rollingStd } from '../kernels/rolling.js';
import { logReturn1 } from '../kernels/shared.js';
import { periodParam, type Indicator } from '../types.js';

/**
 * Close-to-close volatility: `vol_N` = sample standard deviation (N-1 denominator) of the last N one-bar log
 * returns, per bar (not annualised). Equals TTR's `volatility(calc = "close", n = N + 1, N = 1)`. Lookback N.
 */
export const volatilityIndicator: Indicator = {
  name: 'volatility',
  families: [
    {
      prefix: 'vol',
      group: 'volatility',
      inputs: ['close'],
      params: [periodParam('period', 2)],
      describe: ([n]) => `sample standard deviation of the last ${n} one-bar log returns ln(C_t/C_(t-1)) (per bar, not annualised)`,
      lookback: ([n]) => n,
      compute: (ctx, [n]) => ctx.memo(`vol:${n}`, () => rollingStd(logReturn1(ctx), n, 1, 1)),
    },
  ],
};
