/**
 * The degradation rule: has a slot's active model got worse in production? It judges the model's rolling loss, its
 * loss over the evaluated window (the newest predictions with outcomes), on two counts:
 *
 * 1. against its own test loss, the loss on the held-out test tail stored in its registry document (`metrics.test`:
 *    `rmse` for regression, `logLoss` for classification): degraded when the rolling loss is more than
 *    `degradationPct` percent above it;
 * 2. against the naive baseline on the same bars (regression: the zero forecast, whose RMSE is the root mean square of
 *    the outcomes; classification: the outcomes' own class frequencies as probabilities): degraded when the model's
 *    loss is not below the baseline's.
 *
 * With fewer than `degradationMin` outcomes the rule does not judge (degraded: false, with the reason). The cycle's
 * automatic retraining (`clm.autoRetrain`) reads `degraded` and the reasons.
 */
import { DEFAULT_DEGRADATION, type DegradationPolicy } from './settings.js';

export type { DegradationPolicy };

/** What the rule judges. */
export interface DegradationInput {
  /** `rmse` (regression) or `logLoss` (classification): the same loss on every side. */
  loss: 'rmse' | 'logLoss';
  /** Outcomes in the rolling window. */
  n: number;
  /** The model's loss on them. */
  rollingLoss: number | null;
  /** The model's loss on its test tail (null when it was trained without one). */
  testLoss: number | null;
  /** The naive baseline's loss on the same bars. */
  naiveLoss: number | null;
}

export interface DegradationResult extends DegradationInput {
  degraded: boolean;
  /** Why degraded, or why not; one line each, with the figures. */
  reasons: string[];
  /** 100 (rolling / test - 1): how far the rolling loss is above the test loss (null without both). */
  vsTestPct: number | null;
  thresholdPct: number;
}

const fmt = (x: number) => (Math.abs(x) >= 1e-3 || x === 0 ? x.toPrecision(4) : x.toExponential(2));

/** Apply the rule (see the module note). */
export function judgeDegradation(input: DegradationInput, policy: DegradationPolicy = DEFAULT_DEGRADATION): DegradationResult {
  const { loss, n, rollingLoss, testLoss, naiveLoss } = input;
  const vsTestPct = rollingLoss !== null && testLoss !== null && testLoss > 0 ? 100 * (rollingLoss / testLoss - 1) : null;
  const base = { ...input, vsTestPct, thresholdPct: policy.degradationPct };
  if (n < policy.degradationMin || rollingLoss === null) {
    return { ...base, degraded: false, reasons: [`only ${n} outcomes; the rule judges from ${policy.degradationMin} on`] };
  }
  const reasons: string[] = [];
  let degraded = false;
  if (testLoss === null) {
    reasons.push(`no test ${loss} stored with the model (trained without a test tail)`);
  } else if (vsTestPct !== null && vsTestPct > policy.degradationPct) {
    degraded = true;
    reasons.push(`rolling ${loss} ${fmt(rollingLoss)} is ${fmt(vsTestPct)}% above the test ${loss} ${fmt(testLoss)} (more than ${policy.degradationPct}%)`);
  } else {
    reasons.push(`rolling ${loss} ${fmt(rollingLoss)} is within ${policy.degradationPct}% of the test ${loss} ${fmt(testLoss)}`);
  }
  if (naiveLoss === null) {
    reasons.push('no naive baseline loss on these bars');
  } else if (!(rollingLoss < naiveLoss)) {
    degraded = true;
    reasons.push(`rolling ${loss} ${fmt(rollingLoss)} does not beat the naive baseline's ${fmt(naiveLoss)} on the same ${n} bars`);
  } else {
    reasons.push(`rolling ${loss} ${fmt(rollingLoss)} beats the naive baseline's ${fmt(naiveLoss)} on the same ${n} bars`);
  }
  return { ...base, degraded, reasons };
}
