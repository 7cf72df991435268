import { ema } from '../kernels/rolling.js';
import { nanArray, periodParam, type ComputeContext, type Indicator } from '../types.js';

/**
 * The MACD line in one pass: both EMAs are advanced inline (same seeding and update as the `ema` kernel, so the
 * values equal EMA_F - EMA_S of the `ema_N` features) without materialising them as columns.
 */
function macdLine(ctx: ComputeContext, fast: number, slow: number): Float64Array {
  return ctx.memo(`macd:${fast}:${slow}`, () => {
    const c = ctx.series.close;
    const len = c.length;
    const first = Math.max(fast, slow) - 1;
    const out = nanArray(len, first);
    const af = 2 / (fast + 1);
    const as = 2 / (slow + 1);
    const bf = 1 - af;
    const bs = 1 - as;
    let sumF = 0;
    let sumS = 0;
    let ef = 0;
    let es = 0;
    for (let i = 0; i < len; i++) {
      const x = c[i];
      if (i < fast) {
        sumF += x;
        if (i === fast - 1) ef = sumF / fast;
      } else {
        ef = bf * ef + af * x;
      }
      if (i < slow) {
        sumS += x;
        if (i === slow - 1) es = sumS / slow;
      } else {
        es = bs * es + as * x;
      }
      if (i >= first) out[i] = ef - es;
    }
    return out;
  });
}

function signalLine(ctx: ComputeContext, fast: number, slow: number, signal: number): Float64Array {
  return ctx.memo(`macdsig:${fast}:${slow}:${signal}`, () =>
    ema(macdLine(ctx, fast, slow), signal, Math.max(fast, slow) - 1),
  );
}

const fastSlow = [periodParam('fast'), periodParam('slow')];

/**
 * MACD (price units): `macd_F_S` = EMA_F(C) - EMA_S(C) with each EMA seeded by its own SMA (lookback S-1);
 * `macd_signal_F_S_G` = EMA_G of the MACD line (lookback S+G-2); `macd_hist_F_S_G` = MACD - signal.
 */
export const macdIndicator: Indicator = {
  name: 'macd',
  families: [
    {
      prefix: 'macd',
      group: 'trend',
      inputs: ['close'],
      params: fastSlow,
      describe: ([f, s]) => `MACD line EMA${f}(C) - EMA${s}(C) (price units)`,
      lookback: ([f, s]) => Math.max(f, s) - 1,
      compute: (ctx, [f, s]) => macdLine(ctx, f, s),
    },
    {
      prefix: 'macd_signal',
      group: 'trend',
      inputs: ['close'],
      params: [...fastSlow, periodParam('signal')],
      describe: ([f, s, g]) => `MACD signal line: EMA${g} of the MACD line EMA${f}(C) - EMA${s}(C) (price units)`,
      lookback: ([f, s, g]) => Math.max(f, s) + g - 2,
      compute: (ctx, [f, s, g]) => signalLine(ctx, f, s, g),
    },
    {
      prefix: 'macd_hist',
      group: 'trend',
      inputs: ['close'],
      params: [...fastSlow, periodParam('signal')],
      describe: ([f, s, g]) => `MACD histogram: MACD(${f},${s}) - its EMA${g} signal (price units)`,
      lookback: ([f, s, g]) => Math.max(f, s) + g - 2,
      compute: (ctx, [f, s, g]) => {
        const m = macdLine(ctx, f, s);
        const sig = signalLine(ctx, f, s, g);
        const out = nanArray(m.length, Math.max(f, s) + g - 2);
        for (let i = Math.max(f, s) + g - 2; i < out.length; i++) out[i] = m[i] - sig[i];
        return out;
      },
    },
  ],
};
