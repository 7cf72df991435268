import { nanArray, periodParam, type Indicator } from '../types.js';
import { isRecomputeRow } from '../kernels/rolling.js';

/**
 * Chande momentum oscillator in its original form: `cmo_N` = 100 (Su - Sd) / (Su + Sd) where Su and Sd are the
 * plain sums of up and down close changes over the last N changes (TA-Lib smooths them like RSI instead;
 * TTR matches this form). In [-100, 100]; 0 when flat. Lookback N.
 */
export const cmoIndicator: Indicator = {
  name: 'cmo',
  families: [
    {
      prefix: 'cmo',
      group: 'momentum',
      inputs: ['close'],
      params: [periodParam()],
      describe: ([n]) => `Chande momentum oscillator 100 (Su - Sd)/(Su + Sd) over the last ${n} close changes (sums, not smoothed); 0 when flat (-100..100)`,
      lookback: ([n]) => n,
      compute: (ctx, [n]) => {
        const c = ctx.series.close;
        const len = c.length;
        const out = nanArray(len, n);
        let up = 0;
        let down = 0;
        let moves = 0; // changes in the window that are not zero (exact)
        for (let i = n; i < len; i++) {
          if (i === n || isRecomputeRow(i)) {
            up = 0;
            down = 0;
            moves = 0;
            for (let j = i - n + 1; j <= i; j++) {
              const d = c[j] - c[j - 1];
              if (d > 0) up += d;
              else down -= d;
              if (d !== 0) moves++;
            }
          } else {
            // (d + |d|)/2 and (|d| - d)/2 are exactly the up and down parts, without a branch per bar
            const d = c[i] - c[i - 1];
            const o = c[i - n] - c[i - n - 1];
            const ad = Math.abs(d);
            const ao = Math.abs(o);
            up += (ad + d) * 0.5 - (ao + o) * 0.5;
            down += (ad - d) * 0.5 - (ao - o) * 0.5;
            moves += (d !== 0 ? 1 : 0) - (o !== 0 ? 1 : 0);
          }
          // a flat window (exact count) is 0, whatever residue the running sums carry
          const u = up > 0 ? up : 0;
          const w = down > 0 ? down : 0;
          out[i] = moves > 0 && u + w > 0 ? (100 * (u - w)) / (u + w) : 0;
        }
        return out;
      },
    },
  ],
};
