/**
 * The store's schema: the single source of truth for every table. Migrations under src/store/migrations are
 * generated from this file by drizzle-kit (`npm run db:generate`) and committed; they are applied automatically
 * and idempotently whenever a store is opened.
 *
 * Conventions: times are integer milliseconds since the Unix epoch (UTC); prices in the instrument's currency.
 */
import { sql } from 'drizzle-orm';
import { index, integer, primaryKey, real, sqliteTable, text, uniqueIndex } from 'drizzle-orm/sqlite-core';

/** Instruments seen by pulse, with the metadata a source reported. */
export const instruments = sqliteTable('instruments', {
  symbol: text('symbol').primaryKey(),
  name: text('name'),
  currency: text('currency'),
  exchange: text('exchange'),
  timezone: text('timezone'),
  kind: text('kind'),
  /**
   * The trading calendar of the instrument (`crypto`, `fx`, an exchange such as `XNYS`, a user calendar, or `none`):
   * set by `--calendar` or from the source's metadata, never guessed from the symbol. Null until known.
   */
  calendar: text('calendar'),
  createdAt: integer('created_at').notNull(),
  updatedAt: integer('updated_at').notNull(),
});

/** OHLCV bars: one row per (symbol, interval, bar open time). */
export const bars = sqliteTable(
  'bars',
  {
    symbol: text('symbol').notNull(),
    interval: text('interval').notNull(),
    ts: integer('ts').notNull(),
    open: real('open').notNull(),
    high: real('high').notNull(),
    low: real('low').notNull(),
    close: real('close').notNull(),
    volume: real('volume').notNull(),
    adjClose: real('adj_close'),
    source: text('source').notNull(),
    /** For bars derived by resampling: the interval they were built from (null for collected bars). */
    originInterval: text('origin_interval'),
    ingestedAt: integer('ingested_at').notNull(),
    updatedAt: integer('updated_at').notNull(),
  },
  (t) => [primaryKey({ columns: [t.symbol, t.interval, t.ts] })],
);

/**
 * A counter per (symbol, interval) bumped whenever bars are inserted or revised: caches of derived data
 * (feature matrices) key on it so they are invalidated by any change to the bars.
 */
export const seriesVersions = sqliteTable(
  'series_versions',
  {
    symbol: text('symbol').notNull(),
    interval: text('interval').notNull(),
    version: integer('version').notNull(),
    lastCollectedAt: integer('last_collected_at'),
    updatedAt: integer('updated_at').notNull(),
    /**
     * The source list the series is collected from (`yahoo,binance`, `csv`, `synthetic`), as the last collect
     * named it: a collect without --source uses it. Null for series only ever built by resampling.
     */
    source: text('source'),
    /** Whether the series holds synthetic bars (1) or real ones (0); synthetic and real bars never mix. */
    synthetic: integer('synthetic', { mode: 'boolean' }),
  },
  (t) => [primaryKey({ columns: [t.symbol, t.interval] })],
);

/** Audit of every collect run. */
export const collectRuns = sqliteTable(
  'collect_runs',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    source: text('source').notNull(),
    interval: text('interval').notNull(),
    /** JSON array of the requested symbols. */
    symbols: text('symbols').notNull(),
    /** running | ok | partial | failed | interrupted */
    status: text('status').notNull(),
    fetched: integer('fetched').notNull().default(0),
    inserted: integer('inserted').notNull().default(0),
    updated: integer('updated').notNull().default(0),
    unchanged: integer('unchanged').notNull().default(0),
    quarantined: integer('quarantined').notNull().default(0),
    gaps: integer('gaps').notNull().default(0),
    error: text('error'),
    /** JSON document: per-symbol results, notes and resampling outcomes. */
    details: text('details'),
    pid: integer('pid'),
    startedAt: integer('started_at').notNull(),
    finishedAt: integer('finished_at'),
    durationMs: integer('duration_ms'),
  },
  (t) => [index('collect_runs_started_idx').on(t.startedAt)],
);

