import { nanArray, periodParam, type Indicator } from '../types.js';

/**
 * Wilder's RSI: `rsi_N` in [0, 100]. The first average gain and loss are simple means of the first N close
 * changes, then Wilder smoothing (alpha 1/N). A window with neither gains nor losses (flat prices) gives 50.
 * Lookback N.
 */
export const rsiIndicator: Indicator = {
  name: 'rsi',
  families: [
    {
      prefix: 'rsi',
      group: 'momentum',
      inputs: ['close'],
      params: [periodParam()],
      describe: ([n]) => `Wilder's relative strength index over ${n} close changes, 100 - 100/(1 + avg gain/avg loss); 50 when flat (0-100)`,
      lookback: ([n]) => n,
      compute: (ctx, [n]) =>
        ctx.memo(`rsi:${n}`, () => {
          const c = ctx.series.close;
          const len = c.length;
          const out = nanArray(len, n);
          if (n >= len) return out;
          let gain = 0;
          let loss = 0;
          for (let i = 1; i <= n; i++) {
            const d = c[i] - c[i - 1];
            if (d > 0) gain += d;
            else loss -= d;
          }
          gain /= n;
          loss /= n;
          const m = n - 1;
          const inv = 1 / n;
          let total = gain + loss;
          out[n] = total > 0 ? (100 * gain) / total : 50;
          for (let i = n + 1; i < len; i++) {
            const d = c[i] - c[i - 1];
            const a = Math.abs(d);
            // (d + |d|)/2 and (|d| - d)/2 are exactly max(d, 0) and max(-d, 0), without a branch per bar
            gain = (gain * m + (a + d) * 0.5) * inv;
            loss = (loss * m + (a - d) * 0.5) * inv;
            total = gain + loss;
            out[i] = total > 0 ? (100 * gain) / total : 50;
          }
          return out;
        }),
    },
  ],
};
