/**
 * A/B tests of a slot: the active model (control) against one of its shadows (challenger).
 *
 * - **Serving.** While a test runs, `pulse predict` serves each bar's signal from one arm, picked by
 *   `servingArm` (src/predict/ab-serving.ts): a seeded hash of (seed, test, symbol, bar) below the split serves the challenger. The same
 *   seed gives the same assignment on any machine, in any order of runs. Both arms still predict every bar (the
 *   challenger is a shadow), so their losses compare pair by pair; the serving arm of each bar is recorded.
 * - **Evidence.** Losses: every bar both arms predicted with a known outcome, predictions made since the test
 *   started (squared error, or the log loss of the class that happened, as the promotion gate scores them).
 *   Returns: each served bar's signal (long +1, short -1, flat 0) times the bar's realised return over the label
 *   horizon (close to close), per arm.
 * - **Decision.** Once both minimums are met (`minDays` since the start and `minN` paired outcomes), the two-sided
 *   Diebold-Mariano test on the paired losses (h = the label horizon, as `forecast::dm.test`) decides at 95%: the
 *   arm with the lower mean loss wins when p < 0.05, otherwise there is no difference yet. With `autoWinner` a
 *   decided test ends: a winning challenger becomes active (audited in `model_events` as `ab-promote`), a winning
 *   control keeps the slot as it is. Ended tests keep their figures.
 */
import { UsageError } from '../core/errors.js';
import { parseInterval } from '../core/interval.js';
import type { LockFn } from '../core/lock.js';
import { activateModel, getModel, underSlotLock } from '../registry/registry.js';
import type { AbArm, AbTestRecord } from '../store/records.js';
import type { Store } from '../store/store.js';
import { dieboldMarianoOnLosses } from './diebold-mariano.js';
import { forwardReturns } from './evaluate.js';
import { pairedLosses } from './promotion.js';

/** Defaults of `pulse ab start`. */
export const AB_DEFAULTS = { split: 50, minDays: 7, minN: 100 } as const;

/** Level of the two-sided test that decides a winner. */
export const AB_ALPHA = 0.05;

const DAY_MS = 86_400_000;

export interface AbStartRequest {
  /** The slot the test runs in. */
  slot: string;
  challenger: string;
  split: number;
  minDays: number;
  minN: number;
  seed: number;
  now: number;
  lock?: LockFn;
}

/**
 * Start a test in a slot.
 * @throws UsageError when the challenger is of another slot or not a shadow, the slot has no active model, or a
 * test already runs there.
 */
export async function startAbTest(store: Store, request: AbStartRequest): Promise<AbTestRecord> {
  return underSlotLock(store, request.challenger, request.lock, async () => {
    const challenger = await getModel(store, request.challenger);
    if (challenger.slot !== request.slot) {
      throw new UsageError(`an A/B test runs within one slot: ${challenger.id} belongs to ${challenger.slot}, not ${request.slot}`, `start it in its own slot: pulse ab start '${challenger.slot}' --challenger ${challenger.id}`);
    }
    if (challenger.status !== 'shadow') throw new UsageError(`${challenger.id} is ${challenger.status}; a challenger must be a shadow of the slot`, 'pulse models ls --status shadow lists the candidates');
    const control = await store.models.active(request.slot);
    if (!control) throw new UsageError(`${request.slot} has no active model to test against`, 'activate one first (pulse models activate ID)');
    const running = await store.abTests.list({ slot: request.slot, status: 'running' });
    if (running.length > 0) throw new UsageError(`an A/B test (${running[0].id}) already runs in ${request.slot}`, `stop it first: pulse ab stop '${request.slot}'`);
    const test = { slot: request.slot, control: control.id, challenger: challenger.id, split: request.split, minDays: request.minDays, minN: request.minN, seed: request.seed, startedAt: request.now };
    const id = await store.abTests.insert(test);
    return (await store.abTests.get(id))!;
  });
}

