import { closeEma, closeSma } from '../kernels/shared.js';
import { nanArray, periodParam, type ComputeContext, type FeatureFamily, type Indicator } from '../types.js';

type Ma = (ctx: ComputeContext, n: number) => Float64Array;
const averages: ReadonlyArray<readonly [string, string, Ma]> = [
  ['sma', 'SMA', closeSma],
  ['ema', 'EMA', closeEma],
];

function slope(kind: string, label: string, ma: Ma): FeatureFamily {
  return {
    prefix: `slope_${kind}`,
    group: 'trend',
    inputs: ['close'],
    params: [periodParam(), periodParam('bars')],
    describe: ([n, k]) => `slope of the ${label}${n} of the close over ${k} bars, ${label}_t / ${label}_(t-${k}) - 1 (fraction)`,
    lookback: ([n, k]) => n - 1 + k,
    compute: (ctx, [n, k]) => {
      const m = ma(ctx, n);
      const out = nanArray(m.length, n - 1 + k);
      for (let i = n - 1 + k; i < m.length; i++) out[i] = m[i] / m[i - k] - 1;
      return out;
    },
  };
}

function distance(kind: string, label: string, ma: Ma): FeatureFamily {
  return {
    prefix: `${kind}dist`,
    group: 'trend',
    inputs: ['close'],
    params: [periodParam()],
    describe: ([n]) => `distance of the close from its ${label}${n}, C / ${label}${n} - 1 (fraction)`,
    lookback: ([n]) => n - 1,
    compute: (ctx, [n]) => {
      const m = ma(ctx, n);
      const c = ctx.series.close;
      const out = nanArray(m.length, n - 1);
      for (let i = n - 1; i < m.length; i++) out[i] = c[i] / m[i] - 1;
      return out;
    },
  };
}

/**
 * Scale-free shape of moving averages: slopes `slope_sma_N_K`, `slope_ema_N_K` = MA_t / MA_(t-K) - 1
 * (lookback N-1+K) and distances `smadist_N`, `emadist_N` = C / MA_N - 1 (lookback N-1), fractions.
 */
export const maShapeIndicator: Indicator = {
  name: 'ma-shape',
  families: [...averages.map(([k, l, f]) => slope(k, l, f)), ...averages.map(([k, l, f]) => distance(k, l, f))],
};
