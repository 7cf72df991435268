/** Small hand-computed cases (values worked out on paper in the comments) and identities between features. */
import { describe, expect, it } from 'vitest';
import { allocSeries, type BarSeries } from '../../src/core/bars.js';
import { createComputeContext } from '../../src/features/compute.js';
import { ema } from '../../src/features/kernels/rolling.js';
import { builtinRegistry } from '../../src/features/registry.js';
import { randomWalkSeries } from './helpers.js';

function bars(rows: Array<[number, number, number, number, number]>): BarSeries {
  const s = allocSeries('H', '1d', rows.length);
  rows.forEach(([o, h, l, c, v], i) => {
    s.time[i] = Date.UTC(2024, 0, 1) + i * 86_400_000; // 2024-01-01 is a Monday
    s.open[i] = o;
    s.high[i] = h;
    s.low[i] = l;
    s.close[i] = c;
    s.volume[i] = v;
  });
  return s;
}

function f(series: BarSeries, name: string): number[] {
  const r = builtinRegistry.resolve(name);
  return Array.from(r.family.compute(createComputeContext(series), r.params));
}

// closes 1, 2, 3, 4, 5, 4 with ranges of 1 around them
const s = bars([
  [1, 1.5, 0.5, 1, 10],
  [1, 2.5, 0.5, 2, 20],
  [2, 3.5, 1.5, 3, 30],
  [3, 4.5, 2.5, 4, 40],
  [4, 5.5, 3.5, 5, 50],
  [5, 5.5, 3.5, 4, 60],
]);

