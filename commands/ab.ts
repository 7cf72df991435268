/** `pulse ab start SLOT --challenger ID`, `pulse ab status [SLOT]`, `pulse ab stop SLOT|ID`. */
import { parseOptions } from '../src/core/option-schema.js';
import { AB_START_OPTIONS, AB_STATUS_OPTIONS } from '../src/monitor/ab-options.js';
import { abStatus, startAbTest, stopAbTest, type AbArmFigures, type AbTestStatus } from '../src/monitor/ab-test.js';
import type { Context } from './context.js';
import { emit, formatTime, table } from './ui/output.js';

const pct = (x: number | null) => (x === null ? '-' : `${(x * 100).toFixed(2)}%`);
const num = (x: number | null) => (x === null ? '-' : x.toPrecision(4));

function render(s: AbTestStatus): string {
  const arm = (name: string, a: AbArmFigures) => [name, a.model, String(a.served), String(a.servedWithOutcome), pct(a.meanReturn), pct(a.totalReturn), pct(a.hitRate), num(a.meanLoss)];
  return [
    `A/B test ${s.id} in ${s.slot} (${s.status}): challenger serves ${s.split}% of bars, seed ${s.seed}, since ${formatTime(s.startedAt)} (${s.days.toFixed(1)} days)`,
    table(['arm', 'model', 'served', 'with outcome', 'mean return', 'total return', 'hit rate', `mean ${s.loss}`], [arm('control', s.control), arm('challenger', s.challenger)], ['l', 'l', 'r', 'r', 'r', 'r', 'r', 'r']),
    `paired outcomes: ${s.n} (need ${s.minN}); Diebold-Mariano: ${s.test ? `statistic ${num(s.test.statistic)}, p = ${num(s.test.pValue)}` : 'not yet'}`,
    `decision: ${s.decision}${s.winner ? ` (winner: ${s.winner})` : ''}: ${s.reasons.join('; ')}`,
  ].join('\n');
}

export async function abStart(ctx: Context, slot: string, raw: Record<string, unknown>): Promise<void> {
  const opts = parseOptions(AB_START_OPTIONS, raw);
  const test = await startAbTest(await ctx.store(), { slot, challenger: opts.challenger, split: opts.split, minDays: opts.minDays, minN: opts.minN, seed: opts.seed ?? ctx.config().seed, now: ctx.now(), lock: ctx.lock });
  emit(ctx, test, (t) => `started A/B test ${t.id} in ${t.slot}: ${t.challenger} serves ${t.split}% of bars against ${t.control} (seed ${t.seed}; decided after ${t.minDays} days and ${t.minN} paired outcomes)`);
}

export async function abStatusCommand(ctx: Context, slot: string | undefined, raw: Record<string, unknown>): Promise<void> {
  const opts = parseOptions(AB_STATUS_OPTIONS, raw);
  const tests = await abStatus(await ctx.store(), { slot, all: opts.all ?? false, autoWinner: opts.autoWinner ?? false, now: ctx.now(), lock: ctx.lock });
  emit(ctx, { tests }, (r) => (r.tests.length ? r.tests.map(render).join('\n\n') : `no ${opts.all ? '' : 'running '}A/B test${slot ? ` in ${slot}` : ''}`));
}

export async function abStop(ctx: Context, ref: string): Promise<void> {
  const s = await stopAbTest(await ctx.store(), ref, ctx.now(), ctx.lock);
  emit(ctx, s, (x) => `stopped A/B test ${x.id} in ${x.slot}\n${render(x)}`);
}
