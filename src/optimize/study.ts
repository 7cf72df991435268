/**
 * A study: the ask/tell loop of Optuna's `Study` over a {@link StudyStorage}.
 *
 * - `ask` starts a trial (the storage gives it the next number) and draws its parameters with the sampler, from the
 *   study's streams (seeded with its stored seed; see Determinism below); `tell` ends it as complete, pruned or
 *   failed. An objective value that is NaN or infinite fails the trial, as in Optuna.
 * - `optimize` runs an objective until the study has `nTrials` ended trials (complete, pruned or failed by the
 *   objective; trials lost to a dead process do not count), the time budget is spent, the grid is exhausted or the
 *   signal aborts. An objective that throws fails its trial with the error's message and the study goes on; one
 *   that throws {@link TrialPruned} prunes it.
 * - `Study.open` creates the study or resumes it by name. A resumed study must describe the same subject,
 *   direction, space, sampler and pruner; trials left `running` by a process that no longer exists are marked
 *   failed, and numbering continues after the last trial.
 *
 * Determinism: the sampler sees the trials before the one it samples and draws from two NumPy `RandomState(seed)`
 * streams (the sampler's own and its startup trials', as Optuna's samplers hold them), which continue from trial to
 * trial; asks are serialised, so the streams are consumed in trial-number order. A sequential study therefore gives
 * the same trials for the same seed, the trials Optuna's sampler with that seed gives on float and int spaces.
 * After sampling, a trial records how far each stream has got (its attrs {@link STREAM_ATTRS}, in 32-bit draws,
 * written when a stream moved), and `Study.open` rebuilds the streams at the furthest recorded positions, so a study
 * resumed after a clean stop gives the trials an uninterrupted run would have given. Two processes running one
 * study at once each continue the streams from where they opened them (as two Optuna workers with one seed do).
 */
import { UsageError } from '../core/errors.js';
import { processStartTime, isProcessAlive } from '../core/process.js';
import { DEFAULT_SEED } from '../core/rng.js';
import { NumpyRandomState } from './numpy-random.js';
import type { Pruner } from './pruner.js';
import type { Sampler } from './sampler.js';
import type { Params, SearchSpace } from './space.js';
import type { StoredTrial, StudyRecord, StudyStorage, TrialOwner } from './storage.js';
import { bestTrial, type Direction, lastIntermediate, type Trial, type TrialState } from './trial.js';

/** Thrown by an objective (after `shouldPrune()` said so) to end its trial as pruned; Optuna's `TrialPruned`. */
export class TrialPruned extends Error {
  constructor() {
    super('trial pruned');
    this.name = 'TrialPruned';
  }
}

/** The trial attrs recording the sampler streams' positions (32-bit draws since seeding) after the trial's sampling. */
export const STREAM_ATTRS = { rng: 'sampler_draws', startupRng: 'sampler_startup_draws' } as const;

/** The generators a study hands its sampler (see {@link SampleContext}). */
interface SamplerStreams {
  readonly rng: NumpyRandomState;
  readonly startupRng: NumpyRandomState;
}

/** The streams of a study seeded with `seed`, at the furthest positions its trials recorded. */
function resumeStreams(seed: number, trials: readonly Trial[]): SamplerStreams {
  const furthest = (key: string): number => trials.reduce((m, t) => Math.max(m, t.attrs[key] ?? 0), 0);
  return {
    rng: NumpyRandomState.at(seed, furthest(STREAM_ATTRS.rng)),
    startupRng: NumpyRandomState.at(seed, furthest(STREAM_ATTRS.startupRng)),
  };
}

/** The fail reason of a trial whose process died while running it. */
export const DIED_WHILE_RUNNING = 'the process running it ended before the trial finished';

/** The running trial an objective receives. */
export interface TrialHandle {
  readonly number: number;
  readonly params: Params;
  /** Record the intermediate value at a step (a CV fold's loss). */
  report(step: number, value: number): Promise<void>;
  /** Whether the pruner would stop the trial now (after the latest report). */
  shouldPrune(): Promise<boolean>;
}

/** An objective: returns the trial's value, or throws ({@link TrialPruned} to prune). */
export type Objective = (trial: TrialHandle) => Promise<number>;

