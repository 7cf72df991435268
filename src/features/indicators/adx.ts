import { nanArray, periodParam, type ComputeContext, type Indicator } from '../types.js';

interface Dmi {
  plus: Float64Array;
  minus: Float64Array;
  adx: Float64Array;
}

/**
 * Wilder's directional movement system, TA-Lib convention. From bar 1: +DM = H - H_prev when it exceeds
 * L_prev - L and is positive, -DM symmetrically, TR the true range. The first smoothed sums are plain sums of
 * bars 1..N (at bar N), then S = S - S/N + x. DI = 100 sDM/sTR (0 when sTR is 0), DX = 100 |DI+ - DI-|/(DI+ + DI-)
 * (0 when both are 0), ADX = mean of the first N DX values (at bar 2N-1), then Wilder smoothing.
 */
function dmi(ctx: ComputeContext, n: number): Dmi {
  // the three columns come out of one pass; each is memoised under its own key
  let pass: Dmi | undefined;
  const run = (): Dmi => (pass ??= computeDmi(ctx, n));
  return {
    plus: ctx.memo(`dmi:${n}:plus`, () => run().plus),
    minus: ctx.memo(`dmi:${n}:minus`, () => run().minus),
    adx: ctx.memo(`dmi:${n}:adx`, () => run().adx),
  };
}

function computeDmi(ctx: ComputeContext, n: number): Dmi {
  const { high, low, close } = ctx.series;
  const len = close.length;
  const plus = nanArray(len, n);
  const minus = nanArray(len, n);
  const adx = nanArray(len, 2 * n - 1);
  if (n >= len) return { plus, minus, adx };
  let sp = 0;
  let sm = 0;
  let st = 0;
  let adxSum = 0;
  let adxValue = 0;
  for (let i = 1; i < len; i++) {
    const up = high[i] - high[i - 1];
    const dn = low[i - 1] - low[i];
    const pdm = up > 0 && up > dn ? up : 0;
    const mdm = dn > 0 && dn > up ? dn : 0;
    const pc = close[i - 1];
    const tr = (high[i] > pc ? high[i] : pc) - (low[i] < pc ? low[i] : pc);
    if (i <= n) {
      sp += pdm;
      sm += mdm;
      st += tr;
      if (i < n) continue;
    } else {
      sp = sp - sp / n + pdm;
      sm = sm - sm / n + mdm;
      st = st - st / n + tr;
    }
    const dip = st > 0 ? (100 * sp) / st : 0;
    const dim = st > 0 ? (100 * sm) / st : 0;
    plus[i] = dip;
    minus[i] = dim;
    const sum = dip + dim;
    const dx = sum > 0 ? (100 * Math.abs(dip - dim)) / sum : 0;
    if (i < 2 * n - 1) {
      adxSum += dx;
    } else if (i === 2 * n - 1) {
      adxSum += dx;
      adxValue = adxSum / n;
      adx[i] = adxValue;
    } else {
      adxValue = (adxValue * (n - 1) + dx) / n;
      adx[i] = adxValue;
    }
  }
  return { plus, minus, adx };
}

/** Wilder's DMI: `adx_N` (0-100, lookback 2N-1), `di_plus_N` and `di_minus_N` (0-100, lookback N). */
export const adxIndicator: Indicator = {
  name: 'adx',
  families: [
    {
      prefix: 'adx',
      group: 'trend',
      inputs: ['high', 'low', 'close'],
      params: [periodParam()],
      describe: ([n]) => `Wilder's average directional index over ${n} bars (0-100)`,
      lookback: ([n]) => 2 * n - 1,
      compute: (ctx, [n]) => dmi(ctx, n).adx,
    },
    {
      prefix: 'di_plus',
      group: 'trend',
      inputs: ['high', 'low', 'close'],
      params: [periodParam()],
      describe: ([n]) => `Wilder's plus directional indicator 100 sDM+/sTR over ${n} bars (0-100)`,
      lookback: ([n]) => n,
      compute: (ctx, [n]) => dmi(ctx, n).plus,
    },
    {
      prefix: 'di_minus',
      group: 'trend',
      inputs: ['high', 'low', 'close'],
      params: [periodParam()],
      describe: ([n]) => `Wilder's minus directional indicator 100 sDM-/sTR over ${n} bars (0-100)`,
      lookback: ([n]) => n,
      compute: (ctx, [n]) => dmi(ctx, n).minus,
    },
  ],
};
