import { closeSma, closeStd } from '../kernels/shared.js';
import { multiplierParam, nanArray, periodParam, type ComputeContext, type FeatureFamily, type Indicator } from '../types.js';

type Band = (mid: number, sd: number, k: number, close: number) => number;

function band(prefix: string, text: (n: number, k: number) => string, f: Band): FeatureFamily {
  return {
    prefix,
    group: 'volatility',
    inputs: ['close'],
    params: [periodParam(), multiplierParam()],
    describe: ([n, k]) => text(n, k),
    lookback: ([n]) => n - 1,
    compute: (ctx: ComputeContext, [n, k]) => {
      const mid = closeSma(ctx, n);
      const sd = closeStd(ctx, n);
      const c = ctx.series.close;
      const out = nanArray(c.length, n - 1);
      for (let i = n - 1; i < c.length; i++) out[i] = f(mid[i], sd[i], k, c[i]);
      return out;
    },
  };
}

/**
 * Bollinger Bands on the close with population standard deviations: `bb_middle_N` = SMA_N,
 * `bb_upper_N_K` / `bb_lower_N_K` = SMA_N +- K sd_N (price units), `bb_pctb_N_K` = (C - lower)/(upper - lower)
 * (0.5 when the bands have zero width), `bb_width_N_K` = (upper - lower)/middle (fraction). Lookback N-1.
 */
export const bollingerIndicator: Indicator = {
  name: 'bollinger',
  families: [
    {
      prefix: 'bb_middle',
      group: 'volatility',
      inputs: ['close'],
      params: [periodParam()],
      describe: ([n]) => `Bollinger middle band: SMA${n} of the close (price units)`,
      lookback: ([n]) => n - 1,
      compute: (ctx, [n]) => closeSma(ctx, n),
    },
    band('bb_upper', (n, k) => `Bollinger upper band SMA${n}(C) + ${k} population standard deviations of C over ${n} bars (price units)`, (m, sd, k) => m + k * sd),
    band('bb_lower', (n, k) => `Bollinger lower band SMA${n}(C) - ${k} population standard deviations of C over ${n} bars (price units)`, (m, sd, k) => m - k * sd),
    band(
      'bb_pctb',
      (n, k) => `Bollinger %B (C - lower)/(upper - lower) for bands SMA${n} +- ${k} sd; 0.5 when the bands have zero width`,
      (m, sd, k, c) => (k * sd > 0 ? (c - (m - k * sd)) / (2 * k * sd) : 0.5),
    ),
    band('bb_width', (n, k) => `Bollinger band width (upper - lower)/middle for bands SMA${n} +- ${k} sd (fraction)`, (m, sd, k) => (2 * k * sd) / m),
  ],
};
