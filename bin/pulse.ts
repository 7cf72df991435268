#!/usr/bin/env node
/**
 * The `pulse` entry point and its one error boundary: every failure becomes one clear line on stderr (plus a JSON
 * error document on stdout with --json) and the documented exit code; a stack trace only with --verbose or
 * PULSE_DEBUG=1. Ctrl-C aborts in-flight work and exits 130 (SQLite transactions are synchronous, so none is left
 * half-written).
 */
import { ExitCode, PulseError, ReportedError, UsageError } from '../src/core/errors.js';

const argv = process.argv.slice(2);
const debug = argv.includes('--verbose') || process.env.PULSE_DEBUG === '1';
const wantsJson = argv.includes('--json');
const controller = new AbortController();
let interrupted = false;

process.on('SIGINT', () => {
  if (interrupted) process.exit(ExitCode.interrupted);
  interrupted = true;
  process.exitCode = ExitCode.interrupted;
  process.stderr.write('\npulse: interrupted; finishing the current transaction (Ctrl-C again to exit now)\n');
  controller.abort(new Error('interrupted'));
  // Transactions are synchronous, so none can be open while this handler runs; give the command a moment to
  // record the interruption, then leave.
  setTimeout(() => process.exit(ExitCode.interrupted), 2_000).unref();
});
// A closed pipe (`pulse data export ... | head`) is the reader's choice, not an error.
process.stdout.on('error', (err: NodeJS.ErrnoException) => {
  if (err.code === 'EPIPE') process.exit(process.exitCode ?? 0);
  throw err;
});

process.on('SIGTERM', () => {
  interrupted = true;
  process.exitCode = 143;
  controller.abort(new Error('terminated'));
});

try {
  const { runProgram } = await import('../commands/program.js');
  await runProgram(argv, { signal: controller.signal });
  if (interrupted) process.exitCode = process.exitCode ?? ExitCode.interrupted;
} catch (err) {
  process.exitCode = report(err);
}

function report(err: unknown): number {
  if (interrupted) return process.exitCode as number;
  const known = err instanceof PulseError;
  const code = known ? err.exitCode : ExitCode.internal;
  const message = err instanceof Error ? err.message : String(err);
  const hint = known ? err.hint : 'this is a bug in pulse; rerun with --verbose and report the output';
  const kind = err instanceof UsageError ? 'usage' : 'error';
  process.stderr.write(`pulse: ${kind}: ${message}${hint ? ` (${hint})` : ''}\n`);
  if (debug && err instanceof Error && err.stack) process.stderr.write(`${err.stack}\n`);
  if (wantsJson && !(err instanceof ReportedError)) {
    const doc = { schemaVersion: 1, error: { type: known ? err.name : 'InternalError', message, hint: hint ?? null, exitCode: code } };
    process.stdout.write(`${JSON.stringify(doc, null, 2)}\n`);
  }
  return code;
}
