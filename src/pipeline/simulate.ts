/**
 * `pulse cycle --simulate FROM..TO`: the continuous-learning loop replayed over history, bar by bar, as cron would
 * have run it (Qlib's `simulate()` is the nearest anchor).
 *
 * - **A scratch home.** The tracked series (and the series their models reference) are copied into a new home with
 *   their bars before FROM; the live store and registry are never touched. `keep` keeps the scratch home.
 * - **Start.** Each slot is trained afresh with its active model's settings on the bars before FROM (so no model
 *   has seen the simulated period) and made active: that model is also the *static* baseline, never retrained.
 * - **Steps.** For each bar time in [FROM, TO), its bars are revealed and one cycle runs with the clock at the bar's
 *   close: predict, drift check, evaluation, retraining (in process, on the data revealed so far) and promotion, all
 *   by the `clm` settings.
 * - **Report.** How often the loop found drift, retrained, promoted and was refused, and the realised performance of
 *   the signals it served (each bar predicted by the model active at the time) against the static model's on the
 *   same bars (replayed once at the end), with the metric set of `pulse evaluate`.
 */
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { lowerBound } from '../core/arrays.js';
import { sliceSeries, type BarSeries } from '../core/bars.js';
import { UsageError } from '../core/errors.js';
import { INTERVAL_MS, type Interval } from '../core/interval.js';
import type { Logger } from '../core/logger.js';
import { readRegisteredDocument } from '../lifecycle/load.js';
import { scorePredictions, type ModelMetrics } from '../monitor/evaluate.js';
import type { ClmSettings } from '../monitor/settings.js';
import { replay } from '../predict/replay.js';
import { activateModel, getModel } from '../registry/registry.js';
import type { PredictionRecord } from '../store/records.js';
import { openStore, type Store } from '../store/store.js';
import { retrainSlot } from '../train/retrain.js';
import { runCycle, trackedSeries, type TrackedSeries } from './cycle.js';

export interface SimulateRequest {
  from: number;
  to: number;
  /** Keep the scratch home here (a new or empty directory) instead of a temporary one. */
  keep?: string;
}

export interface SimulateDeps {
  /** The live home and store (read only). */
  store: Store;
  home: string;
  clm: ClmSettings;
  log: Logger;
  signal?: AbortSignal;
}

/** Each slot's loop against its static model. */
export interface SimulatedSlot {
  slot: string;
  symbol: string;
  staticModel: string;
  /** Models the loop trained, and the models active over the period in order. */
  trained: string[];
  activeModels: string[];
  loop: ModelMetrics;
  static: ModelMetrics;
}

export interface SimulateResult {
  from: number;
  to: number;
  cycles: number;
  /** Cycles with a failed step. */
  failedCycles: number;
  driftEvents: number;
  retrainings: number;
  promotions: number;
  refusals: number;
  /** Each decision of the promotion gate, in order, with its p-value. */
  decisions: { at: number; slot: string; model: string; decision: 'promote' | 'refuse'; pValue: number | null }[];
  /** The loop's and the static models' figures (the first slot's; `slots` has each). */
  performance: { loop: ModelMetrics; static: ModelMetrics };
  slots: SimulatedSlot[];
  scratchHome: string | null;
  ms: number;
}

/** A revealed series: all its bars, and how many are in the scratch store. */
interface Revealing {
  symbol: string;
  interval: Interval;
  bars: BarSeries;
  shown: number;
}

