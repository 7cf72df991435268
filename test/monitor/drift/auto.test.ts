import { describe, expect, it } from 'vitest';
import { chooseDriftTest } from '../../../src/monitor/drift/auto.js';
import type { ColumnKind, DriftTestName } from '../../../src/monitor/drift/drift-test.js';
import { monitorFixture, sampleOf, type SampleSpec } from '../../helpers/monitor-samples.js';

const column = (n: number, distinct: number): Float64Array => Float64Array.from({ length: n }, (_, i) => i % distinct);

describe('chooseDriftTest follows Evidently _get_default_stattest', () => {
  it.each([
    // reference rows, distinct values, kind, expected
    [1000, 50, 'numerical', 'ks'],
    [200, 6, 'numerical', 'ks'],
    [200, 5, 'numerical', 'chi2'],
    [200, 3, 'numerical', 'chi2'],
    [200, 2, 'numerical', 'z'],
    [200, 1, 'numerical', 'z'],
    [1000, 3, 'categorical', 'chi2'],
    [1000, 40, 'categorical', 'chi2'],
    [1000, 2, 'categorical', 'z'],
    [1001, 50, 'numerical', 'wasserstein'],
    [1001, 6, 'numerical', 'wasserstein'],
    [1001, 5, 'numerical', 'jensenshannon'],
    [5000, 2, 'numerical', 'jensenshannon'],
    [1001, 2, 'categorical', 'jensenshannon'],
    [5000, 40, 'categorical', 'jensenshannon'],
  ] as const)('%i reference rows, %i values, %s -> %s', (rows, distinct, kind, expected) => {
    const choice = chooseDriftTest(column(rows, distinct), column(100, distinct), kind);
    expect(choice.test).toBe(expected);
    expect(choice.reason).toContain(`reference has ${rows} rows`);
    expect(choice.reason).toContain(kind);
  });

  it('counts distinct values over both windows, as Evidently concatenates them', () => {
    // 2 values in the reference, 3 more only in the current: 5 in all -> chi2, not z
    const choice = chooseDriftTest(column(300, 2), Float64Array.from([2, 3, 4]), 'numerical');
    expect(choice.test).toBe('chi2');
    expect(choice.reason).toContain('5 distinct values');
  });

  it('agrees with the transcribed rule on every Evidently fixture case', () => {
    const cases = monitorFixture<{ cases: { name: string; kind: ColumnKind; reference: SampleSpec; current: SampleSpec; auto: DriftTestName }[] }>(
      'evidently.json',
    ).cases;
    expect(new Set(cases.map((c) => c.auto))).toEqual(new Set(['ks', 'wasserstein', 'chi2', 'z', 'jensenshannon'])); // never psi
    for (const c of cases) expect(chooseDriftTest(sampleOf(c.reference), sampleOf(c.current), c.kind).test, c.name).toBe(c.auto);
  });
});
