/**
 * The command tree. This file only declares commands; their options come from the option tables in src (one per
 * command, see src/core/option-schema.ts), loaded only once a command is named. Each action lazily imports its
 * command module (so `pulse --help` stays fast) and hands it the raw option values, which the command validates
 * against the same table, and a Context.
 */
import { Command, CommanderError, Option } from 'commander';
import { UsageError } from '../src/core/errors.js';
import { PULSE_VERSION } from '../src/core/version.js';
import type { Context, GlobalOptions } from './context.js';
import { declareOptions } from './options/declare.js';
import { loadTables, type LoadedTables, type TableName } from './options/tables.js';

export interface RunOptions {
  signal: AbortSignal;
}

type Action = (ctx: Context, ...args: unknown[]) => Promise<void>;

/** Commands that may create a home where there is none; every other command needs an existing home. */
const CREATES_HOME = new Set(['init', 'collect', 'demo']);

/**
 * Wrap a lazily imported command function: build the context, run, always close the store. A damaged store can
 * surface in any query: such errors become one line naming the store (exit 3).
 */
function action(load: () => Promise<Action>) {
  return async function (this: Command, ...args: unknown[]) {
    const cmd = args[args.length - 1] as Command;
    const path: string[] = [];
    for (let c: Command | null = cmd; c && c.parent; c = c.parent) path.unshift(c.name());
    const { createContext } = await import('./context.js');
    const ctx = createContext(path.join(' '), cmd.optsWithGlobals() as GlobalOptions, runSignal, { createsHome: CREATES_HOME.has(path.join(' ')) });
    try {
      const fn = await load();
      await fn(ctx, ...args.slice(0, -1));
    } catch (err) {
      throw await ctx.describeStoreError(err);
    } finally {
      await ctx.close();
    }
  };
}

let runSignal: AbortSignal = new AbortController().signal;

const EXIT_CODES = `
Exit codes:
  0    ok
  1    internal error, or a source failed for some symbols
  2    usage or configuration error
  3    bad input data or model file
  4    a check failed (drift found, health critical, assertion failed, promotion refused)
  5    busy: another run holds a lock this one needs (see --wait)
  130  interrupted (Ctrl-C)
  143  terminated (SIGTERM)`;

/** The option table each command is declared with (see options/tables.ts). */
const TABLE_OF = new WeakMap<Command, TableName>();

/**
 * The command tree. A command whose table is in `tables` gets its options; the others only their names and
 * descriptions (all `pulse --help` shows), so a run loads the option schemas of the command it runs and no others.
 */
