/**
 * Diagnostics go to stderr through a `Logger` handed to library code (stdout is reserved for results and `--json`).
 * Library code never writes to the console directly.
 */
export interface Logger {
  /** Progress and notes for a person at a terminal (suppressed by --quiet). */
  info(message: string): void;
  /** Something the user should know even when quiet (a fallback, a skipped source). */
  warn(message: string): void;
  /** Detail for --verbose / PULSE_DEBUG=1. */
  debug(message: string): void;
}

/** A logger that drops everything (tests, embedded use). */
export const silentLogger: Logger = { info() {}, warn() {}, debug() {} };
