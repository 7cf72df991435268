/**
 * The automatic choice of drift test per column, Evidently's default rule (`_get_default_stattest` in
 * src/evidently/legacy/calculations/stattests/registry.py at Evidently 0.7.21, commit a4aa4c2b), applied to the
 * windows after NaN rows are left out:
 *
 * | reference rows | column      | distinct values in both windows | test          |
 * |----------------|-------------|---------------------------------|---------------|
 * | <= 1000        | numerical   | > 5                             | ks            |
 * | <= 1000        | numerical   | 3 to 5                          | chi2          |
 * | <= 1000        | numerical   | <= 2                            | z             |
 * | <= 1000        | categorical | > 2                             | chi2          |
 * | <= 1000        | categorical | <= 2                            | z             |
 * | > 1000         | numerical   | > 5                             | wasserstein   |
 * | > 1000         | numerical   | <= 5                            | jensenshannon |
 * | > 1000         | categorical | any                             | jensenshannon |
 */
import { countDistinct } from './binning.js';
import type { ColumnKind, DriftTestName } from './drift-test.js';

/** Reference size up to which Evidently uses significance tests (above it, distances). */
export const SMALL_REFERENCE_ROWS = 1000;

/** The test the rule picks and why. */
export interface DriftTestChoice {
  test: DriftTestName;
  /** One sentence naming the facts that decided, e.g. "reference has 250 rows (<= 1000) ...". */
  reason: string;
}

/** Picks the drift test for a column as Evidently's default rule does (see the table above). */
export function chooseDriftTest(reference: Float64Array, current: Float64Array, columnKind: ColumnKind): DriftTestChoice {
  const rows = reference.length;
  const distinct = countDistinct([reference, current], 5); // only <= 2 and <= 5 matter
  const size = rows <= SMALL_REFERENCE_ROWS ? `reference has ${rows} rows (<= ${SMALL_REFERENCE_ROWS})` : `reference has ${rows} rows (> ${SMALL_REFERENCE_ROWS})`;
  const values = distinct > 5 ? 'more than 5 distinct values' : `${distinct} distinct value${distinct === 1 ? '' : 's'}`;
  const why = (test: DriftTestName, what: string): DriftTestChoice => ({ test, reason: `${size} and the ${columnKind} column has ${values}: ${what}` });
  if (rows <= SMALL_REFERENCE_ROWS) {
    if (columnKind === 'numerical' && distinct > 5) return why('ks', 'two-sample Kolmogorov-Smirnov test');
    return distinct > 2 ? why('chi2', 'chi-square test on the value counts') : why('z', 'two-proportion Z-test');
  }
  if (columnKind === 'numerical' && distinct > 5) return why('wasserstein', 'normed Wasserstein distance');
  return why('jensenshannon', 'Jensen-Shannon distance of the value shares');
}
