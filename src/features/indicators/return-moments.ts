import { rollingSkewKurt } from '../kernels/rolling.js';
import { logReturn1 } from '../kernels/shared.js';
import { periodParam, type ComputeContext, type Indicator } from '../types.js';

/** Skewness and kurtosis of the returns come from one pass; each is memoised under its own key. */
function shape(ctx: ComputeContext, n: number, kind: 'skew' | 'kurt'): Float64Array {
  let pass: { skew: Float64Array; kurt: Float64Array } | undefined;
  const run = () => (pass ??= rollingSkewKurt(logReturn1(ctx), n, 1));
  const skew = ctx.memo(`skew:${n}`, () => run().skew);
  const kurt = ctx.memo(`kurt:${n}`, () => run().kurt);
  return kind === 'skew' ? skew : kurt;
}

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
      compute: (ctx, [n]) => shape(ctx, n, 'skew'),
    },
    {
      prefix: 'kurt',
      group: 'returns',
      inputs: ['close'],
      params: [periodParam('period', 4)],
      describe: ([n]) => `excess kurtosis m4/m2^2 - 3 of the last ${n} one-bar log returns (population moments); 0 when constant`,
      lookback: ([n]) => n,
      compute: (ctx, [n]) => shape(ctx, n, 'kurt'),
    },
  ],
};
