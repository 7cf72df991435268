/** The health checks, in the order they start (the store check, the longest, first) and are shown. */
import type { HealthCheck } from './check.js';
import { backupsCheck } from './checks/backups.js';
import { diskCheck } from './checks/disk.js';
import { freshnessCheck } from './checks/freshness.js';
import { jobsCheck } from './checks/jobs.js';
import { modelsCheck } from './checks/models.js';
import { sourcesCheck } from './checks/sources.js';
import { storeCheck } from './checks/store.js';

export const HEALTH_CHECKS: readonly HealthCheck[] = [storeCheck, diskCheck, modelsCheck, freshnessCheck, sourcesCheck, jobsCheck, backupsCheck];