/** What {@link Study.open} needs. */
export interface StudyConfig {
  readonly storage: StudyStorage;
  readonly name: string;
  readonly direction: Direction;
  readonly space: SearchSpace;
  readonly sampler: Sampler;
  readonly pruner: Pruner | null;
  /** What is optimised (symbol, interval, model, objective...); a resume must match. */
  readonly subject?: Readonly<Record<string, string>>;
  /** Seed for a new study; a resume that passes one must pass the stored one. Default {@link DEFAULT_SEED}. */
  readonly seed?: number;
  /** Clock in epoch milliseconds (tests inject one). */
  readonly now?: () => number;
  /** This process, recorded on the trials it runs (default: pid and start time). */
  readonly owner?: TrialOwner | null;
  /** Whether a trial's owner still runs (default: the pid is alive with the same start time). */
  readonly isOwnerAlive?: (owner: TrialOwner) => boolean;
}

/** Limits of {@link Study.optimize}. */
export interface OptimizeOptions {
  /** Stop when the study has this many ended trials (failures by a dead process not counted). */
  readonly nTrials?: number;
  /** Start no trial after this many milliseconds. */
  readonly timeoutMs?: number;
  /** Stop starting trials; a running trial is failed as interrupted. */
  readonly signal?: AbortSignal;
  /** Called after each trial this call ran has ended, with it as stored and every trial of the study (progress). */
  readonly onTrialEnd?: (ended: Trial, trials: readonly Trial[]) => void;
  /**
   * Trials run at once (default 1). With more than one, a trial is started whenever one ends while the limits allow
   * (never more than `nTrials` ended and running together), and the sampler sees the trials ended by then: the
   * parameters then depend on the order in which trials finish, as in Optuna with `n_jobs > 1`.
   */
  readonly jobs?: number;
}

/** Counts of a study's trials by state. */
export type StateCounts = Record<TrialState, number>;

/** What {@link Study.optimize} returns. */
export interface OptimizeResult {
  readonly study: string;
  readonly direction: Direction;
  readonly bestTrial: Trial | null;
  readonly counts: StateCounts;
  /** Trials this call ran. */
  readonly ran: number;
  readonly stoppedBy: 'n-trials' | 'timeout' | 'grid-exhausted' | 'interrupted';
}

function defaultOwner(): TrialOwner {
  return { pid: process.pid, startTime: processStartTime(process.pid) };
}

function ownerAlive(owner: TrialOwner): boolean {
  return isProcessAlive(owner.pid) && processStartTime(owner.pid) === owner.startTime;
}

const same = (a: unknown, b: unknown): boolean => JSON.stringify(a) === JSON.stringify(b);

/** A study bound to its storage, sampler and pruner. */
export class Study {
  /** The ask in progress (asks run one after the other, so the streams are consumed in trial-number order). */
  private asking: Promise<unknown> = Promise.resolve();

  private constructor(
    readonly record: StudyRecord,
    private readonly storage: StudyStorage,
    private readonly sampler: Sampler,
    private readonly pruner: Pruner | null,
    private readonly now: () => number,
    private readonly owner: TrialOwner | null,
    private readonly streams: SamplerStreams,
  ) {}

  /** Create the study, or resume the one of that name (failing trials orphaned by a dead process). */
  static async open(config: StudyConfig): Promise<Study> {
    const { storage, name } = config;
    const now = config.now ?? Date.now;
    const wanted = {
      name, direction: config.direction, sampler: config.sampler.name, pruner: config.pruner?.name ?? 'none',
      space: config.space, subject: config.subject ?? {},
    } as const;
    let record = await storage.getStudy(name);
    if (!record) {
      const seed = config.seed ?? DEFAULT_SEED;
      if (!Number.isInteger(seed) || seed < 0 || seed > 0xffffffff) throw new UsageError(`the seed must be a whole number in [0, 4294967295] (got ${seed})`);
      record = { ...wanted, seed, createdAt: now() };
      await storage.createStudy(record);
    } else {
      const stored = record;
      const differs = (what: string, a: unknown, b: unknown): void => {
        if (!same(a, b)) {
          throw new UsageError(`study ${JSON.stringify(name)} exists with a different ${what} (${JSON.stringify(a)}, not ${JSON.stringify(b)})`,
            'resume it with the same settings, or pick another --study name');
        }
      };
      differs('subject', stored.subject, wanted.subject);
      differs('direction', stored.direction, wanted.direction);
      differs('sampler', stored.sampler, wanted.sampler);
      differs('pruner', stored.pruner, wanted.pruner);
      differs('search space', stored.space, wanted.space);
      if (config.seed !== undefined) differs('seed', stored.seed, config.seed);
      const alive = config.isOwnerAlive ?? ownerAlive;
      for (const t of await storage.getTrials(name)) {
        if (t.state === 'running' && (t.owner === null || !alive(t.owner))) {
          await storage.finishTrial(name, t.number, { state: 'failed', value: null, finishedAt: now(), failReason: DIED_WHILE_RUNNING });
        }
      }
    }
    const streams = resumeStreams(record.seed, await storage.getTrials(name));
    return new Study(record, storage, config.sampler, config.pruner, now, config.owner === undefined ? defaultOwner() : config.owner, streams);
  }

