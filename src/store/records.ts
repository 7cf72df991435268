/**
 * What the store holds, as plain records: the vocabulary of every repository, the same whatever SQL dialect stores
 * it. Times are integer milliseconds since the Unix epoch (UTC); JSON documents come back parsed.
 */
import type { Bar } from '../core/bars.js';
import type { Interval } from '../core/interval.js';

/** Outcome of an upsert: how many rows were new, revised (a value changed) or identical to what was stored. */
export interface UpsertCounts {
  inserted: number;
  updated: number;
  unchanged: number;
}

/** Bars as columns (a BarSeries plus adjusted closes; NaN or a null column means none). Sorted, unique times. */
export interface BarColumns {
  length: number;
  time: ArrayLike<number>;
  open: ArrayLike<number>;
  high: ArrayLike<number>;
  low: ArrayLike<number>;
  close: ArrayLike<number>;
  volume: ArrayLike<number>;
  adjClose: ArrayLike<number> | null;
}

/** How bars were obtained, recorded with every upserted bar. */
export interface BarProvenance {
  source: string;
  /** Interval the bars were aggregated from, for resampled bars. */
  originInterval?: Interval | null;
  now: number;
}

/** A stored bar with its provenance (for `pulse data show/export`). */
export interface StoredBar extends Bar {
  source: string;
  originInterval: string | null;
}

/** A stored bar as a row: [ts, open, high, low, close, volume, adjClose, source, originInterval]. */
export type StoredBarRow = [number, number, number, number, number, number, number | null, string, string | null];

/** Summary of one stored series. */
export interface SeriesSummary {
  symbol: string;
  interval: Interval;
  rows: number;
  first: number;
  last: number;
  lastCollectedAt: number | null;
  version: number;
  derivedFrom: string | null;
}

/** The source record of a series. */
export interface SeriesSource {
  /** The source list the series is collected from (`yahoo,binance`, `csv`, `synthetic`); null for derived series. */
  source: string | null;
  /** Whether its bars are synthetic (true), real (false), or unknown (null: no bars collected yet). */
  synthetic: boolean | null;
}

/** A recorded change of a series' source. */
export interface SourceChange {
  symbol: string;
  interval: string;
  previous: string;
  next: string;
  runId: number | null;
  changedAt: number;
}

/** Instrument facts a source or the user reported; absent fields keep their stored values. */
export interface InstrumentFacts {
  name?: string;
  currency?: string;
  exchange?: string;
  timezone?: string;
  kind?: string;
  /** The trading calendar's name. */
  calendar?: string;
}

/** A point of an external series. */
export interface SeriesPoint {
  ts: number;
  value: number;
}

/** An external series with its point count and range. */
export interface ExternalSeriesSummary {
  name: string;
  points: number;
  first: number;
  last: number;
}

/** running | ok | partial | failed | interrupted */
export type RunStatus = 'running' | 'ok' | 'partial' | 'failed' | 'interrupted';

/** Totals a collect run reports. */
export interface RunCounts {
  fetched: number;
  inserted: number;
  updated: number;
  unchanged: number;
  quarantined: number;
  gaps: number;
}

/** One recorded collect run. */
export interface CollectRunRecord extends RunCounts {
  id: number;
  source: string;
  /** The bars' interval ('' for an external-series import, or before a file's interval is known). */
  interval: string;
  symbols: string[];
  status: RunStatus;
  error: string | null;
  /** Per-symbol results, notes and resampling outcomes. */
  details: unknown;
  pid: number | null;
  startedAt: number;
  finishedAt: number | null;
  durationMs: number | null;
}

/** A rejected input row to keep. */
export interface QuarantineEntry {
  symbol: string;
  interval: Interval | string;
  source: string;
  ts: number | null;
  reason: string;
  detail: string;
  raw: string;
}

/** A kept rejected row. */
export interface QuarantineRecord extends QuarantineEntry {
  id: number;
  runId: number | null;
  createdAt: number;
}

