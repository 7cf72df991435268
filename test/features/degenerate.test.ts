/**
 * Degenerate input never yields Infinity or garbage: constant prices, zero volume, flat stretches, time gaps,
 * extreme price levels; invalid or too-short input is a DataError that says what is needed.
 */
import { describe, expect, it } from 'vitest';
import { DataError } from '../../src/core/errors.js';
import { allocSeries, type BarSeries } from '../../src/core/bars.js';
import { computeFeatureSet, type FeatureMatrix } from '../../src/features/compute.js';
import { DEFAULT_FEATURE_SET } from '../../src/features/feature-set.js';
import { UNWRITTEN } from '../setup.js';
import { randomWalkSeries } from './helpers.js';

function constantSeries(n: number, price: number, volume: number): BarSeries {
  const s = allocSeries('FLAT', '1h', n);
  for (let i = 0; i < n; i++) {
    s.time[i] = Date.UTC(2024, 0, 1) + i * 3_600_000;
    s.open[i] = s.high[i] = s.low[i] = s.close[i] = price;
    s.volume[i] = volume;
  }
  return s;
}

function expectFiniteAfterWarmup(m: FeatureMatrix): void {
  m.names.forEach((name, j) => {
    const c = m.columns[j];
    const lb = m.features[j].lookback;
    for (let i = 0; i < c.length; i++) {
      // UNWRITTEN: a row the kernel never wrote (output columns are not zero-filled; see nanArray)
      if (i < lb ? !Number.isNaN(c[i]) : !Number.isFinite(c[i]) || c[i] === UNWRITTEN) expect.fail(`${name} row ${i} = ${c[i]} (lookback ${lb})`);
    }
  });
}

function last(m: FeatureMatrix, name: string): number {
  const c = m.columns[m.names.indexOf(name)];
  return c[c.length - 1];
}

describe('degenerate input', () => {
  it('every row of every feature is written, on ordinary bars too (columns are allocated uninitialised)', () => {
    expectFiniteAfterWarmup(computeFeatureSet(DEFAULT_FEATURE_SET, randomWalkSeries(2, 700)));
  });

  it('constant prices give finite, neutral values', () => {
    const m = computeFeatureSet(DEFAULT_FEATURE_SET, constantSeries(200, 123.45, 1000));
    expectFiniteAfterWarmup(m);
    const expected: Record<string, number> = {
      rsi_14: 50, stoch_k_14: 50, stoch_d_14_3: 50, willr_14: -50, cci_20: 0, cmo_14: 0, bb_pctb_20_2: 0.5,
      bb_width_20_2: 0, zscore_20: 0, adx_14: 0, di_plus_14: 0, di_minus_14: 0, atr_14: 0, natr_14: 0,
      vol_20: 0, parkinson_20: 0, garman_klass_20: 0, yang_zhang_20: 0, skew_60: 0, kurt_60: 0, pvcorr_20: 0,
      mfi_14: 50, cmf_20: 0, volratio_20: 1, vwapdev_20: 0, macd_12_26: 0, macd_hist_12_26_9: 0, trix_15: 0,
      aroon_osc_25: 0, logret_1: 0, roc_10: 0, hhdist_20: 0, lldist_20: 0, smadist_20: 0, slope_sma_20_5: 0, obv: 1000,
    };
    for (const [name, v] of Object.entries(expected)) expect(last(m, name), name).toBeCloseTo(v, 12);
    expect(last(m, 'sma_50')).toBeCloseTo(123.45, 10);
    expect(last(m, 'bb_upper_20_2')).toBe(last(m, 'bb_middle_20'));
  });

  it('zero volume everywhere gives neutral volume features', () => {
    const s = randomWalkSeries(3, 300);
    s.volume.fill(0);
    const m = computeFeatureSet(DEFAULT_FEATURE_SET, s);
    expectFiniteAfterWarmup(m);
    expect(last(m, 'obv')).toBe(0);
    expect(last(m, 'mfi_14')).toBe(50);
    expect(last(m, 'cmf_20')).toBe(0);
    expect(last(m, 'volratio_20')).toBe(1);
    expect(last(m, 'pvcorr_20')).toBe(0);
  });

  it('volume that stops after a busy stretch leaves no rounding residue', () => {
    const s = randomWalkSeries(4, 400);
    for (let i = 0; i < 200; i++) s.volume[i] = 1e9 * (1 + Math.sin(i)) + 0.1;
    s.volume.fill(0, 200);
    const m = computeFeatureSet(DEFAULT_FEATURE_SET, s);
    expectFiniteAfterWarmup(m);
    expect(last(m, 'volratio_20')).toBe(1);
    expect(last(m, 'cmf_20')).toBe(0);
    expect(last(m, 'mfi_14')).toBe(50);
  });

  it('a flat stretch inside a moving series, time gaps and extreme price levels stay finite', () => {
    for (const scale of [1e-8, 1, 1e7]) {
      const s = randomWalkSeries(5, 600);
      for (const col of [s.open, s.high, s.low, s.close]) for (let i = 0; i < 600; i++) col[i] *= scale;
      const p = s.close[299];
      for (let i = 300; i < 400; i++) {
        s.open[i] = s.high[i] = s.low[i] = s.close[i] = p;
      }
      for (let i = 450; i < 600; i++) s.time[i] += 30 * 86_400_000; // a month-long gap
      const m = computeFeatureSet(DEFAULT_FEATURE_SET, s);
      expectFiniteAfterWarmup(m);
      const flatEnd = 399;
      expect(m.columns[m.names.indexOf('bb_pctb_20_2')][flatEnd]).toBe(0.5);
      expect(m.columns[m.names.indexOf('vol_20')][flatEnd]).toBe(0);
      expect(m.columns[m.names.indexOf('cmo_14')][flatEnd]).toBe(0);
      expect(m.columns[m.names.indexOf('cci_20')][flatEnd]).toBe(0);
      expect(m.columns[m.names.indexOf('zscore_20')][flatEnd]).toBe(0);
      expect(m.columns[m.names.indexOf('skew_60')][flatEnd]).toBe(0);
      expect(m.columns[m.names.indexOf('stoch_k_14')][flatEnd]).toBe(50);
    }
  });

  it('a series shorter than the lookback is a DataError naming how many bars are needed', () => {
    const s = randomWalkSeries(6, 60);
    expect(() => computeFeatureSet(DEFAULT_FEATURE_SET, s)).toThrow(DataError);
    expect(() => computeFeatureSet(DEFAULT_FEATURE_SET, s)).toThrow(/needs at least 61 bars .* got 60/);
    expect(computeFeatureSet(DEFAULT_FEATURE_SET, randomWalkSeries(6, 61)).rows).toBe(61);
  });

  it('invalid bars are a DataError naming the row', () => {
    const cases: Array<[string, (s: BarSeries) => void, RegExp]> = [
      ['NaN close', (s) => (s.close[70] = NaN), /bar 70 /],
      ['zero price', (s) => (s.low[71] = 0), /bar 71 /],
      ['high below close', (s) => (s.high[72] = s.close[72] * 0.9), /bar 72 /],
      ['negative volume', (s) => (s.volume[73] = -1), /bar 73 /],
      ['duplicate time', (s) => (s.time[74] = s.time[73]), /row 74 /],
    ];
    for (const [label, mutate, message] of cases) {
      const s = randomWalkSeries(7, 100);
      mutate(s);
      expect(() => computeFeatureSet(DEFAULT_FEATURE_SET, s), label).toThrow(DataError);
      expect(() => computeFeatureSet(DEFAULT_FEATURE_SET, s), label).toThrow(message);
    }
  });
});
