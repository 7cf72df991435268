import { spawn } from 'node:child_process';
import { existsSync, readdirSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ExitCode, InterruptedError } from '../../src/core/errors.js';
import { acquireLocks, BusyError, HOME_SCOPE, isStale, listLocks, seriesScope, slotScope, type LockHolder } from '../../src/core/lock.js';
import { processStartTime } from '../../src/core/process.js';
import { useTempHome } from '../helpers/home.js';

const opts = { command: 'pulse test', waitMs: 0 };

/** A lock file as another process on this host would have left it. */
function plant(dir: string, holder: Partial<LockHolder> & { scope: string }): void {
  const h: LockHolder = { pid: process.pid, host: hostname(), startTime: processStartTime(process.pid), command: 'pulse other', since: 1_700_000_000_000, ...holder };
  writeFileSync(join(dir, `${encodeURIComponent(h.scope)}.lock`), JSON.stringify(h));
}

/** A pid that is certainly not running: a child that has exited. */
async function deadPid(): Promise<number> {
  const child = spawn(process.execPath, ['-e', '0']);
  await new Promise((r) => child.on('exit', r));
  return child.pid as number;
}

describe('locks', () => {
  const tempHome = useTempHome();

  it('lets different series and slots run at once, and refuses the same scope with the holder named (exit 5)', async () => {
    const dir = tempHome();
    const a = await acquireLocks(dir, [seriesScope('AAPL', '1d')], opts);
    const b = await acquireLocks(dir, [seriesScope('AAPL', '1h'), slotScope('AAPL|1d|return|h1')], opts);
    const err = await acquireLocks(dir, [seriesScope('MSFT', '1d'), seriesScope('AAPL', '1d')], { ...opts, command: 'pulse second' }).catch((e) => e);
    expect(err).toBeInstanceOf(BusyError);
    expect(err.exitCode).toBe(ExitCode.busy);
    expect(err.message).toMatch(new RegExp(`^busy: series AAPL 1d is locked by pid ${process.pid} on ${hostname()} \\(pulse test\\) since \\d{4}-`));
    // Nothing of the failed attempt is left behind (its MSFT lock was released).
    expect(listLocks(dir).map((h) => h.scope).sort()).toEqual([seriesScope('AAPL', '1d'), seriesScope('AAPL', '1h'), slotScope('AAPL|1d|return|h1')].sort());
    a.release();
    b.release();
    a.release(); // idempotent
    expect(readdirSync(dir)).toEqual([]);
  });

  it('makes the home lock exclusive with every other lock, both ways', async () => {
    const dir = tempHome();
    const series = await acquireLocks(dir, [seriesScope('X', '1d')], opts);
    await expect(acquireLocks(dir, [HOME_SCOPE], opts)).rejects.toThrow(/series X 1d is locked/);
    series.release();
    const home = await acquireLocks(dir, [HOME_SCOPE], opts);
    await expect(acquireLocks(dir, [slotScope('X|1d|return|h1')], opts)).rejects.toThrow(/the home is locked/);
    home.release();
    expect(readdirSync(dir)).toEqual([]);
  });

  it('takes over the lock of a process that died, and says so', async () => {
    const dir = tempHome();
    const pid = await deadPid();
    plant(dir, { scope: seriesScope('X', '1d'), pid, command: 'pulse collect X' });
    const taken: LockHolder[] = [];
    const lock = await acquireLocks(dir, [seriesScope('X', '1d')], { ...opts, onTakeover: (h) => taken.push(h) });
    expect(taken.map((h) => [h.pid, h.command])).toEqual([[pid, 'pulse collect X']]);
    expect(listLocks(dir)[0].pid).toBe(process.pid);
    lock.release();
  });

  it('knows a recycled pid from the holder, and trusts holders on other hosts', () => {
    const me = { scope: HOME_SCOPE, pid: process.pid, host: hostname(), startTime: processStartTime(process.pid), command: 'x', since: 0 };
    expect(isStale(me)).toBe(false);
    expect(isStale({ ...me, startTime: (me.startTime as number) - 1 })).toBe(true);
    expect(isStale({ ...me, host: 'elsewhere', pid: 999_999_999 })).toBe(false);
  });

  it('waits for a busy lock with --wait, and gives up after the wait with the time waited', async () => {
    const dir = tempHome();
    const held = await acquireLocks(dir, [slotScope('S')], opts);
    setTimeout(() => held.release(), 300);
    const started = Date.now();
    const got = await acquireLocks(dir, [slotScope('S')], { ...opts, waitMs: 10_000 });
    expect(Date.now() - started).toBeGreaterThanOrEqual(250);
    got.release();
    const again = await acquireLocks(dir, [slotScope('S')], opts);
    await expect(acquireLocks(dir, [slotScope('S')], { ...opts, waitMs: 300 })).rejects.toThrow(/waited 0 s|waited 1 s/);
    again.release();
  });

  it('stops waiting when interrupted', async () => {
    const dir = tempHome();
    const held = await acquireLocks(dir, [HOME_SCOPE], opts);
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 200);
    await expect(acquireLocks(dir, [seriesScope('X', '1d')], { ...opts, waitMs: Infinity, signal: controller.signal })).rejects.toBeInstanceOf(InterruptedError);
    held.release();
    expect(existsSync(join(dir, `${encodeURIComponent(seriesScope('X', '1d'))}.lock`))).toBe(false);
  });
});
