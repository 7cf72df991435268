/**
 * `pulse cycle`: one iteration of the continuous-learning loop, for cron. For every tracked series (those with an
 * active model, and `clm.symbols`):
 *
 *  1. collect new bars (from the series' recorded source; under `--simulate`, the next bars of history);
 *  2. predict with the active and shadow models (A/B arms included), filling earlier outcomes;
 *  3. check drift when the series' last check is older than `clm.driftHours`;
 *  4. evaluate the slot's models when the last evaluation is older than `clm.perfHours` (the performance history,
 *     and the degradation rule);
 *  5. with `clm.autoPromote`, put the slot's shadow through the promotion gate once it has `clm.shadowMin` paired
 *     outcomes, and again each time it has `clm.shadowMin` more (a refusal is audited, as `pulse promote`'s are);
 *  6. retrain a slot on schedule (its newest model older than `clm.retrainHours`), and, with `clm.autoRetrain`, on
 *     drift or degradation (at most once per `clm.driftHours`), unless a shadow younger than `clm.retrainHours` is
 *     still collecting its `clm.shadowMin` paired outcomes (a candidate is judged before it is replaced): a retrain
 *     job is queued, and the queue runs once every series is through steps 1-5. New models enter as shadows, and
 *     the slot's older shadows are retired as superseded (audited in `model_events`): one candidate at a time;
 *  7. record the cycle: its steps, their durations and decisions.
 *
 * Every step reads the time from one clock (`deps.clock`), which `--simulate` moves bar by bar through history.
 * A failed step is recorded and the other slots go on; the cycle then ends `failed`. `dryRun` reports which steps
 * are due, and what the gate would decide, without writing anything.
 */
import { DataError, PulseError, UsageError } from '../core/errors.js';
import { parseInterval, type Interval } from '../core/interval.js';
import type { LockFn } from '../core/lock.js';
import type { Logger } from '../core/logger.js';
import { isProcessAlive } from '../core/process.js';
import { collect, type CollectDeps } from '../market/collect.js';
import { driftCheck } from '../monitor/drift-check.js';
import { evaluate } from '../monitor/evaluate.js';
import { pairedLosses, promote } from '../monitor/promotion.js';
import type { ClmSettings } from '../monitor/settings.js';
import { predict } from '../predict/predict.js';
import { getModel, retireModel } from '../registry/registry.js';
import type { CycleStepRecord, JobTrigger, ModelRecord } from '../store/records.js';
import type { Store } from '../store/store.js';
import { addJob } from './jobs/queue.js';
import { runQueue } from './jobs/runner.js';
import type { LaunchWorker } from './jobs/spawn-worker.js';

const HOUR = 3_600_000;

/** A series the loop tracks, with its slots (one per active model; none for a `clm.symbols` series without one). */
export interface TrackedSeries {
  symbol: string;
  interval: Interval;
  slots: string[];
}

/**
 * How a cycle retrains a slot: live, by queueing a retrain job (run by `runJobs`); simulated, by training in process
 * on the simulated clock. Returns the models registered so far and a line on what was done.
 */
export type Retrainer = (slot: string, trigger: Extract<JobTrigger, 'drift' | 'performance' | 'schedule'>) => Promise<{ models: string[]; detail: string }>;

/** How a cycle gets new bars of a series: live from its recorded source, simulated from history. */
export type BarCollector = (series: TrackedSeries) => Promise<{ inserted: number }>;

export interface CycleDeps {
  store: Store;
  clm: ClmSettings;
  clock: () => number;
  log: Logger;
  signal?: AbortSignal;
  lock?: LockFn;
  collect: BarCollector;
  retrain: Retrainer;
  /** Run the job queue (live: within `clm.maxJobMinutes`, the home lock released meanwhile); a line on what ran. */
  runJobs?: () => Promise<string>;
  /** Whether the cycle is a step of `--simulate` (recorded with it). */
  simulated?: boolean;
}

