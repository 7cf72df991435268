/** `pulse cycle [--dry-run]` and `pulse cycle --simulate FROM..TO [--keep DIR]`. */
import { ExitCode, ReportedError, UsageError } from '../src/core/errors.js';
import { HOME_SCOPE, type Lock } from '../src/core/lock.js';
import { parseOptions } from '../src/core/option-schema.js';
import { liveCollector, queueRetrainer, queueRunner, runCycle, type CycleResult } from '../src/pipeline/cycle.js';
import { CYCLE_OPTIONS } from '../src/pipeline/cycle-options.js';
import { simulate, type SimulateResult } from '../src/pipeline/simulate.js';
import type { Context } from './context.js';
import { emit, formatTime, table } from './ui/output.js';

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
        retrain: queueRetrainer(store, config.seed, ctx.now),
        runJobs: queueRunner({
          store, launch: await ctx.launchWorkers(), maxMinutes: config.clm.maxJobMinutes, now: ctx.now, log: ctx.log, signal: ctx.signal,
          outsideLock: async (work) => {
            held?.release();
            held = undefined;
            try {
              return await work();
            } finally {
              held = await ctx.lock([HOME_SCOPE]);
            }
          },
        }),
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