describe('hand-computed values', () => {
  it('moving averages', () => {
    expect(f(s, 'sma_3')).toEqual([NaN, NaN, 2, 3, 4, 13 / 3]);
    // EMA3: alpha 0.5, seed mean(1,2,3) = 2; then 0.5*2 + 0.5*4 = 3; 0.5*3 + 0.5*5 = 4; 0.5*4 + 0.5*4 = 4
    expect(f(s, 'ema_3')).toEqual([NaN, NaN, 2, 3, 4, 4]);
    // WMA3: (1*1 + 2*2 + 3*3)/6 = 14/6; (2 + 6 + 12)/6 = 20/6; (3 + 8 + 15)/6 = 26/6; (4 + 10 + 12)/6 = 26/6
    const w = f(s, 'wma_3');
    [14 / 6, 20 / 6, 26 / 6, 26 / 6].forEach((v, k) => expect(w[k + 2]).toBeCloseTo(v, 14));
  });

  it('RSI, ROC, momentum and log returns', () => {
    // changes +1 +1 +1 +1 -1; RSI2: first gain (1+1)/2 = 1, loss 0 -> 100; then gain (1*1+1)/2 = 1 -> 100,
    // 100; last: gain (1*1 + 0)/2 = 0.5, loss (0 + 1)/2 = 0.5 -> 50
    expect(f(s, 'rsi_2')).toEqual([NaN, NaN, 100, 100, 100, 50]);
    expect(f(s, 'roc_2')[4]).toBeCloseTo(5 / 3 - 1, 15);
    expect(f(s, 'roc_2')[5]).toBe(0);
    expect(f(s, 'mom_2')[4]).toBe(2);
    expect(f(s, 'mom_2')[5]).toBe(0);
    expect(f(s, 'logret_1')[1]).toBeCloseTo(Math.log(2), 15);
    expect(f(s, 'logret_lag_1_1')[2]).toBeCloseTo(Math.log(2), 15);
  });

  it('range oscillators', () => {
    // last bar: HH3 = 5.5, LL3 = 2.5, C = 4 -> %K = 100 * 1.5/3 = 50, %R = -100 * 1.5/3 = -50
    expect(f(s, 'stoch_k_3')[5]).toBe(50);
    expect(f(s, 'willr_3')[5]).toBe(-50);
    // %K3 rows 2..5: (3-0.5)/(3.5-0.5) = 83.33, (4-0.5)/(4.5-0.5) = 87.5, (5-1.5)/(5.5-1.5) = 87.5, 50
    // -> %D2 at row 5 = (87.5 + 50)/2
    expect(f(s, 'stoch_d_3_2')[5]).toBe(68.75);
    expect(f(s, 'dc_middle_3')[5]).toBe(4);
    expect(f(s, 'hhdist_3')[5]).toBeCloseTo(4 / 5.5 - 1, 15);
  });

  it('true range, ATR and the volume family', () => {
    // TR rows 1..5: max(2.5,1)-min(0.5,1) = 2; 3.5-1.5 = 2; 2; 2; max(5.5,5)-min(3.5,5) = 2 -> ATR2 = 2
    expect(f(s, 'atr_2')).toEqual([NaN, NaN, 2, 2, 2, 2]);
    expect(f(s, 'natr_2')[5]).toBe(0.5);
    // OBV: 10, +20, +30, +40, +50, -60
    expect(f(s, 'obv')).toEqual([10, 30, 60, 100, 150, 90]);
    // CMF2 at row 5: MFM(row 4) = ((5-3.5)-(5.5-5))/2 = 0.5, MFM(row 5) = ((4-3.5)-(5.5-4))/2 = -0.5
    // -> (0.5*50 - 0.5*60)/110
    expect(f(s, 'cmf_2')[5]).toBeCloseTo(-5 / 110, 15);
    // volratio3 at row 5 = 60 / mean(40, 50, 60)
    expect(f(s, 'volratio_3')[5]).toBeCloseTo(60 / 50, 15);
  });

  it('Bollinger and z-score', () => {
    // window 3,4,5: mean 4, population sd sqrt(2/3)
    const sd = Math.sqrt(2 / 3);
    expect(f(s, 'bb_upper_3_2')[4]).toBeCloseTo(4 + 2 * sd, 14);
    expect(f(s, 'bb_pctb_3_2')[4]).toBeCloseTo((5 - (4 - 2 * sd)) / (4 * sd), 14);
    expect(f(s, 'zscore_3')[4]).toBeCloseTo(1 / sd, 14);
  });

  it('calendar: 2024-01-01 is a Monday in January', () => {
    expect(f(s, 'dow_sin')[0]).toBe(0);
    expect(f(s, 'dow_cos')[0]).toBe(1);
    expect(f(s, 'dow_sin')[2]).toBeCloseTo(Math.sin((4 * Math.PI) / 7), 15); // Wednesday
    expect(f(s, 'month_cos')[5]).toBe(1);
  });

  it('identities: MACD = EMA_F - EMA_S bit for bit, histogram = MACD - signal, DEMA from its EMAs', () => {
    const r = randomWalkSeries(21, 300);
    const macd = f(r, 'macd_12_26');
    const e12 = f(r, 'ema_12');
    const e26 = f(r, 'ema_26');
    for (let i = 25; i < 300; i++) expect(macd[i]).toBe(e12[i] - e26[i]);
    const sig = f(r, 'macd_signal_12_26_9');
    const hist = f(r, 'macd_hist_12_26_9');
    for (let i = 33; i < 300; i++) expect(hist[i]).toBe(macd[i] - sig[i]);
    expect(f(r, 'aroon_osc_25')[299]).toBeCloseTo(f(r, 'aroon_up_25')[299] - f(r, 'aroon_down_25')[299], 12);
  });
  it('MACD signal and histogram from one shared computation equal the separate definitions, in either order', () => {
    const r = randomWalkSeries(22, 400);
    const resolve = (ctx: ReturnType<typeof createComputeContext>, name: string) => {
      const x = builtinRegistry.resolve(name);
      return x.family.compute(ctx, x.params);
    };
    for (const order of [['macd_signal_12_26_9', 'macd_hist_12_26_9'], ['macd_hist_12_26_9', 'macd_signal_12_26_9']]) {
      const ctx = createComputeContext(r);
      const first = resolve(ctx, order[0]);
      const second = resolve(ctx, order[1]);
      const [sig, hist] = order[0] === 'macd_signal_12_26_9' ? [first, second] : [second, first];
      expect(sig).not.toBe(hist);
      const line = resolve(ctx, 'macd_12_26');
      const expected = ema(line, 9, 25);
      for (let i = 0; i < 400; i++) {
        expect(Object.is(sig[i], expected[i])).toBe(true);
        expect(Object.is(hist[i], i < 33 ? NaN : line[i] - expected[i])).toBe(true);
      }
    }
    // a series too short for the signal: all NaN, like the EMA kernel
    const short = randomWalkSeries(23, 30);
    expect(f(short, 'macd_signal_12_26_9').every(Number.isNaN)).toBe(true);
    expect(f(short, 'macd_hist_12_26_9').every(Number.isNaN)).toBe(true);
    expect(Number.isNaN(f(short, 'macd_12_26')[24])).toBe(true);
    expect(Number.isFinite(f(short, 'macd_12_26')[25])).toBe(true);
  });

  it('OBV adds sign(C_t - C_(t-1)) V_t bit for bit, flat closes included', () => {
    const r = randomWalkSeries(24, 500);
    // round closes to a coarse tick so that unchanged closes occur (still inside each bar's range)
    for (let i = 0; i < r.length; i++) {
      const c = Math.round(r.close[i] * 2) / 2;
      if (c >= r.low[i] && c <= r.high[i]) r.close[i] = c;
    }
    const obv = f(r, 'obv');
    let v = r.volume[0];
    let flat = 0;
    expect(obv[0]).toBe(v);
    for (let i = 1; i < r.length; i++) {
      if (r.close[i] === r.close[i - 1]) flat++;
      v += Math.sign(r.close[i] - r.close[i - 1]) * r.volume[i];
      expect(obv[i]).toBe(v);
    }
    expect(flat).toBeGreaterThan(0);
  });
});
