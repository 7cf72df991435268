/**
 * Advisory locks between pulse processes, so that two cron runs never write the same thing at once.
 *
 * A lock is a file `<dir>/<scope>.lock` created with O_EXCL, holding who took it: pid, host, the process's start
 * time (so a recycled pid is not mistaken for the holder), the command and since when. Scopes nest: the `home`
 * scope covers every other scope, so a home lock (cycle, restore, maintain) excludes every series, slot or backup
 * lock and the other way round; two different series or slots never conflict. A backup takes only the lock of its
 * backup folder: it snapshots the store online, so collects and trains go on meanwhile. Both sides create their own file
 * first and then look for the other kind, so a home lock and a narrower lock taken at the same moment can only
 * both back off, never both hold.
 *
 * A lock whose holder died (same host, pid gone or reused) is stale: the next taker removes it, under a short
 * takeover file so that two takers cannot remove each other's fresh locks, and reports the takeover. A holder on
 * another host cannot be checked and is treated as alive.
 */
import { closeSync, existsSync, mkdirSync, openSync, readdirSync, readFileSync, rmSync, statSync, writeSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { InterruptedError, PulseError, ExitCode, toError } from './errors.js';
import { isProcessAlive, processStartTime } from './process.js';

/** The scope that covers every other scope. */
export const HOME_SCOPE = 'home';

/** Who holds a lock. */
export interface LockHolder {
  scope: string;
  pid: number;
  host: string;
  /** The holder process's start time as the OS reports it (Linux: clock ticks after boot), or null. */
  startTime: number | null;
  command: string;
  /** When the lock was taken (ms since epoch). */
  since: number;
}

/** A held lock; `release` is idempotent. */
export interface Lock {
  readonly scopes: readonly string[];
  release(): void;
}

/** Takes locks for a run (the command layer binds the home, the wait and the signal). */
export type LockFn = (scopes: readonly string[]) => Promise<Lock>;

/** Another run holds a lock this run needs: exit 5. */
export class BusyError extends PulseError {
  readonly holder: LockHolder;
  constructor(holder: LockHolder, waitedMs: number | null) {
    super(
      `busy: ${describeScope(holder.scope)} is locked by pid ${holder.pid} on ${holder.host} (${holder.command}) since ${new Date(holder.since).toISOString()}${waitedMs === null ? '' : `; waited ${Math.round(waitedMs / 1000)} s`}`,
      { exitCode: ExitCode.busy, hint: waitedMs === null ? 'pass --wait[=SECONDS] to wait for it, or run later' : 'run later, or wait longer with --wait=SECONDS' },
    );
    this.holder = holder;
  }
}

/** How to take locks. */
export interface LockOptions {
  /** The command taking the lock (shown to whoever finds it busy). */
  command: string;
  /** How long to wait for busy locks (ms); 0 = fail at once, Infinity = wait until free. */
  waitMs: number;
  /** Stops a wait (Ctrl-C). */
  signal?: AbortSignal;
  /** Told about stale locks taken over. */
  onTakeover?: (stale: LockHolder) => void;
  now?: () => number;
  /** Randomness for the polling jitter (default Math.random; it affects only timing, never results). */
  random?: () => number;
}

/** A scope of one stored series: `series|<symbol>|<interval>` (symbols never contain `|`). */
export function seriesScope(symbol: string, interval: string): string {
  return `series|${symbol}|${interval}`;
}

/** A scope of one backup folder (naming and pruning its archives): `backup|<absolute folder>`. */
export function backupScope(dir: string): string {
  return `backup|${dir}`;
}

/** A scope of one model slot: `slot|<slot>`. */
export function slotScope(slot: string): string {
  return `slot|${slot}`;
}

/** A scope of one hyperparameter study (its trials are run by one process at a time): `study|<name>`. */
export function studyScope(name: string): string {
  return `study|${name}`;
}

/**
 * Take every scope in `scopes` in `dir` (sorted, so two runs needing overlapping sets cannot deadlock), waiting up
 * to `options.waitMs` for busy ones.
 * @throws BusyError (exit 5) when a scope stays busy; InterruptedError when the signal aborts a wait.
 */
export async function acquireLocks(dir: string, scopes: readonly string[], options: LockOptions): Promise<Lock> {
  mkdirSync(dir, { recursive: true });
  const now = options.now ?? Date.now;
  const random = options.random ?? Math.random;
  const started = now();
  const sorted = [...new Set(scopes)].sort();
  const held: string[] = [];
  const release = () => {
    for (const scope of held.splice(0)) rmSync(lockFile(dir, scope), { force: true });
  };
  try {
    for (const scope of sorted) {
      for (let attempt = 0; ; attempt++) {
        const holder = tryLock(dir, scope, options);
        if (holder === null) {
          held.push(scope);
          break;
        }
        const waited = now() - started;
        if (waited >= options.waitMs) throw new BusyError(holder, options.waitMs > 0 ? waited : null);
        // Poll with jitter, at most every second: waiting runs do not wake in lockstep.
        const delay = Math.min(1000, 100 * 2 ** Math.min(attempt, 3)) * (0.5 + random());
        await sleep(Math.min(delay, options.waitMs - waited), options.signal);
      }
    }
  } catch (err) {
    release();
    throw err;
  }
  return { scopes: sorted, release };
}

/** The holders of every lock in `dir` that is not stale. */
export function listLocks(dir: string): LockHolder[] {
  if (!existsSync(dir)) return [];
  const out: LockHolder[] = [];
  for (const name of readdirSync(dir)) {
    if (!name.endsWith('.lock')) continue;
    const holder = readHolder(join(dir, name));
    if (holder && !isStale(holder)) out.push(holder);
  }
  return out;
}

/** Take `scope` if free (or stale), returning null; else the live holder that blocks it. */
function tryLock(dir: string, scope: string, options: LockOptions): LockHolder | null {
  const file = lockFile(dir, scope);
  const me: LockHolder = { scope, pid: process.pid, host: hostname(), startTime: processStartTime(process.pid), command: options.command, since: (options.now ?? Date.now)() };
  for (;;) {
    if (createExclusive(file, `${JSON.stringify(me)}\n`)) break;
    const holder = readHolder(file);
    if (holder === undefined) continue; // released between our attempt and the read
    if (holder !== null && !isStale(holder)) return holder;
    // A stale lock, or one written by a run that died before finishing the file.
    if (holder === null && Date.now() - mtime(file) < 5_000) return { scope, pid: 0, host: '?', startTime: null, command: '(being written)', since: mtime(file) };
    takeOver(dir, file, holder, options);
  }
  // Scopes nest under the home: look for the other kind now that ours is in place (see the module note).
  const blocker = scope === HOME_SCOPE ? listLocks(dir).find((h) => h.scope !== HOME_SCOPE) : liveHolder(lockFile(dir, HOME_SCOPE));
  if (blocker) {
    rmSync(file, { force: true });
    return blocker;
  }
  return null;
}

/** Remove a stale lock file, unless another taker replaced it meanwhile (serialised by a takeover file). */
function takeOver(dir: string, file: string, stale: LockHolder | null, options: LockOptions): void {
  const guard = `${file}.takeover`;
  if (!createExclusive(guard, String(process.pid))) {
    // Another run is taking it over; a guard left by a crash expires after a few seconds.
    if (Date.now() - mtime(guard) > 5_000) rmSync(guard, { force: true });
    return;
  }
  try {
    const current = readHolder(file);
    if (current === undefined) return;
    if (JSON.stringify(current) !== JSON.stringify(stale)) return; // replaced by a live run: look again
    rmSync(file, { force: true });
    if (stale) options.onTakeover?.(stale);
  } finally {
    rmSync(guard, { force: true });
  }
}

/** The holder recorded in a lock file; null when unreadable or malformed; undefined when there is no file. */
function readHolder(file: string): LockHolder | null | undefined {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw err;
  }
  try {
    const h = JSON.parse(text) as LockHolder;
    return typeof h.pid === 'number' && typeof h.host === 'string' && typeof h.scope === 'string' ? h : null;
  } catch {
    return null;
  }
}

