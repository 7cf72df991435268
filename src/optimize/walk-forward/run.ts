/**
 * Walk-forward optimisation (`pulse optimize SYMBOL ... --walk-forward N`): optimise on one stretch of history,
 * evaluate the winner on the stretch after it, and roll on.
 *
 * - Windows (./windows.ts): the labelled bars are cut into N + 1 equal segments; window k is optimised in sample on
 *   segment k - 1 (rolling) or segments 0..k - 1 (anchored) and evaluated out of sample on segment k. In-sample bars
 *   whose label reaches the out-of-sample segment are purged.
 * - Each window runs an ordinary study (`NAME.wf<k>`, resumable and listed like any other) on its in-sample bars only
 *   (the other labels are hidden from it; no test tail is held out, the out-of-sample segment is the test), with
 *   the request's sampler, pruner, objective, cross-validation and trials, and the seed `mix32(seed, k)`.
 * - The best trial's parameters are trained on the in-sample bars by `pulse train`'s training run (the
 *   cross-validation report and the final fit, with the window's seed), and the final model forecasts the
 *   out-of-sample bars, which the SAME objective scores as one more fold: cv-loss its loss, cv-ic its IC, the
 *   backtest objectives the statistic of the backtest of its out-of-sample signals.
 * - The walk-forward's settings and each completed window are stored (`walk_forwards`, `walk_forward_windows`), so a
 *   re-run after Ctrl-C reuses the completed windows and resumes the interrupted window's study. The bars are
 *   frozen at creation (the windows are cut from the labelled bars up to the stored `dataTo`), so bars collected in
 *   between do not move the windows.
 * - The run holds the walk-forward's lock (`study|NAME`); each window's study takes its own.
 */
import { DataError, InterruptedError, UsageError } from '../../core/errors.js';
import { studyScope } from '../../core/lock.js';
import { mix32 } from '../../core/rng.js';
import { DEFAULT_MIN_VALID_ROWS, minimumRows } from '../../evaluation/splits.js';
import { forecastsOf } from '../../lifecycle/forecast.js';
import { selectRange } from '../../lifecycle/inputs.js';
import { selectRows, selectValues } from '../../models/frame.js';
import type { Task } from '../../models/model.js';
import { createPace } from '../../core/async.js';
import { evaluatePlan, runTraining } from '../../train/run.js';
import { ObjectiveUndefined, type ObjectiveContext, type StudyObjective } from '../objectives/objective.js';
import {
  checkSameSubject, loadStudyData, objectiveContext, onlyRows, requestObjective, runOptimize, subjectOf,
  type OptimizeDeps, type OptimizeRequest, type StudyData,
} from '../run-study.js';
import type { Params } from '../space.js';
import { walkForwardDocument, type WalkForwardDocument, type WalkForwardSettings } from './document.js';
import { walkForwardWindows, type WalkForwardScheme, type WalkForwardWindow } from './windows.js';

/** The fewest out-of-sample bars of a window. */
export const MIN_OUT_OF_SAMPLE_BARS = DEFAULT_MIN_VALID_ROWS;

/** A window as the run reports it when it starts and ends. */
export interface WalkForwardWindowEvent {
  index: number;
  windows: number;
  study: string;
  /** Set when the window ended. */
  inSampleValue?: number;
  outOfSampleValue?: number | null;
  reused?: boolean;
}

/** What `runWalkForward` needs beyond a study's dependencies. */
export interface WalkForwardDeps extends OptimizeDeps {
  onWindow?: (e: WalkForwardWindowEvent) => void;
}

/** The result of a run: the document, and the windows run now and reused from an earlier run. */
export interface WalkForwardRunResult extends WalkForwardDocument {
  ranWindows: number;
  reusedWindows: number;
}

/** The name of window k's study. */
export function windowStudyName(name: string, k: number): string {
  return `${name}.wf${k}`;
}

/** The seed of window k's study, derived from the walk-forward's seed. */
export function windowSeed(seed: number, k: number): number {
  return mix32(seed, k);
}

const sameJson = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);

/**
 * Check that every window has enough bars for its study's folds and an out-of-sample evaluation; the largest number
 * of windows that would fit is named in the error.
 * @throws DataError (exit 3) otherwise.
 */
export function checkWindows(rows: Uint32Array, windows: number, scheme: WalkForwardScheme, request: Pick<OptimizeRequest, 'cv' | 'folds' | 'window' | 'embargo' | 'target'>): WalkForwardWindow[] {
  const horizon = request.target.horizon;
  const need = minimumRows({ scheme: request.cv, folds: request.folds, horizon, embargo: request.embargo, window: request.window });
  const short = (w: WalkForwardWindow) => w.inSample.length < need || w.outOfSample.length < MIN_OUT_OF_SAMPLE_BARS;
  const fits = (n: number, s: WalkForwardScheme) => !walkForwardWindows(rows, { windows: n, scheme: s, horizon }).some(short);
  const plan = walkForwardWindows(rows, { windows, scheme, horizon });
  const bad = plan.find(short);
  if (!bad) return plan;
  let most = windows - 1;
  while (most >= 2 && !fits(most, scheme)) most--;
  const what = bad.inSample.length < need
    ? `${bad.inSample.length} in-sample bars in window ${bad.index} (after purging the ${horizon}-bar label horizon), too few for ${request.folds} ${request.cv} folds, which need ${need}`
    : `${bad.outOfSample.length} out-of-sample bars in window ${bad.index}, fewer than ${MIN_OUT_OF_SAMPLE_BARS}`;
  throw new DataError(`--walk-forward ${windows} leaves ${what} (${rows.length} labelled bars in all)`,
    most >= 2 ? `use --walk-forward ${most} or fewer${scheme === 'rolling' && fits(windows, 'anchored') ? ', or --wf-anchored' : ''}, or lower --folds` : 'collect more bars, or lower --folds or --horizon');
}

