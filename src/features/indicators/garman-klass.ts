import { rollingSumNonNegative } from '../kernels/rolling.js';
import { logPrice } from '../kernels/shared.js';
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
        const lo = logPrice(ctx, 'open');
        const lh = logPrice(ctx, 'high');
        const ll = logPrice(ctx, 'low');
        const lc = logPrice(ctx, 'close');
        const terms = new Float64Array(lc.length);
        const k = 2 * Math.LN2 - 1;
        for (let i = 0; i < terms.length; i++) {
          const hl = lh[i] - ll[i];
          const co = lc[i] - lo[i];
          const t = 0.5 * hl * hl - k * co * co;
          terms[i] = t > 0 ? t : 0; // >= 0 in exact arithmetic since |ln(C/O)| <= ln(H/L)
        }
        const out = rollingSumNonNegative(terms, n);
        const inv = 1 / n;
        for (let i = n - 1; i < out.length; i++) out[i] = Math.sqrt(out[i] * inv);
        return out;
      },
    },
  ],
};
