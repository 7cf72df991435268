/**
 * The promotion gate: may a candidate (shadow) model replace the slot's active model? It compares the two on the
 * same rows, the predictions both made with their realised outcomes, and promotes only when all three hold:
 *
 * 1. enough evidence: at least `shadowMin` paired rows (the seed's 100);
 * 2. a significant improvement: the one-sided Diebold-Mariano test (diebold-mariano.ts, as R's `forecast::dm.test`
 *    with the Harvey-Leybourne-Newbold correction and Student t with n - 1 degrees of freedom), alternative "the
 *    candidate's loss is lower", on per-row losses (src/evaluation/row-loss.ts) with h = the label horizon, at
 *    level `alpha`;
 * 3. a large enough improvement: the relative fall of the mean loss, 100 (L_active - L_candidate) / L_active, is at
 *    least `minImprovementPct` (MLflow's `MetricThreshold(min_relative_change=...)`).
 *
 * Every check is reported, passed or not, so a refusal names each reason and a promotion says why it passed.
 */
import { DataError } from '../core/errors.js';
import type { RowLossName } from '../evaluation/row-loss.js';
import { dieboldMarianoOnLosses } from './diebold-mariano.js';
import { DEFAULT_PROMOTION_GATE, type PromotionGatePolicy } from './settings.js';

export type { PromotionGatePolicy };

/** What the gate judges: the two models' losses on the same rows, in the same order. */
export interface PromotionGateInput {
  loss: RowLossName;
  /** The label horizon in bars: the test's h (overlapping horizons make the losses autocorrelated up to h - 1). */
  horizon: number;
  lossActive: ArrayLike<number>;
  lossCandidate: ArrayLike<number>;
}

/** One condition of the gate. */
export interface GateCheck {
  name: 'evidence' | 'significance' | 'improvement';
  passed: boolean;
  /** One line in an operator's words, with the figures. */
  message: string;
}

/** The gate's decision, as `pulse promote --json` reports it. */
export interface PromotionGateResult {
  decision: 'promote' | 'refuse';
  /** The failed checks' messages on a refusal; every check's message on a promotion. */
  reasons: string[];
  checks: GateCheck[];
  n: number;
  /** Mean losses over the paired rows. */
  lossActive: number;
  lossCandidate: number;
  /** 100 (L_active - L_candidate) / L_active; null when the active model's loss is 0. */
  improvementPct: number | null;
  test: {
    name: 'diebold-mariano';
    /** Null when the test is undefined (too few rows, or a constant loss differential). */
    statistic: number | null;
    pValue: number | null;
    /** The horizon used (1 when R would fall back to it for a non-positive variance). */
    horizon: number;
    loss: RowLossName;
  };
}

const fmt = (x: number) => (Math.abs(x) >= 1e-3 || x === 0 ? x.toPrecision(4) : x.toExponential(2));

/**
 * Judge a candidate against the active model (see the module note).
 * @throws DataError when the loss arrays differ in length or hold a value that is not a finite non-negative loss.
 */
export function promotionGate(input: PromotionGateInput, policy: PromotionGatePolicy = DEFAULT_PROMOTION_GATE): PromotionGateResult {
  const { lossActive: a, lossCandidate: c } = input;
  if (a.length !== c.length) throw new DataError(`promotion gate: ${a.length} active losses but ${c.length} candidate losses`, 'pair the two models on the same rows');
  const n = a.length;
  let sumA = 0;
  let sumC = 0;
  for (let i = 0; i < n; i++) {
    if (!(a[i] >= 0 && c[i] >= 0 && Number.isFinite(a[i]) && Number.isFinite(c[i]))) {
      throw new DataError(`promotion gate: row ${i} has no finite non-negative loss`, 'leave out rows without an outcome or a prediction');
    }
    sumA += a[i];
    sumC += c[i];
  }
  const lossActive = n > 0 ? sumA / n : NaN;
  const lossCandidate = n > 0 ? sumC / n : NaN;
  const improvementPct = lossActive > 0 ? (100 * (lossActive - lossCandidate)) / lossActive : null;

  const checks: GateCheck[] = [];
  const enough = n >= policy.shadowMin;
  checks.push({
    name: 'evidence',
    passed: enough,
    message: enough
      ? `${n} paired predictions with outcomes (at least ${policy.shadowMin} needed)`
      : `only ${n} paired predictions with outcomes; ${policy.shadowMin} are needed (${policy.shadowMin - n} more)`,
  });

  let test: PromotionGateResult['test'] = { name: 'diebold-mariano', statistic: null, pValue: null, horizon: input.horizon, loss: input.loss };
  if (n >= 2 && input.horizon < n) {
    const dm = dieboldMarianoOnLosses(c, a, { horizon: input.horizon, alternative: 'less' });
    test = { ...test, statistic: dm.statistic, pValue: dm.pValue, horizon: dm.horizon };
  }
  const significant = test.pValue !== null && test.pValue < policy.alpha;
  checks.push({
    name: 'significance',
    passed: significant,
    message:
      test.pValue === null
        ? n >= 2 && input.horizon < n
          ? 'the loss differential is constant, so the Diebold-Mariano test is undefined'
          : `too few rows (${n}) for the Diebold-Mariano test at horizon ${input.horizon}`
        : `Diebold-Mariano DM = ${fmt(test.statistic!)}, one-sided p = ${fmt(test.pValue)} ${significant ? '<' : '>='} alpha ${policy.alpha}` +
          (significant ? '' : ': the candidate is not significantly better'),
  });

  const improved = improvementPct !== null ? improvementPct >= policy.minImprovementPct : lossCandidate === 0 && policy.minImprovementPct <= 0;
  checks.push({
    name: 'improvement',
    passed: improved,
    message:
      improvementPct === null
        ? `the active model's mean ${input.loss} is 0; ${lossCandidate === 0 ? 'the candidate ties it' : 'the candidate cannot improve on it'}`
        : `mean ${input.loss} ${fmt(lossCandidate)} against ${fmt(lossActive)}: ${improvementPct >= 0 ? 'improved' : 'worse'} by ${fmt(Math.abs(improvementPct))}% (at least ${policy.minImprovementPct}% needed)`,
  });

  const promote = checks.every((ch) => ch.passed);
  return {
    decision: promote ? 'promote' : 'refuse',
    reasons: checks.filter((ch) => promote || !ch.passed).map((ch) => ch.message),
    checks,
    n,
    lossActive,
    lossCandidate,
    improvementPct,
    test,
  };
}
