/**
 * The repositories: every read and write of the store, as Promise-returning methods over plain records
 * (records.ts). Domain code sees only these interfaces; each SQL dialect implements them (src/store/sqlite/ today),
 * and test/store/contract.ts holds the behaviour every implementation must show.
 */
import type { Bar, BarSeries } from '../core/bars.js';
import type { Interval } from '../core/interval.js';
import type {
  CycleRecord,
  AbArm,
  AbServedRecord,
  AbTestRecord,
  AbTestStatus,
  BacktestRecord,
  BackupRecord,
  DriftEventRecord,
  PerformanceRecord,
  PerformanceSource,
  HealthRunRecord,
  ModelEventRecord,
  StudyRow,
  WalkForwardRow,
  WalkForwardWindowRow,
  TrialRow,
  BarColumns,
  BarProvenance,
  CollectRunRecord,
  ExternalSeriesSummary,
  InstrumentFacts,
  JobEventRecord,
  JobRecord,
  JobStatus,
  JobTrigger,
  ModelRecord,
  ModelStatus,
  PredictionRecord,
  QuarantineEntry,
  QuarantineRecord,
  RunCounts,
  RunStatus,
  SeriesPoint,
  SeriesSource,
  SeriesSummary,
  SourceChange,
  SourceHealthRecord,
  StoredBar,
  StoredBarRow,
  UpsertCounts,
} from './records.js';

/** A range of bar open times, [from, to). */
export interface TimeRange {
  from?: number;
  to?: number;
}

/** OHLCV bars, the hot path: bulk upserts with change detection and columnar reads. */
export interface BarsRepository {
  /**
   * Insert new bars, update revised ones and count the identical ones (rows sorted by time, unique). Bumps the
   * series' data version when anything changed and records the collection time.
   */
  upsert(symbol: string, interval: Interval, bars: BarColumns, provenance: BarProvenance): Promise<UpsertCounts>;
  /** The newest bar time (optionally only bars before `before`), or undefined when none. */
  lastTime(symbol: string, interval: Interval, before?: number): Promise<number | undefined>;
  /** How many bars open in [from, to). */
  count(symbol: string, interval: Interval, from: number, to: number): Promise<number>;
  /** The open times of the bars in [from, to), ascending. */
  times(symbol: string, interval: Interval, from: number, to: number): Promise<number[]>;
  /** Up to `count` bars strictly before `before`, oldest first. */
  before(symbol: string, interval: Interval, before: number, count: number): Promise<Bar[]>;
  /** The bars in a range as columnar typed arrays (default: the whole series). */
  load(symbol: string, interval: Interval, range?: TimeRange): Promise<BarSeries>;
  /** The last `n` bars, oldest first, with provenance. */
  tail(symbol: string, interval: Interval, n: number): Promise<StoredBar[]>;
  /**
   * The bars in a range, in time order, in pages of rows, without loading them all (exports of millions of rows).
   * Pages, not rows: an await per row would cost more than the export itself.
   */
  pages(symbol: string, interval: Interval, range?: TimeRange): AsyncIterable<readonly StoredBarRow[]>;
}

/** What the store knows about each stored series: versions, source records, inventory. */
export interface SeriesRepository {
  /** The data version (bumped on every insert or revision); 0 when never collected. */
  version(symbol: string, interval: Interval): Promise<number>;
  /** A string that changes whenever the series' bars change; undefined when never collected. */
  stamp(symbol: string, interval: Interval): Promise<string | undefined>;
  /** Every stored series with row counts and time range. */
  list(filter?: { symbol?: string; interval?: Interval }): Promise<SeriesSummary[]>;
  /**
   * Every series that holds bars, with its bar count and newest bar time: `list` without the scan of whole rows
   * (it reads only the bars' key index), for frequent callers such as metrics scrapes.
   */
  sizes(): Promise<{ symbol: string; interval: Interval; rows: number; last: number }[]>;
  /** Every series that holds bars, with its newest bar's open time: one index seek per series, whatever its size. */
  newest(): Promise<{ symbol: string; interval: Interval; last: number }[]>;
  /** The source record, or undefined when the series was never stored. */
  source(symbol: string, interval: string): Promise<SeriesSource | undefined>;
  /** Record what a series is collected from (after its bars were upserted); a null source keeps the recorded one. */
  recordSource(symbol: string, interval: string, record: { source: string | null; synthetic: boolean }): Promise<void>;
  /** Audit a change of a series' source. */
  recordSourceChange(change: SourceChange): Promise<void>;
  /** The source changes of a series, newest first. */
  sourceChanges(symbol: string, interval?: string): Promise<SourceChange[]>;
  /** Delete a series: its bars, version and source record (quarantine and run audit stay). Returns the bars removed. */
  delete(symbol: string, interval: Interval): Promise<number>;
}

