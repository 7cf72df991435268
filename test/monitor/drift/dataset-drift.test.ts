import { describe, expect, it } from 'vitest';
import { DataError, UsageError } from '../../../src/core/errors.js';
import { detectColumnDrift, detectDatasetDrift, summarizeDatasetDrift, type ColumnDrift } from '../../../src/monitor/drift/dataset-drift.js';
import { finiteValues } from '../../../src/monitor/drift/drift-test.js';
import { lcgSample } from '../../helpers/monitor-samples.js';

const stable = (seed: number, n: number) => lcgSample({ seed, n });
const shifted = (seed: number, n: number) => lcgSample({ seed, n, shift: 0.5 });
const verdict = (drifted: boolean, severity: ColumnDrift['severity'] = drifted ? 'low' : 'none') =>
  ({ drifted, severity }) as ColumnDrift;

describe('summarizeDatasetDrift (Evidently get_dataset_drift)', () => {
  it('is drifted when the drifted share reaches driftShare', () => {
    const two = [verdict(true), verdict(false)];
    expect(summarizeDatasetDrift(two).datasetDrift).toBe(true); // 1/2 >= 0.5
    expect(summarizeDatasetDrift([...two, verdict(false)]).datasetDrift).toBe(false); // 1/3
    const s = summarizeDatasetDrift([...two, verdict(false)], 0.3);
    expect([s.numberOfColumns, s.numberOfDriftedColumns, s.datasetDrift]).toEqual([3, 1, true]);
    expect(s.shareOfDriftedColumns).toBeCloseTo(1 / 3, 15);
  });

  it('reports the worst column severity', () => {
    expect(summarizeDatasetDrift([verdict(true, 'medium'), verdict(true, 'high'), verdict(false)]).severity).toBe('high');
    expect(summarizeDatasetDrift([verdict(false)]).severity).toBe('none');
  });

  it('refuses no columns and a share outside [0, 1]', () => {
    expect(() => summarizeDatasetDrift([])).toThrow(UsageError);
    expect(() => summarizeDatasetDrift([verdict(true)], 1.5)).toThrow(UsageError);
  });
});

describe('detectDatasetDrift', () => {
  it('picks each column test automatically and flags the shifted ones', () => {
    const weekday = (n: number, skew: number) => Float64Array.from({ length: n }, (_, i) => (i * (1 + skew)) % 5);
    const result = detectDatasetDrift([
      { name: 'ret_1', kind: 'numerical', reference: stable(1, 800), current: stable(2, 300) },
      { name: 'rsi_14', kind: 'numerical', reference: stable(3, 800), current: shifted(4, 300) },
      { name: 'vol_20', kind: 'numerical', reference: stable(5, 3000), current: shifted(6, 1000) },
      { name: 'weekday', kind: 'categorical', reference: weekday(800, 0), current: weekday(300, 0) },
    ]);
    expect(result.columns.map((c) => [c.column, c.test, c.drifted])).toEqual([
      ['ret_1', 'ks', false],
      ['rsi_14', 'ks', true],
      ['vol_20', 'wasserstein', true],
      ['weekday', 'chi2', false],
    ]);
    expect(result.numberOfDriftedColumns).toBe(2);
    expect(result.datasetDrift).toBe(true);
    expect(result.columns[2].reason).toMatch(/reference has 3000 rows \(> 1000\)/);
  });

  it('leaves non-finite rows out and counts them', () => {
    const ref = [...stable(7, 200), NaN, Infinity, -Infinity];
    const cur = [NaN, ...stable(8, 100)];
    const c = detectColumnDrift({ name: 'x', kind: 'numerical', reference: ref, current: cur, test: 'psi' });
    expect([c.referenceRows, c.referenceDropped, c.currentRows, c.currentDropped]).toEqual([200, 3, 100, 1]);
    expect(c.reason).toBe('requested');
    expect(c.test).toBe('psi');
    expect(finiteValues([1, NaN, 2])).toEqual({ values: Float64Array.from([1, 2]), dropped: 1 });
  });

  it('fails with a DataError naming the column when a window has no finite value', () => {
    expect(() => detectColumnDrift({ name: 'sma_200', kind: 'numerical', reference: [NaN, NaN], current: [1] })).toThrow(DataError);
    expect(() => detectColumnDrift({ name: 'sma_200', kind: 'numerical', reference: [NaN, NaN], current: [1] })).toThrow(/sma_200/);
  });
});
