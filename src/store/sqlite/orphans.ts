/**
 * The sweep of work left unfinished by a process that died (crash, kill -9): collect runs and training jobs record
 * the pid that runs them, and a later process marks those whose pid is gone as failed. One rule for every table
 * that records such work.
 */

/** What the sweep records as the error of a row it fails. */
export const ORPHAN_ERROR = 'the process running it ended without finishing (crash or kill)';

/** Call `fail` for every open row whose process is not alive (a row without a pid counts as dead); returns how many. */
export function sweepOrphans<R extends { pid: number | null }>(open: readonly R[], isAlive: (pid: number) => boolean, fail: (row: R) => void): number {
  let n = 0;
  for (const row of open) {
    if (row.pid !== null && isAlive(row.pid)) continue;
    fail(row);
    n++;
  }
  return n;
}