/** Audit of every change of a stored series' source (`collect --allow-source-change`). */
export const sourceChanges = sqliteTable(
  'source_changes',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    symbol: text('symbol').notNull(),
    interval: text('interval').notNull(),
    /** The recorded source list before the change. */
    previous: text('previous').notNull(),
    /** The source list the series is collected from now. */
    next: text('next').notNull(),
    runId: integer('run_id').references(() => collectRuns.id, { onDelete: 'set null' }),
    changedAt: integer('changed_at').notNull(),
  },
  (t) => [index('source_changes_series_idx').on(t.symbol, t.interval, t.changedAt)],
);

/** Every rejected input row, with its raw form and the reason; nothing a source sent is lost. */
export const quarantine = sqliteTable(
  'quarantine',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    runId: integer('run_id').references(() => collectRuns.id, { onDelete: 'set null' }),
    symbol: text('symbol').notNull(),
    interval: text('interval').notNull(),
    source: text('source').notNull(),
    ts: integer('ts'),
    reason: text('reason').notNull(),
    detail: text('detail').notNull(),
    raw: text('raw').notNull(),
    createdAt: integer('created_at').notNull(),
  },
  (t) => [index('quarantine_created_idx').on(t.createdAt), index('quarantine_symbol_idx').on(t.symbol, t.interval, t.ts)],
);

/** Health of each online source, including its circuit-breaker state. */
export const sourceHealth = sqliteTable('source_health', {
  source: text('source').primaryKey(),
  consecutiveFailures: integer('consecutive_failures').notNull().default(0),
  totalFailures: integer('total_failures').notNull().default(0),
  totalSuccesses: integer('total_successes').notNull().default(0),
  lastError: text('last_error'),
  lastFailureAt: integer('last_failure_at'),
  lastSuccessAt: integer('last_success_at'),
  /** While now < openUntil the breaker is open and the source is skipped. */
  openUntil: integer('open_until'),
  updatedAt: integer('updated_at').notNull().default(sql`0`),
});

/** External time series (e.g. a sentiment score) imported from CSV, joined as-of by the feature builder. */
export const externalSeries = sqliteTable(
  'external_series',
  {
    name: text('name').notNull(),
    ts: integer('ts').notNull(),
    value: real('value').notNull(),
    source: text('source').notNull(),
    ingestedAt: integer('ingested_at').notNull(),
  },
  (t) => [primaryKey({ columns: [t.name, t.ts] })],
);

/**
 * Model versions. A slot is what a model forecasts: (symbols, interval, target, horizon); at most one model per
 * slot is `active` (enforced by a partial unique index), later ones start as `shadow`.
 */
export const models = sqliteTable(
  'models',
  {
    /** Readable id, e.g. `lgbm-AAPL-1d-v3`. */
    id: text('id').primaryKey(),
    family: text('family').notNull(),
    /** Engine mode for GBDT families (leaf-wise, depth-wise, rf), else the family. */
    mode: text('mode').notNull(),
    slot: text('slot').notNull(),
    /** Version number within the slot (1, 2, ...). */
    version: integer('version').notNull(),
    interval: text('interval').notNull(),
    target: text('target').notNull(),
    horizon: integer('horizon').notNull(),
    /** JSON object of the resolved training parameters. */
    params: text('params').notNull(),
    seed: integer('seed').notNull(),
    featureSet: text('feature_set').notNull(),
    featureSetHash: text('feature_set_hash').notNull(),
    /** JSON array of feature names, in the model's column order. */
    featureNames: text('feature_names').notNull(),
    trainFrom: integer('train_from').notNull(),
    trainTo: integer('train_to').notNull(),
    dataHash: text('data_hash').notNull(),
    /** JSON documents: cross-validation metrics, test-tail metrics, the naive baseline's, conformal intervals, importance. */
    metrics: text('metrics').notNull(),
    /** shadow | active | retired | archived */
    status: text('status').notNull(),
    statusChangedAt: integer('status_changed_at').notNull(),
    parentId: text('parent_id'),
    jobId: integer('job_id'),
    /** The study (`pulse optimize`) whose best parameters the model was trained with, else null. */
    study: text('study'),
    createdAt: integer('created_at').notNull(),
    trainDurationMs: integer('train_duration_ms').notNull(),
    engineVersion: text('engine_version').notNull(),
    /** The model file, relative to the home (`models/<id>.json`), so a copied or moved home keeps working. */
    filePath: text('file_path').notNull(),
    fileSize: integer('file_size').notNull(),
    fileSha256: text('file_sha256').notNull(),
  },
  (t) => [
    uniqueIndex('models_one_active_per_slot').on(t.slot).where(sql`status = 'active'`),
    uniqueIndex('models_slot_version').on(t.slot, t.version),
    index('models_status_idx').on(t.status),
  ],
);

