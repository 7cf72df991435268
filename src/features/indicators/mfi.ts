import { isRecomputeRow } from '../kernels/rolling.js';
import { roundedTypicalPrice, typicalPrice } from '../kernels/shared.js';
import { nanArray, periodParam, type Indicator } from '../types.js';

/**
 * Money flow index in [0, 100]: over the last N bars, positive flow sums TP V on bars whose typical price rose,
 * negative flow on bars where it fell (unchanged bars count in neither); MFI = 100 pos/(pos + neg), 50 when both
 * are zero (no volume or flat). Lookback N.
 *
 * Rose, fell or unchanged compares typical prices rounded once from the exact H + L + C, as R's TTR does (its
 * mean sums in extended precision): `(H + L + C) / 3` in doubles can put two bars whose means are the same double
 * an ulp or two apart (common with prices on a tick), and one such false move changes the next N values by
 * several points.
 */
export const mfiIndicator: Indicator = {
  name: 'mfi',
  families: [
    {
      prefix: 'mfi',
      group: 'volume',
      inputs: ['high', 'low', 'close', 'volume'],
      params: [periodParam()],
      describe: ([n]) => `money flow index 100 x positive/(positive + negative) money flow TP x V over ${n} bars, TP = (H+L+C)/3; 50 when there is no flow (0-100)`,
      lookback: ([n]) => n,
      compute: (ctx, [n]) => {
        const tp = typicalPrice(ctx);
        const moved = roundedTypicalPrice(ctx);
        const v = ctx.series.volume;
        const len = tp.length;
        const out = nanArray(len, n);
        // flow of bar j >= 1 on each side: TP V when the typical price rose (fell), else 0
        const up = (j: number) => (moved[j] > moved[j - 1] ? tp[j] * v[j] : 0);
        const down = (j: number) => (moved[j] < moved[j - 1] ? tp[j] * v[j] : 0);
        let sp = 0;
        let sn = 0;
        // exact counts of non-zero flows in the window: a side with none is exactly 0, whatever rounding
        // residue the running sum carries
        let cp = 0;
        let cn = 0;
        for (let i = n; i < len; i++) {
          if (i === n || isRecomputeRow(i)) {
            sp = sn = 0;
            cp = cn = 0;
            for (let j = i - n + 1; j <= i; j++) {
              const p = up(j);
              const q = down(j);
              sp += p;
              sn += q;
              if (p > 0) cp++;
              if (q > 0) cn++;
            }
          } else {
            const p = up(i);
            const q = down(i);
            const po = up(i - n);
            const qo = down(i - n);
            sp += p - po;
            sn += q - qo;
            cp += (p > 0 ? 1 : 0) - (po > 0 ? 1 : 0);
            cn += (q > 0 ? 1 : 0) - (qo > 0 ? 1 : 0);
          }
          const p = cp > 0 && sp > 0 ? sp : 0;
          const q = cn > 0 && sn > 0 ? sn : 0;
          out[i] = p + q > 0 ? (100 * p) / (p + q) : 50;
        }
        return out;
      },
    },
  ],
};