/** Instruments and external series. */
export interface InstrumentsRepository {
  /** Create or refresh an instrument; fields not given keep their stored values. */
  upsert(symbol: string, facts: InstrumentFacts, now: number): Promise<void>;
  /** The calendar stored with an instrument, or null. */
  calendar(symbol: string): Promise<string | null>;
  /** Upsert points of an external series; returns how many were new, changed or identical. */
  upsertExternal(name: string, points: readonly SeriesPoint[], source: string, now: number): Promise<UpsertCounts>;
  /** An external series in time order. */
  loadExternal(name: string): Promise<{ time: Float64Array; value: Float64Array }>;
  /** A string that changes whenever the external series' points change. */
  externalStamp(name: string): Promise<string>;
  /** Every external series with its point count and range. */
  listExternal(): Promise<ExternalSeriesSummary[]>;
}

/** The audit of collect runs. */
export interface CollectRunsRepository {
  /** Record the start of a run and return its id. */
  start(run: { source: string; interval: Interval | null; symbols: string[]; pid: number; now: number }): Promise<number>;
  /** Record a run's interval once known (a file's interval is read from the file). */
  setInterval(id: number, interval: Interval): Promise<void>;
  /** Record the end of a run. */
  finish(id: number, end: { status: RunStatus; counts: RunCounts; error?: string | null; details?: unknown; now: number; startedAt: number }): Promise<void>;
  /** Mark runs left `running` by a process that is gone as failed; returns how many. */
  failOrphaned(isAlive: (pid: number) => boolean, now: number): Promise<number>;
  /** The most recent runs, newest first. */
  list(limit: number): Promise<CollectRunRecord[]>;
  /** The newest run of each source (a source list such as `yahoo,binance` counts as one source), by source name. */
  lastBySource(): Promise<CollectRunRecord[]>;
}

/** Rejected input rows. */
export interface QuarantineRepository {
  /** Keep rejected rows; a row already kept (same symbol, interval, source, reason and raw text) is not stored twice. Returns how many were new. */
  add(runId: number | null, entries: readonly QuarantineEntry[], now: number): Promise<number>;
  /** Kept rows, newest first, optionally of one symbol. */
  list(filter: { symbol?: string; limit: number }): Promise<QuarantineRecord[]>;
  get(id: number): Promise<QuarantineRecord | undefined>;
  /** Counts by reason. */
  reasons(symbol?: string): Promise<{ reason: string; count: number }[]>;
  /** Delete rows kept before `before`; returns how many. */
  purge(before: number, symbol?: string): Promise<number>;
}

/** Health of the online sources (circuit breakers). */
export interface SourceHealthRepository {
  get(source: string): Promise<SourceHealthRecord | undefined>;
  put(record: SourceHealthRecord): Promise<void>;
  list(): Promise<SourceHealthRecord[]>;
}