function liveHolder(file: string): LockHolder | undefined {
  const h = readHolder(file);
  return h && !isStale(h) ? h : undefined;
}

/** A holder on this host whose process is gone, or whose pid now belongs to a later process. */
export function isStale(holder: LockHolder): boolean {
  if (holder.host !== hostname()) return false;
  if (!isProcessAlive(holder.pid)) return true;
  const start = processStartTime(holder.pid);
  return holder.startTime !== null && start !== null && start !== holder.startTime;
}

function createExclusive(file: string, content: string): boolean {
  let fd: number;
  try {
    fd = openSync(file, 'wx', 0o644);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw new PulseError(`cannot create the lock file ${file}: ${toError(err).message}`, { exitCode: ExitCode.usage, hint: 'check that the home is writable' });
  }
  try {
    writeSync(fd, content);
  } finally {
    closeSync(fd);
  }
  return true;
}

function mtime(file: string): number {
  try {
    return statSync(file).mtimeMs;
  } catch {
    return 0;
  }
}

function lockFile(dir: string, scope: string): string {
  return join(dir, `${encodeURIComponent(scope)}.lock`);
}

/** A scope in words: `the home`, `series AAPL 1d`, `slot AAPL|1d|return|h1`. */
export function describeScope(scope: string): string {
  if (scope === HOME_SCOPE) return 'the home';
  const cut = scope.indexOf('|');
  const kind = scope.slice(0, cut);
  const rest = scope.slice(cut + 1);
  return `${kind} ${kind === 'series' ? rest.replace('|', ' ') : rest}`;
}

function sleep(ms: number, signal: AbortSignal | undefined): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(new InterruptedError());
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, Math.max(0, ms));
    const onAbort = () => {
      clearTimeout(timer);
      reject(new InterruptedError());
    };
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}
