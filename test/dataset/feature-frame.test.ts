import { writeFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { UsageError } from '../../src/core/errors.js';
import { buildFeatureFrame, WARMUP_LOOKBACKS } from '../../src/dataset/feature-frame.js';
import { resolveFeatureSet, withContext } from '../../src/dataset/feature-set-files.js';
import { parseLabelOption } from '../../src/dataset/label-syntax.js';
import { computeFeatureSet } from '../../src/features/compute.js';
import { DEFAULT_FEATURE_SET, parseFeatureSetSpec } from '../../src/features/feature-set.js';
import { generateSeries } from '../../src/market/sources/synthetic.js';
import type { BarSeries } from '../../src/core/bars.js';
import { openStore, type Store } from '../../src/store/store.js';
import { useTempHome } from '../helpers/home.js';

function store(store: Store, s: BarSeries, now = 1) {
  return store.bars.upsert(s.symbol, s.interval, { ...s, adjClose: null }, { source: 'test', now });
}

const START = Date.UTC(2020, 0, 1);

describe('feature frames from the store', () => {
  const tempHome = useTempHome();

  it('computes the same matrix as the library, caches it, and rebuilds it when bars are revised', async () => {
    const st = await openStore(tempHome());
    const s = generateSeries({ symbol: 'ACME', interval: '1d', bars: 400, seed: 3, start: START });
    await store(st, s);
    const a = await buildFeatureFrame(st, { symbol: 'ACME', interval: '1d', set: DEFAULT_FEATURE_SET });
    expect(a.cached).toBe(false);
    const direct = computeFeatureSet(DEFAULT_FEATURE_SET, s);
    expect(a.names).toEqual(direct.names);
    expect(Array.from(a.columns[5])).toEqual(Array.from(direct.columns[5]));
    const b = await buildFeatureFrame(st, { symbol: 'ACME', interval: '1d', set: DEFAULT_FEATURE_SET });
    expect(b.cached).toBe(true);
    expect(Array.from(b.columns[40])).toEqual(Array.from(direct.columns[40]));
    // revise the last bar: the cache key changes and the matrix is recomputed
    const revised = { ...s, close: s.close.slice() };
    revised.close[399] = revised.close[399] * 1.01;
    revised.high = s.high.slice();
    revised.high[399] = Math.max(revised.high[399], revised.close[399]);
    await store(st, revised, 2);
    const c = await buildFeatureFrame(st, { symbol: 'ACME', interval: '1d', set: DEFAULT_FEATURE_SET });
    expect(c.cached).toBe(false);
    await st.close();
  });

  it('windows rows by time, adds labels, and joins references, coarser timeframes and external series', async () => {
    const st = await openStore(tempHome());
    const hourly = generateSeries({ symbol: 'BTC-USD', interval: '1h', bars: 24 * 60, seed: 5, start: START });
    const ref = generateSeries({ symbol: 'ETH-USD', interval: '1h', bars: 24 * 60, seed: 6, start: START });
    await store(st, hourly);
    await store(st, ref);
    await st.instruments.upsertExternal('sentiment', [{ ts: START, value: 0.5 }, { ts: START + 86_400_000 * 10, value: -0.2 }], 'csv', 1);
    const base = parseFeatureSetSpec({
      name: 'mixed',
      version: 1,
      features: ['rsi_14', 'logret_1'],
      timeframes: [{ interval: '1d', features: ['rsi_14'] }],
      external: [{ name: 'sentiment' }],
    });
    const { spec, references } = withContext(base, ['ETH-USD']);
    const frame = await buildFeatureFrame(st, {
      symbol: 'BTC-USD',
      interval: '1h',
      set: spec,
      references,
      labels: parseLabelOption('return:h=1,direction:h=4:dz=0.001:binary'),
      from: START + 86_400_000 * 20,
      to: START + 86_400_000 * 30,
    });
    expect(frame.rows).toBe(240);
    expect(frame.time[0]).toBe(START + 86_400_000 * 20);
    expect(frame.names).toEqual(['rsi_14', 'logret_1', 'tf_1d_rsi_14', 'ref_ethusd_corr_20', 'ref_ethusd_beta_60', 'ref_ethusd_relstr_20', 'ext_sentiment']);
    expect(frame.labelNames).toEqual(['fwdret_1', 'dirbin_4_0.001']);
    expect(frame.columns.every((c) => c.length === 240)).toBe(true);
    expect(frame.columns[2].some((v) => !Number.isNaN(v))).toBe(true); // daily RSI from in-memory resampling
    expect(frame.columns[6][0]).toBe(-0.2);
    const fwd = frame.labels[0];
    expect(fwd[0]).toBeCloseTo(Math.log(hourly.close[24 * 20 + 1] / hourly.close[24 * 20]), 12);
    await st.close();
  });

  it('builds the newest rows from a bounded window of bars, close to the whole-history rows, and leaves the cache alone', async () => {
    const st = await openStore(tempHome());
    const s = generateSeries({ symbol: 'ACME', interval: '1d', bars: 3_000, seed: 4, start: START });
    await store(st, s);
    const whole = await buildFeatureFrame(st, { symbol: 'ACME', interval: '1d', set: DEFAULT_FEATURE_SET });
    const newest = await buildFeatureFrame(st, { symbol: 'ACME', interval: '1d', set: DEFAULT_FEATURE_SET, newest: 50 });
    expect(newest.rows).toBe(50);
    expect(newest.warmupRows).toBe(0);
    expect(newest.cached).toBe(false);
    expect(Array.from(newest.time)).toEqual(Array.from(whole.time.subarray(2_950)));
    // loaded: the 50 rows and WARMUP_LOOKBACKS lookbacks before them, not the 3,000 bars
    expect(newest.bars.length).toBe(50 + WARMUP_LOOKBACKS * whole.lookback);
    expect(newest.bars.length).toBeLessThan(1_000);
    expect(newest.names).toEqual(whole.names);
    // Features with bounded memory agree to rounding, EMA-based ones to a few parts in 1e5; the cumulative OBV is
    // offset by a constant (its sum starts at the first loaded bar).
    newest.columns.forEach((col, f) => {
      const ref = whole.columns[f].subarray(2_950);
      const scale = Math.max(...Array.from(ref, Math.abs));
      if (newest.names[f] === 'obv') {
        for (let i = 1; i < 50; i++) expect(col[i] - ref[i]).toBeCloseTo(col[0] - ref[0], 6);
        return;
      }
      for (let i = 0; i < 50; i++) expect(Math.abs(col[i] - ref[i]), `${newest.names[f]} row ${i}`).toBeLessThanOrEqual(1e-4 * scale);
    });
    // the whole-history cache is still valid for the next full build
    expect((await buildFeatureFrame(st, { symbol: 'ACME', interval: '1d', set: DEFAULT_FEATURE_SET })).cached).toBe(true);
    // a series shorter than the window: every bar, the warm-up rows counted as usual
    const short = generateSeries({ symbol: 'NEW', interval: '1d', bars: 100, seed: 4, start: START });
    await store(st, short);
    const few = await buildFeatureFrame(st, { symbol: 'NEW', interval: '1d', set: DEFAULT_FEATURE_SET, newest: 256 });
    expect(few.rows).toBe(100);
    expect(few.warmupRows).toBe(few.lookback);
    await st.close();
  });

  it('refuses unknown sets, invalid user sets and bad label syntax clearly', () => {
    const home = tempHome();
    expect(() => resolveFeatureSet(home, 'nope')).toThrow(UsageError);
    mkdirSync(join(home, 'featuresets'));
    writeFileSync(join(home, 'featuresets', 'mine.json'), JSON.stringify({ name: 'mine', version: 2, features: ['rsi_14', 'bogus_3'] }));
    expect(() => resolveFeatureSet(home, 'mine')).toThrow(/bogus_3/);
    writeFileSync(join(home, 'featuresets', 'ok.json'), JSON.stringify({ name: 'ok', version: 1, features: ['rsi_14'] }));
    expect(resolveFeatureSet(home, 'ok').features).toEqual(['rsi_14']);
    expect(() => parseLabelOption('return:h=0')).toThrow(/labels/);
    expect(() => parseLabelOption('forward:h=1')).toThrow(/unknown label kind/);
    expect(() => parseLabelOption('direction:h=5:x=1')).toThrow(/not valid/);
    expect(parseLabelOption('triple-barrier:h=10:pt=2:sl=1')).toEqual([{ kind: 'tripleBarrier', horizon: 10, profitTake: 2, stopLoss: 1, volWindow: 20 }]);
  });
});