/** What one cycle did. */
export interface CycleResult {
  id: number | null;
  startedAt: number;
  endedAt: number;
  status: 'completed' | 'failed' | 'skipped';
  dryRun: boolean;
  series: TrackedSeries[];
  steps: CycleStepRecord[];
  driftFound: string[];
  retrained: { slot: string; trigger: string; models: string[] }[];
  promoted: { slot: string; model: string; pValue: number | null }[];
  refused: { slot: string; model: string; pValue: number | null; reasons: string[] }[];
}

/** Runs one step of a cycle (see runCycle). */
type Step = (slot: string | null, name: string, work: () => Promise<string | { skipped: string }>) => Promise<void>;

/** The tracked series: every series with an active model (its slots), and the `clm.symbols` series. */
export async function trackedSeries(store: Store, clm: ClmSettings): Promise<TrackedSeries[]> {
  const bySeries = new Map<string, TrackedSeries>();
  const add = (symbol: string, interval: Interval, slot?: string) => {
    const key = `${symbol}|${interval}`;
    const s = bySeries.get(key) ?? { symbol, interval, slots: [] };
    if (slot && !s.slots.includes(slot)) s.slots.push(slot);
    bySeries.set(key, s);
  };
  for (const m of await store.models.list({ status: 'active' })) for (const symbol of m.symbols) add(symbol, parseInterval(m.interval), m.slot);
  for (const symbol of clm.symbols) {
    for (const s of await store.series.list({ symbol: symbol.toUpperCase() })) add(s.symbol, s.interval as Interval, undefined);
  }
  return [...bySeries.values()].sort((a, b) => a.symbol.localeCompare(b.symbol) || a.interval.localeCompare(b.interval));
}