export function buildProgram(tables: LoadedTables = {}): Command {
  // Without its table, a hidden stand-in keeps `[options]` beside the command in the list `pulse --help` prints.
  const options = (cmd: Command, table: TableName): Command => {
    TABLE_OF.set(cmd, table);
    const loaded = tables[table];
    return loaded ? declareOptions(cmd, loaded) : cmd.addOption(new Option('--options').hideHelp());
  };
  const program = new Command('pulse')
    .description('Operate a self-training market-forecasting pipeline: collect bars, build features, train, predict, backtest.')
    .version(PULSE_VERSION, '-V, --version')
    .option('--home <dir>', 'pulse home (store in <home>/data/pulse.db, models in <home>/models); default $PULSE_HOME or the current directory')
    .option('--json', 'print one JSON document on stdout (logs go to stderr)')
    .option('-q, --quiet', 'print nothing on success (for cron)')
    .option('--no-color', 'disable colours (also NO_COLOR=1)')
    .option('--verbose', 'debug logging and stack traces (also PULSE_DEBUG=1)')
    .option('--wait [seconds]', 'when another run holds a lock this one needs, wait for it (up to SECONDS) instead of exiting 5')
    .showHelpAfterError(false)
    .addHelpText('after', EXIT_CODES);

  options(program.command('init'), 'INIT_OPTIONS')
    .description('create a pulse home: data/, models/ and pulse.config.json with the defaults')
    .argument('[dir]', 'the home to create (default: --home, $PULSE_HOME or the current directory)')
    .addHelpText('after', '\nExamples:\n  pulse init ~/pulse\n  PULSE_HOME=~/pulse pulse init')
    .action(action(async () => (await import('./init.js')).init as Action));

  program
    .command('config')
    .description('show the effective configuration (defaults < pulse.config.json < PULSE__SECTION__KEY env)')
    .action(action(async () => (await import('./init.js')).showConfig as Action));

  options(program.command('collect'), 'COLLECT_OPTIONS')
    .description('collect OHLCV bars into the store, with validation, quarantine, gap reports and resampling')
    .argument('[symbols...]', 'symbols to collect (e.g. AAPL MSFT BTC-USD); with --source csv, one symbol')
    .addHelpText(
      'after',
      `
Examples:
  pulse collect AAPL MSFT --source yahoo --interval 1d --from 2020-01-01
  pulse collect BTC-USD --source yahoo,binance --interval 1h --resample 4h,1d
  pulse collect DEMO --source synthetic --interval 1h --seed 7
  pulse collect SPY --file spy.csv --calendar XNYS  # the interval is read from the file's spacing
  pulse collect GOOG --file goog-5m.csv --resample 1h
  pulse collect --source csv --series sentiment --file sentiment.csv`,
    )
    .action(action(async () => (await import('./collect.js')).collect as Action));

  const data = program
    .command('data')
    .description('inspect, export and maintain stored bars')
    .addHelpText(
      'after',
      `
Examples:
  pulse data ls
  pulse data show AAPL --interval 1d --tail 5
  pulse data export AAPL --interval 1d --from 2024-01-01 --format csv --out aapl.csv
  pulse data resample BTC-USD --from-interval 1h --to-interval 4h
  pulse data quarantine ls --symbol AAPL
  pulse data quarantine purge --before 2026-01-01
  pulse data sources`,
    );
  options(data.command('ls'), 'DATA_LS_OPTIONS')
    .description('per symbol and interval: calendar, rows, first, last, bars behind, last collected, gaps')
    .action(action(async () => (await import('./data.js')).dataLs as Action));
  options(data.command('show'), 'DATA_SHOW_OPTIONS')
    .description('print the most recent bars of a series')
    .argument('<symbol>')
    .action(action(async () => (await import('./data.js')).dataShow as Action));
  options(data.command('export'), 'DATA_EXPORT_OPTIONS')
    .description('export stored bars exactly as stored (a CSV export re-imports to the same rows)')
    .argument('<symbol>')
    .action(action(async () => (await import('./data.js')).dataExport as Action));
  options(data.command('resample'), 'DATA_RESAMPLE_OPTIONS')
    .description('build a coarser interval from stored bars (exact OHLCV aggregation, UTC-aligned)')
    .argument('<symbol>')
    .action(action(async () => (await import('./data.js')).dataResample as Action));
  options(data.command('rm'), 'DATA_RM_OPTIONS')
    .description('delete a stored series: its bars and its source record (the quarantine and the run audit are kept)')
    .argument('<symbol>')
    .action(action(async () => (await import('./data.js')).dataRm as Action));
  data
    .command('sources')
    .description('online sources: health, failures and circuit-breaker state')
    .action(action(async () => (await import('./data.js')).dataSources as Action));
  options(data.command('runs'), 'DATA_RUNS_OPTIONS')
    .description('the audit of recent collect runs')
    .action(action(async () => (await import('./data.js')).dataRuns as Action));
  const quarantine = data.command('quarantine').description('rows rejected by validation, with their raw form and reason');
  options(quarantine.command('ls', { isDefault: true }), 'QUARANTINE_LS_OPTIONS')
    .description('list quarantined rows, newest first')
    .action(action(async () => (await import('./data.js')).quarantineLs as Action));
  quarantine
    .command('show')
    .description('show one quarantined row with its raw payload')
    .argument('<id>')
    .action(action(async () => (await import('./data.js')).quarantineShow as Action));
  options(quarantine.command('purge'), 'QUARANTINE_PURGE_OPTIONS')
    .description('delete quarantined rows created before a date')
    .action(action(async () => (await import('./data.js')).quarantinePurge as Action));

  options(program.command('features'), 'FEATURES_OPTIONS')
    .description('list a feature set, or build its feature matrix and labels for a stored series')
    .argument('[symbol]', 'the stored symbol')
    .addHelpText(
      'after',
      `
Examples:
  pulse features --list
  pulse features AAPL --interval 1d
  pulse features AAPL --interval 1d --labels return:h=1,direction:h=5 --export aapl.csv
  pulse features BTC-USD --interval 1h --context SPY --check`,
    )
    .action(action(async () => (await import('./features.js')).features as Action));

  options(program.command('train'), 'TRAIN_OPTIONS')
    .description('train a model with walk-forward validation and register it (first of its slot: active; later: shadow)')
    .argument('<symbols...>', 'stored symbols; one model each, or one pooled model with --pooled')
    .addHelpText(
      'after',
      `
Examples:
  pulse train AAPL --interval 1d --model lightgbm --target return --horizon 5
  pulse train BTC-USD --interval 1h --model xgboost --target direction --dead-zone 0.001 --params eta=0.05,max_depth=4
  pulse train AAPL MSFT NVDA --interval 1d --pooled --model ensemble --cv purged-kfold --folds 8`,
    )
    .action(action(async () => (await import('./train.js')).train as Action));

  const modelsCmd = program
    .command('models')
    .description('the model registry: versions, status, lineage, metrics')
    .addHelpText(
      'after',
      `
Examples:
  pulse models ls --status active
  pulse models show lgbm-AAPL-1d-v3
  pulse models compare lgbm-AAPL-1d-v2 lgbm-AAPL-1d-v3
  pulse models explain lgbm-AAPL-1d-v3 --at 2026-11-20 --top 10
  pulse models export lgbm-AAPL-1d-v3 --format lightgbm --out model.txt
  pulse models compress lgbm-AAPL-1d-v3 --level moderate
  pulse models activate lgbm-AAPL-1d-v3`,
    );
  options(modelsCmd.command('ls'), 'MODELS_LS_OPTIONS')
    .description('list model versions: which is active, and since when')
    .action(action(async () => (await import('./models.js')).modelsLs as Action));
  modelsCmd
    .command('show')
    .description('metrics, parameters, lineage and top features of a model')
    .argument('<id>')
    .action(action(async () => (await import('./models.js')).modelsShow as Action));
  modelsCmd
    .command('compare')
    .description('compare two models: metrics side by side, parameter and feature differences')
    .argument('<a>')
    .argument('<b>')
    .action(action(async () => (await import('./models.js')).modelsCompare as Action));
  modelsCmd
    .command('activate')
    .description("make a model its slot's active model (the previous active one is retired)")
    .argument('<id>')
    .action(action(async () => (await import('./models.js')).modelsActivate as Action));
  options(modelsCmd.command('explain'), 'MODELS_EXPLAIN_OPTIONS')
    .description('TreeSHAP (or exact linear) contributions of the top features for one prediction')
    .argument('<id>')
    .action(action(async () => (await import('./models-io.js')).modelsExplain as Action));
  options(modelsCmd.command('export'), 'MODELS_EXPORT_OPTIONS')
    .description('write a model as a pulse registry file or as LightGBM text (GBDT families)')
    .argument('<id>')
    .action(action(async () => (await import('./models-io.js')).modelsExport as Action));
  options(modelsCmd.command('compress'), 'MODELS_COMPRESS_OPTIONS')
    .description('a smaller, faster copy of a model within a level\'s loss tolerance on its test tail, registered as a shadow version')
    .argument('<id>')
    .action(action(async () => (await import('./models-io.js')).modelsCompress as Action));
  options(modelsCmd.command('import'), 'MODELS_IMPORT_OPTIONS')
    .description('register a model trained elsewhere (LightGBM text, XGBoost JSON) as a new version')
    .argument('<file>')
    .addHelpText('after', '\nExample:\n  pulse models import model.json --format xgboost --symbol AAPL --interval 1d --set default --target return --horizon 5')
    .action(action(async () => (await import('./models-io.js')).modelsImport as Action));
  options(modelsCmd.command('rm'), 'MODELS_RM_OPTIONS')
    .description('remove a model version and its file (the active one only with --force)')
    .argument('<id>')
    .action(action(async () => (await import('./models.js')).modelsRm as Action));

  const jobs = program
    .command('jobs')
    .description('the job queue: train, retrain, backtest, evaluate, backup and health jobs with priorities, dependencies, retries and timeouts')
    .addHelpText(
      'after',
      `
Job types and their parameters: see README "The job queue".
Examples:
  pulse jobs add train --param symbols=ACME --param interval=1d --param model=ridge --retries 2 --timeout 30m
  pulse jobs add backtest --after 12 --params '{"symbol":"ACME","interval":"1d","model":"active"}'
  pulse jobs add retrain --param 'slot=ACME|1d|return|h1' --param trigger=drift --priority 10
  pulse jobs run --workers 2 --until-empty     # e.g. from cron
  pulse jobs ls --status failed,interrupted
  pulse jobs show 12
  pulse jobs retry 12
  pulse jobs cancel 13`,
    );
  options(jobs.command('add'), 'JOBS_ADD_OPTIONS')
    .description('queue a job: train | retrain | backtest | evaluate | backup | health')
    .argument('<type>', 'the job type')
    .action(action(async () => (await import('./jobs.js')).jobsAdd as Action));
  options(jobs.command('run'), 'JOBS_RUN_OPTIONS')
    .description('run queued jobs, N at once, each in its own process; Ctrl-C interrupts them cleanly (exit 130)')
    .action(action(async () => (await import('./jobs.js')).jobsRun as Action));
  jobs
    .command('cancel')
    .description('cancel a pending or running job (a running one is stopped); jobs that depend on it are cancelled too')
    .argument('<id>')
    .action(action(async () => (await import('./jobs.js')).jobsCancel as Action));
  jobs
    .command('retry')
    .description('queue a failed, interrupted or cancelled job again (with the jobs cancelled because of it)')
    .argument('<id>')
    .action(action(async () => (await import('./jobs.js')).jobsRetry as Action));
  options(jobs.command('ls'), 'JOBS_LS_OPTIONS')
    .description('recent jobs, queued and inline training runs alike')
    .action(action(async () => (await import('./jobs.js')).jobsLs as Action));
  jobs
    .command('show')
    .description('one job: parameters, attempts, result and every status change')
    .argument('<id>')
    .action(action(async () => (await import('./jobs.js')).jobsShow as Action));

  options(program.command('predict'), 'PREDICT_OPTIONS')
    .description("predict the newest bar (or, with --replay-from, every past bar of a range) with each slot's active and shadow models; store predictions and fill outcomes")
    .argument('<symbols...>')
    .addHelpText('after', '\nExamples:\n  pulse predict AAPL MSFT --interval 1d\n  pulse predict BTC-USD --interval 1h --model lgbm-BTC-USD-1h-v3 --json\n  pulse predict AAPL --interval 1d --replay-from 2024-01-01 --replay-to 2025-01-01')
    .action(action(async () => (await import('./predict.js')).predict as Action));

  const predictionsCmd = program
    .command('predictions')
    .description('stored predictions and their outcomes')
    .addHelpText('after', '\nExamples:\n  pulse predictions ls AAPL --interval 1d --limit 10');
  options(predictionsCmd.command('ls'), 'PREDICTIONS_LS_OPTIONS')
    .description('recent predictions of a symbol with realised outcomes')
    .argument('<symbol>')
    .action(action(async () => (await import('./predict.js')).predictionsLs as Action));

  const backtest = program.command('backtest').description('honest backtests with costs, full statistics, baselines, HTML reports and CI gates');
  options(backtest.command('run', { isDefault: true }), 'BACKTEST_RUN_OPTIONS')
    .description('backtest a model (stored version, or a family retrained walk-forward) or a rule strategy')
    .argument('<symbol>')
    .addHelpText(
      'after',
      `
Examples:
  pulse backtest AAPL --interval 1d --strategy sma-cross
  pulse backtest AAPL --interval 1d --model active --fee-bps 5 --report aapl.html
  pulse backtest BTC-USD --interval 1h --model lightgbm --walk-forward --retrain-every 720 --train-window 4320
  pulse backtest AAPL --interval 1d --model active --assert "sharpe >= 0.5 and maxDrawdownPct < 25" --junit gate.xml`,
    )
    .action(action(async () => (await import('./backtest.js')).backtestRun as Action));
  options(backtest.command('ls'), 'BACKTEST_LS_OPTIONS')
    .description('recorded backtests')
    .action(action(async () => (await import('./backtest.js')).backtestLs as Action));

  const optimize = program.command('optimize').description("tune a model family's parameters by cross-validation: studies of trials in the store, resumable by name");
  options(optimize.command('run', { isDefault: true }), 'OPTIMIZE_OPTIONS')
    .description('run or resume a study: sample parameters, cross-validate each trial fold by fold, prune poor trials')
    .argument('<symbol>')
    .addHelpText(
      'after',
      `
Examples:
  pulse optimize AAPL --interval 1d --model lightgbm --trials 50 --timeout 2h
  pulse optimize AAPL --interval 1d --model xgboost --objective sharpe --study aapl-xgb --register
  pulse optimize BTC-USD --interval 1h --model ridge --sampler random --pruner none --space space.json
  pulse optimize AAPL --interval 1d --model xgboost --objective sharpe --study aapl-xgb --trials 100   # resume it up to 100 trials
  pulse optimize AAPL --interval 1d --model lightgbm --trials 30 --walk-forward 4 --study aapl-wf       # optimise in sample, score out of sample, 4 windows`,
    )
    .action(action(async () => (await import('./optimize.js')).optimizeRun as Action));
  options(optimize.command('ls'), 'OPTIMIZE_LS_OPTIONS')
    .description('studies in the store: trials by state and the best value; walk-forward optimisations')
    .action(action(async () => (await import('./optimize.js')).optimizeLs as Action));
  options(optimize.command('show'), 'OPTIMIZE_SHOW_OPTIONS')
    .description('a study: best trial, history and parameter importance (fANOVA); or a walk-forward optimisation: its windows, efficiency and stability')
    .argument('<study>')
    .addHelpText('after', '\nExamples:\n  pulse optimize show AAPL-1d-lightgbm-cv-loss\n  pulse optimize show aapl-xgb -f json\n  pulse optimize show aapl-xgb -f value\n  pulse optimize show aapl-wf   # a walk-forward optimisation')
    .action(action(async () => (await import('./optimize.js')).optimizeShow as Action));

  options(program.command('demo'), 'DEMO_OPTIONS')
    .description('run the pipeline end to end on synthetic data in a fresh home (a temp dir unless --home)')
    .action(action(async () => (await import('./demo.js')).demo as Action));

  options(program.command('drift-check'), 'DRIFT_CHECK_OPTIONS')
    .description('compare the newest bars\' features, predictions and labels with the training window (exit 4 on dataset drift)')
    .argument('<symbol>')
    .addHelpText(
      'after',
      `
Examples:
  pulse drift-check ACME --interval 1d --model active
  pulse drift-check ACME --interval 1d --model active --current 250 --method psi
  pulse drift-check ACME --interval 1d --set default --reference 2020-01-01..2023-01-01 --current 2024-01-01..`,
    )
    .action(action(async () => (await import('./drift-check.js')).driftCheckCommand as Action));

  options(program.command('promote'), 'PROMOTE_OPTIONS')
    .description('make a shadow model active if it beats the active one on paired outcomes (Diebold-Mariano gate); exit 4 when refused')
    .argument('[id]', 'the candidate model')
    .addHelpText(
      'after',
      `
Examples:
  pulse promote ridge-ACME-1d-v2 --dry-run
  pulse promote ridge-ACME-1d-v2
  pulse promote ridge-ACME-1d-v2 --force      # skip the gate (recorded)
  pulse promote --rollback 'ACME|1d|return|h1'`,
    )
    .action(action(async () => (await import('./promote.js')).promoteCommand as Action));

  options(program.command('evaluate'), 'EVALUATE_OPTIONS')
    .description("score each slot's active and shadow models on the bars they all predicted: errors, IC, hit rate, signal returns; the active model's degradation")
    .argument('[symbol]', 'one symbol (default: every symbol with models of the interval)')
    .addHelpText(
      'after',
      `
Examples:
  pulse evaluate ACME --interval 1d
  pulse evaluate ACME --interval 1d --last 250 --json
  pulse evaluate --interval 1d --from 2024-01-01 --to 2025-01-01 --by month`,
    )
    .action(action(async () => (await import('./evaluate.js')).evaluateCommand as Action));

  options(program.command('cycle'), 'CYCLE_OPTIONS')
    .description('one iteration of the continuous-learning loop for cron: collect, predict, drift check, evaluate, retrain, promote (under the home lock)')
    .addHelpText(
      'after',
      `
Examples:
  pulse cycle                                   # from cron: */30 * * * * pulse cycle -q --home ~/pulse
  pulse cycle --dry-run                         # which steps are due, what the gate would decide
  pulse cycle --simulate 2023-01-01..2025-01-01 --keep ./sim --json`,
    )
    .action(action(async () => (await import('./cycle.js')).cycleCommand as Action));

  const ab = program
    .command('ab')
    .description('A/B tests of a slot: the active model against a shadow, each bar served by one arm, decided by a paired test')
    .addHelpText(
      'after',
      `
Examples:
  pulse ab start 'ACME|1d|return|h1' --challenger ridge-ACME-1d-v2 --split 50 --min-days 7 --min-n 100
  pulse ab status
  pulse ab status --auto-winner        # end decided tests; a winning challenger becomes active
  pulse ab stop 'ACME|1d|return|h1'`,
    );
  options(ab.command('start'), 'AB_START_OPTIONS')
    .description('start an A/B test in a slot')
    .argument('<slot>')
    .action(action(async () => (await import('./ab.js')).abStart as Action));
  options(ab.command('status'), 'AB_STATUS_OPTIONS')
    .description('each arm\'s served returns and losses, the significance and the decision')
    .argument('[slot]')
    .action(action(async () => (await import('./ab.js')).abStatusCommand as Action));
  ab.command('stop')
    .description('stop a running test (its figures are kept)')
    .argument('<slot-or-id>')
    .action(action(async () => (await import('./ab.js')).abStop as Action));

  const notifications = program.command('notify').description('notifications to webhooks (Slack, Telegram, Discord, generic JSON); see docs/notifications.md');
  options(notifications.command('test'), 'NOTIFY_TEST_OPTIONS')
    .description('send a test event to every channel of notify.channels and report each outcome (exit 1 if one fails)')
    .action(action(async () => (await import('./notify.js')).notifyTest as Action));

  const backup = program
    .command('backup')
    .description('consistent backups of the home (store, model files, config) while it keeps working; verify and restore')
    .addHelpText(
      'after',
      `
Examples:
  pulse backup create --keep 10
  PULSE_BACKUP_PASSPHRASE=... pulse backup create --to /mnt/backups --encrypt
  pulse backup ls
  pulse backup verify ~/pulse/backups/pulse-backup-20261205T083000Z.tar.gz
  pulse backup restore ~/pulse/backups/pulse-backup-20261205T083000Z.tar.gz --to ~/pulse-restored
  pulse backup prune --keep 10`,
    );
  options(backup.command('create'), 'BACKUP_CREATE_OPTIONS')
    .description('snapshot the store online, add the registered model files and the config, write one tar.gz with a manifest')
    .action(action(async () => (await import('./backup.js')).backupCreate as Action));
  options(backup.command('ls'), 'BACKUP_LS_OPTIONS')
    .description('the archives of a backup folder, newest first')
    .action(action(async () => (await import('./backup.js')).backupLs as Action));
  options(backup.command('verify'), 'BACKUP_VERIFY_OPTIONS')
    .description('re-hash every member against the manifest and run the integrity check on the archived store (exit 3 on any difference)')
    .argument('<file>')
    .action(action(async () => (await import('./backup.js')).backupVerify as Action));
  options(backup.command('restore'), 'BACKUP_RESTORE_OPTIONS')
    .description('verify an archive, then swap it in as the home (a non-empty home needs --force)')
    .argument('<file>')
    .action(action(async () => (await import('./backup.js')).backupRestore as Action));
  options(backup.command('prune'), 'BACKUP_PRUNE_OPTIONS')
    .description('delete all but the newest N archives of a backup folder')
    .action(action(async () => (await import('./backup.js')).backupPrune as Action));

  options(program.command('dashboard'), 'DASHBOARD_OPTIONS')
    .description('a live terminal dashboard: models, A/B tests, jobs, predictions, drift, health, equity (q quits, tab moves focus)')
    .addHelpText(
      'after',
      `
Examples:
  pulse dashboard
  pulse dashboard --refresh 30
  pulse dashboard | cat          # no terminal: one plain-text snapshot
  pulse dashboard --json         # the snapshot document`,
    )
    .action(action(async () => (await import('./dashboard.js')).dashboard as Action));

  options(program.command('health'), 'HEALTH_OPTIONS')
    .description('check the store, disk, models (files, loading, prediction time and memory), data freshness, sources, jobs and backups (exit 4 when critical; thresholds: config health.*)')
    .addHelpText(
      'after',
      `
Examples:
  pulse health
  pulse health --nagios                       # exit 0 OK, 1 WARNING, 2 CRITICAL, 3 UNKNOWN
  pulse health -q --prometheus /var/lib/node_exporter/textfile/pulse.prom
  pulse health --history --last 50
  PULSE__HEALTH__MODEL_LATENCY_WARN_MS=20 pulse health --json`,
    )
    .action(action(async () => (await import('./health.js')).health as Action));

  options(program.command('status'), 'STATUS_OPTIONS')
    .description('the continuous-learning loop at a glance: active and shadow models per slot, the newest retraining, drift check and decision, jobs')
    .action(action(async () => (await import('./status.js')).status as Action));

  options(program.command('maintain'), 'MAINTAIN_OPTIONS')
    .description('retention (config maintain.*): delete old predictions with outcomes, runs, jobs and health runs, archive old retired models, then ANALYZE, checkpoint and VACUUM when worth it')
    .addHelpText(
      'after',
      `
Examples:
  pulse maintain --dry-run
  pulse maintain -q                            # from cron
  PULSE__MAINTAIN__PREDICTION_DAYS=30 pulse maintain --json`,
    )
    .action(action(async () => (await import('./maintain.js')).maintainCommand as Action));

  options(program.command('serve'), 'SERVE_OPTIONS')
    .description('read-only HTTP endpoints for monitoring: /metrics (Prometheus), /health, /status, /models; PULSE_SERVE_TOKEN requires a bearer token')
    .addHelpText(
      'after',
      `
Examples:
  pulse serve                                  # http://127.0.0.1:9464/metrics
  PULSE_SERVE_TOKEN=... pulse serve --host 0.0.0.0 --port 9464
  pulse serve --port 0                         # a free port, printed on stderr`,
    )
    .action(action(async () => (await import('./serve.js')).serveCommand as Action));

  return program;
}