/** The symbols each model was trained on (a pooled model has several): how models are found by symbol. */
export const modelSymbols = sqliteTable(
  'model_symbols',
  {
    modelId: text('model_id')
      .notNull()
      .references(() => models.id, { onDelete: 'cascade' }),
    symbol: text('symbol').notNull(),
  },
  (t) => [primaryKey({ columns: [t.modelId, t.symbol] }), index('model_symbols_symbol_idx').on(t.symbol)],
);

/**
 * The job queue (`pulse jobs`): every job of every type (train, retrain, backtest, backup, health, ...), queued by
 * `pulse jobs add` and run by `pulse jobs run`, plus every `pulse train` run, recorded as a train job that ran inline
 * (in the process that recorded it; the queue never picks those up). The table keeps the name it had when it held
 * training runs only, so the rows written before the queue existed stay readable as they are (they read as inline
 * train jobs through the column defaults).
 */
export const jobs = sqliteTable(
  'training_jobs',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    /** The job type (src/pipeline/jobs/types/): train | retrain | backtest | backup | health | ... */
    type: text('type').notNull().default('train'),
    /** What queued it: manual | schedule | drift | performance */
    trigger: text('trigger').notNull(),
    /** pending | running | completed | failed | cancelled | interrupted */
    status: text('status').notNull(),
    /** JSON: the job's parameters (for inline train jobs: the training request). */
    params: text('request').notNull(),
    /** Higher runs first among runnable jobs; ties by id. */
    priority: integer('priority').notNull().default(0),
    /** Runs the job may take in all (1: no retry). */
    maxAttempts: integer('max_attempts').notNull().default(1),
    /** Runs started so far. */
    attempts: integer('attempts').notNull().default(1),
    /** A run taking longer is killed and fails with reason `timeout`; null: no limit. */
    timeoutMs: integer('timeout_ms'),
    /** Base delay of the exponential backoff between attempts. */
    backoffMs: integer('backoff_ms').notNull().default(30_000),
    /** Seed of the backoff's jitter. */
    seed: integer('seed').notNull().default(0),
    /** Not to be started before this time (a retry's backoff); null: at once. */
    runAfter: integer('run_after'),
    /** True when the job ran in the process that recorded it (`pulse train`), not through the queue. */
    inline: integer('inline', { mode: 'boolean' }).notNull().default(true),
    /** JSON: what the finished job reported (its type's result summary). */
    result: text('result'),
    modelsSucceeded: integer('models_succeeded').notNull().default(0),
    modelsFailed: integer('models_failed').notNull().default(0),
    /** Why the job is where it is: `timeout`, `interrupted`, a cancelled dependency, an error message. */
    error: text('error'),
    /** The process that owns the run (the queue runner, or the inline process): its death makes the job an orphan. */
    pid: integer('pid'),
    /** The process that runs the job's work (a queue worker), killed on timeout or cancel. */
    workerPid: integer('worker_pid'),
    createdAt: integer('created_at').notNull(),
    startedAt: integer('started_at'),
    finishedAt: integer('finished_at'),
    durationMs: integer('duration_ms'),
  },
  (t) => [index('training_jobs_created_idx').on(t.createdAt), index('jobs_queue_idx').on(t.status, t.priority)],
);

/** A job's dependencies: the job runs once every job it depends on has completed. */
export const jobDependencies = sqliteTable(
  'job_dependencies',
  {
    jobId: integer('job_id').notNull(),
    dependsOn: integer('depends_on').notNull(),
  },
  (t) => [primaryKey({ columns: [t.jobId, t.dependsOn] }), index('job_dependencies_on_idx').on(t.dependsOn)],
);

