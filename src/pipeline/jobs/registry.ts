/**
 * The job types by name: one line per type. Adding a type is one file under `types/` and one line here. A
 * completed retrain queues an `evaluate` job for each new shadow while that type is registered (types/retrain.ts).
 */
import { UsageError } from '../../core/errors.js';
import type { JobType } from './job-type.js';
import { backtestJobType } from './types/backtest.js';
import { backupJobType } from './types/backup.js';
import { evaluateJobType } from './types/evaluate.js';
import { healthJobType } from './types/health.js';
import { maintainJobType } from './types/maintain.js';
import { retrainJobType } from './types/retrain.js';
import { trainJobType } from './types/train.js';

/** Every registered job type. */
export const JOB_TYPES: Readonly<Record<string, JobType>> = {
  train: trainJobType,
  retrain: retrainJobType,
  backtest: backtestJobType,
  evaluate: evaluateJobType,
  backup: backupJobType,
  health: healthJobType,
  maintain: maintainJobType,
};

/** The names of the registered types, in registry order. */
export const JOB_TYPE_NAMES: readonly string[] = Object.keys(JOB_TYPES);

/** Whether `name` is a registered job type. */
export function hasJobType(name: string): boolean {
  return Object.hasOwn(JOB_TYPES, name);
}

/** The job type `name`. @throws UsageError (exit 2) naming the types there are. */
export function jobType(name: string): JobType {
  if (!hasJobType(name)) throw new UsageError(`unknown job type "${name}"`, `use one of: ${JOB_TYPE_NAMES.join(', ')}`);
  return JOB_TYPES[name];
}
