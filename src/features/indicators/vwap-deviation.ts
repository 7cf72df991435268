import { isRecomputeRow } from '../kernels/rolling.js';
import { typicalPrice } from '../kernels/shared.js';
import { nanArray, periodParam, type Indicator } from '../types.js';

/**
 * Deviation from the rolling VWAP: `vwapdev_N` = C / VWAP_N - 1 with VWAP_N = sum(TP V)/sum(V) over N bars,
 * TP = (H+L+C)/3 (fraction). Without volume in the window (exact count of traded bars) the VWAP falls back to the
 * mean TP. One pass over three running sums. Lookback N-1.
 */
export const vwapDeviationIndicator: Indicator = {
  name: 'vwap-deviation',
  families: [
    {
      prefix: 'vwapdev',
      group: 'volume',
      inputs: ['high', 'low', 'close', 'volume'],
      params: [periodParam()],
      describe: ([n]) => `deviation from the ${n}-bar rolling VWAP C / (sum(TP V)/sum(V)) - 1, TP = (H+L+C)/3; mean TP when there is no volume (fraction)`,
      lookback: ([n]) => n - 1,
      compute: (ctx, [n]) => {
        const tp = typicalPrice(ctx);
        const { close, volume } = ctx.series;
        const len = close.length;
        const out = nanArray(len, n - 1);
        let pv = 0;
        let vol = 0;
        let tps = 0;
        let traded = 0;
        for (let i = n - 1; i < len; i++) {
          if (i === n - 1 || isRecomputeRow(i)) {
            pv = vol = tps = 0;
            traded = 0;
            for (let j = i - n + 1; j <= i; j++) {
              pv += tp[j] * volume[j];
              vol += volume[j];
              tps += tp[j];
              if (volume[j] > 0) traded++;
            }
          } else {
            const o = i - n;
            pv += tp[i] * volume[i] - tp[o] * volume[o];
            vol += volume[i] - volume[o];
            tps += tp[i] - tp[o];
            traded += (volume[i] > 0 ? 1 : 0) - (volume[o] > 0 ? 1 : 0);
          }
          const vwap = traded > 0 && vol > 0 && pv > 0 ? pv / vol : tps / n;
          out[i] = close[i] / vwap - 1;
        }
        return out;
      },
    },
  ],
};