/** Model versions. At most one model per slot is active (the store enforces it). */
export interface ModelsRepository {
  get(id: string): Promise<ModelRecord | undefined>;
  /** Models, newest first, optionally by status, slot, or a symbol they were trained on. */
  list(filter?: { status?: ModelStatus; symbol?: string; slot?: string }): Promise<ModelRecord[]>;
  /** The active model of a slot. */
  active(slot: string): Promise<ModelRecord | undefined>;
  /** The next version number within a slot. */
  nextVersion(slot: string): Promise<number>;
  /** Ids starting with `prefix` (to number readable ids). */
  idsWithPrefix(prefix: string): Promise<string[]>;
  insert(record: ModelRecord): Promise<void>;
  setStatus(id: string, status: ModelStatus, now: number): Promise<void>;
  /** Delete a model and its predictions. */
  delete(id: string): Promise<void>;
  /** How many models have each status (every status present, 0 when none). */
  countByStatus(): Promise<Record<ModelStatus, number>>;
}

/** A job to record. */
export interface NewJob {
  type: string;
  trigger: JobTrigger;
  params: Record<string, unknown>;
  priority?: number;
  dependsOn?: readonly number[];
  maxAttempts?: number;
  timeoutMs?: number | null;
  backoffMs?: number;
  seed?: number;
  now: number;
  /** The job runs inline in this process: it is recorded as running (owned by `pid`), never queued. */
  inlinePid?: number;
}

/** How a running job ended. */
export interface JobEnd {
  status: Extract<JobStatus, 'completed' | 'failed' | 'interrupted'>;
  /** The reason recorded (`timeout`, `interrupted`, an error message); null for a completed job. */
  error?: string | null;
  result?: Record<string, unknown> | null;
  succeeded?: number;
  failed?: number;
  now: number;
}

/**
 * The job queue: every status change is one compare-and-set on the status, recorded in the job's audit
 * (`events`) in the same transaction, so two processes never both move one job.
 */
export interface JobsRepository {
  /** Record a job (pending; or running when `inlinePid` is given); returns its id. */
  create(job: NewJob): Promise<number>;
  /**
   * Take the next runnable job for the process `pid`: pending, not inline, due (`runAfter` passed), every dependency
   * completed; the highest priority first, then the oldest. It becomes running with one more attempt. Atomic across
   * processes: a job is claimed once.
   */
  claim(pid: number, now: number): Promise<JobRecord | undefined>;
  /** Note the worker process of a running job. */
  setWorker(id: number, workerPid: number): Promise<void>;
  /** End a running job; false (nothing changed) when it is not running any more (cancelled meanwhile). */
  finish(id: number, end: JobEnd): Promise<boolean>;
  /** Move a job from one of `from` to pending again, due at `runAfter` (a retry); false when it was not in `from`. */
  requeue(id: number, change: { from: readonly JobStatus[]; runAfter: number | null; resetAttempts?: boolean; reason: string; now: number }): Promise<boolean>;
  /** Cancel a job that is pending or running; false when it was neither. */
  cancel(id: number, reason: string, now: number): Promise<boolean>;
  /**
   * Cancel pending jobs that depend on a job that ended for good without completing (cancelled, or failed or
   * interrupted with no attempt left), and then the jobs depending on those; returns the ids cancelled.
   */
  cancelBlocked(now: number): Promise<number[]>;
  /** Mark running jobs (and inline ones left pending) whose owning process is gone as interrupted; returns them now. */
  interruptOrphaned(isAlive: (pid: number) => boolean, now: number): Promise<JobRecord[]>;
  get(id: number): Promise<JobRecord | undefined>;
  /** The most recent jobs, newest first, optionally of some statuses. */
  list(limit: number, filter?: { status?: readonly JobStatus[] }): Promise<JobRecord[]>;
  /** Jobs that depend on `id`. */
  dependents(id: number): Promise<JobRecord[]>;
  /** A job's status changes, oldest first. */
  events(id: number): Promise<JobEventRecord[]>;
  /**
   * How many queued jobs are running, or pending and ready to run by `horizon`: due by then, and every dependency
   * completed or running (a job waiting on a retry's backoff, or behind one, is not ready).
   */
  readyCount(horizon: number): Promise<number>;
  /** How many jobs have each status (every status present, 0 when none). */
  countByStatus(): Promise<Record<JobStatus, number>>;
}