  get name(): string {
    return this.record.name;
  }

  /** Every trial, in number order. */
  async trials(): Promise<Trial[]> {
    return this.storage.getTrials(this.name);
  }

  /** The best complete trial, if any. */
  async best(): Promise<Trial | undefined> {
    return bestTrial(await this.trials(), this.record.direction);
  }

  /** Start a trial: its number from the storage, its parameters from the sampler. */
  ask(): Promise<TrialHandle> {
    const next = this.asking.then(() => this.askNow());
    this.asking = next.catch(() => undefined);
    return next;
  }

  private async askNow(): Promise<TrialHandle> {
    const created = await this.storage.createTrial(this.name, { params: {}, startedAt: this.now(), owner: this.owner });
    const history = (await this.storage.getTrials(this.name)).filter((t) => t.number < created.number);
    const { rng, startupRng } = this.streams;
    const before = { rng: rng.position, startupRng: startupRng.position };
    const params = this.sampler.sample({ space: this.record.space, trials: history, direction: this.record.direction, rng, startupRng });
    await this.storage.setTrialParams(this.name, created.number, params);
    for (const key of ['rng', 'startupRng'] as const) {
      const position = this.streams[key].position;
      if (position !== before[key]) await this.storage.setTrialAttr(this.name, created.number, STREAM_ATTRS[key], position);
    }
    const number = created.number;
    return {
      number,
      params,
      report: (step, value) => this.storage.reportIntermediate(this.name, number, step, value),
      shouldPrune: () => this.shouldPrune(number),
    };
  }

  private async shouldPrune(number: number): Promise<boolean> {
    if (!this.pruner) return false;
    const trials: StoredTrial[] = await this.storage.getTrials(this.name);
    return this.pruner.prune({
      studyName: this.name, direction: this.record.direction, trial: trials[number], trials,
      setAttr: (key, value) => this.storage.setTrialAttr(this.name, number, key, value),
    });
  }

  /** End a trial. A complete trial's value must be finite, otherwise the trial fails. */
  async tell(number: number, outcome: { state: 'complete'; value: number } | { state: 'pruned' } | { state: 'failed'; reason: string }): Promise<void> {
    const finishedAt = this.now();
    if (outcome.state === 'complete') {
      if (!Number.isFinite(outcome.value)) {
        await this.storage.finishTrial(this.name, number, { state: 'failed', value: null, finishedAt, failReason: `the objective returned ${outcome.value}` });
        return;
      }
      await this.storage.finishTrial(this.name, number, { state: 'complete', value: outcome.value, finishedAt, failReason: null });
    } else if (outcome.state === 'pruned') {
      // As Optuna's tell: a pruned trial keeps its last intermediate value as its value when that is finite.
      const last = lastIntermediate(await this.storage.getTrial(this.name, number));
      const value = last !== undefined && Number.isFinite(last.value) ? last.value : null;
      await this.storage.finishTrial(this.name, number, { state: 'pruned', value, finishedAt, failReason: null });
    } else {
      await this.storage.finishTrial(this.name, number, { state: 'failed', value: null, finishedAt, failReason: outcome.reason });
    }
  }

