import { rollingCountPositive, rollingSum } from '../kernels/rolling.js';
import { typicalPrice } from '../kernels/shared.js';
import { nanArray, periodParam, type Indicator } from '../types.js';

/**
 * Deviation from the rolling VWAP: `vwapdev_N` = C / VWAP_N - 1 with VWAP_N = sum(TP V)/sum(V) over N bars,
 * TP = (H+L+C)/3 (fraction). Without volume in the window the VWAP falls back to the mean TP. Lookback N-1.
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
        const pv = new Float64Array(len);
        for (let i = 0; i < len; i++) pv[i] = tp[i] * volume[i];
        const num = rollingSum(pv, n);
        const den = rollingSum(volume, n);
        const tpSum = rollingSum(tp, n);
        const traded = rollingCountPositive(volume, n);
        const out = nanArray(len);
        for (let i = n - 1; i < len; i++) {
          const vwap = traded[i] > 0 && den[i] > 0 && num[i] > 0 ? num[i] / den[i] : tpSum[i] / n;
          out[i] = close[i] / vwap - 1;
        }
        return out;
      },
    },
  ],
};
