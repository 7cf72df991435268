#!/usr/bin/env node
/**
 * The `pulse` entry point and its one error boundary: every failure becomes one clear line on stderr (plus a JSON
 * error document on stdout with --json) and the documented exit code; a stack trace only with --verbose or
 * PULSE_DEBUG=1. SIGINT (Ctrl-C) and SIGTERM abort the run's signal: long work stops at its next safe point (a
 * boosting iteration, a fold, a segment, a symbol), records itself as interrupted, and the process exits 130 or
 * 143. SQLite transactions are synchronous, so none is ever left half-written; a second signal exits at once. A service
 * (`pulse serve`) stops cleanly on the signal and exits 0 (ServiceStopped).
 */
import { ExitCode, ExitStatus, PulseError, ReportedError, ServiceStopped, UsageError } from '../src/core/errors.js';

const argv = process.argv.slice(2);
const debug = argv.includes('--verbose') || process.env.PULSE_DEBUG === '1';
const wantsJson = argv.includes('--json');
const controller = new AbortController();
let interrupted = false;

/** How long a run may take to reach its next safe point after a signal before the process leaves anyway. */
const STOP_GRACE_MS = 10_000;

function stop(signal: 'SIGINT' | 'SIGTERM'): void {
  const code = signal === 'SIGINT' ? ExitCode.interrupted : ExitCode.terminated;
  if (interrupted) process.exit(code);
  interrupted = true;
  process.exitCode = code;
  process.stderr.write(`\npulse: ${signal === 'SIGINT' ? 'interrupted' : 'terminated'}; stopping at the next safe point (${signal === 'SIGINT' ? 'Ctrl-C' : 'the signal'} again to exit now)\n`);
  controller.abort(new Error(signal));
  // Transactions are synchronous, so none can be open while this runs or when the timer fires.
  setTimeout(() => process.exit(code), STOP_GRACE_MS).unref();
}

process.on('SIGINT', () => stop('SIGINT'));
process.on('SIGTERM', () => stop('SIGTERM'));
// A closed pipe (`pulse data export ... | head`) is the reader's choice, not an error.
process.stdout.on('error', (err: NodeJS.ErrnoException) => {
  if (err.code === 'EPIPE') process.exit(process.exitCode ?? 0);
  throw err;
});


try {
  const { runProgram } = await import('../commands/program.js');
  await runProgram(argv, { signal: controller.signal });
  if (interrupted) process.exitCode = process.exitCode ?? ExitCode.interrupted;
} catch (err) {
  process.exitCode = report(err);
}

function report(err: unknown): number {
  if (err instanceof ServiceStopped) return ExitCode.ok;
  if (interrupted) return process.exitCode as number;
  if (err instanceof ExitStatus) return err.exitCode;
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
