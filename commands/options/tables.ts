/**
 * Every command's option table, each loaded on demand: the command tree (program.ts) loads only the tables of the
 * command that argv names, so a command pays for its own domain's option module (and zod) and for no other's.
 */
import type { OptionTable } from '../../src/core/option-schema.js';

/** A loader per option table, by the name the command tree declares it under. */
export const TABLES = {
  AB_START_OPTIONS: async () => (await import('../../src/monitor/ab-options.js')).AB_START_OPTIONS,
  AB_STATUS_OPTIONS: async () => (await import('../../src/monitor/ab-options.js')).AB_STATUS_OPTIONS,
  BACKTEST_LS_OPTIONS: async () => (await import('../../src/backtest/options.js')).BACKTEST_LS_OPTIONS,
  BACKTEST_RUN_OPTIONS: async () => (await import('../../src/backtest/options.js')).BACKTEST_RUN_OPTIONS,
  BACKUP_CREATE_OPTIONS: async () => (await import('../../src/ops/backup/options.js')).BACKUP_CREATE_OPTIONS,
  BACKUP_LS_OPTIONS: async () => (await import('../../src/ops/backup/options.js')).BACKUP_LS_OPTIONS,
  BACKUP_PRUNE_OPTIONS: async () => (await import('../../src/ops/backup/options.js')).BACKUP_PRUNE_OPTIONS,
  BACKUP_RESTORE_OPTIONS: async () => (await import('../../src/ops/backup/options.js')).BACKUP_RESTORE_OPTIONS,
  BACKUP_VERIFY_OPTIONS: async () => (await import('../../src/ops/backup/options.js')).BACKUP_VERIFY_OPTIONS,
  COLLECT_OPTIONS: async () => (await import('../../src/market/collect-options.js')).COLLECT_OPTIONS,
  CYCLE_OPTIONS: async () => (await import('../../src/pipeline/cycle-options.js')).CYCLE_OPTIONS,
  DASHBOARD_OPTIONS: async () => (await import('../../src/ops/dashboard/options.js')).DASHBOARD_OPTIONS,
  DATA_EXPORT_OPTIONS: async () => (await import('../../src/market/data-options.js')).DATA_EXPORT_OPTIONS,
  DATA_LS_OPTIONS: async () => (await import('../../src/market/data-options.js')).DATA_LS_OPTIONS,
  DATA_RESAMPLE_OPTIONS: async () => (await import('../../src/market/data-options.js')).DATA_RESAMPLE_OPTIONS,
  DATA_RM_OPTIONS: async () => (await import('../../src/market/data-options.js')).DATA_RM_OPTIONS,
  DATA_RUNS_OPTIONS: async () => (await import('../../src/market/data-options.js')).DATA_RUNS_OPTIONS,
  DATA_SHOW_OPTIONS: async () => (await import('../../src/market/data-options.js')).DATA_SHOW_OPTIONS,
  DEMO_OPTIONS: async () => (await import('../../src/pipeline/demo-options.js')).DEMO_OPTIONS,
  DRIFT_CHECK_OPTIONS: async () => (await import('../../src/monitor/drift-options.js')).DRIFT_CHECK_OPTIONS,
  EVALUATE_OPTIONS: async () => (await import('../../src/monitor/evaluate-options.js')).EVALUATE_OPTIONS,
  FEATURES_OPTIONS: async () => (await import('../../src/dataset/feature-options.js')).FEATURES_OPTIONS,
  HEALTH_OPTIONS: async () => (await import('../../src/ops/health/options.js')).HEALTH_OPTIONS,
  INIT_OPTIONS: async () => (await import('../../src/config/init-options.js')).INIT_OPTIONS,
  JOBS_ADD_OPTIONS: async () => (await import('../../src/pipeline/jobs/options.js')).JOBS_ADD_OPTIONS,
  JOBS_LS_OPTIONS: async () => (await import('../../src/pipeline/jobs/options.js')).JOBS_LS_OPTIONS,
  JOBS_RUN_OPTIONS: async () => (await import('../../src/pipeline/jobs/options.js')).JOBS_RUN_OPTIONS,
  MAINTAIN_OPTIONS: async () => (await import('../../src/ops/maintain/options.js')).MAINTAIN_OPTIONS,
  MODELS_COMPRESS_OPTIONS: async () => (await import('../../src/lifecycle/options.js')).MODELS_COMPRESS_OPTIONS,
  MODELS_EXPLAIN_OPTIONS: async () => (await import('../../src/lifecycle/options.js')).MODELS_EXPLAIN_OPTIONS,
  MODELS_EXPORT_OPTIONS: async () => (await import('../../src/lifecycle/options.js')).MODELS_EXPORT_OPTIONS,
  MODELS_IMPORT_OPTIONS: async () => (await import('../../src/lifecycle/options.js')).MODELS_IMPORT_OPTIONS,
  MODELS_LS_OPTIONS: async () => (await import('../../src/lifecycle/options.js')).MODELS_LS_OPTIONS,
  MODELS_RM_OPTIONS: async () => (await import('../../src/lifecycle/options.js')).MODELS_RM_OPTIONS,
  NOTIFY_TEST_OPTIONS: async () => (await import('../../src/notify/notify-options.js')).NOTIFY_TEST_OPTIONS,
  OPTIMIZE_LS_OPTIONS: async () => (await import('../../src/optimize/options.js')).OPTIMIZE_LS_OPTIONS,
  OPTIMIZE_OPTIONS: async () => (await import('../../src/optimize/options.js')).OPTIMIZE_OPTIONS,
  OPTIMIZE_SHOW_OPTIONS: async () => (await import('../../src/optimize/options.js')).OPTIMIZE_SHOW_OPTIONS,
  PREDICTIONS_LS_OPTIONS: async () => (await import('../../src/predict/options.js')).PREDICTIONS_LS_OPTIONS,
  PREDICT_OPTIONS: async () => (await import('../../src/predict/options.js')).PREDICT_OPTIONS,
  PROMOTE_OPTIONS: async () => (await import('../../src/monitor/promote-options.js')).PROMOTE_OPTIONS,
  QUARANTINE_LS_OPTIONS: async () => (await import('../../src/market/data-options.js')).QUARANTINE_LS_OPTIONS,
  QUARANTINE_PURGE_OPTIONS: async () => (await import('../../src/market/data-options.js')).QUARANTINE_PURGE_OPTIONS,
  SERVE_OPTIONS: async () => (await import('../../src/ops/serve/options.js')).SERVE_OPTIONS,
  STATUS_OPTIONS: async () => (await import('../../src/pipeline/status-options.js')).STATUS_OPTIONS,
  TRAIN_OPTIONS: async () => (await import('../../src/train/options.js')).TRAIN_OPTIONS,
} satisfies Record<string, () => Promise<OptionTable>>;

export type TableName = keyof typeof TABLES;

/** Loaded option tables by name; a command whose table is absent is declared without its options. */
export type LoadedTables = Partial<Record<TableName, OptionTable>>;

/** Load the named tables (all of them without names). */
export async function loadTables(names: Iterable<TableName> = Object.keys(TABLES) as TableName[]): Promise<LoadedTables> {
  const loaded: LoadedTables = {};
  await Promise.all([...new Set(names)].map(async (name) => (loaded[name] = await TABLES[name]())));
  return loaded;
}