/** The audit of every job status change. */
export const jobEvents = sqliteTable(
  'job_events',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    jobId: integer('job_id').notNull(),
    /** The status before (null: the job was created). */
    from: text('from_status'),
    to: text('to_status').notNull(),
    at: integer('at').notNull(),
    reason: text('reason'),
  },
  (t) => [index('job_events_job_idx').on(t.jobId, t.id)],
);

/** Stored predictions, one per (model, bar), with the realised outcome filled in once the horizon has passed. */
export const predictions = sqliteTable(
  'predictions',
  {
    modelId: text('model_id').notNull(),
    symbol: text('symbol').notNull(),
    interval: text('interval').notNull(),
    /** Open time of the bar whose close the prediction was made at. */
    barTs: integer('bar_ts').notNull(),
    horizon: integer('horizon').notNull(),
    value: real('value').notNull(),
    /** JSON: prediction interval bounds by coverage, e.g. {"80":[lo,hi],"90":[lo,hi]}. */
    intervals: text('intervals'),
    /** long | short | flat */
    signal: text('signal').notNull(),
    /** True when made by the naive fallback because the model could not be loaded. */
    fallback: integer('fallback', { mode: 'boolean' }).notNull().default(false),
    createdAt: integer('created_at').notNull(),
    /** The realised target value once known (same units as value). */
    outcome: real('outcome'),
    outcomeAt: integer('outcome_at'),
  },
  (t) => [
    primaryKey({ columns: [t.modelId, t.barTs] }),
    index('predictions_symbol_idx').on(t.symbol, t.interval, t.barTs),
    // Retention deletes by outcome time, and metrics count the predictions with an outcome from this index alone.
    index('predictions_outcome_idx').on(t.outcomeAt),
  ],
);

/**
 * Recorded backtests: one row per `pulse backtest` run, with everything needed to reproduce it (the parameters and
 * the model), its statistics and where its report was written.
 */
export const backtests = sqliteTable(
  'backtests',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    symbol: text('symbol').notNull(),
    interval: text('interval').notNull(),
    /** model | walk-forward | strategy */
    kind: text('kind').notNull(),
    /** Registry model id (model runs), `walk-forward:FAMILY`, or the strategy name. */
    source: text('source').notNull(),
    /** Registry model id of a stored-model run; null otherwise. */
    modelId: text('model_id'),
    /** Open time of the first and last backtested bar (ms). */
    fromTs: integer('from_ts').notNull(),
    toTs: integer('to_ts').notNull(),
    bars: integer('bars').notNull(),
    seed: integer('seed').notNull(),
    /** JSON: the resolved BacktestParams plus the run's request (signal rule, walk-forward settings). */
    params: text('params').notNull(),
    /** JSON: every statistic (null where not meaningful) and the baselines. */
    stats: text('stats').notNull(),
    returnPct: real('return_pct').notNull(),
    sharpe: real('sharpe'),
    maxDrawdownPct: real('max_drawdown_pct').notNull(),
    trades: integer('trades').notNull(),
    /** Absolute path of the HTML report, when one was written. */
    reportPath: text('report_path'),
    /** Outcome of the --assert gate: null without a gate, else true / false. */
    assertPassed: integer('assert_passed', { mode: 'boolean' }),
    durationMs: integer('duration_ms').notNull(),
    createdAt: integer('created_at').notNull(),
  },
  (t) => [index('backtests_symbol_idx').on(t.symbol, t.createdAt), index('backtests_created_idx').on(t.createdAt)],
);

