/**
 * Every command's option table with the declaring function, in one module the command tree imports only when a
 * command runs or shows its own help: the tables bring zod, which `pulse --help` (command names alone) never needs.
 */
export { BACKTEST_LS_OPTIONS, BACKTEST_RUN_OPTIONS } from '../../src/backtest/options.js';
export { INIT_OPTIONS } from '../../src/config/init-options.js';
export { FEATURES_OPTIONS } from '../../src/dataset/feature-options.js';
export { COLLECT_OPTIONS } from '../../src/market/collect-options.js';
export {
  DATA_EXPORT_OPTIONS,
  DATA_LS_OPTIONS,
  DATA_RESAMPLE_OPTIONS,
  DATA_RM_OPTIONS,
  DATA_RUNS_OPTIONS,
  DATA_SHOW_OPTIONS,
  QUARANTINE_LS_OPTIONS,
  QUARANTINE_PURGE_OPTIONS,
} from '../../src/market/data-options.js';
export { DEMO_OPTIONS } from '../../src/pipeline/demo-options.js';
export { PREDICT_OPTIONS, PREDICTIONS_LS_OPTIONS } from '../../src/predict/options.js';
export { MODELS_EXPLAIN_OPTIONS, MODELS_EXPORT_OPTIONS, MODELS_IMPORT_OPTIONS, MODELS_LS_OPTIONS, MODELS_RM_OPTIONS } from '../../src/lifecycle/options.js';
export { JOBS_LS_OPTIONS } from '../../src/train/jobs-options.js';
export { TRAIN_OPTIONS } from '../../src/train/options.js';
export {
  BACKUP_CREATE_OPTIONS,
  BACKUP_LS_OPTIONS,
  BACKUP_PRUNE_OPTIONS,
  BACKUP_RESTORE_OPTIONS,
  BACKUP_VERIFY_OPTIONS,
} from '../../src/ops/backup/options.js';
export { HEALTH_OPTIONS } from '../../src/ops/health/options.js';
export { PROMOTE_OPTIONS } from '../../src/monitor/promote-options.js';
export { DRIFT_CHECK_OPTIONS } from '../../src/monitor/drift-options.js';
export { OPTIMIZE_LS_OPTIONS, OPTIMIZE_OPTIONS, OPTIMIZE_SHOW_OPTIONS } from '../../src/optimize/options.js';
export { NOTIFY_TEST_OPTIONS } from '../../src/notify/notify-options.js';
export { declareOptions } from './declare.js';
