/**
 * pulse's error hierarchy. Library code throws these; only `bin/pulse.ts` maps them to exit codes.
 *
 * Exit codes (documented in the README):
 * 0 ok · 1 internal error · 2 usage or config error · 3 bad input data or model file · 4 a check failed · 5 busy
 * (another run holds a lock) · 130 interrupted (SIGINT) · 143 terminated (SIGTERM)
 */
export const ExitCode = {
  ok: 0,
  internal: 1,
  usage: 2,
  data: 3,
  checkFailed: 4,
  busy: 5,
  interrupted: 130,
  terminated: 143,
} as const;
export type ExitCodeValue = (typeof ExitCode)[keyof typeof ExitCode];

/** Base class: a message that says what went wrong and why, plus an optional hint saying what to do. */
export class PulseError extends Error {
  readonly exitCode: ExitCodeValue;
  readonly hint?: string;
  constructor(message: string, options: { exitCode?: ExitCodeValue; hint?: string; cause?: unknown } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = new.target.name;
    this.exitCode = options.exitCode ?? ExitCode.internal;
    this.hint = options.hint;
  }
}

/** Bad command-line usage: unknown option value, missing argument, contradictory flags. Exit 2. */
export class UsageError extends PulseError {
  constructor(message: string, hint?: string) {
    super(message, { exitCode: ExitCode.usage, hint });
  }
}

/** Invalid configuration file, environment variable or home directory. Exit 2. */
export class ConfigError extends PulseError {
  constructor(message: string, hint?: string, cause?: unknown) {
    super(message, { exitCode: ExitCode.usage, hint, cause });
  }
}

/** Bad input data: unreadable files, malformed rows, a store that is not pulse's, no data for a request. Exit 3. */
export class DataError extends PulseError {
  constructor(message: string, hint?: string, cause?: unknown) {
    super(message, { exitCode: ExitCode.data, hint, cause });
  }
}

/** A model file that is missing, corrupted, of the wrong format or fails its checksum. Exit 3. */
export class ModelFormatError extends PulseError {
  constructor(message: string, hint?: string, cause?: unknown) {
    super(message, { exitCode: ExitCode.data, hint, cause });
  }
}

/** A check that ran and failed: drift found, health critical, backtest assertion failed, promotion refused. Exit 4. */
export class CheckFailedError extends PulseError {
  constructor(message: string, hint?: string) {
    super(message, { exitCode: ExitCode.checkFailed, hint });
  }
}

/** A network source failed after its retries (timeouts, 429, 5xx, malformed replies). Exit 1 for the run. */
export class SourceError extends PulseError {
  /** Whether retrying later may help (timeouts, 429, 5xx), as opposed to a permanent answer (404, bad symbol). */
  readonly transient: boolean;
  constructor(message: string, options: { transient: boolean; hint?: string; cause?: unknown }) {
    super(message, { exitCode: ExitCode.internal, hint: options.hint, cause: options.cause });
    this.transient = options.transient;
  }
}

/** Raised when the user interrupts (SIGINT); in-flight transactions roll back before it propagates. */
export class InterruptedError extends PulseError {
  constructor() {
    super('interrupted', { exitCode: ExitCode.interrupted });
  }
}

/** A broken invariant inside pulse: a bug. Exit 1 with a request to report it. */
export class InternalError extends PulseError {
  constructor(message: string, cause?: unknown) {
    super(message, {
      exitCode: ExitCode.internal,
      hint: 'this is a bug in pulse; rerun with --verbose and report the output',
      cause,
    });
  }
}

/** Narrow an unknown thrown value to an Error, wrapping non-errors. */
export function toError(value: unknown): Error {
  return value instanceof Error ? value : new Error(String(value));
}

/**
 * A failure whose details the command has already printed (e.g. a collect summary in which some symbols failed):
 * the entry point sets the exit code and prints only this one line, never a second JSON document.
 */
export class ReportedError extends PulseError {
  constructor(message: string, exitCode: ExitCodeValue, hint?: string) {
    super(message, { exitCode, hint });
  }
}

/**
 * The command finished and printed everything it had to say, and asks for this exit code (a monitoring plugin's
 * 0-3, say): the entry point prints nothing more.
 */
export class ExitStatus extends PulseError {
  constructor(exitCode: ExitCodeValue) {
    super(`exit ${exitCode}`, { exitCode });
  }
}

/**
 * A service (`pulse serve`) that SIGINT or SIGTERM asked to stop and that stopped cleanly: for a service a signal is
 * the normal end, so the exit is 0, not 130 or 143.
 */
export class ServiceStopped extends ExitStatus {
  constructor() {
    super(ExitCode.ok);
  }
}

/**
 * An error a worker thread reported (its class name, message and hint) as the same PulseError class in the calling
 * thread; any other class becomes `other(message)`.
 */
export function errorFromWorker(reply: { name?: string; message?: string; hint?: string }, fallbackMessage: string, other: (message: string) => Error): Error {
  const message = reply.message ?? fallbackMessage;
  switch (reply.name) {
    case 'UsageError':
      return new UsageError(message, reply.hint);
    case 'DataError':
      return new DataError(message, reply.hint);
    case 'ModelFormatError':
      return new ModelFormatError(message, reply.hint);
    default:
      return other(message);
  }
}