/** One arm's figures. */
export interface AbArmFigures {
  model: string;
  /** Bars this arm served, and those of them with a known realised return. */
  served: number;
  servedWithOutcome: number;
  /** Mean, and sum, of the served signals' realised returns. */
  meanReturn: number | null;
  totalReturn: number;
  /** Share of served long/short bars whose return had the signal's sign. */
  hitRate: number | null;
  /** Mean loss on the paired bars. */
  meanLoss: number | null;
}

export type AbDecision = 'collecting' | 'no-difference' | AbArm;

/** What `pulse ab status` shows for one test. */
export interface AbTestStatus {
  id: number;
  slot: string;
  status: AbTestRecord['status'];
  split: number;
  seed: number;
  startedAt: number;
  endedAt: number | null;
  days: number;
  /** Paired bars with outcomes (the test's n) and the minimums. */
  n: number;
  minN: number;
  minDays: number;
  control: AbArmFigures;
  challenger: AbArmFigures;
  loss: string;
  test: { name: 'diebold-mariano'; statistic: number | null; pValue: number | null; horizon: number; alternative: 'two.sided' } | null;
  decision: AbDecision;
  reasons: string[];
  winner: AbArm | null;
}

const mean = (x: ArrayLike<number>): number | null => {
  if (x.length === 0) return null;
  let s = 0;
  for (let i = 0; i < x.length; i++) s += x[i];
  return s / x.length;
};

/** The figures and the decision of a test at `now` (see the module note). */
export async function abTestStatus(store: Store, test: AbTestRecord, now: number): Promise<AbTestStatus> {
  const [control, challenger] = await Promise.all([getModel(store, test.control), getModel(store, test.challenger)]);
  const paired = await pairedLosses(store, control, challenger, test.startedAt);
  const served = await store.abTests.served(test.id);
  const returnsBySymbol = new Map<string, (barTs: number) => number | null>();
  const arms = { control: { returns: [] as number[], served: 0, hits: 0, calls: 0 }, challenger: { returns: [] as number[], served: 0, hits: 0, calls: 0 } };
  for (const row of served) {
    if (!returnsBySymbol.has(row.symbol)) returnsBySymbol.set(row.symbol, await forwardReturns(store, row.symbol, parseInterval(control.interval), control.horizon));
    const arm = arms[row.arm];
    arm.served++;
    const r = returnsBySymbol.get(row.symbol)!(row.barTs);
    if (r === null) continue;
    const side = row.signal === 'long' ? 1 : row.signal === 'short' ? -1 : 0;
    arm.returns.push(side * r);
    if (side !== 0) {
      arm.calls++;
      if (side * r > 0) arm.hits++;
    }
  }
  const figures = (name: AbArm, model: string, losses: Float64Array): AbArmFigures => ({
    model,
    served: arms[name].served,
    servedWithOutcome: arms[name].returns.length,
    meanReturn: mean(arms[name].returns),
    totalReturn: arms[name].returns.reduce((a, b) => a + b, 0),
    hitRate: arms[name].calls ? arms[name].hits / arms[name].calls : null,
    meanLoss: mean(losses),
  });

  const n = paired.bars.length;
  const end = test.endedAt ?? now;
  const days = (end - test.startedAt) / DAY_MS;
  const reasons: string[] = [];
  if (days < test.minDays) reasons.push(`ran ${days.toFixed(1)} of ${test.minDays} days`);
  if (n < test.minN) reasons.push(`${n} of ${test.minN} paired outcomes`);
  let dm: AbTestStatus['test'] = null;
  let decision: AbDecision = 'collecting';
  if (n >= 3) {
    const r = dieboldMarianoOnLosses(paired.lossCandidate, paired.lossActive, { horizon: control.horizon, alternative: 'two.sided' });
    const pValue = r.pValue;
    dm = { name: 'diebold-mariano', statistic: r.statistic, pValue, horizon: r.horizon, alternative: 'two.sided' };
    if (reasons.length === 0) {
      if (pValue !== null && pValue < AB_ALPHA) {
        decision = (mean(paired.lossCandidate) ?? 0) < (mean(paired.lossActive) ?? 0) ? 'challenger' : 'control';
        reasons.push(`${decision} has the lower loss (Diebold-Mariano p = ${pValue.toPrecision(3)} < ${AB_ALPHA})`);
      } else {
        decision = 'no-difference';
        reasons.push(`no significant difference yet (Diebold-Mariano p = ${pValue === null ? 'n/a' : pValue.toPrecision(3)} >= ${AB_ALPHA})`);
      }
    }
  } else if (reasons.length === 0) {
    reasons.push(`${n} paired outcomes are too few to test`);
  }
  return {
    id: test.id, slot: test.slot, status: test.status, split: test.split, seed: test.seed, startedAt: test.startedAt, endedAt: test.endedAt, days,
    n, minN: test.minN, minDays: test.minDays,
    control: figures('control', control.id, paired.lossActive),
    challenger: figures('challenger', challenger.id, paired.lossCandidate),
    loss: paired.loss, test: dm, decision: test.status === 'decided' && test.winner ? test.winner : decision, reasons, winner: test.winner,
  };
}

