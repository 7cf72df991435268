#!/usr/bin/env node
/**
 * A queue worker: `node pulse-job.js HOME JOB_ID`, spawned by `pulse jobs run` (src/pipeline/jobs/spawn-worker.ts),
 * never by hand. It runs the one job the runner claimed and sends its outcome over the IPC channel; the runner
 * records it. SIGTERM (or SIGINT) asks the job to stop at its next safe point; the runner's death (the channel
 * closing) does too, so a worker never outlives its runner for long.
 */
import { ExitCode, toError } from '../src/core/errors.js';

const [home, idText] = process.argv.slice(2);
const controller = new AbortController();
const stop = () => controller.abort(new Error('stopped'));
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
process.on('disconnect', stop);

let outcome: unknown;
try {
  const id = Number(idText);
  if (home === undefined || !Number.isInteger(id) || id < 1) throw new Error('usage: pulse-job HOME JOB_ID (started by pulse jobs run)');
  const { jobWorker } = await import('../commands/jobs.js');
  outcome = await jobWorker(home, id, controller.signal);
} catch (err) {
  outcome = { status: 'failed', error: toError(err).message };
}
const code = (outcome as { status: string }).status === 'completed' ? ExitCode.ok : ExitCode.internal;
if (process.send && process.connected) process.send(outcome, () => process.exit(code));
else {
  process.stderr.write(`${JSON.stringify(outcome)}\n`);
  process.exit(code);
}