/** Health of one online source, including its circuit-breaker state. */
export interface SourceHealthRecord {
  source: string;
  consecutiveFailures: number;
  totalFailures: number;
  totalSuccesses: number;
  lastError: string | null;
  lastFailureAt: number | null;
  lastSuccessAt: number | null;
  /** While now < openUntil the breaker is open and the source is skipped. */
  openUntil: number | null;
  updatedAt: number;
}

/** A model version's lifecycle status. */
export type ModelStatus = 'shadow' | 'active' | 'retired' | 'archived';
export const MODEL_STATUSES: readonly ModelStatus[] = ['shadow', 'active', 'retired', 'archived'];

/** A registered model version. */
export interface ModelRecord {
  /** Readable id, e.g. `lgbm-AAPL-1d-v3`. */
  id: string;
  family: string;
  /** Engine mode for GBDT families (leaf-wise, depth-wise, rf), else the family. */
  mode: string;
  /** The symbols trained on, sorted. */
  symbols: string[];
  /** What the model forecasts: (symbols, interval, target, horizon) as `AAPL|1d|return|h1`. */
  slot: string;
  /** Version number within the slot (1, 2, ...). */
  version: number;
  interval: string;
  target: string;
  horizon: number;
  /** The resolved training parameters. */
  params: Record<string, unknown>;
  seed: number;
  featureSet: string;
  featureSetHash: string;
  /** Feature names in the model's column order. */
  featureNames: string[];
  trainFrom: number;
  trainTo: number;
  dataHash: string;
  /** Cross-validation and test metrics, the baseline's, conformal intervals, importance. */
  metrics: Record<string, unknown>;
  status: ModelStatus;
  statusChangedAt: number;
  parentId: string | null;
  jobId: number | null;
  /** The study (`pulse optimize`) whose best parameters the model was trained with, else null. */
  study: string | null;
  createdAt: number;
  trainDurationMs: number;
  engineVersion: string;
  /** The model file, relative to the home (`models/<id>.json`). */
  filePath: string;
  fileSize: number;
  fileSha256: string;
}

/** What queued a job (a training run: what triggered it). */
export type JobTrigger = 'manual' | 'schedule' | 'drift' | 'performance';

/**
 * pending -> running -> completed | failed | cancelled | interrupted; a failed or interrupted job with attempts left
 * goes back to pending (a retry), and so does one retried by hand.
 */
export type JobStatus = 'pending' | 'running' | 'completed' | 'failed' | 'cancelled' | 'interrupted';
export const JOB_STATUSES: readonly JobStatus[] = ['pending', 'running', 'completed', 'failed', 'cancelled', 'interrupted'];

/** The statuses a job ends in. */
export const FINISHED_JOB_STATUSES: readonly JobStatus[] = ['completed', 'failed', 'cancelled', 'interrupted'];

/** One job of the queue (or a training run recorded inline by `pulse train`). */
export interface JobRecord {
  id: number;
  /** The job type, e.g. `train`, `backtest` (see src/pipeline/jobs/registry.ts). */
  type: string;
  trigger: JobTrigger;
  status: JobStatus;
  /** The job's parameters (for an inline train job: the training request). */
  params: Record<string, unknown>;
  /** Higher runs first. */
  priority: number;
  /** Jobs that must complete before this one runs. */
  dependsOn: number[];
  /** Runs the job may take in all. */
  maxAttempts: number;
  /** Runs started so far. */
  attempts: number;
  timeoutMs: number | null;
  /** Base delay of the backoff between attempts (ms). */
  backoffMs: number;
  /** Seed of the backoff's jitter. */
  seed: number;
  /** Not started before this time (ms), or null. */
  runAfter: number | null;
  /** Ran in the process that recorded it (`pulse train`), not through the queue. */
  inline: boolean;
  /** What the finished job reported. */
  result: Record<string, unknown> | null;
  modelsSucceeded: number;
  modelsFailed: number;
  /** Why the job failed, was cancelled or interrupted (`timeout`, `interrupted`, an error message), else null. */
  error: string | null;
  /** The process that owns the run (queue runner or inline process). */
  pid: number | null;
  /** The queue worker process that runs the job's work. */
  workerPid: number | null;
  createdAt: number;
  startedAt: number | null;
  finishedAt: number | null;
  durationMs: number | null;
}

