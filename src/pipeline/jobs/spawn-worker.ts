/**
 * A queue worker as a child process: `node <entry> <home> <job id>` (the entry is `bin/pulse-job.ts`), with an IPC
 * channel for its outcome. Each worker runs in its own process group, so a terminal's Ctrl-C reaches only the
 * runner, which stops its workers itself; killing the group takes whatever the job started with it. SQLite in WAL
 * mode lets the runner and its workers write one store; a killed worker leaves no transaction half-written.
 */
import { spawn } from 'node:child_process';
import type { WorkerMessage } from './worker.js';

/** How a worker process ended. */
export interface WorkerExit {
  /** The outcome it sent, if it got that far. */
  message?: WorkerMessage;
  code: number | null;
  signal: NodeJS.Signals | null;
  /** The last lines it wrote to stderr. */
  stderrTail: string;
}

/** A running worker. */
export interface WorkerHandle {
  pid: number;
  done: Promise<WorkerExit>;
  /** Ask the job to stop at its next safe point (SIGTERM). */
  terminate(): void;
  /** Kill the worker and its process group at once (SIGKILL). */
  kill(): void;
}

/** Ask the worker process `pid` (and its process group) to stop at its next safe point: `pulse jobs cancel`. */
export function terminateWorker(pid: number): void {
  signalGroup(pid, 'SIGTERM');
}

/** Starts a worker for a job. */
export type LaunchWorker = (jobId: number) => WorkerHandle;

/** Signal a process group, or the process alone where groups fail; a process already gone is fine. */
function signalGroup(pid: number | undefined, signal: NodeJS.Signals): void {
  if (pid === undefined || !Number.isInteger(pid) || pid <= 1) return; // never a broadcast (-1) or init
  for (const target of [-pid, pid]) {
    try {
      process.kill(target, signal);
      return;
    } catch {
      // gone, or no group: try the next target
    }
  }
}

/**
 * A launcher of worker processes running `entry` on `home`.
 * @param onLog each line the worker writes to stderr (its log), with the job's id
 */
export function workerLauncher(entry: string, home: string, options: { env?: NodeJS.ProcessEnv; execArgv?: string[]; onLog?: (jobId: number, line: string) => void } = {}): LaunchWorker {
  return (jobId) => {
    const child = spawn(process.execPath, [...(options.execArgv ?? []), entry, home, String(jobId)], {
      stdio: ['ignore', 'ignore', 'pipe', 'ipc'],
      detached: true,
      env: options.env ?? process.env,
    });
    let message: WorkerMessage | undefined;
    const tail: string[] = [];
    let partial = '';
    child.on('message', (m) => (message = m as WorkerMessage));
    child.stderr?.setEncoding('utf8').on('data', (chunk: string) => {
      const lines = (partial + chunk).split('\n');
      partial = lines.pop() ?? '';
      for (const line of lines) {
        tail.push(line);
        if (tail.length > 5) tail.shift();
        options.onLog?.(jobId, line);
      }
    });
    const done = new Promise<WorkerExit>((resolve) => {
      child.on('error', (err) => resolve({ code: null, signal: null, stderrTail: err.message }));
      child.on('close', (code, signal) => resolve({ message, code, signal, stderrTail: [...tail, partial].filter(Boolean).join('\n') }));
    });
    return {
      pid: child.pid ?? -1,
      done,
      terminate: () => signalGroup(child.pid, 'SIGTERM'),
      kill: () => signalGroup(child.pid, 'SIGKILL'),
    };
  };
}
