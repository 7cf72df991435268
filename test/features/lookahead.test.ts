/**
 * No look-ahead, by test: changing any bar after t leaves every feature at t bit-identical (for the whole default
 * set, across the running sums' recomputation boundaries), and `checkNoLookahead` names a feature that peeks.
 */
import { describe, expect, it } from 'vitest';
import { CheckFailedError } from '../../src/core/errors.js';
import { RECOMPUTE_EVERY } from '../../src/features/kernels/rolling.js';
import { computeFeatureSet } from '../../src/features/compute.js';
import { DEFAULT_FEATURE_SET, featureSetSpecSchema } from '../../src/features/feature-set.js';
import { assertNoLookahead, checkNoLookahead } from '../../src/features/lookahead.js';
import { builtinRegistry, createRegistry } from '../../src/features/registry.js';
import { nanArray, type FeatureFamily } from '../../src/features/types.js';
import { randomWalkSeries } from './helpers.js';

const series = randomWalkSeries(11, 2 * RECOMPUTE_EVERY + 300);

/** Centred 3-bar mean: reads the next bar. */
const peekingFamily: FeatureFamily = {
  prefix: 'peek',
  group: 'trend',
  inputs: ['close'],
  params: [],
  describe: () => 'centred 3-bar mean of the close (reads the next bar: deliberately peeking)',
  lookback: () => 1,
  compute: (ctx) => {
    const c = ctx.series.close;
    const out = nanArray(c.length);
    for (let i = 1; i + 1 < c.length; i++) out[i] = (c[i - 1] + c[i] + c[i + 1]) / 3;
    return out;
  },
};

/** Close over the whole series' maximum: reads every bar, a classic normalisation leak. */
const globalScaleFamily: FeatureFamily = {
  prefix: 'close_over_max',
  group: 'trend',
  inputs: ['close'],
  params: [],
  describe: () => 'close divided by the maximum close of the whole series (deliberately peeking)',
  lookback: () => 0,
  compute: (ctx) => {
    const c = ctx.series.close;
    let m = 0;
    for (let i = 0; i < c.length; i++) m = Math.max(m, c[i]);
    return Float64Array.from(c, (v) => v / m);
  },
};

/**
 * A 5-bar moving sum recomputed from scratch on a schedule counted from the end of the series: it reads no later
 * value, but its rounding depends on how many bars follow, so live values would differ from training values.
 */
const endScheduleFamily: FeatureFamily = {
  prefix: 'sum_from_end',
  group: 'trend',
  inputs: ['close'],
  params: [],
  describe: () => '5-bar moving sum recomputed every 3 rows counted from the last row (deliberately length-dependent)',
  lookback: () => 4,
  compute: (ctx) => {
    const c = ctx.series.close;
    const len = c.length;
    const out = nanArray(len, 4);
    let s = 0;
    for (let i = 4; i < len; i++) {
      if (i === 4 || (len - 1 - i) % 3 === 0) {
        s = 0;
        for (let j = i - 4; j <= i; j++) s += c[j] * 1.1;
      } else {
        s += c[i] * 1.1 - c[i - 5] * 1.1;
      }
      out[i] = s;
    }
    return out;
  },
};

describe('no look-ahead', () => {
  it('the default set covers every built-in family', () => {
    const used = new Set(DEFAULT_FEATURE_SET.features.map((f) => builtinRegistry.resolve(f).family.prefix));
    expect(builtinRegistry.families().map((f) => f.prefix).filter((p) => !used.has(p))).toEqual([]);
  });

  it('every default feature at t is bit-identical when bars after t change (cuts around the recompute schedule)', () => {
    const R = RECOMPUTE_EVERY;
    const cuts = [60, 61, 97, R - 1, R, R + 1, 2 * R - 1, 2 * R, 2 * R + 1, series.length - 2];
    for (const seed of [1, 2, 3]) {
      expect(checkNoLookahead(DEFAULT_FEATURE_SET, series, {}, { cuts, seed })).toEqual([]);
    }
  });

  it('the default cut points find nothing either, on daily bars', () => {
    const daily = randomWalkSeries(12, 400, '1d');
    expect(checkNoLookahead(DEFAULT_FEATURE_SET, daily)).toEqual([]);
  });

  it('a set with timeframe, reference and external context is free of look-ahead', () => {
    const fine = randomWalkSeries(13, 24 * 90, '1h');
    const daily = randomWalkSeries(14, 92, '1d');
    const ref = randomWalkSeries(15, 24 * 90 - 5, '1h', fine.time[5]);
    const ext = { time: Float64Array.from({ length: 200 }, (_, i) => fine.time[0] + i * 37_000_000 + 1), value: Float64Array.from({ length: 200 }, (_, i) => Math.sin(i)) };
    const spec = featureSetSpecSchema.parse({
      name: 'ctx',
      version: 1,
      features: ['rsi_14', 'logret_1'],
      timeframes: [{ interval: '1d', features: ['rsi_14', 'bb_pctb_20_2', 'atr_5'] }],
      references: [{ name: 'spy', features: ['corr_20', 'beta_60', 'relstr_10'] }],
      external: [{ name: 'mood' }],
    });
    const context = { timeframes: { '1d': daily }, references: { spy: ref }, external: { mood: ext } };
    const cuts = [100, 500, 1000, 1500, 24 * 90 - 2];
    expect(checkNoLookahead(spec, fine, context, { cuts })).toEqual([]);
  });

  it('names a deliberately peeking feature and refuses the set', () => {
    const registry = createRegistry([peekingFamily, globalScaleFamily]);
    const spec = featureSetSpecSchema.parse({ name: 'leaky', version: 1, features: ['rsi_14', 'peek', 'close_over_max', 'sma_5'] });
    expect(checkNoLookahead(spec, series, {}, { registry })).toEqual(['peek', 'close_over_max']);
    // checked on the most recent rows only, it still catches them
    expect(checkNoLookahead(spec, series, {}, { registry, maxRows: 200 })).toEqual(['peek', 'close_over_max']);
    expect(() => assertNoLookahead(spec, series, {}, { registry })).toThrow(CheckFailedError);
    expect(() => assertNoLookahead(spec, series, {}, { registry })).toThrow(/peek, close_over_max/);
  });

  it('names a feature whose values depend on the series length (recomputation counted from the end)', () => {
    const registry = createRegistry([endScheduleFamily]);
    const spec = featureSetSpecSchema.parse({ name: 'drifty', version: 1, features: ['sma_5', 'sum_from_end'] });
    expect(checkNoLookahead(spec, series, {}, { registry })).toEqual(['sum_from_end']);
  });

  it('the default set is deterministic: two computations are bit-identical', () => {
    const a = computeFeatureSet(DEFAULT_FEATURE_SET, series);
    const b = computeFeatureSet(DEFAULT_FEATURE_SET, series);
    a.columns.forEach((c, j) => expect(Buffer.from(c.buffer).equals(Buffer.from(b.columns[j].buffer))).toBe(true));
  });
});
