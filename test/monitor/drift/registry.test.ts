import { describe, expect, it } from 'vitest';
import { DataError } from '../../../src/core/errors.js';
import type { ColumnKind, DriftTestName } from '../../../src/monitor/drift/drift-test.js';
import { DRIFT_TEST_NAMES, DRIFT_TESTS } from '../../../src/monitor/drift/registry.js';
import { monitorFixture, relErr, sampleOf, type SampleSpec } from '../../helpers/monitor-samples.js';

type Num = number | 'Infinity' | '-Infinity' | 'NaN';
interface EvidentlyCase {
  name: string;
  kind: ColumnKind;
  reference: SampleSpec;
  current: SampleSpec;
  auto: DriftTestName;
  results: Partial<Record<DriftTestName, { statistic: Num; pValue: Num | null; drifted: boolean }>>;
}
const fixture = monitorFixture<{ evidently: string; cases: EvidentlyCase[] }>('evidently.json');
const num = (v: Num): number => (typeof v === 'number' ? v : Number(v));

describe('the registered drift tests agree with Evidently 0.7.21', () => {
  it('registers every test under its own name with Evidently defaults', () => {
    expect(DRIFT_TEST_NAMES).toEqual(['ks', 'wasserstein', 'psi', 'chi2', 'jensenshannon', 'z']);
    for (const name of DRIFT_TEST_NAMES) expect(DRIFT_TESTS[name].name).toBe(name);
    const defaults = Object.fromEntries(DRIFT_TEST_NAMES.map((n) => [n, [DRIFT_TESTS[n].kind, DRIFT_TESTS[n].defaultThreshold, DRIFT_TESTS[n].rule]]));
    expect(defaults).toEqual({
      ks: ['p-value', 0.05, 'p <= threshold'],
      wasserstein: ['distance', 0.1, 'score >= threshold'],
      psi: ['distance', 0.1, 'score >= threshold'],
      chi2: ['p-value', 0.05, 'p < threshold'],
      jensenshannon: ['distance', 0.1, 'score >= threshold'],
      z: ['p-value', 0.05, 'p < threshold'],
    });
  });

  it('has cases for every test, drifted and not', () => {
    expect(fixture.evidently).toMatch(/^0\.7\.21/);
    for (const name of DRIFT_TEST_NAMES) {
      const verdicts = fixture.cases.flatMap((c) => (c.results[name] ? [c.results[name]!.drifted] : []));
      expect(new Set(verdicts), name).toEqual(new Set([true, false]));
    }
  });

  const runs = fixture.cases.flatMap((c) => (Object.keys(c.results) as DriftTestName[]).map((t) => [`${c.name}: ${t}`, c, t] as const));
  it.each(runs)('%s', (_name, c, test) => {
    const expected = c.results[test]!;
    const r = DRIFT_TESTS[test].run(sampleOf(c.reference), sampleOf(c.current), { columnKind: c.kind });
    expect(r.test).toBe(test);
    if (test === 'chi2' && expected.pValue === 'NaN') {
      // a single category: SciPy's p is NaN (0 degrees of freedom); pulse reports no drift with p = 1
      expect([r.statistic, r.pValue, r.drifted]).toEqual([0, 1, false]);
      return;
    }
    const statistic = num(expected.statistic);
    if (Number.isFinite(statistic)) expect(relErr(r.statistic, statistic)).toBeLessThanOrEqual(1e-9);
    else expect(r.statistic).toBe(statistic);
    if (expected.pValue === null) {
      expect(r.pValue).toBeNull();
      expect(r.score).toBe(r.statistic);
    } else {
      expect(relErr(r.pValue as number, num(expected.pValue))).toBeLessThanOrEqual(1e-9);
      expect(r.score).toBe(r.pValue);
    }
    expect(r.drifted).toBe(expected.drifted);
    expect(r.threshold).toBe(DRIFT_TESTS[test].defaultThreshold);
  });
});

describe('drift test inputs', () => {
  it('refuse NaN, infinities and empty windows with a DataError that says what to do', () => {
    for (const name of DRIFT_TEST_NAMES) {
      const test = DRIFT_TESTS[name];
      let error: unknown;
      try {
        test.run(Float64Array.from([1, NaN, 2]), Float64Array.from([1, 2]));
      } catch (e) {
        error = e;
      }
      expect(error).toBeInstanceOf(DataError);
      expect((error as DataError).message).toMatch(/reference sample has a non-finite value \(NaN\) at row 1/);
      expect((error as DataError).hint).toMatch(/finiteValues/);
      expect(() => test.run(Float64Array.from([1, 2]), Float64Array.from([Infinity]))).toThrow(/non-finite/);
      expect(() => test.run(new Float64Array(0), Float64Array.from([1]))).toThrow(/empty/);
    }
  });

  it('use a threshold override', () => {
    const ref = sampleOf({ seed: 1, n: 400 });
    const cur = sampleOf({ seed: 2, n: 400, shift: 0.01 });
    const loose = DRIFT_TESTS.wasserstein.run(ref, cur);
    const strict = DRIFT_TESTS.wasserstein.run(ref, cur, { threshold: loose.statistic / 2 });
    expect(loose.drifted).toBe(false);
    expect(strict.drifted).toBe(true);
    expect(strict.threshold).toBe(loose.statistic / 2);
  });
});
