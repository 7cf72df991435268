/** The store: SQLite's quick check and the size of its write-ahead log. */
import { statSync } from 'node:fs';
import { toError } from '../../../core/errors.js';
import { result, type HealthCheck } from '../check.js';

export const storeCheck: HealthCheck = {
  name: 'store',
  description: 'the store passes its quick integrity check, and its write-ahead log is not growing without a checkpoint',
  async run({ store, policy }) {
    let problems: string[];
    try {
      problems = await store.maintenance.checkIntegrity({ quick: true });
    } catch (err) {
      return [result('store', 'critical', `the store cannot be checked: ${toError(err).message}; restore a backup`)];
    }
    let walBytes = 0;
    try {
      walBytes = statSync(`${store.location}-wal`).size;
    } catch {
      // no WAL file: nothing written since the last checkpoint
    }
    if (problems.length > 0) {
      return [result('store', 'critical', `the store is damaged: ${problems[0]}${problems.length > 1 ? ` (+${problems.length - 1} more)` : ''}; restore a backup`, { walBytes, integrityProblems: problems.length })];
    }
    if (walBytes >= policy.walWarnBytes) {
      return [result('store', 'warn', `the write-ahead log is ${(walBytes / 2 ** 20).toFixed(0)} MiB: a long reader may be holding off checkpoints`, { walBytes, integrityProblems: 0 })];
    }
    return [result('store', 'ok', `integrity ok, WAL ${(walBytes / 2 ** 20).toFixed(1)} MiB`, { walBytes, integrityProblems: 0 })];
  },
};
