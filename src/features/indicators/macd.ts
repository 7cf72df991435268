import { ema, emaDifference } from '../kernels/rolling.js';
import { nanArray, periodParam, type ComputeContext, type Indicator } from '../types.js';

/** The MACD line EMA_F(C) - EMA_S(C), equal bit for bit to the difference of the `ema_N` columns. */
function macdLine(ctx: ComputeContext, fast: number, slow: number): Float64Array {
  return ctx.memo(`macd:${fast}:${slow}`, () => emaDifference(ctx.series.close, fast, slow));
}

/** The signal line (EMA_G of the MACD line, by the `ema` kernel) and the histogram MACD - signal. */
function signalAndHistogram(ctx: ComputeContext, fast: number, slow: number, signal: number): [Float64Array, Float64Array] {
  const m = macdLine(ctx, fast, slow);
  const start = Math.max(fast, slow) - 1;
  const sig = ctx.memo(`macdsig:${fast}:${slow}:${signal}`, () => ema(m, signal, start));
  const hist = ctx.memo(`macdhist:${fast}:${slow}:${signal}`, () => {
    const len = m.length;
    const first = start + signal - 1;
    const out = nanArray(len, first);
    for (let i = first; i < len; i++) out[i] = m[i] - sig[i];
    return out;
  });
  return [sig, hist];
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
      compute: (ctx, [f, s, g]) => signalAndHistogram(ctx, f, s, g)[0],
    },
    {
      prefix: 'macd_hist',
      group: 'trend',
      inputs: ['close'],
      params: [...fastSlow, periodParam('signal')],
      describe: ([f, s, g]) => `MACD histogram: MACD(${f},${s}) - its EMA${g} signal (price units)`,
      lookback: ([f, s, g]) => Math.max(f, s) + g - 2,
      compute: (ctx, [f, s, g]) => signalAndHistogram(ctx, f, s, g)[1],
    },
  ],
};