/** Run one cycle (see the module note). */
export async function runCycle(request: { dryRun: boolean }, deps: CycleDeps): Promise<CycleResult> {
  const { store, clm, clock } = deps;
  const startedAt = clock();
  const series = await trackedSeries(store, clm);
  if (series.length === 0) throw new UsageError('no tracked slot: no series has an active model and clm.symbols is empty', 'train a model (pulse train SYMBOL --interval I), or list symbols to collect in clm.symbols');
  const result: CycleResult = { id: null, startedAt, endedAt: startedAt, status: 'completed', dryRun: request.dryRun, series, steps: [], driftFound: [], retrained: [], promoted: [], refused: [] };
  if (!clm.enabled) {
    result.status = 'skipped';
    result.steps.push({ slot: null, step: 'cycle', status: 'skipped', ms: 0, detail: 'the loop is switched off (clm.enabled is false)' });
    return result;
  }
  if (!request.dryRun) result.id = await store.cycles.start({ startedAt, simulated: deps.simulated ?? false, dryRun: false, pid: process.pid });

  const pairedCount = pairedCounter(store);
  /** Run one step: time it, record how it ended; a PulseError fails the step, not the cycle. */
  const step: Step = async (slot, name, work) => {
    if (deps.signal?.aborted) return;
    const t0 = performance.now();
    try {
      const out = await work();
      const skipped = typeof out !== 'string';
      result.steps.push({ slot, step: name, status: skipped ? 'skipped' : 'ok', ms: Math.round(performance.now() - t0), detail: skipped ? out.skipped : out });
    } catch (err) {
      if (!(err instanceof PulseError)) throw err;
      deps.log.warn(`cycle: ${name}${slot ? ` ${slot}` : ''} failed: ${err.message}`);
      result.steps.push({ slot, step: name, status: 'failed', ms: Math.round(performance.now() - t0), detail: err.message });
    }
  };

  try {
    for (const s of series) {
      const label = `${s.symbol} ${s.interval}`;
      await step(label, 'collect', async () => (request.dryRun ? { skipped: 'dry run' } : `${(await deps.collect(s)).inserted} new bars`));
      if (s.slots.length === 0) continue;
      await step(label, 'predict', async () => {
        if (request.dryRun) return { skipped: 'dry run' };
        const r = await predict({ symbols: [s.symbol], interval: s.interval }, { store, now: clock, log: deps.log });
        if (r.predictions.length === 0 && r.failures.length) throw new DataError(r.failures.map((f) => f.error).join('; '));
        return `${r.predictions.length} predictions, ${r.outcomesFilled} outcomes filled${r.failures.length ? `; ${r.failures.length} failed` : ''}`;
      });

      const drifted = new Set<string>();
      for (const slot of s.slots) {
        const active = await store.models.active(slot);
        if (!active) continue;
        await step(slot, 'drift-check', async () => {
          const due = await dueSince(clock(), clm.driftHours, async () => (await store.drift.list({ symbol: s.symbol, interval: s.interval, type: 'dataset', limit: 1 }))[0]?.detectedAt);
          if (!due.due) return { skipped: due.why };
          if (request.dryRun) return { skipped: `due (${due.why}); dry run` };
          const r = await driftCheck(store, { symbol: s.symbol, interval: s.interval, model: active.id, method: 'auto', driftShare: clm.driftShare, pValueThreshold: clm.driftThreshold, now: clock() });
          if (r.datasetDrift) {
            drifted.add(slot);
            result.driftFound.push(slot);
          }
          return `${r.datasetDrift ? 'dataset drift' : 'no dataset drift'}: ${Math.round(r.shareOfDriftedFeatures * 100)}% of ${r.features.length} features`;
        });
      }

      const degraded = new Set<string>();
      await step(label, 'evaluate', async () => {
        const last = await newestEvaluation(store, s.slots);
        const due = await dueSince(clock(), clm.perfHours, async () => last);
        if (!due.due) return { skipped: due.why };
        if (request.dryRun) return { skipped: `due (${due.why}); dry run` };
        let r;
        try {
          r = await evaluate(store, { symbol: s.symbol, interval: s.interval, by: 'day', degradation: { degradationPct: clm.degradationPct, degradationMin: clm.degradationMin }, now: clock(), lock: deps.lock, signal: deps.signal });
        } catch (err) {
          if (err instanceof PulseError && err.exitCode === 3) return { skipped: `nothing to evaluate yet (${err.message})` };
          throw err;
        }
        for (const e of r.slots) if (e.degradation?.degraded) degraded.add(e.slot);
        return r.slots.map((e) => `${e.slot}: n ${e.n}${e.degradation ? `, ${e.degradation.degraded ? 'degraded' : 'not degraded'}` : ''}`).join('; ');
      });

      for (const slot of s.slots) {
        // the gate judges the slot's candidate before a retraining may replace it
        if (clm.autoPromote) await promoteShadows(slot, request.dryRun, deps, result, step, pairedCount);
        await step(slot, 'retrain', async () => {
          const newest = await newestModel(store, slot);
          if (!newest) return { skipped: 'no model in the slot' };
          const age = (clock() - newest.createdAt) / HOUR;
          // a candidate still gathering its evidence is not replaced (unless it is older than the schedule)
          const collecting = await collectingShadow(store, slot, clm.shadowMin, pairedCount);
          if (collecting && (clock() - collecting.createdAt) / HOUR < clm.retrainHours) return { skipped: `shadow ${collecting.id} is still collecting paired outcomes for the promotion gate` };
          let trigger: 'drift' | 'performance' | 'schedule' | null = null;
          if (age >= clm.retrainHours) trigger = 'schedule';
          else if (clm.autoRetrain && age >= clm.driftHours && drifted.has(slot)) trigger = 'drift';
          else if (clm.autoRetrain && age >= clm.driftHours && degraded.has(slot)) trigger = 'performance';
          if (trigger === null) return { skipped: `not due: newest model ${newest.id} is ${age.toFixed(1)} h old${drifted.has(slot) || degraded.has(slot) ? ` (retrains on drift or degradation after ${clm.driftHours} h${clm.autoRetrain ? '' : '; clm.autoRetrain is off'})` : ''}` };
          if (request.dryRun) return { skipped: `due on ${trigger}; dry run` };
          const r = await deps.retrain(slot, trigger);
          result.retrained.push({ slot, trigger, models: r.models });
          return r.detail;
        });
      }
    }
    if (deps.runJobs && !request.dryRun && result.retrained.length > 0) await step(null, 'jobs', deps.runJobs);
    if (!request.dryRun) for (const r of result.retrained) await step(r.slot, 'supersede', () => supersede(store, r.slot, clock()));
  } finally {
    result.endedAt = clock();
    const interrupted = deps.signal?.aborted ?? false;
    if (result.steps.some((s) => s.status === 'failed')) result.status = 'failed';
    if (result.id !== null) await store.cycles.finish(result.id, { status: interrupted ? 'interrupted' : result.status === 'failed' ? 'failed' : 'completed', endedAt: result.endedAt, steps: result.steps });
  }
  return result;
}

