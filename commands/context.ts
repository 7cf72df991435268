/**
 * What every command receives: the resolved home, output mode, streams, clock, logger and abort signal.
 * Built once per invocation from the global flags; commands never read process.* themselves.
 */
import { loadConfig, resolveHome, type Config } from '../src/config/config.js';
import { requirePulseHome } from '../src/config/home.js';
import { UsageError } from '../src/core/errors.js';
import { acquireLocks, describeScope, type LockFn } from '../src/core/lock.js';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Readable, Writable } from 'node:stream';
import type { Logger } from '../src/core/logger.js';
import { openStore, type Store } from '../src/store/store.js';
import type { EventInput } from '../src/notify/event.js';
import type { NotifyOutcome } from '../src/notify/notify.js';
import type { LaunchWorker } from '../src/pipeline/jobs/spawn-worker.js';

export interface GlobalOptions {
  home?: string;
  json?: boolean;
  quiet?: boolean;
  color?: boolean;
  verbose?: boolean;
  /** `--wait` (true) or `--wait=SECONDS`. */
  wait?: boolean | string;
}

export interface Context {
  /** The command path, e.g. "data ls" (recorded in --json documents). */
  command: string;
  home: string;
  /** Whether the home was chosen explicitly (--home or PULSE_HOME) rather than defaulting to the current directory. */
  homeGiven: boolean;
  json: boolean;
  quiet: boolean;
  color: boolean;
  verbose: boolean;
  /** True when stderr is a terminal and neither --json nor --quiet: spinners and progress may draw. */
  interactive: boolean;
  env: Record<string, string | undefined>;
  cwd: string;
  stdout: Writable;
  stderr: Writable;
  stdin: Readable;
  signal: AbortSignal;
  log: Logger;
  now(): number;
  /** The configuration of `home` (loaded on first use). */
  config(): Config;
  /**
   * The store of `home`, opened (and migrated) on first use and closed when the command ends. Only commands that
   * create a home (init, collect, demo) open one where there is none; the others get a ConfigError (exit 2).
   */
  store(): Promise<Store>;
  /** @throws ConfigError (exit 2) when `home` is not a pulse home. */
  requireHome(): void;
  /**
   * Take locks in the home (see src/core/lock.ts), waiting as `--wait` says; a stale lock taken over is logged.
   * @throws BusyError (exit 5) when another run holds one.
   */
  lock: LockFn;
  /**
   * Send an event to the configured notification channels (config `notify.channels`). Never throws: a failed send
   * is logged as a warning and reported in the outcomes, and never fails the command.
   */
  notify(event: Omit<EventInput, 'home'>): Promise<NotifyOutcome[]>;
  /** Take locks in another home (`backup restore --to HOME`), as `lock` does in this one. */
  lockIn(home: string): LockFn;
  /**
   * A launcher of job-queue worker processes on this home (`bin/pulse-job.js`): a worker's warnings stay warnings
   * (shown even with -q), its other lines are progress.
   */
  launchWorkers(): Promise<LaunchWorker>;
  close(): Promise<void>;
  /** An error in pulse's words when the store raised it (a damaged store names the store); others unchanged. */
  describeStoreError(err: unknown): Promise<unknown>;
}

/** How a worker's warning line starts (bin/pulse.ts's prefix). */
const WORKER_WARNING = 'pulse: warning: ';

/** How a command treats its home. */
export interface CommandTraits {
  /** The command may create the home (init, collect, demo); others need an existing one. */
  createsHome: boolean;
}

export function createContext(command: string, opts: GlobalOptions, signal: AbortSignal, traits: CommandTraits = { createsHome: false }): Context {
  const env = process.env;
  const json = opts.json ?? false;
  const quiet = opts.quiet ?? false;
  const verbose = (opts.verbose ?? false) || env.PULSE_DEBUG === '1';
  const color = opts.color !== false && env.NO_COLOR === undefined && env.FORCE_COLOR !== '0' && Boolean(process.stdout.isTTY);
  const interactive = Boolean(process.stderr.isTTY) && !json && !quiet && env.CI === undefined;
  const home = resolveHome(opts.home, env, process.cwd());
  const waitMs = parseWait(opts.wait);
  let config: Config | undefined;
  let store: Promise<Store> | undefined;
  const write = (line: string) => process.stderr.write(`${line}\n`);
  const log: Logger = {
    info: (m) => {
      if (!quiet && !json) write(m);
    },
    warn: (m) => write(`pulse: warning: ${m}`),
    debug: (m) => {
      if (verbose) write(`pulse: debug: ${m}`);
    },
  };
  const ctx: Context = {
    command,
    home,
    homeGiven: opts.home !== undefined || env.PULSE_HOME !== undefined,
    json,
    quiet,
    color,
    verbose,
    interactive,
    env,
    cwd: process.cwd(),
    stdout: process.stdout,
    stderr: process.stderr,
    stdin: process.stdin,
    signal,
    log,
    now: () => Date.now(),
    config: () => (config ??= loadConfig(home, env)),
    requireHome: () => requirePulseHome(home),
    notify: async (event) => {
      let channels;
      try {
        channels = ctx.config().notify.channels;
      } catch (err) {
        log.warn(`notifications not sent: ${(err as Error).message}`);
        return [];
      }
      if (channels.length === 0) return [];
      // Loaded only when there is somewhere to send: most runs raise no event, and the channels cost start-up time.
      const [{ notify }, { createEvent }] = await Promise.all([import('../src/notify/notify.js'), import('../src/notify/event.js')]);
      return notify(channels, createEvent({ ...event, home }), { logger: log, seed: ctx.config().seed, signal });
    },
    lockIn: (dir) => (scopes) =>
      acquireLocks(join(dir, 'locks'), scopes, {
        command: `pulse ${process.argv.slice(2).join(' ')}`.slice(0, 200),
        waitMs,
        signal,
        onTakeover: (h) => log.warn(`took over the lock of ${describeScope(h.scope)} from pid ${h.pid} (${h.command}), which is no longer running`),
      }),
    lock: (scopes) => ctx.lockIn(home)(scopes),
    launchWorkers: async () => {
      const { workerLauncher } = await import('../src/pipeline/jobs/spawn-worker.js');
      const entry = fileURLToPath(new URL('../bin/pulse-job.js', import.meta.url));
      return workerLauncher(entry, home, { onLog: (id, line) => (line.startsWith(WORKER_WARNING) ? log.warn(`job #${id}: ${line.slice(WORKER_WARNING.length)}`) : log.info(`  #${id} ${line}`)) });
    },
    store: () => {
      if (!store && !traits.createsHome) requirePulseHome(home);
      return (store ??= openStore(home, { busyTimeoutMs: ctx.config().store.busyTimeoutMs }));
    },
    describeStoreError: async (err) => {
      if (!store) return err;
      try {
        return (await store).describeError(err);
      } catch {
        return err; // the store never opened: the error is about that
      }
    },
    close: async () => {
      const open = store;
      store = undefined;
      if (open) await (await open).close();
    },
  };
  return ctx;
}

/** `--wait` (no value: until free), `--wait=SECONDS`, or absent (0: busy at once). */
function parseWait(wait: boolean | string | undefined): number {
  if (wait === undefined || wait === false) return 0;
  if (wait === true) return Infinity;
  const seconds = Number(wait);
  if (!Number.isFinite(seconds) || seconds < 0) throw new UsageError(`--wait "${wait}" is not valid`, 'use --wait to wait until the lock is free, or --wait=SECONDS');
  return seconds * 1000;
}
