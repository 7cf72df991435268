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
    // warm-up: seed each EMA with its SMA and advance the faster one until the slower one is seeded
    const warm = Math.min(first + 1, len);
    for (let i = 0; i < warm; i++) {
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
      if (i === first) out[i] = ef - es;
    }
    // both seeded: two independent update chains, no per-row branches
    for (let i = first + 1; i < len; i++) {
      const x = c[i];
      ef = bf * ef + af * x;
      es = bs * es + as * x;
      out[i] = ef - es;
    }
    return out;
  });
}

/**
 * The signal line (EMA_G of the MACD line, same seeding and update as the `ema` kernel) and the histogram
 * (MACD - signal), written in one pass over the MACD line and memoised together.
 */
function signalAndHistogram(ctx: ComputeContext, fast: number, slow: number, signal: number): [Float64Array, Float64Array] {
  const m = macdLine(ctx, fast, slow);
  const len = m.length;
  const start = Math.max(fast, slow) - 1;
  const first = start + signal - 1;
  let fused: Float64Array | undefined;
  const sig = ctx.memo(`macdsig:${fast}:${slow}:${signal}`, () => {
    const out = nanArray(len, first);
    const hist = nanArray(len, first);
    fused = hist;
    if (first >= len) return out;
    let s = 0;
    for (let j = start; j <= first; j++) s += m[j];
    let v = s / signal;
    out[first] = v;
    hist[first] = m[first] - v;
    const alpha = 2 / (signal + 1);
    const beta = 1 - alpha;
    for (let i = first + 1; i < len; i++) {
      const x = m[i];
      v = beta * v + alpha * x;
      out[i] = v;
      hist[i] = x - v;
    }
    return out;
  });
  const hist = ctx.memo(`macdhist:${fast}:${slow}:${signal}`, () => {
    if (fused !== undefined) return fused;
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
