/**
 * The default set on every real OHLCV file in ../shared (skipped without it): finite after the warm-up on real
 * quirks (zero volume, flat bars, gaps, prices from 1e-8 to 1e5), and free of look-ahead.
 */
import { readdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { Interval } from '../../src/core/interval.js';
import { computeFeatureSet } from '../../src/features/compute.js';
import { DEFAULT_FEATURE_SET } from '../../src/features/feature-set.js';
import { checkNoLookahead } from '../../src/features/lookahead.js';
import { HAS_SHARED, sharedPath } from '../helpers/shared.js';
import { readCsvSeries } from './helpers.js';

const DIRS = ['data/market/backtesting.py', 'data/market/freqtrade'];

function intervalOf(file: string): Interval {
  const m = /-(1m|5m|30m|1h|1d|1mo)\.csv$/.exec(file);
  return (m ? m[1] : '1d') as Interval;
}

describe.skipIf(!HAS_SHARED)('real bars from ../shared', () => {
  const files = HAS_SHARED ? DIRS.flatMap((d) => readdirSync(sharedPath(d)).filter((f) => f.endsWith('.csv')).map((f) => `${d}/${f}`)) : [];

  it('finds the files', () => {
    expect(files.length).toBeGreaterThanOrEqual(15);
  });

  it.each(files)('%s: finite features after the warm-up', (file) => {
    const m = computeFeatureSet(DEFAULT_FEATURE_SET, readCsvSeries(sharedPath(file), intervalOf(file), file));
    m.names.forEach((name, j) => {
      const col = m.columns[j];
      for (let i = m.features[j].lookback; i < col.length; i++) {
        if (!Number.isFinite(col[i])) expect.fail(`${name} row ${i} = ${col[i]}`);
      }
    });
  });

  it('EURUSD hourly is free of look-ahead', () => {
    const s = readCsvSeries(sharedPath('data/market/backtesting.py/EURUSD-1h.csv'), '1h', 'EURUSD');
    expect(checkNoLookahead(DEFAULT_FEATURE_SET, s, {}, { maxRows: 1500 })).toEqual([]);
  });
});
