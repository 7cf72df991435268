/**
 * Column and dataset drift: runs a drift test per column (a named one or the automatic choice) on the finite
 * values of each window, and calls the dataset drifted when the share of drifted columns reaches `driftShare`
 * (default 0.5), as Evidently 0.7.21's `DatasetDriftMetric` does (`get_dataset_drift` in
 * src/evidently/legacy/calculations/data_drift.py, commit a4aa4c2b: share = drifted / columns, drift iff share >=
 * drift_share).
 *
 * This is the caller the drift tests' input contract refers to: it leaves NaN and ±Infinity rows out of each
 * window and reports how many it dropped.
 */
import { DataError, UsageError } from '../../core/errors.js';
import { chooseDriftTest } from './auto.js';
import { finiteValues, type ColumnKind, type DriftTestName, type DriftTestResult } from './drift-test.js';
import { DRIFT_TESTS } from './registry.js';
import { DRIFT_SEVERITIES, type DriftSeverity } from './severity.js';

/** Evidently's default share of drifted columns at which the dataset counts as drifted. */
export const DEFAULT_DRIFT_SHARE = 0.5;

/** One column to check. */
export interface DriftColumnInput {
  name: string;
  kind: ColumnKind;
  reference: ArrayLike<number>;
  current: ArrayLike<number>;
  /** A registered test, or `auto` (default) for Evidently's rule. */
  test?: DriftTestName | 'auto';
  /** Overrides the test's default threshold. */
  threshold?: number;
  /** Overrides the default threshold of p-value tests only (KS, chi-square, Z): the `clm.driftThreshold` level. */
  pValueThreshold?: number;
}

/** A column's drift result with its provenance. */
export interface ColumnDrift extends DriftTestResult {
  column: string;
  columnKind: ColumnKind;
  /** Why this test: the auto rule's reason, or "requested". */
  reason: string;
  /** Finite rows used from each window. */
  referenceRows: number;
  currentRows: number;
  /** NaN / ±Infinity rows left out of each window. */
  referenceDropped: number;
  currentDropped: number;
}

/** The dataset-level verdict. */
export interface DatasetDrift {
  columns: ColumnDrift[];
  numberOfColumns: number;
  numberOfDriftedColumns: number;
  shareOfDriftedColumns: number;
  driftShare: number;
  datasetDrift: boolean;
  /** The highest column severity. */
  severity: DriftSeverity;
}

/** Runs one column's drift test on its finite values. */
export function detectColumnDrift(input: DriftColumnInput): ColumnDrift {
  const ref = finiteValues(input.reference);
  const cur = finiteValues(input.current);
  for (const [which, w] of [['reference', ref], ['current', cur]] as const) {
    if (w.values.length === 0) {
      throw new DataError(
        `column ${input.name}: the ${which} window has no finite values (${w.dropped} NaN or infinite rows)`,
        `check that the ${which} window covers bars where ${input.name} is defined (its lookback), or leave the column out`,
      );
    }
  }
  const requested = input.test ?? 'auto';
  const choice = requested === 'auto' ? chooseDriftTest(ref.values, cur.values, input.kind) : { test: requested, reason: 'requested' };
  const test = DRIFT_TESTS[choice.test];
  if (!test) throw new UsageError(`unknown drift test "${requested}"`, `use one of: auto, ${Object.keys(DRIFT_TESTS).join(', ')}`);
  const threshold = input.threshold ?? (test.kind === 'p-value' ? input.pValueThreshold : undefined);
  const result = test.run(ref.values, cur.values, { threshold, columnKind: input.kind });
  return {
    ...result,
    column: input.name,
    columnKind: input.kind,
    reason: choice.reason,
    referenceRows: ref.values.length,
    currentRows: cur.values.length,
    referenceDropped: ref.dropped,
    currentDropped: cur.dropped,
  };
}

/** The dataset verdict over already-tested columns: drifted iff drifted / columns >= driftShare. */
export function summarizeDatasetDrift(columns: ColumnDrift[], driftShare: number = DEFAULT_DRIFT_SHARE): DatasetDrift {
  if (columns.length === 0) throw new UsageError('no columns to check for drift', 'pass at least one feature column');
  if (!(driftShare >= 0 && driftShare <= 1)) throw new UsageError(`drift share must be between 0 and 1, got ${driftShare}`);
  const drifted = columns.filter((c) => c.drifted).length;
  const share = drifted / columns.length;
  let severity: DriftSeverity = 'none';
  for (const c of columns) if (DRIFT_SEVERITIES.indexOf(c.severity) > DRIFT_SEVERITIES.indexOf(severity)) severity = c.severity;
  return {
    columns,
    numberOfColumns: columns.length,
    numberOfDriftedColumns: drifted,
    shareOfDriftedColumns: share,
    driftShare,
    datasetDrift: share >= driftShare,
    severity,
  };
}

/** Tests every column and summarizes (see the module comment). */
export function detectDatasetDrift(columns: readonly DriftColumnInput[], options: { driftShare?: number } = {}): DatasetDrift {
  return summarizeDatasetDrift(columns.map(detectColumnDrift), options.driftShare ?? DEFAULT_DRIFT_SHARE);
}