/** One status change of a job. */
export interface JobEventRecord {
  id: number;
  jobId: number;
  /** null when the job was created. */
  from: JobStatus | null;
  to: JobStatus;
  at: number;
  reason: string | null;
}

/** A stored prediction: one per (model, bar). */
export interface PredictionRecord {
  modelId: string;
  symbol: string;
  interval: string;
  /** Open time of the bar whose close the prediction was made at. */
  barTs: number;
  horizon: number;
  value: number;
  /**
   * Regression: interval bounds by coverage, e.g. {"80":[lo,hi],"90":[lo,hi]}; classification: the probability of
   * each class value, e.g. {"-1":0.2,"0":0.3,"1":0.5}; null without either.
   */
  intervals: Record<string, [number, number] | number> | null;
  signal: 'long' | 'short' | 'flat';
  /** True when made by the naive fallback because the model could not be loaded. */
  fallback: boolean;
  createdAt: number;
  /** The realised target value once known (same units as value). */
  outcome: number | null;
  outcomeAt: number | null;
}

/** A recorded backtest. */
export interface BacktestRecord {
  id: number;
  symbol: string;
  interval: string;
  /** model | walk-forward | strategy */
  kind: string;
  /** Registry model id (model runs), `walk-forward:FAMILY`, or the strategy name. */
  source: string;
  modelId: string | null;
  fromTs: number;
  toTs: number;
  bars: number;
  seed: number;
  /** The resolved parameters plus the run's request. */
  params: unknown;
  /** Every statistic (null where not meaningful) and the baselines. */
  stats: unknown;
  returnPct: number;
  sharpe: number | null;
  maxDrawdownPct: number;
  trades: number;
  /** Absolute path of the HTML report, when one was written. */
  reportPath: string | null;
  /** Outcome of the --assert gate: null without a gate. */
  assertPassed: boolean | null;
  durationMs: number;
  createdAt: number;
}

/** A backup archive taken of the home. */
export interface BackupRecord {
  id: number;
  /** Absolute path of the archive as written. */
  path: string;
  createdAt: number;
  /** Size in bytes and sha256 (hex) of the archive file as written. */
  size: number;
  sha256: string;
  encrypted: boolean;
  schemaVersion: number;
  pulseVersion: string;
  /** Files in the archive, and how many are model files. */
  files: number;
  models: number;
  verifiedAt: number | null;
  prunedAt: number | null;
}

/** One recorded `pulse health` run. */
export interface HealthRunRecord {
  id: number;
  createdAt: number;
  /** ok | warn | critical | unknown */
  status: string;
  critical: number;
  warnings: number;
  unknown: number;
  durationMs: number;
  /** Every result of the run. */
  results: unknown;
}

/** A hyperparameter study as stored (the optimizer gives `space` and `subject` their types). */
export interface StudyRow {
  name: string;
  direction: string;
  seed: number;
  sampler: string;
  pruner: string;
  space: unknown;
  subject: Record<string, string>;
  createdAt: number;
}

/** A walk-forward optimisation as stored (the optimizer gives `settings` its type). */
export interface WalkForwardRow {
  name: string;
  direction: string;
  seed: number;
  windows: number;
  scheme: string;
  settings: Record<string, unknown>;
  /** Open time of the last labelled bar the windows were cut from. */
  dataTo: number;
  createdAt: number;
}

/** A completed window of a walk-forward optimisation. */
export interface WalkForwardWindowRow {
  walkForward: string;
  /** 1-based. */
  window: number;
  study: string;
  seed: number;
  inSampleFrom: number;
  inSampleTo: number;
  inSampleBars: number;
  outOfSampleFrom: number;
  outOfSampleTo: number;
  outOfSampleBars: number;
  bestTrial: number;
  bestParams: Record<string, unknown>;
  inSampleValue: number;
  outOfSampleValue: number | null;
  outOfSampleNote: string | null;
  finishedAt: number;
}

