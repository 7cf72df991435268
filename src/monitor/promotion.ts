/**
 * `pulse promote`: move a candidate (shadow) model to active through the promotion gate, or roll a slot back.
 *
 * The evidence is the pairs of predictions the candidate and the slot's active model made for the same bar with the
 * outcome known, the candidate's made since it was registered. Per-row losses: squared error for regression (the
 * stored value against the outcome), log loss for classification (the probability the model gave the class that
 * happened). The gate (promotion-gate.ts) decides; `force` overrides a refusal and is recorded as such; `dryRun`
 * decides without changing anything. Every applied decision, refusal and rollback is audited in `model_events`.
 */
import { DataError, UsageError } from '../core/errors.js';
import { realisedClassLoss, type RowLossName } from '../evaluation/row-loss.js';
import type { LockFn } from '../core/lock.js';
import { activateModel, getModel, underSlotLock, type ModelVersion } from '../registry/registry.js';
import type { ModelEventKind, PredictionRecord } from '../store/records.js';
import type { Store } from '../store/store.js';
import { promotionGate, type PromotionGatePolicy, type PromotionGateResult } from './promotion-gate.js';
import { DEFAULT_PROMOTION_GATE } from './settings.js';

/** The two models' losses on the bars both predicted, with outcomes. */
export interface PairedLosses {
  loss: RowLossName;
  bars: number[];
  lossActive: Float64Array;
  lossCandidate: Float64Array;
}

/**
 * The loss of one stored prediction against its outcome: squared error (regression), or the log loss of the
 * probability the model gave the class that happened (classification).
 */
export function lossOf(p: PredictionRecord): { loss: RowLossName; value: number } {
  const probabilities = p.intervals && Object.values(p.intervals).every((v) => typeof v === 'number') && Object.keys(p.intervals).length > 0;
  if (probabilities) {
    const probability = (p.intervals as Record<string, number>)[String(p.outcome)];
    if (probability === undefined) throw new DataError(`prediction of ${p.modelId} for bar ${new Date(p.barTs).toISOString()} has no probability for class ${p.outcome}`, 'the model and the outcome disagree on the classes; retrain');
    return { loss: 'log-loss', value: realisedClassLoss(probability) };
  }
  const e = p.outcome! - p.value;
  return { loss: 'squared-error', value: e * e };
}

/**
 * Pair the candidate's predictions made since `since` (default: since it was registered) with the active model's on
 * the same bars.
 */
export async function pairedLosses(store: Store, active: ModelVersion, candidate: ModelVersion, since = candidate.createdAt): Promise<PairedLosses> {
  const mine = await store.predictions.withOutcomes(candidate.id, since);
  const theirs = new Map((await store.predictions.withOutcomes(active.id)).map((p) => [`${p.symbol}|${p.barTs}`, p] as const));
  const bars: number[] = [];
  const a: number[] = [];
  const c: number[] = [];
  let loss: RowLossName | undefined;
  for (const p of mine) {
    const q = theirs.get(`${p.symbol}|${p.barTs}`);
    if (!q || p.fallback || q.fallback) continue;
    const lc = lossOf(p);
    const la = lossOf(q);
    if (lc.loss !== la.loss) throw new DataError(`${candidate.id} and ${active.id} make different kinds of predictions`, 'compare models of one target');
    loss = lc.loss;
    bars.push(p.barTs);
    a.push(la.value);
    c.push(lc.value);
  }
  return { loss: loss ?? 'squared-error', bars, lossActive: Float64Array.from(a), lossCandidate: Float64Array.from(c) };
}

export interface PromoteRequest {
  id: string;
  dryRun: boolean;
  force: boolean;
  policy?: PromotionGatePolicy;
  now: number;
  /** Takes the slot's lock (a training or another promotion of the slot may be running). */
  lock?: LockFn;
}