/**
 * Run (or resume) a walk-forward optimisation of `request` (its `walkForward` set), see the module note. `register`
 * is not read: optimizeRequest refuses it with --walk-forward, and no window's model is registered.
 * @throws UsageError for bad or changed settings, DataError for too few bars or a window without a complete trial,
 * InterruptedError on an abort.
 */
export async function runWalkForward(request: OptimizeRequest, deps: WalkForwardDeps): Promise<WalkForwardRunResult> {
  const wf = request.walkForward;
  if (!wf) throw new UsageError('not a walk-forward request', 'pass --walk-forward N');
  const { objective, label, task, space } = requestObjective(request);
  const name = request.study;
  const store = deps.store;
  if (await store.studies.get(name)) {
    throw new UsageError(`"${name}" names a study, not a walk-forward optimisation`, 'choose another --study name for the walk-forward');
  }
  const settings: WalkForwardSettings = { subject: subjectOf({ ...request, testSize: 0 }), sampler: request.sampler, pruner: request.pruner, space };
  const existing = await store.studies.getWalkForward(name);
  if (existing) {
    const stored = existing.settings as unknown as WalkForwardSettings;
    checkSameSubject(`walk-forward "${name}"`, stored.subject, settings.subject);
    const other = (['sampler', 'pruner', 'space'] as const).find((k) => !sameJson(stored[k], settings[k]));
    if (other) throw new UsageError(`walk-forward "${name}" was created with another ${other === 'space' ? 'search space' : other} (${JSON.stringify(stored[other])})`, 'resume it with the same options, or choose another --study name');
    if (existing.windows !== wf.windows || existing.scheme !== wf.scheme) {
      throw new UsageError(`walk-forward "${name}" was created with --walk-forward ${existing.windows}${existing.scheme === 'anchored' ? ' --wf-anchored' : ''}`, 'resume it with the same windows, or choose another --study name');
    }
    if (request.seed !== undefined && request.seed !== existing.seed) throw new UsageError(`walk-forward "${name}" was created with seed ${existing.seed}, not ${request.seed}`, 'leave out --seed to resume it, or choose another --study name');
  }

  const lock = await deps.lock?.([studyScope(name)]);
  try {
    const data = await loadStudyData(store, request, label);
    const dataTo = existing?.dataTo ?? lastLabelledTime(data);
    const rows = labelledRows(data, dataTo);
    const windows = checkWindows(rows, wf.windows, wf.scheme, request);
    const seed = existing?.seed ?? request.seed ?? request.defaultSeed;
    if (!existing) {
      if (!Number.isInteger(seed) || seed < 0 || seed > 0xffffffff) throw new UsageError(`the seed must be a whole number in [0, 4294967295] (got ${seed})`);
      await store.studies.createWalkForward({
        name, direction: objective.direction, seed, windows: wf.windows, scheme: wf.scheme, settings: settings as unknown as Record<string, unknown>, dataTo, createdAt: deps.now(),
      });
    }
    const done = new Map((await store.studies.walkForwardWindows(name)).map((w) => [w.window, w]));
    const ctx = await objectiveContext(store, request, objective, data.time, task);
    deps.log.info(`walk-forward ${name}: ${wf.windows} ${wf.scheme} windows of ${request.family} on ${request.symbol} ${request.interval}, ${objective.name} (${objective.direction}), seed ${seed}`);
    let ran = 0;
    let reused = 0;
    const t = (row: number) => data.time[row];
    for (const w of windows) {
      const study = windowStudyName(name, w.index);
      const range = {
        inSampleFrom: t(w.inSample[0]), inSampleTo: t(w.inSample[w.inSample.length - 1]), inSampleBars: w.inSample.length,
        outOfSampleFrom: t(w.outOfSample[0]), outOfSampleTo: t(w.outOfSample[w.outOfSample.length - 1]), outOfSampleBars: w.outOfSample.length,
      };
      const stored = done.get(w.index);
      if (stored) {
        const moved = (Object.keys(range) as (keyof typeof range)[]).some((k) => stored[k] !== range[k]);
        if (moved) throw new UsageError(`window ${w.index} of walk-forward "${name}" no longer covers the bars it was optimised on (the stored bars changed)`, 'choose another --study name to start over on the bars stored now');
        reused++;
        deps.onWindow?.({ index: w.index, windows: wf.windows, study, inSampleValue: stored.inSampleValue, outOfSampleValue: stored.outOfSampleValue, reused: true });
        continue;
      }
      if (deps.signal?.aborted) throw new InterruptedError();
      const wSeed = windowSeed(seed, w.index);
      deps.onWindow?.({ index: w.index, windows: wf.windows, study });
      deps.log.info(`walk-forward ${name}: window ${w.index}/${wf.windows}, in sample ${iso(range.inSampleFrom)}..${iso(range.inSampleTo)} (${range.inSampleBars} bars, ${w.purged} purged), out of sample ${iso(range.outOfSampleFrom)}..${iso(range.outOfSampleTo)} (${range.outOfSampleBars} bars)`);
      const windowRequest: OptimizeRequest = { ...request, study, seed: wSeed, testSize: 0, register: false, walkForward: undefined };
      const result = await runOptimize(windowRequest, deps, {
        data, rows: w.inSample,
        subject: { walkForward: name, window: String(w.index), inSample: `${iso(range.inSampleFrom)}..${iso(range.inSampleTo)}` },
      });
      if (!result.bestTrial) {
        throw new DataError(`window ${w.index} of walk-forward "${name}" has no complete trial (${result.counts.failed} failed), so it cannot be evaluated out of sample`,
          `see why with pulse optimize show ${study}; raise --trials to run more`);
      }
      if (deps.signal?.aborted) throw new InterruptedError();
      const oos = await outOfSampleValue(windowRequest, deps, data, w, result.bestTrial.params, wSeed, objective, task, ctx);
      await store.studies.saveWalkForwardWindow({
        walkForward: name, window: w.index, study, seed: wSeed, ...range, bestTrial: result.bestTrial.number, bestParams: { ...result.bestTrial.params },
        inSampleValue: result.bestTrial.value, outOfSampleValue: oos.value, outOfSampleNote: oos.note, finishedAt: deps.now(),
      });
      ran++;
      deps.onWindow?.({ index: w.index, windows: wf.windows, study, inSampleValue: result.bestTrial.value, outOfSampleValue: oos.value });
    }
    const doc = (await walkForwardDocument(store, name))!;
    return { ...doc, ranWindows: ran, reusedWindows: reused };
  } finally {
    lock?.release();
  }
}