/** Backups taken of this home (`pulse backup create`): one row per archive written. */
export const backups = sqliteTable(
  'backups',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    /** Absolute path of the archive as written. */
    path: text('path').notNull(),
    createdAt: integer('created_at').notNull(),
    /** Archive size in bytes and its sha256 (hex), of the file as written (encrypted when `encrypted`). */
    size: integer('size').notNull(),
    sha256: text('sha256').notNull(),
    encrypted: integer('encrypted', { mode: 'boolean' }).notNull(),
    /** Store schema version and pulse version in the archive's manifest. */
    schemaVersion: integer('schema_version').notNull(),
    pulseVersion: text('pulse_version').notNull(),
    /** Files in the archive and how many of them are model files. */
    files: integer('files').notNull(),
    models: integer('models').notNull(),
    /** Time of the last successful `pulse backup verify` of the archive, or null. */
    verifiedAt: integer('verified_at'),
    /** Time the archive was deleted by `prune`, or null while it exists. */
    prunedAt: integer('pruned_at'),
  },
  (t) => [index('backups_created_idx').on(t.createdAt)],
);

/** Runs of `pulse health`: the overall state and every check's result, for the trend (`pulse health --history`). */
export const healthRuns = sqliteTable(
  'health_runs',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    createdAt: integer('created_at').notNull(),
    /** ok | warn | critical | unknown */
    status: text('status').notNull(),
    critical: integer('critical').notNull(),
    warnings: integer('warnings').notNull(),
    unknown: integer('unknown').notNull(),
    durationMs: integer('duration_ms').notNull(),
    /** JSON: every result (check, subject, state, message, metrics). */
    results: text('results').notNull(),
  },
  (t) => [index('health_runs_created_idx').on(t.createdAt)],
);

/** Hyperparameter studies (`pulse optimize`): their settings, fixed at creation. */
export const studies = sqliteTable('studies', {
  name: text('name').primaryKey(),
  /** minimize | maximize */
  direction: text('direction').notNull(),
  seed: integer('seed').notNull(),
  sampler: text('sampler').notNull(),
  pruner: text('pruner').notNull(),
  /** JSON: the search space. */
  space: text('space').notNull(),
  /** JSON: what the study optimises (symbol, interval, family, objective). */
  subject: text('subject').notNull(),
  createdAt: integer('created_at').notNull(),
});

/** The trials of studies, numbered 0, 1, 2, ... per study. */
export const trials = sqliteTable(
  'trials',
  {
    study: text('study').notNull().references(() => studies.name, { onDelete: 'cascade' }),
    number: integer('number').notNull(),
    /** running | complete | pruned | failed */
    state: text('state').notNull(),
    /** JSON: the parameters. */
    params: text('params').notNull(),
    value: real('value'),
    startedAt: integer('started_at').notNull(),
    finishedAt: integer('finished_at'),
    failReason: text('fail_reason'),
    /** JSON: numbers pruners keep per trial. */
    attrs: text('attrs').notNull(),
    /** The running process (pid and its start time), while running. */
    ownerPid: integer('owner_pid'),
    ownerStartTime: integer('owner_start_time'),
  },
  (t) => [primaryKey({ columns: [t.study, t.number] })],
);

/** Intermediate values of trials (one per step): the pruners' input. */
export const trialIntermediate = sqliteTable(
  'trial_intermediate',
  {
    study: text('study').notNull(),
    number: integer('number').notNull(),
    step: integer('step').notNull(),
    value: real('value').notNull(),
  },
  (t) => [primaryKey({ columns: [t.study, t.number, t.step] })],
);

/**
 * Walk-forward optimisations (`pulse optimize --walk-forward N`): their settings, fixed at creation. Each window's
 * study is an ordinary study (`<name>.wf<k>`); the windows' results are in `walk_forward_windows`.
 */
export const walkForwards = sqliteTable('walk_forwards', {
  name: text('name').primaryKey(),
  /** minimize | maximize (the objective's) */
  direction: text('direction').notNull(),
  seed: integer('seed').notNull(),
  windows: integer('windows').notNull(),
  /** rolling | anchored */
  scheme: text('scheme').notNull(),
  /** JSON: what the windows' studies optimise (their subject without the window), sampler, pruner, space. */
  settings: text('settings').notNull(),
  /** Open time of the last labelled bar the windows were cut from: a resume cuts the same bars. */
  dataTo: integer('data_to').notNull(),
  createdAt: integer('created_at').notNull(),
});