export interface AbStatusRequest {
  slot?: string;
  /** Ended tests too (newest first). */
  all?: boolean;
  /** End decided tests: a winning challenger becomes active. */
  autoWinner?: boolean;
  now: number;
  lock?: LockFn;
}

/** The status of running tests (or all with `all`), ending decided ones with `autoWinner`. */
export async function abStatus(store: Store, request: AbStatusRequest): Promise<AbTestStatus[]> {
  const tests = await store.abTests.list({ slot: request.slot, status: request.all ? undefined : 'running' });
  const out: AbTestStatus[] = [];
  for (const test of tests) {
    let status = await abTestStatus(store, test, request.now);
    if (request.autoWinner && test.status === 'running' && (status.decision === 'control' || status.decision === 'challenger')) {
      status = await decide(store, test, status, request.now, request.lock);
    }
    out.push(status);
  }
  return out;
}

/** End a decided test; a winning challenger becomes the slot's active model (audited). */
async function decide(store: Store, test: AbTestRecord, status: AbTestStatus, now: number, lock?: LockFn): Promise<AbTestStatus> {
  const winner = status.decision as AbArm;
  return underSlotLock(store, test.challenger, lock, async () => {
    if (!(await store.abTests.end(test.id, { status: 'decided', winner, endedAt: now, result: summary(status) }))) return status;
    if (winner === 'challenger') {
      const { retired } = await activateModel(store, test.challenger, now);
      await store.modelEvents.insert({
        slot: test.slot, kind: 'ab-promote', modelId: test.challenger, previousId: retired, reason: `A/B test ${test.id}: ${status.reasons.join('; ')}`,
        details: summary(status), createdAt: now,
      });
    }
    return { ...status, status: 'decided', winner, endedAt: now };
  });
}

/** The figures an ended test keeps. */
function summary(s: AbTestStatus): unknown {
  return { n: s.n, days: s.days, loss: s.loss, test: s.test, control: s.control, challenger: s.challenger, decision: s.decision, reasons: s.reasons };
}

/**
 * Stop the running test of a slot (or the test with this id), keeping its figures.
 * @throws UsageError when nothing runs there.
 */
export async function stopAbTest(store: Store, ref: string, now: number, lock?: LockFn): Promise<AbTestStatus> {
  const id = /^\d+$/.test(ref) ? Number(ref) : undefined;
  const test = id !== undefined ? await store.abTests.get(id) : (await store.abTests.list({ slot: ref, status: 'running' }))[0];
  if (!test || test.status !== 'running') throw new UsageError(`no running A/B test ${id !== undefined ? id : `in ${ref}`}`, 'pulse ab status lists the running tests');
  const status = await abTestStatus(store, test, now);
  return underSlotLock(store, test.challenger, lock, async () => {
    await store.abTests.end(test.id, { status: 'stopped', winner: null, endedAt: now, result: summary(status) });
    return { ...status, status: 'stopped', endedAt: now };
  });
}
