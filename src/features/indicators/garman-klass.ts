import { rollingSumNonNegative } from '../kernels/rolling.js';
import { periodParam, type Indicator } from '../types.js';

/**
 * Garman-Klass volatility: `garman_klass_N` = sqrt(mean over N bars of 0.5 ln(H/L)^2 - (2 ln 2 - 1) ln(C/O)^2),
 * per bar (TTR's `calc = "garman.klass"` with N = 1). Lookback N-1.
 */
export const garmanKlassIndicator: Indicator = {
  name: 'garman-klass',
  families: [
    {
      prefix: 'garman_klass',
      group: 'volatility',
      inputs: ['open', 'high', 'low', 'close'],
      params: [periodParam()],
      describe: ([n]) => `Garman-Klass volatility sqrt(mean over ${n} bars of 0.5 ln(H/L)^2 - (2 ln 2 - 1) ln(C/O)^2) (per bar)`,
      lookback: ([n]) => n - 1,
      compute: (ctx, [n]) => {
        const { open, high, low, close } = ctx.series;
        const terms = new Float64Array(close.length);
        const k = 2 * Math.LN2 - 1;
        for (let i = 0; i < terms.length; i++) {
          const hl = Math.log(high[i] / low[i]);
          const co = Math.log(close[i] / open[i]);
          terms[i] = 0.5 * hl * hl - k * co * co;
        }
        const out = rollingSumNonNegative(terms, n);
        for (let i = n - 1; i < out.length; i++) out[i] = Math.sqrt(Math.max(out[i] / n, 0));
        return out;
      },
    },
  ],
};
