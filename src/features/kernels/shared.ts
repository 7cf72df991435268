/**
 * Memoised intermediate columns shared by several indicators (the close's SMA and EMAs, log prices, one-bar log
 * returns, rolling extremes, ATR). Keys are namespaced strings; the arrays are shared and must not be written to.
 */
import { nanArray, type ComputeContext } from '../types.js';
import { meanOfThree } from './mean-of-three.js';
import { ema, rollingArgExtreme, rollingMax, rollingMin, rollingStd, sma } from './rolling.js';

/** `n`-bar SMA of the close. */
export function closeSma(ctx: ComputeContext, n: number): Float64Array {
  return ctx.memo(`sma:close:${n}`, () => sma(ctx.series.close, n));
}

/** `n`-bar EMA of the close (SMA-seeded). */
export function closeEma(ctx: ComputeContext, n: number): Float64Array {
  return ctx.memo(`ema:close:${n}`, () => ema(ctx.series.close, n));
}

/** EMA of the EMA of the close (for DEMA, TEMA, TRIX). Valid from row 2(n-1). */
export function closeEma2(ctx: ComputeContext, n: number): Float64Array {
  return ctx.memo(`ema2:close:${n}`, () => ema(closeEma(ctx, n), n, n - 1));
}

/** Triple EMA of the close. Valid from row 3(n-1). */
export function closeEma3(ctx: ComputeContext, n: number): Float64Array {
  return ctx.memo(`ema3:close:${n}`, () => ema(closeEma2(ctx, n), n, 2 * (n - 1)));
}

/** `n`-bar population standard deviation of the close. */
export function closeStd(ctx: ComputeContext, n: number): Float64Array {
  return ctx.memo(`std0:close:${n}`, () => rollingStd(ctx.series.close, n, 0));
}

/** Highest high over `n` bars (current bar included). */
export function highestHigh(ctx: ComputeContext, n: number): Float64Array {
  return ctx.memo(`max:high:${n}`, () => rollingMax(ctx.series.high, n));
}

/** Lowest low over `n` bars (current bar included). */
export function lowestLow(ctx: ComputeContext, n: number): Float64Array {
  return ctx.memo(`min:low:${n}`, () => rollingMin(ctx.series.low, n));
}

/** Row index of the highest high (`max`) or lowest low over `n` bars, as float; newest row wins ties. */
export function extremeIndex(ctx: ComputeContext, n: number, max: boolean): Float64Array {
  return ctx.memo(`argext:${max ? 'high' : 'low'}:${n}`, () => rollingArgExtreme(max ? ctx.series.high : ctx.series.low, n, max));
}

/**
 * Natural logarithm of a price column, computed once per computation: log returns and range estimators are
 * differences of these (ln(a/b) = ln a - ln b, exact to a few ulps of ln a), so each bar costs one logarithm per
 * column however many features use it.
 */
export function logPrice(ctx: ComputeContext, column: 'open' | 'high' | 'low' | 'close'): Float64Array {
  return ctx.memo(`log:${column}`, () => {
    const src = ctx.series[column];
    const out = nanArray(src.length, 0);
    for (let i = 0; i < src.length; i++) out[i] = Math.log(src[i]);
    return out;
  });
}

/** One-bar log return of the close, ln C_t - ln C_(t-1); row 0 is NaN. */
export function logReturn1(ctx: ComputeContext): Float64Array {
  return ctx.memo('logret:1', () => {
    const lc = logPrice(ctx, 'close');
    const out = nanArray(lc.length, 1);
    for (let i = 1; i < lc.length; i++) out[i] = lc[i] - lc[i - 1];
    return out;
  });
}

/**
 * Wilder-smoothed average true range over `n` bars, seeded with the mean TR of bars 1..n; valid from row n.
 * One pass with the true range computed inline (no intermediate column).
 */
export function averageTrueRange(ctx: ComputeContext, n: number): Float64Array {
  return ctx.memo(`atr:${n}`, () => {
    const { high, low, close } = ctx.series;
    const len = close.length;
    const out = nanArray(len, n);
    const m = n - 1;
    const inv = 1 / n;
    // seed: the mean TR of bars 1..n, then Wilder smoothing in a loop without warm-up tests
    let v = 0;
    const seedEnd = Math.min(n, len - 1);
    for (let i = 1; i <= seedEnd; i++) {
      const pc = close[i - 1];
      v += (high[i] > pc ? high[i] : pc) - (low[i] < pc ? low[i] : pc);
    }
    if (n >= len) return out;
    v /= n;
    out[n] = v;
    for (let i = n + 1; i < len; i++) {
      const pc = close[i - 1];
      const tr = (high[i] > pc ? high[i] : pc) - (low[i] < pc ? low[i] : pc);
      v = (v * m + tr) * inv;
      out[i] = v;
    }
    return out;
  });
}

/** Typical price (H + L + C) / 3. */
export function typicalPrice(ctx: ComputeContext): Float64Array {
  return ctx.memo('tp', () => {
    const { high, low, close } = ctx.series;
    const out = nanArray(close.length, 0);
    for (let i = 0; i < close.length; i++) out[i] = (high[i] + low[i] + close[i]) / 3;
    return out;
  });
}

/**
 * Typical price rounded once from the exact H + L + C (see mean-of-three.ts): for telling whether the typical price
 * changed between bars as R's TTR does, where rounding noise of {@link typicalPrice} would count as a move.
 */
export function roundedTypicalPrice(ctx: ComputeContext): Float64Array {
  return ctx.memo('tp:rounded-once', () => {
    const { high, low, close } = ctx.series;
    const out = nanArray(close.length, 0);
    for (let i = 0; i < close.length; i++) out[i] = meanOfThree(high[i], low[i], close[i]);
    return out;
  });
}