/** Run the simulation (see the module note). */
export async function simulate(request: SimulateRequest, deps: SimulateDeps): Promise<SimulateResult> {
  const t0 = performance.now();
  if (!(request.to > request.from)) throw new UsageError('--simulate needs FROM..TO with FROM before TO', 'e.g. --simulate 2023-01-01..2025-01-01');
  const tracked = (await trackedSeries(deps.store, deps.clm)).filter((s) => s.slots.length > 0);
  if (tracked.length === 0) throw new UsageError('no tracked slot to simulate: no series has an active model', 'train one first (pulse train SYMBOL --interval I)');
  const scratch = scratchHome(request.keep);
  const sim = await openStore(scratch);
  try {
    const series = await copySeries(deps.store, sim, tracked, request.from);
    /** Store every series' bars before `until` that are not in the scratch store yet; how many per series. */
    const reveal = async (until: number): Promise<Map<string, number>> => {
      const added = new Map<string, number>();
      for (const s of series) {
        const end = lowerBound(s.bars.time, until, s.bars.length);
        if (end > s.shown) {
          await sim.bars.upsert(s.symbol, s.interval, columnsOf(s.bars, s.shown, end), { source: 'simulate', now: until });
          added.set(`${s.symbol}|${s.interval}`, end - s.shown);
          s.shown = end;
        }
      }
      return added;
    };

    const quiet: Logger = { ...deps.log, info: () => {}, debug: () => {} };
    let now = request.from - 1;
    const clock = () => now;
    const initial = new Map<string, string>();
    for (const s of tracked) {
      for (const slot of s.slots) {
        await copyActiveModel(deps.store, sim, slot, scratch, now);
        const run = await retrainSlot(slot, 'schedule', { store: sim, home: scratch, now: clock, log: quiet, signal: deps.signal });
        const fresh = run.models[0]?.model.id;
        if (!fresh) throw new UsageError(`the slot ${slot} could not be trained on the bars before the simulated period`, 'simulate from a later date');
        await activateModel(sim, fresh, now);
        initial.set(slot, fresh);
      }
    }

    const times = [...new Set(tracked.flatMap((s) => {
      const bars = series.find((r) => r.symbol === s.symbol && r.interval === s.interval)!.bars;
      return Array.from(bars.time.subarray(lowerBound(bars.time, request.from, bars.length), lowerBound(bars.time, request.to, bars.length)));
    }))].sort((a, b) => a - b);
    const activeAt = new Map<string, { barTs: number; model: string }[]>();
    const totals = { cycles: 0, failedCycles: 0, driftEvents: 0, retrainings: 0, promotions: 0, refusals: 0 };
    const decisions: SimulateResult['decisions'] = [];
    for (const t of times) {
      if (deps.signal?.aborted) break;
      const interval = tracked[0].interval;
      now = t + INTERVAL_MS[interval] - 1; // the bar has closed
      const revealed = await reveal(now + 1);
      for (const s of tracked) for (const slot of s.slots) {
        const active = await sim.models.active(slot);
        if (active) (activeAt.get(slot) ?? activeAt.set(slot, []).get(slot)!).push({ barTs: t, model: active.id });
      }
      const r = await runCycle(
        { dryRun: false },
        {
          store: sim, clm: deps.clm, clock, log: quiet, signal: deps.signal, simulated: true,
          collect: async (s: TrackedSeries) => ({ inserted: revealed.get(`${s.symbol}|${s.interval}`) ?? 0 }),
          retrain: async (slot, trigger) => {
            const models = (await retrainSlot(slot, trigger, { store: sim, home: scratch, now: clock, log: quiet, signal: deps.signal })).models.map((m) => m.model.id);
            return { models, detail: `retrained on ${trigger}: ${models.join(', ') || 'no model'}` };
          },
        },
      );
      totals.cycles++;
      if (r.status === 'failed') totals.failedCycles++;
      totals.driftEvents += r.driftFound.length;
      totals.retrainings += r.retrained.length;
      totals.promotions += r.promoted.length;
      totals.refusals += r.refused.length;
      for (const p of r.promoted) decisions.push({ at: now, slot: p.slot, model: p.model, decision: 'promote', pValue: p.pValue });
      for (const p of r.refused) decisions.push({ at: now, slot: p.slot, model: p.model, decision: 'refuse', pValue: p.pValue });
    }

    // the static models' signals on the same bars, replayed once
    const slots: SimulatedSlot[] = [];
    for (const s of tracked) {
      for (const slot of s.slots) {
        const staticId = initial.get(slot)!;
        await replay({ symbols: [s.symbol], interval: s.interval, model: staticId, from: request.from, to: request.to }, { store: sim, now: clock, log: quiet, signal: deps.signal });
        const served = activeAt.get(slot) ?? [];
        const byModel = new Map<string, Map<number, PredictionRecord>>();
        const predictionOf = async (model: string, barTs: number): Promise<PredictionRecord | undefined> => {
          if (!byModel.has(model)) byModel.set(model, new Map((await sim.predictions.withOutcomes(model)).filter((p) => p.symbol === s.symbol).map((p) => [p.barTs, p])));
          return byModel.get(model)!.get(barTs);
        };
        const loopRows: PredictionRecord[] = [];
        const staticRows: PredictionRecord[] = [];
        for (const { barTs, model } of served) {
          const mine = await predictionOf(model, barTs);
          const theirs = await predictionOf(staticId, barTs);
          if (mine && theirs) {
            loopRows.push(mine);
            staticRows.push(theirs);
          }
        }
        const lead = await getModel(sim, staticId);
        const all = await sim.models.list({ slot });
        slots.push({
          slot,
          symbol: s.symbol,
          staticModel: staticId,
          trained: all.filter((m) => m.id !== staticId && m.createdAt >= request.from).map((m) => m.id),
          activeModels: [...new Set(served.map((x) => x.model))],
          loop: { ...(await scorePredictions(sim, lead, s.symbol, s.interval, loopRows)), modelId: 'loop', status: 'loop' },
          static: { ...(await scorePredictions(sim, lead, s.symbol, s.interval, staticRows)), modelId: staticId, status: 'static' },
        });
      }
    }
    return {
      from: request.from,
      to: request.to,
      ...totals,
      decisions,
      performance: { loop: slots[0].loop, static: slots[0].static },
      slots,
      scratchHome: request.keep ?? null,
      ms: Math.round(performance.now() - t0),
    };
  } finally {
    await sim.close();
  }
}