/** Parse argv and run the matched command. Commander's own errors become UsageErrors (exit 2). */
export async function runProgram(argv: string[], options: RunOptions): Promise<void> {
  runSignal = options.signal;
  // Options matter once a command is named (to run it or show its help): load that command's tables and rebuild.
  const named = namedCommand(buildProgram(), argv);
  const program = named ? buildProgram(await loadTables(tablesUnder(named))) : buildProgram();
  program.exitOverride();
  program.configureOutput({ writeErr: () => {}, outputError: () => {} });
  for (const c of allCommands(program)) {
    c.exitOverride();
    c.configureOutput({ writeErr: () => {}, outputError: () => {} });
  }
  try {
    await program.parseAsync(argv, { from: 'user' });
  } catch (err) {
    if (err instanceof CommanderError) {
      if (err.exitCode === 0) return; // --help, --version
      throw new UsageError(err.message.replace(/^error: /, ''), 'see `pulse --help` or `pulse <command> --help`');
    }
    throw err;
  }
}

/** Global options that take a value (the value is not a command name). */
const VALUE_OPTIONS = new Set(['--home']);

/**
 * The command argv names, as commander will dispatch it: operands are matched against subcommand names from the
 * top, skipping options (and the values of global options), until an operand names no subcommand of a named
 * command. `pulse`, `pulse --help` and `-V` name none.
 */
export function namedCommand(program: Command, argv: readonly string[]): Command | undefined {
  let named: Command | undefined;
  for (let i = 0; i < argv.length; i++) {
    const token = argv[i]!;
    if (token === '--') break;
    if (token.startsWith('-')) {
      if (VALUE_OPTIONS.has(token)) i++;
      continue;
    }
    const sub = (named ?? program).commands.find((c) => c.name() === token || c.aliases().includes(token));
    if (sub) named = sub;
    else if (named) break;
  }
  return named;
}

/** The tables of a command and of every command below it (a default subcommand runs without being named). */
function tablesUnder(cmd: Command): TableName[] {
  return [cmd, ...allCommands(cmd)].flatMap((c) => TABLE_OF.get(c) ?? []);
}

function allCommands(c: Command): Command[] {
  return c.commands.flatMap((sub) => [sub, ...allCommands(sub)]);
}
