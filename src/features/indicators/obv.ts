import { nanArray, type Indicator } from '../types.js';

/**
 * On-balance volume: `obv` starts at the first bar's volume and adds +V when the close rises, -V when it falls,
 * nothing when unchanged (TA-Lib convention; volume units, cumulative, so its level depends on where the series
 * starts). Lookback 0.
 */
export const obvIndicator: Indicator = {
  name: 'obv',
  families: [
    {
      prefix: 'obv',
      group: 'volume',
      inputs: ['close', 'volume'],
      params: [],
      describe: () => 'on-balance volume: V_0, then + V on up closes and - V on down closes (volume units, cumulative)',
      lookback: () => 0,
      compute: (ctx) => {
        const { close, volume } = ctx.series;
        const out = nanArray(close.length, 0);
        if (close.length === 0) return out;
        let v = volume[0];
        out[0] = v;
        let prev = close[0];
        for (let i = 1; i < close.length; i++) {
          const x = close[i];
          // +1, -1 or 0 from two comparisons turned into numbers: no branch per bar (closes rise and fall at random,
          // so Math.sign's branches mispredict about every other bar), and sign(d) V stays exactly +V, -V or 0
          v += (+(x > prev) - +(x < prev)) * volume[i];
          prev = x;
          out[i] = v;
        }
        return out;
      },
    },
  ],
};