const iso = (ms: number) => new Date(ms).toISOString().slice(0, 10);

/** Open time of the last bar with a label. */
function lastLabelledTime(data: StudyData): number {
  for (let i = data.y.length - 1; i >= 0; i--) if (!Number.isNaN(data.y[i])) return data.time[i];
  throw new DataError('no bar of the series has a label yet', 'collect more bars');
}

/** Ascending positions of the labelled bars opened at or before `dataTo`. */
function labelledRows(data: StudyData, dataTo: number): Uint32Array {
  const out: number[] = [];
  for (let i = 0; i < data.y.length; i++) if (!Number.isNaN(data.y[i]) && data.time[i] <= dataTo) out.push(i);
  return Uint32Array.from(out);
}

/**
 * Train `params` on the window's in-sample bars (the training run of `pulse train`, seed `seed`) and score the final
 * model's forecasts of the out-of-sample bars with the objective, as one fold. An objective undefined there (no
 * trade) gives null and its reason.
 */
async function outOfSampleValue(request: OptimizeRequest, deps: OptimizeDeps, data: StudyData, w: WalkForwardWindow, params: Params, seed: number,
  objective: StudyObjective, task: Task, ctx: ObjectiveContext): Promise<{ value: number | null; note: string | null }> {
  const trained = await runTraining({
    X: data.X, y: onlyRows(data.y, w.inSample), times: data.time, horizon: request.target.horizon, family: request.family, params: { ...params },
    cv: request.cv, folds: request.folds, window: request.window, embargo: request.embargo, testSize: 0, seed, task, pace: createPace(deps.signal),
  });
  const frame = { columns: data.X.columns, names: data.X.names, numRows: data.y.length };
  const oos = w.outOfSample;
  const raw = selectValues(data.y, oos);
  const { classValues } = trained;
  const y = task === 'regression' ? raw : raw.map((v) => {
    const c = classValues.indexOf(v);
    if (c < 0) throw new DataError(`window ${w.index}: the out-of-sample bars have the class ${v}, which no in-sample bar has`, 'use fewer windows, or --wf-anchored, so that every in-sample segment sees every class');
    return c;
  });
  const numClass = task === 'regression' ? 1 : classValues.length;
  const metrics = evaluatePlan({ task, numClass }, y, trained.model.predict(selectRows(frame, oos)));
  const from = oos[0];
  const to = oos[oos.length - 1];
  const forecasts = objective.backtest ? forecastsOf(trained.model.predict(selectRange(frame, from, to + 1)), to - from + 1, task, classValues) : new Float64Array(0);
  try {
    return { value: objective.value([{ metrics, forecasts, validFrom: from, validTo: to }], ctx, true), note: null };
  } catch (e) {
    if (e instanceof ObjectiveUndefined) return { value: null, note: e.message };
    throw e;
  }
}
