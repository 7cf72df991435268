/**
 * The drift-test interface: one statistical comparison of a feature's reference window with its current window.
 * Each test is one small file implementing `DriftTest`, registered in `DRIFT_TESTS` (registry.ts).
 *
 * The definitions, defaults and drift rules follow Evidently 0.7.21 (github.com/evidentlyai/evidently, commit
 * a4aa4c2b, files src/evidently/legacy/calculations/stattests/*.py and src/evidently/legacy/calculations/data_drift.py);
 * each test's file names the Evidently file it follows.
 *
 * Input contract: `run` takes finite numbers only. Rows with NaN or ±Infinity are the caller's to leave out and to
 * count (Evidently replaces ±inf with NaN and drops NaN before testing): use `finiteValues`, which returns the kept
 * values and how many were dropped. `run` throws a `DataError` on a non-finite value or an empty sample.
 * Categorical columns are passed as numeric codes; two rows are in the same category when their codes are equal.
 */
import { DataError } from '../../core/errors.js';
import { severityOf, type DriftScoreKind, type DriftSeverity } from './severity.js';

export type { DriftScoreKind } from './severity.js';

/** The registered drift tests (Evidently's names, except `chi2` for its `chisquare`). */
export type DriftTestName = 'ks' | 'wasserstein' | 'psi' | 'chi2' | 'jensenshannon' | 'z';

/** Whether a column holds measurements (ordered, binned when needed) or category codes (compared by equality). */
export type ColumnKind = 'numerical' | 'categorical';


/**
 * How a test's score is compared with its threshold, as Evidently compares it: KS drifts at p <= threshold, the
 * chi-square and Z tests at p < threshold, the distances at score >= threshold.
 */
export type DriftRule = 'p <= threshold' | 'p < threshold' | 'score >= threshold';

/** Options of one test run. */
export interface DriftTestOptions {
  /** Threshold to compare the score with; the test's `defaultThreshold` when omitted. */
  threshold?: number;
  /** The column's kind (default `numerical`); the binned tests use value bins for categorical columns. */
  columnKind?: ColumnKind;
}

/** What a drift test reports for one column. */
export interface DriftTestResult {
  /** The test that ran. */
  test: DriftTestName;
  /** The test statistic: KS D, chi-square, Z, or the distance itself. */
  statistic: number;
  /** The p-value for p-value tests, null for distances. */
  pValue: number | null;
  /** The number compared with the threshold: `pValue` for p-value tests, `statistic` for distances. */
  score: number;
  /** The threshold used. */
  threshold: number;
  /** Whether the test flags drift (see `DriftRule`). */
  drifted: boolean;
  /** How far past the threshold the score is (see severity.ts). */
  severity: DriftSeverity;
  /** Test-specific facts (e.g. the KS p-value method, the bins used); JSON-safe. */
  details: Record<string, string | number | boolean>;
}

/** One drift test. */
export interface DriftTest {
  readonly name: DriftTestName;
  /** Human label, e.g. "Kolmogorov-Smirnov p-value". */
  readonly label: string;
  readonly kind: DriftScoreKind;
  readonly rule: DriftRule;
  readonly defaultThreshold: number;
  /** Column kinds Evidently allows the test for (the auto rule may still pick Z for a two-valued numeric column). */
  readonly columnKinds: readonly ColumnKind[];
  /** Compares `current` with `reference` (finite, non-empty samples). */
  run(reference: Float64Array, current: Float64Array, options?: DriftTestOptions): DriftTestResult;
}

/** Whether `score` is past `threshold` under `rule`. */
export function isDrifted(rule: DriftRule, score: number, threshold: number): boolean {
  if (rule === 'p <= threshold') return score <= threshold;
  if (rule === 'p < threshold') return score < threshold;
  return score >= threshold;
}

/** Assembles a `DriftTestResult` for `test` from its statistic and p-value. */
export function driftResult(
  test: DriftTest,
  statistic: number,
  pValue: number | null,
  options: DriftTestOptions | undefined,
  details: Record<string, string | number | boolean> = {},
): DriftTestResult {
  const threshold = options?.threshold ?? test.defaultThreshold;
  const score = test.kind === 'p-value' ? (pValue as number) : statistic;
  const drifted = isDrifted(test.rule, score, threshold);
  return { test: test.name, statistic, pValue, score, threshold, drifted, severity: severityOf(test.kind, score, threshold, drifted), details };
}