/** Whether a periodic step is due: its last run is `hours` or more before `now` (or it never ran). */
async function dueSince(now: number, hours: number, last: () => Promise<number | undefined>): Promise<{ due: boolean; why: string }> {
  const at = await last();
  if (at === undefined) return { due: true, why: 'never ran' };
  const age = (now - at) / HOUR;
  return age >= hours ? { due: true, why: `last ${age.toFixed(1)} h ago` } : { due: false, why: `ran ${age.toFixed(1)} h ago (every ${hours} h)` };
}

/** When the slots' models were last evaluated into the performance history. */
async function newestEvaluation(store: Store, slots: readonly string[]): Promise<number | undefined> {
  let newest: number | undefined;
  for (const slot of slots) {
    for (const row of await store.performance.list({ slot, source: 'evaluate', limit: 1 })) newest = Math.max(newest ?? -Infinity, row.computedAt);
  }
  return newest;
}

/** The newest model of a slot, whatever its status (the last training). */
async function newestModel(store: Store, slot: string): Promise<ModelRecord | undefined> {
  return (await store.models.list({ slot })).reduce<ModelRecord | undefined>((a, m) => (!a || m.createdAt > a.createdAt ? m : a), undefined);
}

/** Paired outcomes of a shadow with an active model; counted once per pair in a cycle (outcomes are in by then). */
type PairedCount = (activeId: string, shadowId: string) => Promise<number>;

function pairedCounter(store: Store): PairedCount {
  const counts = new Map<string, Promise<number>>();
  return (activeId, shadowId) => {
    const key = `${activeId}|${shadowId}`;
    if (!counts.has(key)) counts.set(key, (async () => (await pairedLosses(store, await getModel(store, activeId), await getModel(store, shadowId))).bars.length)());
    return counts.get(key)!;
  };
}

/** The slot's shadow still short of `shadowMin` paired outcomes with the active model, if any. */
async function collectingShadow(store: Store, slot: string, shadowMin: number, paired: PairedCount): Promise<ModelRecord | null> {
  const active = await store.models.active(slot);
  if (!active) return null;
  for (const shadow of await store.models.list({ slot, status: 'shadow' })) {
    if ((await paired(active.id, shadow.id)) < shadowMin) return shadow;
  }
  return null;
}

/** Retire every shadow of the slot but the newest (audited as superseded). */
async function supersede(store: Store, slot: string, now: number): Promise<string | { skipped: string }> {
  const shadows = (await store.models.list({ slot, status: 'shadow' })).sort((a, b) => b.createdAt - a.createdAt);
  if (shadows.length < 2) return { skipped: 'one shadow or none' };
  const [newest, ...older] = shadows;
  for (const m of older) {
    await retireModel(store, m.id, now);
    await store.modelEvents.insert({ slot, kind: 'supersede', modelId: m.id, previousId: null, reason: `superseded by ${newest.id}, a newer retraining of the slot`, details: null, createdAt: now });
  }
  return `retired ${older.map((m) => m.id).join(', ')} (superseded by ${newest.id})`;
}

