import { isRecomputeRow } from '../kernels/rolling.js';
import { logPrice } from '../kernels/shared.js';
import { nanArray, periodParam, type Indicator } from '../types.js';

/**
 * Yang-Zhang volatility, per bar: `yang_zhang_N` = sqrt(s2o + k s2c + (1 - k) s2rs) with s2o the sample variance
 * of the overnight log returns ln(O/C_prev), s2c of the open-to-close log returns ln(C/O), s2rs the
 * Rogers-Satchell mean of ln(H/C) ln(H/O) + ln(L/C) ln(L/O), all over N bars, and k = 0.34 / (1.34 + (N+1)/(N-1))
 * (TTR's `calc = "yang.zhang"` with N = 1). Lookback N (the overnight return needs the previous close).
 *
 * One pass: shifted running sums for both variances and a running sum for the Rogers-Satchell terms, recomputed
 * on the fixed schedule, with exact counts that make constant windows exactly zero.
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
        const out = nanArray(len, n);
        const k = 0.34 / (1.34 + (n + 1) / (n - 1));
        const inv = 1 / n;
        const dof = 1 / (n - 1);
        const on = (j: number) => lo[j] - lc[j - 1]; // overnight, j >= 1
        const oc = (j: number) => lc[j] - lo[j]; // open to close
        const rs = (j: number) => {
          const t = (lh[j] - lc[j]) * (lh[j] - lo[j]) + (ll[j] - lc[j]) * (ll[j] - lo[j]);
          return t > 0 ? t : 0; // each product is >= 0 in exact arithmetic
        };
        let ko = 0;
        let kc = 0;
        let so1 = 0;
        let so2 = 0;
        let sc1 = 0;
        let sc2 = 0;
        let srs = 0;
        let changesO = 0; // consecutive differing pairs of each return series inside the window (exact)
        let changesC = 0;
        let nonZeroRs = 0;
        for (let i = n; i < len; i++) {
          if (i === n || isRecomputeRow(i)) {
            ko = on(i);
            kc = oc(i);
            so1 = so2 = sc1 = sc2 = srs = 0;
            changesO = changesC = nonZeroRs = 0;
            for (let j = i - n + 1; j <= i; j++) {
              const a = on(j) - ko;
              const b = oc(j) - kc;
              const r = rs(j);
              so1 += a;
              so2 += a * a;
              sc1 += b;
              sc2 += b * b;
              srs += r;
              if (r > 0) nonZeroRs++;
              if (j > i - n + 1) {
                if (on(j) !== on(j - 1)) changesO++;
                if (oc(j) !== oc(j - 1)) changesC++;
              }
            }
          } else {
            const a = on(i) - ko;
            const ao = on(i - n) - ko;
            const b = oc(i) - kc;
            const bo = oc(i - n) - kc;
            const r = rs(i);
            const ro = rs(i - n);
            so1 += a - ao;
            so2 += a * a - ao * ao;
            sc1 += b - bo;
            sc2 += b * b - bo * bo;
            srs += r - ro;
            nonZeroRs += (r > 0 ? 1 : 0) - (ro > 0 ? 1 : 0);
            changesO += (on(i) !== on(i - 1) ? 1 : 0) - (on(i - n + 1) !== on(i - n) ? 1 : 0);
            changesC += (oc(i) !== oc(i - 1) ? 1 : 0) - (oc(i - n + 1) !== oc(i - n) ? 1 : 0);
          }
          const vo = changesO === 0 ? 0 : Math.max((so2 - so1 * so1 * inv) * dof, 0);
          const vc = changesC === 0 ? 0 : Math.max((sc2 - sc1 * sc1 * inv) * dof, 0);
          const vrs = nonZeroRs === 0 ? 0 : Math.max(srs * inv, 0);
          out[i] = Math.sqrt(vo + k * vc + (1 - k) * vrs);
        }
        return out;
      },
    },
  ],
};
