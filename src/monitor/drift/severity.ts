/**
 * Drift severity: how far past its threshold a drifted column's score is. Evidently reports only drifted or not;
 * pulse grades it so that an operator can tell a marginal alarm from a broken feature.
 *
 * - not drifted: `none`;
 * - distances (PSI, Wasserstein, Jensen-Shannon), by score / threshold: below 2 `low`, below 4 `medium`, else `high`;
 * - p-values (KS, chi-square, Z), by decades below the threshold, log10(threshold / p): below 1 `low`, below 3
 *   `medium`, else `high` (p = 0 is `high`). With large windows p-values fall fast, so the p-value grades are wide.
 */

/** Whether a test's score is a p-value (small means drift) or a distance (large means drift). */
export type DriftScoreKind = 'p-value' | 'distance';

/** Drift severity grades, in increasing order. */
export type DriftSeverity = 'none' | 'low' | 'medium' | 'high';

/** Severity grades in increasing order (for sorting and comparing). */
export const DRIFT_SEVERITIES: readonly DriftSeverity[] = ['none', 'low', 'medium', 'high'];

/** The severity of a score under the rule above. */
export function severityOf(kind: DriftScoreKind, score: number, threshold: number, drifted: boolean): DriftSeverity {
  if (!drifted) return 'none';
  if (kind === 'distance') {
    const ratio = threshold > 0 ? score / threshold : Infinity;
    return ratio < 2 ? 'low' : ratio < 4 ? 'medium' : 'high';
  }
  if (!(score > 0)) return 'high';
  const decades = Math.log10(threshold / score);
  return decades < 1 ? 'low' : decades < 3 ? 'medium' : 'high';
}
