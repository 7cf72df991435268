/** As-of joins: coarser timeframes (closed bars only), reference series and external points, never forward. */
import { describe, expect, it } from 'vitest';
import { DataError } from '../../src/core/errors.js';
import { allocSeries, type BarSeries } from '../../src/core/bars.js';
import type { Interval } from '../../src/core/interval.js';
import { computeFeatureSet } from '../../src/features/compute.js';
import { asOfIndex, barCloseTimes, joinExternal } from '../../src/features/context.js';
import { featureSetSpecSchema } from '../../src/features/feature-set.js';
import { randomWalkSeries } from './helpers.js';

const H = 3_600_000;
const D = 24 * H;
const T0 = Date.UTC(2024, 0, 1);

/** Bars at the given open times with close = the given values (flat bars). */
function barsAt(interval: Interval, times: number[], closes: number[]): BarSeries {
  const s = allocSeries('X', interval, times.length);
  times.forEach((t, i) => {
    s.time[i] = t;
    s.open[i] = s.high[i] = s.low[i] = s.close[i] = closes[i];
    s.volume[i] = 1;
  });
  return s;
}

function column(m: { names: string[]; columns: Float64Array[] }, name: string): Float64Array {
  return m.columns[m.names.indexOf(name)];
}

describe('as-of joins', () => {
  it('barCloseTimes adds the interval, calendar-exact for months', () => {
    expect(Array.from(barCloseTimes(barsAt('1h', [T0], [1])))).toEqual([T0 + H]);
    expect(Array.from(barCloseTimes(barsAt('1mo', [Date.UTC(2024, 1, 1)], [1])))).toEqual([Date.UTC(2024, 2, 1)]);
  });

  it('asOfIndex takes the last source available at or before each target time', () => {
    const idx = asOfIndex(Float64Array.of(5, 10, 15, 20), Float64Array.of(10, 12, 20, 30));
    expect(Array.from(idx)).toEqual([-1, 0, 1, 2]);
  });

  it('a daily bar is usable from the hourly bar that closes at its close, not one bar earlier', () => {
    const fine = randomWalkSeries(1, 72, '1h', T0);
    const daily = barsAt('1d', [T0, T0 + D, T0 + 2 * D], [100, 110, 99]);
    const spec = featureSetSpecSchema.parse({ name: 't', version: 1, features: ['logret_1'], timeframes: [{ interval: '1d', features: ['mom_1', 'sma_1'] }] });
    const m = computeFeatureSet(spec, fine, { timeframes: { '1d': daily } });
    const sma = column(m, 'tf_1d_sma_1');
    const mom = column(m, 'tf_1d_mom_1');
    // hourly bar 22 closes at 23:00: day 0 is still open
    expect(Number.isNaN(sma[22])).toBe(true);
    // hourly bar 23 (23:00-24:00) closes exactly when day 0 closes
    expect(sma[23]).toBe(100);
    expect(Number.isNaN(mom[23])).toBe(true); // day 0 has no previous day
    expect(sma[46]).toBe(100);
    expect(sma[47]).toBe(110);
    expect(mom[47]).toBe(10);
    expect(sma[71]).toBe(99);
    expect(mom[71]).toBe(-11);
  });

  it('4-hour bars join onto hourly bars at the 4-hour close, and monthly bars onto daily at the month end', () => {
    const fine = randomWalkSeries(2, 12, '1h', T0);
    const h4 = barsAt('4h', [T0, T0 + 4 * H, T0 + 8 * H], [1, 2, 3]);
    const spec = featureSetSpecSchema.parse({ name: 't', version: 1, features: ['logret_1'], timeframes: [{ interval: '4h', features: ['sma_1'] }] });
    const col = column(computeFeatureSet(spec, fine, { timeframes: { '4h': h4 } }), 'tf_4h_sma_1');
    expect(Array.from(col)).toEqual([NaN, NaN, NaN, 1, 1, 1, 1, 2, 2, 2, 2, 3]);

    const days = randomWalkSeries(3, 60, '1d', Date.UTC(2024, 0, 1));
    const months = barsAt('1mo', [Date.UTC(2024, 0, 1), Date.UTC(2024, 1, 1)], [7, 8]);
    const mspec = featureSetSpecSchema.parse({ name: 't', version: 1, features: ['logret_1'], timeframes: [{ interval: '1mo', features: ['sma_1'] }] });
    const mc = column(computeFeatureSet(mspec, days, { timeframes: { '1mo': months } }), 'tf_1mo_sma_1');
    expect(Number.isNaN(mc[29])).toBe(true); // Jan 30 closes Jan 31 00:00
    expect(mc[30]).toBe(7); // Jan 31 closes Feb 1 00:00, when January closes
    expect(mc[58]).toBe(7); // Feb 28 closes Feb 29 (2024 is a leap year)
    expect(mc[59]).toBe(8); // Feb 29 closes Mar 1
  });

  it('reference features: a series against itself or a scaled copy has correlation 1, beta 1, relative strength 0', () => {
    const main = randomWalkSeries(4, 300);
    const scaled = randomWalkSeries(4, 300);
    for (const col of [scaled.open, scaled.high, scaled.low, scaled.close]) for (let i = 0; i < 300; i++) col[i] *= 3;
    const spec = featureSetSpecSchema.parse({
      name: 'r',
      version: 1,
      features: ['logret_1'],
      references: [{ name: 'self', features: ['corr_20', 'beta_20', 'relstr_5'] }, { name: 'triple', features: ['corr_20', 'beta_20'] }],
    });
    const m = computeFeatureSet(spec, main, { references: { self: main, triple: scaled } });
    expect(Number.isNaN(column(m, 'ref_self_corr_20')[19])).toBe(true);
    for (let i = 20; i < 300; i++) {
      expect(column(m, 'ref_self_corr_20')[i]).toBeCloseTo(1, 9);
      expect(column(m, 'ref_self_beta_20')[i]).toBeCloseTo(1, 9);
      expect(column(m, 'ref_triple_corr_20')[i]).toBeCloseTo(1, 9);
      expect(column(m, 'ref_triple_beta_20')[i]).toBeCloseTo(1, 9);
    }
    for (let i = 5; i < 300; i++) expect(column(m, 'ref_self_relstr_5')[i]).toBeCloseTo(0, 12);
  });

  it('a reference that starts later is NaN until it has a full window, and is aligned by close time', () => {
    const main = randomWalkSeries(5, 200, '1h', T0);
    const ref = randomWalkSeries(6, 150, '1h', T0 + 50 * H);
    const spec = featureSetSpecSchema.parse({ name: 'r', version: 1, features: ['logret_1'], references: [{ name: 'x', features: ['corr_10', 'relstr_3'] }] });
    const m = computeFeatureSet(spec, main, { references: { x: ref } });
    const corr = column(m, 'ref_x_corr_10');
    expect(Number.isNaN(corr[59])).toBe(true);
    expect(Number.isFinite(corr[60])).toBe(true);
    const rs = column(m, 'ref_x_relstr_3');
    expect(Number.isNaN(rs[52])).toBe(true);
    expect(rs[53]).toBeCloseTo(Math.log(main.close[53] / main.close[50]) - Math.log(ref.close[3] / ref.close[0]), 12);
  });

  it('external points join at or before the bar close, never forward, and go stale after maxAgeMs', () => {
    const main = randomWalkSeries(7, 10, '1h', T0);
    const ext = { time: Float64Array.of(T0 + H - 1, T0 + 3 * H, T0 + 3 * H + 1), value: Float64Array.of(1, 2, 3) };
    expect(Array.from(joinExternal(main, ext))).toEqual([1, 1, 2, 3, 3, 3, 3, 3, 3, 3]);
    expect(Array.from(joinExternal(main, ext, 2 * H))).toEqual([1, 1, 2, 3, 3, NaN, NaN, NaN, NaN, NaN]);
    const early = { time: Float64Array.of(T0 + 5 * H), value: Float64Array.of(9) };
    expect(Array.from(joinExternal(main, early)).slice(0, 5)).toEqual([NaN, NaN, NaN, NaN, 9]);
  });

  it('a missing context series is a DataError naming it', () => {
    const spec = featureSetSpecSchema.parse({ name: 'c', version: 1, features: ['logret_1'], external: [{ name: 'mood' }] });
    expect(() => computeFeatureSet(spec, randomWalkSeries(8, 50))).toThrow(DataError);
    expect(() => computeFeatureSet(spec, randomWalkSeries(8, 50))).toThrow(/external series "mood"/);
    const tf = featureSetSpecSchema.parse({ name: 'c', version: 1, features: ['logret_1'], timeframes: [{ interval: '1d', features: ['rsi_14'] }] });
    expect(() => computeFeatureSet(tf, randomWalkSeries(8, 50))).toThrow(/needs 1d bars/);
  });
});