/** The completed windows of walk-forward optimisations: in-sample and out-of-sample ranges, best parameters, values. */
export const walkForwardWindows = sqliteTable(
  'walk_forward_windows',
  {
    walkForward: text('walk_forward').notNull().references(() => walkForwards.name, { onDelete: 'cascade' }),
    /** 1-based window number. */
    window: integer('window').notNull(),
    /** The window's study. */
    study: text('study').notNull(),
    seed: integer('seed').notNull(),
    /** Open times of the first and last in-sample (after the purge) and out-of-sample bars, and their counts. */
    inSampleFrom: integer('in_sample_from').notNull(),
    inSampleTo: integer('in_sample_to').notNull(),
    inSampleBars: integer('in_sample_bars').notNull(),
    outOfSampleFrom: integer('out_of_sample_from').notNull(),
    outOfSampleTo: integer('out_of_sample_to').notNull(),
    outOfSampleBars: integer('out_of_sample_bars').notNull(),
    bestTrial: integer('best_trial').notNull(),
    /** JSON: the best trial's parameters. */
    bestParams: text('best_params').notNull(),
    inSampleValue: real('in_sample_value').notNull(),
    /** The objective on the out-of-sample bars; null when it is undefined there (see the note). */
    outOfSampleValue: real('out_of_sample_value'),
    outOfSampleNote: text('out_of_sample_note'),
    finishedAt: integer('finished_at').notNull(),
  },
  (t) => [primaryKey({ columns: [t.walkForward, t.window] })],
);

/** The audit of model status decisions: promotions, refusals, forced changes and rollbacks. */
export const modelEvents = sqliteTable(
  'model_events',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    slot: text('slot').notNull(),
    /** promote | refuse | force | rollback | ab-promote | supersede */
    kind: text('kind').notNull(),
    /** The model the decision is about (the candidate, or the model a rollback reactivates). */
    modelId: text('model_id').notNull(),
    /** The slot's active model before the decision, if any. */
    previousId: text('previous_id'),
    /** One line: why. */
    reason: text('reason').notNull(),
    /** JSON: the gate's result (n, losses, test), or null. */
    details: text('details'),
    createdAt: integer('created_at').notNull(),
  },
  (t) => [index('model_events_slot_idx').on(t.slot, t.createdAt)],
);

/** Drift found or checked by `pulse drift-check`: one row per column tested, plus one for the dataset verdict. */
export const driftEvents = sqliteTable(
  'drift_events',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    /** Rows of one check share it. */
    checkId: text('check_id').notNull(),
    symbol: text('symbol').notNull(),
    interval: text('interval').notNull(),
    modelId: text('model_id'),
    /** feature | prediction | target | dataset */
    type: text('type').notNull(),
    /** The column (feature name, `prediction`, the label), or null for the dataset row. */
    feature: text('feature'),
    test: text('test'),
    /** The number compared with the threshold (a p-value or a distance; the drifted share for the dataset row). */
    score: real('score').notNull(),
    pValue: real('p_value'),
    threshold: real('threshold').notNull(),
    drifted: integer('drifted', { mode: 'boolean' }).notNull(),
    /** none | low | medium | high */
    severity: text('severity').notNull(),
    detectedAt: integer('detected_at').notNull(),
    /** Whether the check asked for a retraining. */
    triggerRetraining: integer('trigger_retraining', { mode: 'boolean' }).notNull(),
  },
  (t) => [index('drift_events_series_idx').on(t.symbol, t.interval, t.detectedAt), index('drift_events_check_idx').on(t.checkId)],
);

/** A/B tests of a slot: the active model (control) against a shadow (challenger), each bar served by one arm. */
export const abTests = sqliteTable(
  'ab_tests',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    slot: text('slot').notNull(),
    control: text('control').notNull(),
    challenger: text('challenger').notNull(),
    /** Percent of bars the challenger serves (1..99). */
    split: integer('split').notNull(),
    minDays: real('min_days').notNull(),
    minN: integer('min_n').notNull(),
    /** The seed of the arm assignment (a hash of seed, test, symbol and bar). */
    seed: integer('seed').notNull(),
    /** running | stopped | decided */
    status: text('status').notNull(),
    /** control | challenger, once decided. */
    winner: text('winner'),
    startedAt: integer('started_at').notNull(),
    endedAt: integer('ended_at'),
    /** JSON: the figures the test ended with. */
    result: text('result'),
  },
  (t) => [index('ab_tests_slot_idx').on(t.slot, t.status)],
);

