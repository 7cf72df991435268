import { sma } from '../kernels/rolling.js';
import { highestHigh, lowestLow } from '../kernels/shared.js';
import { nanArray, periodParam, type ComputeContext, type Indicator } from '../types.js';

function fastK(ctx: ComputeContext, n: number): Float64Array {
  return ctx.memo(`stochk:${n}`, () => {
    const c = ctx.series.close;
    const hh = highestHigh(ctx, n);
    const ll = lowestLow(ctx, n);
    const out = nanArray(c.length, n - 1);
    for (let i = n - 1; i < c.length; i++) {
      const range = hh[i] - ll[i];
      out[i] = range > 0 ? (100 * (c[i] - ll[i])) / range : 50;
    }
    return out;
  });
}

/**
 * Fast stochastic oscillator in [0, 100]: `stoch_k_N` = 100 (C - LL_N)/(HH_N - LL_N) (lookback N-1; 50 when the
 * range is zero), `stoch_d_N_M` = SMA_M of %K (lookback N+M-2).
 */
export const stochasticIndicator: Indicator = {
  name: 'stochastic',
  families: [
    {
      prefix: 'stoch_k',
      group: 'momentum',
      inputs: ['high', 'low', 'close'],
      params: [periodParam()],
      describe: ([n]) => `fast stochastic %K 100 (C - LL${n})/(HH${n} - LL${n}); 50 when the ${n}-bar range is zero (0-100)`,
      lookback: ([n]) => n - 1,
      compute: (ctx, [n]) => fastK(ctx, n),
    },
    {
      prefix: 'stoch_d',
      group: 'momentum',
      inputs: ['high', 'low', 'close'],
      params: [periodParam(), periodParam('smooth')],
      describe: ([n, m]) => `stochastic %D: SMA${m} of %K(${n}) (0-100)`,
      lookback: ([n, m]) => n + m - 2,
      compute: (ctx, [n, m]) => sma(fastK(ctx, n), m, n - 1),
    },
  ],
};
