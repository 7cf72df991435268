/**
 * Where studies and their trials live. Promise-returning throughout so the store's SQL implementation (src/store)
 * can implement it; {@link MemoryStudyStorage} is the in-process implementation (tests, throwaway studies).
 *
 * The storage owns trial numbering: `createTrial` gives the next number atomically, so trials are numbered
 * 0, 1, 2, ... without gaps or duplicates even with several workers asking at once.
 */
import type { SamplerName } from './sampler.js';
import type { PrunerName } from './pruner.js';
import type { Params, SearchSpace } from './space.js';
import type { Direction, Trial, TrialState } from './trial.js';

/** A study's identity and settings, fixed when it is created. */
export interface StudyRecord {
  readonly name: string;
  readonly direction: Direction;
  /** The seed of the sampler's streams (NumPy `RandomState(seed)`, as an Optuna sampler's `seed`). */
  readonly seed: number;
  readonly sampler: SamplerName;
  readonly pruner: PrunerName | 'none';
  readonly space: SearchSpace;
  /** What the study optimises (e.g. symbol, interval, model family, objective); a resume must match it. */
  readonly subject: Readonly<Record<string, string>>;
  readonly createdAt: number;
}

/** The process running a trial (pid plus its start time, so a recycled pid is not mistaken for it). */
export interface TrialOwner {
  readonly pid: number;
  readonly startTime: number | null;
}

/** A trial as stored: the trial plus its owner while running. */
export interface StoredTrial extends Trial {
  readonly owner: TrialOwner | null;
}

/** How a trial ends. */
export interface TrialEnd {
  readonly state: Exclude<TrialState, 'running'>;
  readonly value: number | null;
  readonly finishedAt: number;
  readonly failReason: string | null;
}

/** Storage of studies and trials. */
export interface StudyStorage {
  /** Create a study; rejects when the name is taken. */
  createStudy(study: StudyRecord): Promise<void>;
  /** The study of that name, or undefined. */
  getStudy(name: string): Promise<StudyRecord | undefined>;
  listStudies(): Promise<StudyRecord[]>;
  /** Start a trial with the next number. */
  createTrial(study: string, init: { params: Params; startedAt: number; owner: TrialOwner | null }): Promise<StoredTrial>;
  /** Set a running trial's parameters (the sampler draws them after the trial has its number). */
  setTrialParams(study: string, number: number, params: Params): Promise<void>;
  /** Record an intermediate value (replacing one at the same step). */
  reportIntermediate(study: string, number: number, step: number, value: number): Promise<void>;
  setTrialAttr(study: string, number: number, key: string, value: number): Promise<void>;
  /** End a running trial; rejects when the trial is not running. */
  finishTrial(study: string, number: number, end: TrialEnd): Promise<void>;
  /** Every trial of a study in number order. */
  getTrials(study: string): Promise<StoredTrial[]>;
  getTrial(study: string, number: number): Promise<StoredTrial>;
}

/** In-memory {@link StudyStorage}: records are copied in and out, as a database would. */
export class MemoryStudyStorage implements StudyStorage {
  private readonly studies = new Map<string, { record: StudyRecord; trials: StoredTrial[] }>();

  private entry(name: string): { record: StudyRecord; trials: StoredTrial[] } {
    const e = this.studies.get(name);
    if (!e) throw new Error(`no study named ${JSON.stringify(name)}`);
    return e;
  }

  private running(study: string, number: number): StoredTrial {
    const t = this.entry(study).trials[number];
    if (!t) throw new Error(`study ${study} has no trial ${number}`);
    if (t.state !== 'running') throw new Error(`trial ${number} of ${study} is ${t.state}, not running`);
    return t;
  }

  private replace(study: string, trial: StoredTrial): void {
    this.entry(study).trials[trial.number] = trial;
  }

  async createStudy(study: StudyRecord): Promise<void> {
    if (this.studies.has(study.name)) throw new Error(`a study named ${JSON.stringify(study.name)} exists`);
    this.studies.set(study.name, { record: structuredClone(study), trials: [] });
  }

  async getStudy(name: string): Promise<StudyRecord | undefined> {
    const e = this.studies.get(name);
    return e ? structuredClone(e.record) : undefined;
  }

  async listStudies(): Promise<StudyRecord[]> {
    return [...this.studies.values()].map((e) => structuredClone(e.record));
  }

  async createTrial(study: string, init: { params: Params; startedAt: number; owner: TrialOwner | null }): Promise<StoredTrial> {
    const trials = this.entry(study).trials;
    const trial: StoredTrial = {
      number: trials.length, state: 'running', params: { ...init.params }, value: null, intermediate: [],
      startedAt: init.startedAt, finishedAt: null, failReason: null, attrs: {}, owner: init.owner,
    };
    trials.push(trial);
    return structuredClone(trial);
  }

  async setTrialParams(study: string, number: number, params: Params): Promise<void> {
    const t = this.running(study, number);
    this.replace(study, { ...t, params: { ...params } });
  }

  async reportIntermediate(study: string, number: number, step: number, value: number): Promise<void> {
    const t = this.running(study, number);
    const intermediate = t.intermediate.filter((i) => i.step !== step).concat({ step, value }).sort((a, b) => a.step - b.step);
    this.replace(study, { ...t, intermediate });
  }

  async setTrialAttr(study: string, number: number, key: string, value: number): Promise<void> {
    const t = this.running(study, number);
    this.replace(study, { ...t, attrs: { ...t.attrs, [key]: value } });
  }

  async finishTrial(study: string, number: number, end: TrialEnd): Promise<void> {
    const t = this.running(study, number);
    this.replace(study, { ...t, ...end, owner: null });
  }

  async getTrials(study: string): Promise<StoredTrial[]> {
    return structuredClone(this.entry(study).trials);
  }

  async getTrial(study: string, number: number): Promise<StoredTrial> {
    const t = this.entry(study).trials[number];
    if (!t) throw new Error(`study ${study} has no trial ${number}`);
    return structuredClone(t);
  }
}
