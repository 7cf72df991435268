import { sma, windowChanges } from '../kernels/rolling.js';
import { typicalPrice } from '../kernels/shared.js';
import { nanArray, periodParam, type Indicator } from '../types.js';

/**
 * Commodity channel index: `cci_N` = (TP - SMA_N(TP)) / (0.015 MAD_N), TP = (H+L+C)/3, MAD the mean absolute
 * deviation of the window's TP around the window's SMA. The MAD depends on the current mean, so it is not a
 * running sum: it is computed exactly by a tight O(N) inner loop over the typed array per row (O(n N) total,
 * no per-row allocation). 0 when the window is constant. Lookback N-1.
 */
export const cciIndicator: Indicator = {
  name: 'cci',
  families: [
    {
      prefix: 'cci',
      group: 'momentum',
      inputs: ['high', 'low', 'close'],
      params: [periodParam()],
      describe: ([n]) => `commodity channel index (TP - SMA${n}(TP))/(0.015 x mean absolute deviation of TP over ${n} bars), TP = (H+L+C)/3; 0 when the deviation is zero`,
      lookback: ([n]) => n - 1,
      compute: (ctx, [n]) => {
        const tp = typicalPrice(ctx);
        const mean = sma(tp, n);
        const changes = windowChanges(tp, n);
        const out = nanArray(tp.length, n - 1);
        for (let i = n - 1; i < tp.length; i++) {
          const m = mean[i];
          // two accumulators halve the add latency chain of this inner loop
          let d0 = 0;
          let d1 = 0;
          let j = i - n + 1;
          for (; j + 1 <= i; j += 2) {
            d0 += Math.abs(tp[j] - m);
            d1 += Math.abs(tp[j + 1] - m);
          }
          if (j <= i) d0 += Math.abs(tp[j] - m);
          const dev = (d0 + d1) / n;
          // a constant window (exact count) has no deviation, whatever residue the running mean carries
          out[i] = changes[i] > 0 && dev > 0 ? (tp[i] - m) / (0.015 * dev) : 0;
        }
        return out;
      },
    },
  ],
};