/** A trial of a study as stored, with its intermediate values in step order. */
export interface TrialRow {
  study: string;
  number: number;
  state: string;
  params: Record<string, unknown>;
  value: number | null;
  startedAt: number;
  finishedAt: number | null;
  failReason: string | null;
  attrs: Record<string, number>;
  intermediate: { step: number; value: number }[];
  ownerPid: number | null;
  ownerStartTime: number | null;
}

/**
 * promote | refuse | force | rollback | ab-promote (an A/B test's winning challenger) | supersede (a shadow retired by
 * `pulse cycle` when a newer retraining of its slot replaced it)
 */
export type ModelEventKind = 'promote' | 'refuse' | 'force' | 'rollback' | 'ab-promote' | 'supersede';

/** One audited decision about a slot's active model. */
export interface ModelEventRecord {
  id: number;
  slot: string;
  kind: ModelEventKind;
  modelId: string;
  previousId: string | null;
  reason: string;
  details: unknown;
  createdAt: number;
}

/** One row of a drift check (see the `drift_events` table). */
export interface DriftEventRecord {
  id: number;
  checkId: string;
  symbol: string;
  interval: string;
  modelId: string | null;
  type: 'feature' | 'prediction' | 'target' | 'dataset';
  feature: string | null;
  test: string | null;
  score: number;
  pValue: number | null;
  threshold: number;
  drifted: boolean;
  severity: string;
  detectedAt: number;
  triggerRetraining: boolean;
}

/** running | stopped | decided */
export type AbTestStatus = 'running' | 'stopped' | 'decided';
export type AbArm = 'control' | 'challenger';

/** An A/B test of a slot (see the `ab_tests` table). */
export interface AbTestRecord {
  id: number;
  slot: string;
  control: string;
  challenger: string;
  split: number;
  minDays: number;
  minN: number;
  seed: number;
  status: AbTestStatus;
  winner: AbArm | null;
  startedAt: number;
  endedAt: number | null;
  result: unknown;
}

/** The arm that served one bar's signal during an A/B test. */
export interface AbServedRecord {
  testId: number;
  symbol: string;
  barTs: number;
  arm: AbArm;
  modelId: string;
  signal: 'long' | 'short' | 'flat';
  servedAt: number;
}

/** One step of a cycle: what ran for which slot, how it ended, how long it took, what it decided. */
export interface CycleStepRecord {
  slot: string | null;
  step: string;
  status: 'ok' | 'skipped' | 'failed';
  ms: number;
  detail: string;
}

/** A continuous-learning iteration (see the `cycles` table). */
export interface CycleRecord {
  id: number;
  startedAt: number;
  endedAt: number | null;
  status: 'running' | 'completed' | 'failed' | 'interrupted';
  simulated: boolean;
  dryRun: boolean;
  steps: CycleStepRecord[];
  pid: number;
}

/** One row of the performance history (see the `performance_history` table): a model's metrics over one period. */
export interface PerformanceRecord {
  id: number;
  modelId: string;
  slot: string;
  symbol: string;
  interval: string;
  periodStart: number;
  periodEnd: number;
  n: number;
  rmse: number | null;
  mae: number | null;
  logLoss: number | null;
  directionalAccuracy: number | null;
  ic: number | null;
  pearsonIc: number | null;
  hitRate: number | null;
  hitLow: number | null;
  hitHigh: number | null;
  signalReturn: number | null;
  sharpe: number | null;
  profitFactor: number | null;
  computedAt: number;
  /**
   * Where the row comes from: `evaluate` (pulse evaluate --by, paired bars of the slot) or `maintain` (the predictions
   * pulse maintain trimmed, per model and calendar month). Rows of the two sources never replace each other.
   */
  source: PerformanceSource;
}

/** What wrote a performance-history row. */
export type PerformanceSource = 'evaluate' | 'maintain';