/** Stored predictions and their outcomes. */
export interface PredictionsRepository {
  /** Store a prediction; a repeated prediction of the same (model, bar) replaces the stored one, keeping its outcome. */
  upsert(record: Omit<PredictionRecord, 'outcome' | 'outcomeAt'>): Promise<void>;
  /** Predictions of a series whose outcome is not known yet. */
  pending(symbol: string, interval: string): Promise<PredictionRecord[]>;
  setOutcome(modelId: string, barTs: number, outcome: number, now: number): Promise<void>;
  /** Recent predictions of a symbol, newest bar first. */
  list(filter: { symbol: string; interval?: string; modelId?: string; limit: number }): Promise<PredictionRecord[]>;
  /** Predictions per model. */
  counts(): Promise<Map<string, number>>;
  /** A model's predictions whose outcome is known, made at or after `since`, in bar order. */
  withOutcomes(modelId: string, since?: number): Promise<PredictionRecord[]>;
  /** Delete predictions made before `before`; returns how many. */
  purge(before: number): Promise<number>;
  /** Every prediction with its outcome known whose bar opened before `barBefore`, by model, symbol and bar. */
  withOutcomesBefore(barBefore: number): Promise<PredictionRecord[]>;
  /** Delete a model's predictions of a symbol with their outcome known and bars in [from, to); returns how many. */
  deleteWithOutcomes(range: { modelId: string; symbol: string; from: number; to: number }): Promise<number>;
  /** How many predictions are stored, and how many of them have their outcome. */
  total(): Promise<{ predictions: number; withOutcome: number }>;
}

/** Recorded backtests. */
export interface BacktestsRepository {
  /** Record a backtest and return its id (increasing with every run). */
  insert(record: Omit<BacktestRecord, 'id'>): Promise<number>;
  setReportPath(id: number, reportPath: string): Promise<void>;
  /** Recorded backtests, newest first, optionally of one symbol and/or interval. */
  list(filter: { symbol?: string; interval?: string; limit: number }): Promise<BacktestRecord[]>;
  get(id: number): Promise<BacktestRecord | undefined>;
}

/** Every repository of a store, bound to the store or to one transaction. */
export interface Repositories {
  readonly bars: BarsRepository;
  readonly series: SeriesRepository;
  readonly instruments: InstrumentsRepository;
  readonly runs: CollectRunsRepository;
  readonly quarantine: QuarantineRepository;
  readonly sources: SourceHealthRepository;
  readonly models: ModelsRepository;
  readonly jobs: JobsRepository;
  readonly predictions: PredictionsRepository;
  readonly backtests: BacktestsRepository;
  readonly backups: BackupsRepository;
  readonly health: HealthRunsRepository;
  readonly studies: StudiesRepository;
  readonly modelEvents: ModelEventsRepository;
  readonly abTests: AbTestsRepository;
  readonly cycles: CyclesRepository;
  readonly drift: DriftEventsRepository;
  readonly performance: PerformanceRepository;
}

/** The backups recorded in a home's store. */
export interface BackupsRepository {
  /** Record an archive just written; returns its id. */
  insert(record: Omit<BackupRecord, 'id' | 'verifiedAt' | 'prunedAt'>): Promise<number>;
  /** Newest first; pruned archives only with `includePruned`. */
  list(filter?: { includePruned?: boolean }): Promise<BackupRecord[]>;
  /** Note a successful verification of the archive at `path`. */
  markVerified(path: string, at: number): Promise<void>;
  /** Note that the archive at `path` was deleted. */
  markPruned(path: string, at: number): Promise<void>;
}

/** The recorded `pulse health` runs. */
export interface HealthRunsRepository {
  insert(record: Omit<HealthRunRecord, 'id'>): Promise<number>;
  /** The most recent runs, newest first. */
  list(limit: number): Promise<HealthRunRecord[]>;
}

