/**
 * What a study found, for `pulse optimize ls`, `pulse optimize show` and `pulse train --params-from`: its best
 * trial, its history and the parameters' importance (fANOVA over the complete trials, ./importance/fanova.ts).
 */
import { DataError, PulseError, UsageError } from '../core/errors.js';
import type { Store } from '../store/store.js';
import { fanovaImportance, type ParamImportance } from './importance/fanova.js';
import type { Params } from './space.js';
import { storeStudyStorage } from './store-storage.js';
import type { StudyRecord } from './storage.js';
import { bestTrial, type Direction, type Intermediate, type Trial, type TrialState } from './trial.js';

/** A trial as a report shows it. */
export interface TrialView {
  number: number;
  state: TrialState;
  value: number | null;
  params: Params;
  intermediate: Intermediate[];
  /** The last step reported (a pruned trial: the fold it was stopped after), or null. */
  step: number | null;
  startedAt: number;
  finishedAt: number | null;
  failReason: string | null;
}

/** `pulse optimize show STUDY`. */
export interface StudyReport {
  study: string;
  direction: Direction;
  subject: Record<string, string>;
  sampler: string;
  pruner: string;
  seed: number;
  createdAt: number;
  space: StudyRecord['space'];
  bestTrial: TrialView | null;
  /** Importance of each parameter (sum 1, largest first); null with fewer than 2 complete trials of different values. */
  importance: ParamImportance[] | null;
  /** Why `importance` is null. */
  importanceNote: string | null;
  trials: TrialView[];
}

/** One line of `pulse optimize ls`. */
export interface StudySummary {
  study: string;
  symbol: string;
  interval: string;
  model: string;
  objective: string;
  direction: Direction;
  trials: number;
  complete: number;
  pruned: number;
  failed: number;
  running: number;
  bestValue: number | null;
  bestTrial: number | null;
  createdAt: number;
}

async function mustGet(store: Store, name: string): Promise<StudyRecord> {
  const storage = storeStudyStorage(store);
  const record = await storage.getStudy(name);
  if (!record) {
    const known = (await storage.listStudies()).slice(0, 5).map((s) => s.name);
    throw new DataError(`no study named "${name}" in the store`, known.length ? `known studies include ${known.join(', ')}; see pulse optimize ls` : 'start one: pulse optimize SYMBOL --interval 1d --model lightgbm');
  }
  return record;
}

/** Every study, newest first, with its trial counts and best value. */
export async function studySummaries(store: Store, filter: { symbol?: string } = {}): Promise<StudySummary[]> {
  const storage = storeStudyStorage(store);
  const out: StudySummary[] = [];
  for (const s of await storage.listStudies()) {
    if (filter.symbol !== undefined && s.subject.symbol !== filter.symbol) continue;
    const trials = await storage.getTrials(s.name);
    const best = bestTrial(trials, s.direction);
    const count = (state: TrialState) => trials.filter((t) => t.state === state).length;
    out.push({
      study: s.name, symbol: s.subject.symbol ?? '', interval: s.subject.interval ?? '', model: s.subject.model ?? '', objective: s.subject.objective ?? '',
      direction: s.direction, trials: trials.length, complete: count('complete'), pruned: count('pruned'), failed: count('failed'), running: count('running'),
      bestValue: best?.value ?? null, bestTrial: best?.number ?? null, createdAt: s.createdAt,
    });
  }
  return out.sort((a, b) => b.createdAt - a.createdAt || a.study.localeCompare(b.study));
}

/** The report of one study. @throws DataError (exit 3) when no study has that name. */
export async function studyReport(store: Store, name: string): Promise<StudyReport> {
  const record = await mustGet(store, name);
  const trials = await storeStudyStorage(store).getTrials(name);
  const view = (t: Trial): TrialView => ({
    number: t.number, state: t.state, value: t.value, params: t.params, intermediate: [...t.intermediate],
    step: t.intermediate.length ? t.intermediate[t.intermediate.length - 1].step : null,
    startedAt: t.startedAt, finishedAt: t.finishedAt, failReason: t.failReason,
  });
  const best = bestTrial(trials, record.direction);
  let importance: ParamImportance[] | null = null;
  let importanceNote: string | null = null;
  try {
    importance = fanovaImportance(record.space, trials, { seed: record.seed });
  } catch (e) {
    if (!(e instanceof PulseError)) throw e;
    importanceNote = e.message;
  }
  return {
    study: record.name, direction: record.direction, subject: { ...record.subject }, sampler: record.sampler, pruner: record.pruner, seed: record.seed,
    createdAt: record.createdAt, space: record.space, bestTrial: best ? view(best) : null, importance, importanceNote, trials: trials.map(view),
  };
}

/** The best parameters of a study for `pulse train --params-from`. */
export interface StudyParams {
  study: string;
  family: string;
  symbol: string;
  interval: string;
  trial: number;
  value: number;
  params: Params;
}

/**
 * The best complete trial's parameters of a study.
 * @throws DataError when no study has that name; UsageError when it has no complete trial.
 */
export async function bestParamsOf(store: Store, name: string): Promise<StudyParams> {
  const record = await mustGet(store, name);
  const best = bestTrial(await storeStudyStorage(store).getTrials(name), record.direction);
  if (!best) throw new UsageError(`study "${name}" has no complete trial yet`, `run more trials: pulse optimize ${record.subject.symbol ?? 'SYMBOL'} --study ${name} ...`);
  return { study: name, family: record.subject.model ?? '', symbol: record.subject.symbol ?? '', interval: record.subject.interval ?? '', trial: best.number, value: best.value!, params: { ...best.params } };
}