/** Which arm served each bar's signal while an A/B test ran (`pulse predict`). */
export const abServed = sqliteTable(
  'ab_served',
  {
    testId: integer('test_id').notNull(),
    symbol: text('symbol').notNull(),
    barTs: integer('bar_ts').notNull(),
    /** control | challenger */
    arm: text('arm').notNull(),
    modelId: text('model_id').notNull(),
    signal: text('signal').notNull(),
    servedAt: integer('served_at').notNull(),
  },
  (t) => [primaryKey({ columns: [t.testId, t.symbol, t.barTs] })],
);

/** Continuous-learning iterations (`pulse cycle`): when, how it ended, and every step it took. */
export const cycles = sqliteTable(
  'cycles',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    /** The cycle clock's time at the start (the simulated time under --simulate). */
    startedAt: integer('started_at').notNull(),
    endedAt: integer('ended_at'),
    /** running | completed | failed | interrupted */
    status: text('status').notNull(),
    simulated: integer('simulated', { mode: 'boolean' }).notNull(),
    dryRun: integer('dry_run', { mode: 'boolean' }).notNull(),
    /** JSON: the steps, each { slot, step, status, ms, detail }. */
    steps: text('steps').notNull(),
    pid: integer('pid').notNull(),
  },
  (t) => [index('cycles_started_idx').on(t.startedAt)],
);

/**
 * The performance history of models per period, from two sources (`source`):
 * - `evaluate`: `pulse evaluate --by day|week|month`, a model's metrics on the bars every model of the slot predicted
 *   (with outcomes); re-evaluating a period replaces its row;
 * - `maintain`: `pulse maintain` folds the predictions it trims (those with outcomes, bars before a calendar month's
 *   start) into one row per model, symbol and calendar month, on the model's own predictions, in the transaction that
 *   deletes them; a month once folded is never folded again.
 * The two never overwrite each other: the key is (model, symbol, period, source).
 */
export const performanceHistory = sqliteTable(
  'performance_history',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    modelId: text('model_id').notNull(),
    slot: text('slot').notNull(),
    symbol: text('symbol').notNull(),
    interval: text('interval').notNull(),
    /** The period [start, end) in ms (UTC day, ISO week from Monday, or calendar month). */
    periodStart: integer('period_start').notNull(),
    periodEnd: integer('period_end').notNull(),
    /** Paired bars with outcomes in the period. */
    n: integer('n').notNull(),
    /** Regression: root mean squared error and mean absolute error against the outcome; null for classification. */
    rmse: real('rmse'),
    mae: real('mae'),
    /** Classification: mean log loss of the realised class; null for regression. */
    logLoss: real('log_loss'),
    directionalAccuracy: real('directional_accuracy'),
    /** Spearman rank IC and Pearson IC of the forecast against the realised forward log return. */
    ic: real('ic'),
    pearsonIc: real('pearson_ic'),
    /** Share of long/short signals whose direction came true, with its 95% Wilson score interval. */
    hitRate: real('hit_rate'),
    hitLow: real('hit_low'),
    hitHigh: real('hit_high'),
    /** Sum of the signals' simple returns, their annualised Sharpe ratio and profit factor. */
    signalReturn: real('signal_return'),
    sharpe: real('sharpe'),
    profitFactor: real('profit_factor'),
    computedAt: integer('computed_at').notNull(),
    /** evaluate | maintain (see the table's note) */
    source: text('source').notNull().default('evaluate'),
  },
  (t) => [uniqueIndex('performance_history_period_idx').on(t.modelId, t.symbol, t.periodStart, t.periodEnd, t.source), index('performance_history_slot_idx').on(t.slot, t.periodStart)],
);
