import { rollingSumNonNegative, rollingVariance } from '../kernels/rolling.js';
import { logPrice } from '../kernels/shared.js';
import { nanArray, periodParam, type Indicator } from '../types.js';

/**
 * Yang-Zhang volatility, per bar: `yang_zhang_N` = sqrt(s2o + k s2c + (1 - k) s2rs) with s2o the sample variance
 * of the overnight log returns ln(O/C_prev), s2c of the open-to-close log returns ln(C/O), s2rs the
 * Rogers-Satchell mean of ln(H/C) ln(H/O) + ln(L/C) ln(L/O), all over N bars, and k = 0.34 / (1.34 + (N+1)/(N-1))
 * (TTR's `calc = "yang.zhang"` with N = 1). Lookback N (the overnight return needs the previous close).
 */
export const yangZhangIndicator: Indicator = {
  name: 'yang-zhang',
  families: [
    {
      prefix: 'yang_zhang',
      group: 'volatility',
      inputs: ['open', 'high', 'low', 'close'],
      params: [periodParam('period', 2)],
      describe: ([n]) => `Yang-Zhang volatility over ${n} bars: sqrt(s2(overnight) + k s2(open-to-close) + (1-k) Rogers-Satchell), k = 0.34/(1.34 + (${n}+1)/(${n}-1)) (per bar)`,
      lookback: ([n]) => n,
      compute: (ctx, [n]) => {
        const lo = logPrice(ctx, 'open');
        const lh = logPrice(ctx, 'high');
        const ll = logPrice(ctx, 'low');
        const lc = logPrice(ctx, 'close');
        const len = lc.length;
        const overnight = new Float64Array(len);
        const openClose = new Float64Array(len);
        const rs = new Float64Array(len);
        if (len > 0) overnight[0] = NaN;
        for (let i = 0; i < len; i++) {
          if (i > 0) overnight[i] = lo[i] - lc[i - 1];
          openClose[i] = lc[i] - lo[i];
          const t = (lh[i] - lc[i]) * (lh[i] - lo[i]) + (ll[i] - lc[i]) * (ll[i] - lo[i]);
          rs[i] = t > 0 ? t : 0; // each product is >= 0 in exact arithmetic
        }
        const s2o = rollingVariance(overnight, n, 1, 1);
        const s2c = rollingVariance(openClose, n, 1);
        const s2rs = rollingSumNonNegative(rs, n);
        const k = 0.34 / (1.34 + (n + 1) / (n - 1));
        const out = nanArray(len, n);
        for (let i = n; i < len; i++) {
          const v = s2o[i] + k * s2c[i] + ((1 - k) * Math.max(s2rs[i], 0)) / n;
          out[i] = Math.sqrt(v > 0 ? v : 0);
        }
        return out;
      },
    },
  ],
};
