import { rollingSumNonNegative } from '../kernels/rolling.js';
import { logPrice } from '../kernels/shared.js';
import { periodParam, type Indicator } from '../types.js';

/** Parkinson range volatility: `parkinson_N` = sqrt(sum ln(H/L)^2 / (4 N ln 2)) over N bars, per bar. Lookback N-1. */
export const parkinsonIndicator: Indicator = {
  name: 'parkinson',
  families: [
    {
      prefix: 'parkinson',
      group: 'volatility',
      inputs: ['high', 'low'],
      params: [periodParam()],
      describe: ([n]) => `Parkinson volatility sqrt(sum of ln(H/L)^2 over ${n} bars / (4 x ${n} x ln 2)) (per bar)`,
      lookback: ([n]) => n - 1,
      compute: (ctx, [n]) => {
        const lh = logPrice(ctx, 'high');
        const ll = logPrice(ctx, 'low');
        const sq = new Float64Array(lh.length);
        for (let i = 0; i < sq.length; i++) {
          const r = lh[i] - ll[i];
          sq[i] = r * r;
        }
        const out = rollingSumNonNegative(sq, n);
        const scale = 1 / (4 * n * Math.LN2);
        for (let i = n - 1; i < out.length; i++) out[i] = Math.sqrt(Math.max(out[i], 0) * scale);
        return out;
      },
    },
  ],
};