/** Hyperparameter studies and their trials. Every trial change applies only while the trial is running. */
export interface StudiesRepository {
  /** Create a study; false when the name is taken (nothing changed). */
  create(study: StudyRow): Promise<boolean>;
  get(name: string): Promise<StudyRow | undefined>;
  list(): Promise<StudyRow[]>;
  /** Start a running trial with the study's next number (atomic across processes); returns the number. */
  startTrial(study: string, init: { params: Record<string, unknown>; startedAt: number; ownerPid: number | null; ownerStartTime: number | null }): Promise<number>;
  /** Replace a running trial's params and/or attrs; false when the trial is not running. */
  updateTrial(study: string, number: number, patch: { params?: Record<string, unknown>; attrs?: Record<string, number> }): Promise<boolean>;
  /** Record (or replace) the intermediate value at `step` of a running trial; false when it is not running. */
  reportIntermediate(study: string, number: number, step: number, value: number): Promise<boolean>;
  /** End a running trial; false when it is not running. */
  finishTrial(study: string, number: number, end: { state: string; value: number | null; finishedAt: number; failReason: string | null }): Promise<boolean>;
  /** Every trial of a study in number order. */
  trials(study: string): Promise<TrialRow[]>;
  trial(study: string, number: number): Promise<TrialRow | undefined>;
  /** Create a walk-forward optimisation; false when the name is taken (nothing changed). */
  createWalkForward(row: WalkForwardRow): Promise<boolean>;
  getWalkForward(name: string): Promise<WalkForwardRow | undefined>;
  /** Every walk-forward optimisation, oldest first. */
  listWalkForwards(): Promise<WalkForwardRow[]>;
  /** Record a completed window (replacing an earlier record of the same window). */
  saveWalkForwardWindow(row: WalkForwardWindowRow): Promise<void>;
  /** The completed windows of a walk-forward optimisation, in window order. */
  walkForwardWindows(name: string): Promise<WalkForwardWindowRow[]>;
}

/** The audit of decisions about slots' active models. */
export interface ModelEventsRepository {
  insert(event: Omit<ModelEventRecord, 'id'>): Promise<number>;
  /** Newest first, by slot and/or model. */
  list(filter: { slot?: string; modelId?: string; limit: number }): Promise<ModelEventRecord[]>;
}

/** Recorded drift checks. */
export interface DriftEventsRepository {
  /** Record the rows of one check. */
  insert(events: readonly Omit<DriftEventRecord, 'id'>[]): Promise<void>;
  /** Newest first. */
  list(filter: { symbol?: string; interval?: string; type?: DriftEventRecord['type']; limit: number }): Promise<DriftEventRecord[]>;
  /** The newest row of `type` for each series (symbol, interval) that has one. */
  latestPerSeries(type: DriftEventRecord['type']): Promise<DriftEventRecord[]>;
}

/** The performance history of models, per period (`pulse evaluate --by`, and the predictions `pulse maintain` folds). */
export interface PerformanceRepository {
  /** Record period rows; a row of the same (model, symbol, period, source) replaces the stored one. */
  upsert(rows: readonly Omit<PerformanceRecord, 'id'>[]): Promise<void>;
  /** Oldest period first, by slot, model, symbol and/or source; the newest `limit` periods. */
  list(filter: { slot?: string; modelId?: string; symbol?: string; source?: PerformanceSource; limit: number }): Promise<PerformanceRecord[]>;
  /** The row `pulse evaluate` computed last (the newest evaluation), if any. */
  newest(): Promise<PerformanceRecord | undefined>;
}