/** What `pulse promote` decided and did. */
export interface PromoteResult {
  decision: 'promote' | 'refuse';
  reasons: string[];
  slot: string;
  candidate: string;
  /** The slot's active model before, if any. */
  active: string | null;
  n: number;
  lossActive: number | null;
  lossCandidate: number | null;
  test: PromotionGateResult['test'] | null;
  /** Whether the gate was skipped by --force. */
  forced: boolean;
  /** Whether the candidate is now active (false on a refusal and on --dry-run). */
  applied: boolean;
}

/** Judge and, unless refused or a dry run, promote `id` (see the module note). */
export async function promote(store: Store, request: PromoteRequest): Promise<PromoteResult> {
  return underSlotLock(store, request.id, request.lock, async () => {
    const candidate = await getModel(store, request.id);
    if (candidate.status === 'active') throw new UsageError(`model ${candidate.id} is already the active model of ${candidate.slot}`, 'promote a shadow model');
    const active = (await store.models.active(candidate.slot)) ?? null;
    let gate: PromotionGateResult | null = null;
    let reasons: string[];
    if (active === null) {
      reasons = [`${candidate.slot} has no active model: nothing to compare against`];
    } else {
      const paired = await pairedLosses(store, await getModel(store, active.id), candidate);
      gate = promotionGate({ loss: paired.loss, horizon: candidate.horizon, lossActive: paired.lossActive, lossCandidate: paired.lossCandidate }, request.policy ?? DEFAULT_PROMOTION_GATE);
      reasons = gate.reasons;
    }
    const passed = gate === null || gate.decision === 'promote';
    const forced = !passed && request.force;
    const result: PromoteResult = {
      decision: passed ? 'promote' : 'refuse',
      reasons: forced ? [...reasons, 'forced: the gate was skipped with --force'] : reasons,
      slot: candidate.slot,
      candidate: candidate.id,
      active: active?.id ?? null,
      n: gate?.n ?? 0,
      lossActive: gate?.lossActive ?? null,
      lossCandidate: gate?.lossCandidate ?? null,
      test: gate?.test ?? null,
      forced,
      applied: false,
    };
    if (request.dryRun) return result;
    const kind: ModelEventKind = forced ? 'force' : passed ? 'promote' : 'refuse';
    if (passed || forced) {
      await activateModel(store, candidate.id, request.now);
      result.applied = true;
    }
    await store.modelEvents.insert({
      slot: candidate.slot, kind, modelId: candidate.id, previousId: active?.id ?? null, reason: result.reasons.join('; '),
      details: gate === null ? null : { n: gate.n, lossActive: gate.lossActive, lossCandidate: gate.lossCandidate, improvementPct: gate.improvementPct, test: gate.test },
      createdAt: request.now,
    });
    return result;
  });
}

/** What a rollback did. */
export interface RollbackResult {
  slot: string;
  activated: string;
  retired: string | null;
}

/**
 * Reactivate the slot's previous active model: the one the last applied promotion (or forced change) of the slot
 * replaced.
 * @throws UsageError when the slot has no earlier active model to go back to, or it has been removed.
 */
export async function rollback(store: Store, slot: string, now: number, lock?: LockFn): Promise<RollbackResult> {
  const events = await store.modelEvents.list({ slot, limit: 1_000 });
  const last = events.find((e) => e.kind === 'promote' || e.kind === 'force' || e.kind === 'rollback' || e.kind === 'ab-promote');
  if (!last || last.previousId === null) {
    throw new UsageError(`${slot} has no previous active model to roll back to`, 'pulse models ls shows the slot\'s models; activate one with pulse models activate ID');
  }
  const previous = await store.models.get(last.previousId);
  if (!previous) throw new UsageError(`the previous active model of ${slot}, ${last.previousId}, has been removed`, 'activate another model with pulse models activate ID');
  return underSlotLock(store, previous.id, lock, async () => {
    const { activated, retired } = await activateModel(store, previous.id, now);
    await store.modelEvents.insert({ slot, kind: 'rollback', modelId: activated, previousId: retired, reason: `rolled back from ${retired ?? 'no active model'} to ${activated}`, details: null, createdAt: now });
    return { slot, activated, retired };
  });
}
