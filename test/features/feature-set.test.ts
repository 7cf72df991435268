/** Feature-set specs: the default set, parsing with clear errors, stable hashes, listFeatures. */
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../src/core/errors.js';
import {
  DEFAULT_FEATURE_SET,
  canonicalJson,
  featureSetHash,
  listFeatures,
  parseFeatureSetSpec,
} from '../../src/features/feature-set.js';
import { builtinRegistry } from '../../src/features/registry.js';
import { FEATURE_GROUPS } from '../../src/features/types.js';

describe('feature sets', () => {
  it('the default set has at least 60 features in every bar group', () => {
    const hourly = listFeatures(DEFAULT_FEATURE_SET, { interval: '1h' });
    const daily = listFeatures(DEFAULT_FEATURE_SET, { interval: '1d' });
    expect(hourly.length).toBeGreaterThanOrEqual(60);
    expect(daily.length).toBe(hourly.length - 2);
    expect(daily.some((f) => f.name.startsWith('hour_'))).toBe(false);
    const groups = new Set(hourly.map((f) => f.group));
    expect([...groups].sort()).toEqual(FEATURE_GROUPS.filter((g) => g !== 'context').sort());
    for (const f of hourly) {
      expect(f.definition.length).toBeGreaterThan(10);
      expect(Number.isInteger(f.lookback) && f.lookback >= 0).toBe(true);
    }
    expect(hourly.find((f) => f.name === 'macd_signal_12_26_9')?.lookback).toBe(33);
    expect(hourly.find((f) => f.name === 'adx_14')?.lookback).toBe(27);
  });

  it('parses user specs and reports every problem clearly', () => {
    const spec = parseFeatureSetSpec({ name: 'mine', version: 2, features: ['rsi_14', 'bb_upper_20_2.5'] });
    expect(spec.timeframes).toEqual([]);
    const bad: Array<[unknown, RegExp]> = [
      [{ name: 'x', version: 1, features: ['rsi_fourteen'] }, /unknown feature "rsi_fourteen"/],
      [{ name: 'x', version: 1, features: ['rsi'] }, /has 0 parameter\(s\), rsi takes 1/],
      [{ name: 'x', version: 1, features: ['rsi_0'] }, /period = 0 is out of range/],
      [{ name: 'x', version: 1, features: ['rsi_2.5'] }, /out of range/],
      [{ name: 'x', version: 1, features: ['rsi_14', 'rsi_14'] }, /listed twice/],
      [{ name: 'x', version: 1, features: [] }, /features: list at least one feature/],
      [{ name: 'x', version: 1, features: ['rsi_14'], extra: 1 }, /invalid feature set/],
      [{ name: 'X Y', version: 0, features: ['rsi_14'] }, /name: .*; version must be at least 1 \(got 0\)/],
      [{ name: 'x', version: 1, features: ['rsi_14'], references: [{ name: 'spy', features: ['corr_1'] }] }, /unknown reference feature "corr_1"/],
      [{ name: 'x', version: 1, features: ['rsi_14'], timeframes: [{ interval: '2d', features: ['rsi_14'] }] }, /timeframes\[0\]\.interval must be one of .*\(got "2d"\)/],
    ];
    for (const [input, message] of bad) {
      expect(() => parseFeatureSetSpec(input)).toThrow(ConfigError);
      expect(() => parseFeatureSetSpec(input)).toThrow(message);
    }
  });

  it('expands window grids after the listed features', () => {
    const spec = parseFeatureSetSpec({ name: 'g', version: 1, features: ['obv'], grids: [{ families: ['rsi', 'roc'], windows: [7, 14] }] });
    expect(listFeatures(spec).map((f) => f.name)).toEqual(['obv', 'rsi_7', 'rsi_14', 'roc_7', 'roc_14']);
    const explicit = parseFeatureSetSpec({ name: 'g', version: 1, features: ['obv', 'rsi_7', 'rsi_14', 'roc_7', 'roc_14'] });
    expect(featureSetHash(spec)).toBe(featureSetHash(explicit));
    expect(() => parseFeatureSetSpec({ name: 'g', version: 1, grids: [{ families: ['bb_upper'], windows: [20] }] })).toThrow(
      /bb_upper_20" has 1 parameter\(s\), bb_upper takes 2/,
    );
    expect(() => parseFeatureSetSpec({ name: 'g', version: 1, grids: [{ families: ['rsi'], windows: [14] }], features: ['rsi_14'] })).toThrow(/listed twice/);
  });

  it('resolves names to canonical form', () => {
    expect(builtinRegistry.resolve('bb_upper_20_2.0').name).toBe('bb_upper_20_2');
    expect(builtinRegistry.resolve('logret_lag_1_3').family.prefix).toBe('logret_lag');
    expect(builtinRegistry.resolve('logret_5').family.prefix).toBe('logret');
  });

  it('hashes are stable, canonical and sensitive to what changes the columns', () => {
    const base = { name: 's', version: 1, features: ['rsi_14', 'sma_20'] };
    const h = featureSetHash(parseFeatureSetSpec(base));
    expect(h).toMatch(/^[0-9a-f]{64}$/);
    // the documented payload: canonical JSON (sorted keys) of the spec plus the engine version, sha256 hex
    const payload = '{"engineVersion":1,"external":[],"features":["rsi_14","sma_20"],"name":"s","references":[],"timeframes":[],"version":1}';
    expect(h).toBe(createHash('sha256').update(payload).digest('hex'));
    expect(featureSetHash(parseFeatureSetSpec({ ...base, description: 'words' }))).toBe(h);
    expect(featureSetHash(parseFeatureSetSpec({ features: ['rsi_14', 'sma_20'], version: 1, name: 's' }))).toBe(h);
    expect(featureSetHash(parseFeatureSetSpec({ ...base, features: ['rsi_14', 'sma_20.0'] }))).toBe(h);
    expect(featureSetHash(parseFeatureSetSpec({ ...base, version: 2 }))).not.toBe(h);
    expect(featureSetHash(parseFeatureSetSpec({ ...base, features: ['sma_20', 'rsi_14'] }))).not.toBe(h);
    expect(featureSetHash(DEFAULT_FEATURE_SET)).not.toBe(h);
    expect(canonicalJson({ b: 1, a: [{ d: 2, c: undefined }] })).toBe('{"a":[{"d":2}],"b":1}');
  });
});
