/** `pulse cycle [--dry-run]` and `pulse cycle --simulate FROM..TO [--keep DIR]`. */
import { fileURLToPath } from 'node:url';
import { ExitCode, ReportedError, UsageError } from '../src/core/errors.js';
import { HOME_SCOPE, type Lock } from '../src/core/lock.js';
import { parseOptions } from '../src/core/option-schema.js';
import { isProcessAlive } from '../src/core/process.js';
import { liveCollector, runCycle, type CycleResult } from '../src/pipeline/cycle.js';
import { CYCLE_OPTIONS } from '../src/pipeline/cycle-options.js';
import { addJob } from '../src/pipeline/jobs/queue.js';
import { runQueue } from '../src/pipeline/jobs/runner.js';
import { workerLauncher } from '../src/pipeline/jobs/spawn-worker.js';
import { simulate, type SimulateResult } from '../src/pipeline/simulate.js';
import type { Context } from './context.js';
import { emit, formatTime, table } from './ui/output.js';

/** The queue worker entry beside this file once built (dist/commands -> dist/bin). */
const WORKER_ENTRY = fileURLToPath(new URL('../bin/pulse-job.js', import.meta.url));

const pct = (x: number | null) => (x === null ? '-' : `${(x * 100).toFixed(2)}%`);
const num = (x: number | null) => (x === null ? '-' : x.toPrecision(4));

export async function cycleCommand(ctx: Context, raw: Record<string, unknown>): Promise<void> {
  const opts = parseOptions(CYCLE_OPTIONS, raw);
  const config = ctx.config();
  const store = await ctx.store();
  if (opts.keep !== undefined && opts.simulate === undefined) throw new UsageError('--keep goes with --simulate', 'e.g. pulse cycle --simulate 2023-01-01..2025-01-01 --keep ./sim');
  if (opts.simulate !== undefined) {
    if (opts.dryRun) throw new UsageError('--simulate and --dry-run do not go together', 'a simulation never touches the live home');
    const r = await simulate({ ...opts.simulate, keep: opts.keep }, { store, home: ctx.home, clm: config.clm, log: ctx.log, signal: ctx.signal });
    emit(ctx, r, renderSimulation);
    return;
  }

  let held: Lock | undefined = await ctx.lock([HOME_SCOPE]);
  try {
    const result = await runCycle(
      { dryRun: opts.dryRun ?? false },
      {
        store,
        clm: config.clm,
        clock: ctx.now,
        log: ctx.log,
        signal: ctx.signal,
        collect: liveCollector({ store, settings: config.collect, seed: config.seed, now: ctx.now, log: ctx.log, signal: ctx.signal }),
        retrain: async (slot, trigger) => {
          const job = await addJob(store, { type: 'retrain', params: { slot, trigger }, seed: config.seed, trigger }, ctx.now());
          return { models: [], detail: `queued retrain job #${job.id} on ${trigger}` };
        },
        // The workers take the slots' locks: the home lock is released while the queue runs.
        runJobs: async () => {
          held?.release();
          held = undefined;
          const stop = new AbortController();
          const timer = setTimeout(() => stop.abort(), config.clm.maxJobMinutes * 60_000);
          const onAbort = () => stop.abort();
          ctx.signal.addEventListener('abort', onAbort, { once: true });
          try {
            const r = await runQueue(store, {
              workers: 1, untilEmpty: true, pid: process.pid, isAlive: isProcessAlive, now: ctx.now, log: ctx.log, signal: stop.signal,
              launch: workerLauncher(WORKER_ENTRY, ctx.home, { onLog: (id, line) => ctx.log.info(`  #${id} ${line}`) }),
            });
            const failed = r.ran.filter((j) => j.status === 'failed');
            const line = `${r.ran.length} job(s) ran${failed.length ? `, ${failed.length} failed` : ''}${r.interrupted && !ctx.signal.aborted ? `; stopped after clm.maxJobMinutes (${config.clm.maxJobMinutes} min)` : ''}`;
            if (failed.length) throw new ReportedError(`${line}: ${failed.map((j) => `#${j.id} ${j.error}`).join('; ')}`, ExitCode.internal);
            return line;
          } finally {
            clearTimeout(timer);
            ctx.signal.removeEventListener('abort', onAbort);
            held = await ctx.lock([HOME_SCOPE]);
          }
        },
      },
    );
    emit(ctx, result, renderCycle, { always: result.status === 'failed' });
    if (result.status === 'failed') {
      const failed = result.steps.filter((s) => s.status === 'failed');
      await ctx.notify({ type: 'cycle-failed', title: 'pulse cycle failed', message: failed.map((s) => `${s.step}${s.slot ? ` ${s.slot}` : ''}: ${s.detail}`).join('; '), fields: { cycle: result.id, failed: failed.length } });
      throw new ReportedError(`cycle ${result.id ?? ''} had ${failed.length} failed step(s): ${failed.map((s) => `${s.step}${s.slot ? ` ${s.slot}` : ''}`).join(', ')}`, ExitCode.internal, 'pulse status shows the last cycle; the other slots ran');
    }
  } finally {
    held?.release();
  }
}

function renderCycle(r: CycleResult): string {
  if (r.status === 'skipped') return r.steps[0]?.detail ?? 'skipped';
  const lines = [
    `cycle ${r.id ?? '(dry run)'} at ${formatTime(r.startedAt)}: ${r.series.length} series, ${r.status}`,
    table(['slot / series', 'step', 'status', 'ms', 'detail'], r.steps.map((s) => [s.slot ?? '-', s.step, s.status, s.ms, s.detail]), ['l', 'l', 'l', 'r', 'l']),
  ];
  if (r.driftFound.length) lines.push(`drift found: ${r.driftFound.join(', ')}`);
  for (const p of r.promoted) lines.push(`promoted ${p.model} in ${p.slot} (p = ${num(p.pValue)})`);
  for (const p of r.refused) lines.push(`refused ${p.model} in ${p.slot}: ${p.reasons.join('; ')}`);
  return lines.join('\n');
}

function renderSimulation(r: SimulateResult): string {
  const row = (name: string, m: SimulateResult['performance']['loop']) => [name, m.n, num(m.rmse), pct(m.hitRate), pct(m.signalReturn), num(m.sharpe), num(m.profitFactor)];
  return [
    `simulated ${formatTime(r.from)} .. ${formatTime(r.to)}: ${r.cycles} cycles in ${(r.ms / 1000).toFixed(1)} s${r.failedCycles ? ` (${r.failedCycles} with a failed step)` : ''}`,
    `drift found ${r.driftEvents} times, ${r.retrainings} retrainings, ${r.promotions} promotions, ${r.refusals} refusals`,
    ...r.slots.flatMap((s) => [
      `${s.slot}: static model ${s.staticModel}; active over the period: ${s.activeModels.join(' -> ')}`,
      table(['', 'n', 'rmse', 'hit rate', 'signal return', 'sharpe', 'profit factor'], [row('loop', s.loop), row('static', s.static)], ['l', 'r', 'r', 'r', 'r', 'r', 'r']),
    ]),
    ...(r.scratchHome ? [`scratch home kept in ${r.scratchHome}`] : []),
  ].join('\n');
}
