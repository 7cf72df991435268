import { readFileSync } from 'node:fs';

/** Whether a process with this pid is running (used to detect runs left behind by a crash or kill -9). */
export function isProcessAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * When a process started, as the OS counts it (Linux: clock ticks after boot, field 22 of /proc/PID/stat), or null
 * where that cannot be read. Together with the pid it names a process uniquely, so a recycled pid is not mistaken
 * for an earlier process.
 */
export function processStartTime(pid: number): number | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The command name (field 2) is in parentheses and may hold spaces: count fields after its closing one.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const start = Number(fields[19]);
    return Number.isFinite(start) ? start : null;
  } catch {
    return null;
  }
}