/** Whole-store operations (backups, health checks). */
export interface StoreMaintenance {
  /** The schema version of the store: the number of migrations applied. */
  readonly schemaVersion: number;
  /**
   * Write a consistent copy of the whole store to `file` (a new file) while other connections keep writing: the
   * store as of one instant, never a torn copy.
   */
  snapshot(file: string): Promise<void>;
  /** Problems found by the integrity check (`quick`: the faster check without index cross-checks); none when sound. */
  checkIntegrity(options?: { quick?: boolean }): Promise<string[]>;
  /** Rows per table. */
  tableCounts(): Promise<Record<string, number>>;
  /**
   * Retention: delete the rows older than each cutoff (ms since the epoch), in one transaction, and return how many
   * went; with `dryRun` count them and change nothing. Quarantined rows are never deleted here (their run link
   * becomes null), nor runs and jobs still pending or running. Predictions are not trimmed here: `pulse maintain`
   * folds them into the performance history in the transaction that deletes them (`predictions.deleteWithOutcomes`).
   */
  trim(cutoffs: RetentionCutoffs, options: { dryRun: boolean }): Promise<RetentionCounts>;
  /** The page layout of the store file: page size (bytes), pages, and free pages that a VACUUM would return. */
  pageStats(): Promise<{ pageSize: number; pageCount: number; freelistCount: number }>;
  /**
   * Tidy the store after deletions: ANALYZE, PRAGMA optimize, a WAL checkpoint that truncates the log, and VACUUM
   * when asked. Returns whether the checkpoint completed (false when a reader held it off) and whether VACUUM ran.
   */
  optimize(options: { vacuum: boolean }): Promise<{ checkpointed: boolean; vacuumed: boolean }>;
}

/** What `StoreMaintenance.trim` deletes: rows older than these times (ms since the epoch). */
export interface RetentionCutoffs {
  /** Finished collect runs started before this time. */
  collectRuns: number;
  /** Finished training jobs created before this time. */
  jobs: number;
  /** Health runs recorded before this time. */
  healthRuns: number;
}

/** Rows deleted (or, in a dry run, that would be) by retention. */
export type RetentionCounts = Record<keyof RetentionCutoffs, number>;

/** An open store. */
export interface Store extends Repositories {
  /** Snapshots, integrity and counts of the whole store. */
  readonly maintenance: StoreMaintenance;
  /** The pulse home the store belongs to: paths the store records are relative to it. */
  readonly home: string;
  /** Where the store lives, for messages (a file path). */
  readonly location: string;
  /** Run `body` atomically: committed when it resolves, rolled back when it throws. */
  transaction<T>(body: (tx: Repositories) => Promise<T>): Promise<T>;
  /** An error from the store in pulse's words (a damaged store becomes a DataError naming it); others unchanged. */
  describeError(err: unknown): unknown;
  close(): Promise<void>;
}

export interface OpenStoreOptions {
  /** How long a writer waits for another process's lock before failing (ms). */
  busyTimeoutMs?: number;
  /** Open without creating or migrating (for read-only use of an existing store). */
  readonly?: boolean;
}

/** A/B tests and the arm that served each bar. */
export interface AbTestsRepository {
  insert(test: Omit<AbTestRecord, 'id' | 'winner' | 'endedAt' | 'result' | 'status'>): Promise<number>;
  get(id: number): Promise<AbTestRecord | undefined>;
  /** Newest first. */
  list(filter?: { slot?: string; status?: AbTestStatus }): Promise<AbTestRecord[]>;
  /** End a running test; false when it was not running. */
  end(id: number, end: { status: Exclude<AbTestStatus, 'running'>; winner: AbArm | null; endedAt: number; result: unknown }): Promise<boolean>;
  /** Record the serving arm of bars (a bar served twice keeps its first record). */
  recordServed(rows: readonly AbServedRecord[]): Promise<void>;
  /** The served bars of a test, by bar time. */
  served(testId: number): Promise<AbServedRecord[]>;
}

/** Continuous-learning iterations. */
export interface CyclesRepository {
  start(cycle: { startedAt: number; simulated: boolean; dryRun: boolean; pid: number }): Promise<number>;
  finish(id: number, end: { status: Exclude<CycleRecord['status'], 'running'>; endedAt: number; steps: CycleRecord['steps'] }): Promise<void>;
  /** Newest first. */
  list(filter: { limit: number; simulated?: boolean }): Promise<CycleRecord[]>;
}