/** A new scratch home: `keep` (new or empty), or a temporary directory. */
function scratchHome(keep: string | undefined): string {
  if (keep === undefined) return mkdtempSync(join(tmpdir(), 'pulse-simulate-'));
  if (existsSync(keep) && readdirSync(keep).length > 0) throw new UsageError(`--keep ${keep} is not empty`, 'name a new or empty directory for the scratch home');
  mkdirSync(keep, { recursive: true });
  return keep;
}

/** Rows [start, end) of a series as the columns the store takes. */
function columnsOf(s: BarSeries, start: number, end: number) {
  return { ...sliceSeries(s, start, end), adjClose: null };
}

/**
 * Copy the tracked series and the series their active models reference (bars before `from`, plus the rest held
 * back for revealing), with their sources and calendars, into the scratch store.
 */
async function copySeries(live: Store, sim: Store, tracked: readonly TrackedSeries[], from: number): Promise<Revealing[]> {
  const wanted = new Map<string, { symbol: string; interval: Interval }>();
  for (const s of tracked) {
    wanted.set(`${s.symbol}|${s.interval}`, s);
    for (const slot of s.slots) {
      const active = await live.models.active(slot);
      if (!active) continue;
      const doc = readRegisteredDocument(await getModel(live, active.id));
      for (const symbol of Object.values(doc.featureSet.references)) wanted.set(`${symbol}|${s.interval}`, { symbol, interval: s.interval });
    }
  }
  const out: Revealing[] = [];
  for (const { symbol, interval } of wanted.values()) {
    const bars = await live.bars.load(symbol, interval);
    const shown = lowerBound(bars.time, from, bars.length);
    if (shown === 0) throw new UsageError(`${symbol} ${interval} has no bars before the simulated period`, 'simulate from a later date: each slot is first trained on the bars before FROM');
    await sim.bars.upsert(symbol, interval, columnsOf(bars, 0, shown), { source: 'simulate', now: from });
    const source = await live.series.source(symbol, interval);
    if (source) await sim.series.recordSource(symbol, interval, { source: source.source, synthetic: source.synthetic ?? false });
    const calendar = await live.instruments.calendar(symbol);
    if (calendar) await sim.instruments.upsert(symbol, { calendar }, from);
    out.push({ symbol, interval, bars, shown });
  }
  return out;
}

/**
 * Register the slot's active model (its record and checksummed file) in the scratch home, dated `at` (just before
 * the simulated period) so the loop's schedule counts from the start of the simulation.
 */
async function copyActiveModel(live: Store, sim: Store, slot: string, scratch: string, at: number): Promise<void> {
  const active = await live.models.active(slot);
  if (!active) throw new UsageError(`slot ${slot} has no active model`, 'train one first');
  const version = await getModel(live, active.id);
  const target = join(scratch, active.filePath);
  mkdirSync(dirname(target), { recursive: true });
  copyFileSync(version.file, target);
  await sim.models.insert({ ...active, jobId: null, createdAt: at, statusChangedAt: at });
}