/** Put each shadow of a slot with enough paired outcomes through the promotion gate. */
async function promoteShadows(slot: string, dryRun: boolean, deps: CycleDeps, result: CycleResult, step: Step, pairedCount: PairedCount): Promise<void> {
  const { store, clm, clock } = deps;
  const shadows = (await store.models.list({ slot, status: 'shadow' })).sort((a, b) => a.createdAt - b.createdAt);
  for (const shadow of shadows) {
    await step(slot, 'promote', async () => {
      const active = await store.models.active(slot);
      if (!active) return { skipped: 'no active model' };
      const n = await pairedCount(active.id, shadow.id);
      if (n < clm.shadowMin) return { skipped: `${shadow.id}: ${n} of ${clm.shadowMin} paired outcomes` };
      // after a refusal, the gate is asked again once shadowMin more outcomes have come in
      const [last] = await store.modelEvents.list({ modelId: shadow.id, limit: 1 });
      const refusedAt = last?.kind === 'refuse' ? ((last.details as { n?: number } | null)?.n ?? 0) : null;
      if (refusedAt !== null && n < refusedAt + clm.shadowMin) return { skipped: `${shadow.id}: refused at n ${refusedAt}; asks again at n ${refusedAt + clm.shadowMin} (now ${n})` };
      const r = await promote(store, { id: shadow.id, dryRun, force: false, policy: { shadowMin: clm.shadowMin, alpha: clm.promoteAlpha, minImprovementPct: clm.minImprovementPct }, now: clock(), lock: deps.lock });
      const pValue = r.test?.pValue ?? null;
      if (r.decision === 'promote') {
        if (!dryRun) result.promoted.push({ slot, model: shadow.id, pValue });
        return `${dryRun ? 'would promote' : 'promoted'} ${shadow.id} (n ${r.n}, p = ${pValue === null ? 'n/a' : pValue.toPrecision(3)})`;
      }
      if (!dryRun) result.refused.push({ slot, model: shadow.id, pValue, reasons: r.reasons });
      return `${dryRun ? 'would refuse' : 'refused'} ${shadow.id}: ${r.reasons.join('; ')}`;
    });
  }
}


/** The live collector: new bars of a series from its recorded source (as `pulse collect SYMBOL -i I` would). */
export function liveCollector(deps: { store: Store; settings: CollectDeps['settings']; seed: number; now: () => number; log: Logger; signal?: AbortSignal }): BarCollector {
  return async (s) => {
    const r = await collect({ symbols: [s.symbol], interval: s.interval, resample: [], acceptOutliers: false, seed: deps.seed }, { store: deps.store, settings: deps.settings, now: deps.now, log: deps.log, signal: deps.signal });
    const outcome = r.symbols[0];
    if (outcome && outcome.status !== 'ok') throw new DataError(`${s.symbol}: ${outcome.error ?? outcome.status}`, outcome.hint ?? undefined);
    return { inserted: outcome?.inserted ?? 0 };
  };
}

/** The live retrainer: a `retrain` job queued for the slot (run by {@link queueRunner}). */
export function queueRetrainer(store: Store, seed: number, clock: () => number): Retrainer {
  return async (slot, trigger) => {
    const job = await addJob(store, { type: 'retrain', params: { slot, trigger }, seed, trigger }, clock());
    return { models: [], detail: `queued retrain job #${job.id} on ${trigger}` };
  };
}

/**
 * The live job run of a cycle: the queue until empty, one worker, for at most `maxMinutes` (then its running job is
 * interrupted, as Ctrl-C does). `outsideLock` runs it with the cycle's home lock released, since the workers take
 * the slots' locks. A failed job fails the step.
 */
export function queueRunner(deps: { store: Store; launch: LaunchWorker; maxMinutes: number; now: () => number; log: Logger; signal: AbortSignal; outsideLock: <T>(work: () => Promise<T>) => Promise<T> }): () => Promise<string> {
  return () =>
    deps.outsideLock(async () => {
      const budget = AbortSignal.timeout(deps.maxMinutes * 60_000);
      const r = await runQueue(deps.store, { workers: 1, untilEmpty: true, isAlive: isProcessAlive, now: deps.now, log: deps.log, signal: AbortSignal.any([deps.signal, budget]), launch: deps.launch });
      const failed = r.ran.filter((j) => j.status === 'failed');
      const line = `${r.ran.length} job(s) ran${failed.length ? `, ${failed.length} failed` : ''}${budget.aborted && !deps.signal.aborted ? `; stopped after clm.maxJobMinutes (${deps.maxMinutes} min)` : ''}`;
      if (failed.length) throw new PulseError(`${line}: ${failed.map((j) => `#${j.id} ${j.error}`).join('; ')}`);
      return line;
    });
}
