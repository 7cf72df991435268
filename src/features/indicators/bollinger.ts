import { closeSma, closeStd } from '../kernels/shared.js';
import { multiplierParam, nanArray, periodParam, type ComputeContext, type FeatureFamily, type Indicator } from '../types.js';

type Band = 'upper' | 'lower' | 'pctb' | 'width';

/** One band column; a plain loop per kind (no per-row callback, so each loop stays monomorphic and inlined). */
function bandColumn(ctx: ComputeContext, n: number, k: number, kind: Band): Float64Array {
  const mid = closeSma(ctx, n);
  const sd = closeStd(ctx, n);
  const c = ctx.series.close;
  const len = c.length;
  const out = nanArray(len, n - 1);
  switch (kind) {
    case 'upper':
      for (let i = n - 1; i < len; i++) out[i] = mid[i] + k * sd[i];
      break;
    case 'lower':
      for (let i = n - 1; i < len; i++) out[i] = mid[i] - k * sd[i];
      break;
    case 'pctb':
      for (let i = n - 1; i < len; i++) {
        const half = k * sd[i];
        out[i] = half > 0 ? (c[i] - (mid[i] - half)) / (2 * half) : 0.5;
      }
      break;
    case 'width':
      for (let i = n - 1; i < len; i++) out[i] = (2 * k * sd[i]) / mid[i];
      break;
  }
  return out;
}

const texts: Record<Band, (n: number, k: number) => string> = {
  upper: (n, k) => `Bollinger upper band SMA${n}(C) + ${k} population standard deviations of C over ${n} bars (price units)`,
  lower: (n, k) => `Bollinger lower band SMA${n}(C) - ${k} population standard deviations of C over ${n} bars (price units)`,
  pctb: (n, k) => `Bollinger %B (C - lower)/(upper - lower) for bands SMA${n} +- ${k} sd; 0.5 when the bands have zero width`,
  width: (n, k) => `Bollinger band width (upper - lower)/middle for bands SMA${n} +- ${k} sd (fraction)`,
};

function band(kind: Band): FeatureFamily {
  return {
    prefix: `bb_${kind}`,
    group: 'volatility',
    inputs: ['close'],
    params: [periodParam(), multiplierParam()],
    describe: ([n, k]) => texts[kind](n, k),
    lookback: ([n]) => n - 1,
    compute: (ctx, [n, k]) => bandColumn(ctx, n, k, kind),
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
    band('upper'),
    band('lower'),
    band('pctb'),
    band('width'),
  ],
};