  /** Run the objective until a limit is reached (see the module comment). */
  async optimize(objective: Objective, options: OptimizeOptions = {}): Promise<OptimizeResult> {
    if (options.nTrials !== undefined && !(Number.isInteger(options.nTrials) && options.nTrials >= 1)) {
      throw new UsageError(`the number of trials must be a whole number of at least 1 (got ${options.nTrials})`);
    }
    const jobs = options.jobs ?? 1;
    if (!(Number.isInteger(jobs) && jobs >= 1)) throw new UsageError(`the number of parallel trials must be a whole number of at least 1 (got ${jobs})`);
    if (jobs > 1) return this.optimizeConcurrently(objective, options, jobs);
    const start = this.now();
    const gridSize = this.sampler.size?.(this.record.space);
    let ran = 0;
    let stoppedBy: OptimizeResult['stoppedBy'] = 'n-trials';
    for (;;) {
      if (options.signal?.aborted) {
        stoppedBy = 'interrupted';
        break;
      }
      const trials = await this.trials();
      const counted = trials.filter((t) => t.state !== 'running' && t.failReason !== DIED_WHILE_RUNNING).length;
      if (options.nTrials !== undefined && counted >= options.nTrials) break;
      if (options.timeoutMs !== undefined && this.now() - start >= options.timeoutMs) {
        stoppedBy = 'timeout';
        break;
      }
      if (gridSize !== undefined && trials.filter((t) => t.failReason !== DIED_WHILE_RUNNING).length >= gridSize) {
        stoppedBy = 'grid-exhausted';
        break;
      }
      ran++;
      const number = await this.runTrial(objective, options.signal);
      if (options.onTrialEnd) {
        const all = await this.trials();
        options.onTrialEnd(all[number], all);
      }
    }
    return this.summary(ran, stoppedBy);
  }

  private async summary(ran: number, stoppedBy: OptimizeResult['stoppedBy']): Promise<OptimizeResult> {
    const trials = await this.trials();
    const counts: StateCounts = { running: 0, complete: 0, pruned: 0, failed: 0 };
    for (const t of trials) counts[t.state]++;
    return { study: this.name, direction: this.record.direction, bestTrial: bestTrial(trials, this.record.direction) ?? null, counts, ran, stoppedBy };
  }

  /** Run one trial of `objective` to its end (see {@link optimize}). */
  private async runTrial(objective: Objective, signal: AbortSignal | undefined): Promise<number> {
    const trial = await this.ask();
    try {
      const value = await objective(trial);
      await this.tell(trial.number, { state: 'complete', value });
    } catch (e) {
      if (e instanceof TrialPruned) await this.tell(trial.number, { state: 'pruned' });
      else if (signal?.aborted) await this.tell(trial.number, { state: 'failed', reason: 'interrupted' });
      else await this.tell(trial.number, { state: 'failed', reason: e instanceof Error ? e.message : String(e) });
    }
    return trial.number;
  }

  /** {@link optimize} with up to `jobs` trials running at once (see {@link OptimizeOptions.jobs}). */
  private async optimizeConcurrently(objective: Objective, options: OptimizeOptions, jobs: number): Promise<OptimizeResult> {
    const start = this.now();
    const gridSize = this.sampler.size?.(this.record.space);
    let ran = 0;
    let stoppedBy: OptimizeResult['stoppedBy'] | null = null;
    const running = new Set<Promise<void>>();
    // Asking is serialised, so trial numbers and the history each sampler call sees follow one order.
    for (;;) {
      if (stoppedBy === null) {
        if (options.signal?.aborted) stoppedBy = 'interrupted';
        else if (options.timeoutMs !== undefined && this.now() - start >= options.timeoutMs) stoppedBy = 'timeout';
      }
      if (stoppedBy === null && running.size < jobs) {
        const trials = await this.trials();
        const mine = running.size;
        const ended = trials.filter((t) => t.state !== 'running' && t.failReason !== DIED_WHILE_RUNNING).length;
        if (options.nTrials !== undefined && ended + mine >= options.nTrials) {
          if (mine === 0) stoppedBy = 'n-trials';
        } else if (gridSize !== undefined && trials.filter((t) => t.failReason !== DIED_WHILE_RUNNING).length >= gridSize) {
          if (mine === 0) stoppedBy = 'grid-exhausted';
        } else {
          ran++;
          const p: Promise<void> = this.runTrial(objective, options.signal).then(async (number) => {
            if (options.onTrialEnd) {
              const all = await this.trials();
              options.onTrialEnd(all[number], all);
            }
          }).finally(() => running.delete(p));
          running.add(p);
          continue;
        }
      }
      if (running.size === 0) break;
      await Promise.race(running);
    }
    return this.summary(ran, stoppedBy ?? 'n-trials');
  }
}