/** The finite values of `x` and the number of NaN / ±Infinity rows left out. */
export function finiteValues(x: ArrayLike<number>): { values: Float64Array; dropped: number } {
  const out = new Float64Array(x.length);
  let k = 0;
  for (let i = 0; i < x.length; i++) {
    const v = x[i];
    if (Number.isFinite(v)) out[k++] = v;
  }
  return { values: k === x.length ? out : out.slice(0, k), dropped: x.length - k };
}

/** Whether `x` holds at least one finite value (stops at the first). */
export function hasFinite(x: ArrayLike<number>): boolean {
  for (let i = 0; i < x.length; i++) if (Number.isFinite(x[i])) return true;
  return false;
}

/** Throws a `DataError` unless `x` is non-empty and all finite (the `DriftTest.run` contract). */
export function checkSample(x: Float64Array, which: 'reference' | 'current', test: DriftTestName): void {
  if (x.length === 0) throw emptySample(which, test);
  // v * 0 is 0 for finite v and NaN for NaN and ±Infinity: one multiply-add per value, and a search only on failure.
  let probe = 0;
  for (let i = 0; i < x.length; i++) probe += x[i] * 0;
  if (probe !== 0) throw nonFinite(x, which, test);
}

/** Smallest and largest value of a sample. */
export interface SampleExtent {
  min: number;
  max: number;
}

/**
 * The sample's extent, for the binned tests. It throws on an empty sample or an infinite value (which shows up as
 * an infinite extent) but cannot see NaN, which comparisons skip: those tests call `checkSample` when their bins
 * report a value outside the extent (only NaN can be) or when they bin by value.
 */
export function sampleExtent(x: Float64Array, which: 'reference' | 'current', test: DriftTestName): SampleExtent {
  if (x.length === 0) throw emptySample(which, test);
  // Four independent running extents (rows i mod 4) shorten the loop-carried dependency chain.
  let min0 = Infinity;
  let max0 = -Infinity;
  let min1 = Infinity;
  let max1 = -Infinity;
  let min2 = Infinity;
  let max2 = -Infinity;
  let min3 = Infinity;
  let max3 = -Infinity;
  const n = x.length;
  let i = 0;
  for (; i + 3 < n; i += 4) {
    const a = x[i];
    const b = x[i + 1];
    const c = x[i + 2];
    const d = x[i + 3];
    min0 = a < min0 ? a : min0;
    max0 = a > max0 ? a : max0;
    min1 = b < min1 ? b : min1;
    max1 = b > max1 ? b : max1;
    min2 = c < min2 ? c : min2;
    max2 = c > max2 ? c : max2;
    min3 = d < min3 ? d : min3;
    max3 = d > max3 ? d : max3;
  }
  for (; i < n; i++) {
    min0 = x[i] < min0 ? x[i] : min0;
    max0 = x[i] > max0 ? x[i] : max0;
  }
  const lo01 = min0 < min1 ? min0 : min1;
  const lo23 = min2 < min3 ? min2 : min3;
  const hi01 = max0 > max1 ? max0 : max1;
  const hi23 = max2 > max3 ? max2 : max3;
  const min = lo01 < lo23 ? lo01 : lo23;
  const max = hi01 > hi23 ? hi01 : hi23;
  if (!Number.isFinite(min) || !Number.isFinite(max)) throw nonFinite(x, which, test);
  return { min, max };
}

function emptySample(which: string, test: DriftTestName): DataError {
  return new DataError(`${test} drift test: the ${which} sample is empty`, 'a drift test needs at least one finite value in each window');
}

function nonFinite(x: Float64Array, which: string, test: DriftTestName): DataError {
  const i = x.findIndex((v) => !Number.isFinite(v));
  return new DataError(
    `${test} drift test: the ${which} sample has a non-finite value (${x[i]}) at row ${i}`,
    'leave NaN and infinite rows out with finiteValues() and report how many were dropped',
  );
}
