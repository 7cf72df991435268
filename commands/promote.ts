/** `pulse promote ID [--dry-run] [--force]` and `pulse promote --rollback SLOT`. */
import { ExitCode, ReportedError, UsageError } from '../src/core/errors.js';
import { parseOptions } from '../src/core/option-schema.js';
import { PROMOTE_OPTIONS } from '../src/monitor/promote-options.js';
import { promote, rollback } from '../src/monitor/promotion.js';
import type { Context } from './context.js';
import { emit } from './ui/output.js';

export async function promoteCommand(ctx: Context, id: string | undefined, raw: Record<string, unknown>): Promise<void> {
  const opts = parseOptions(PROMOTE_OPTIONS, raw);
  const store = await ctx.store();
  if (opts.rollback !== undefined) {
    if (id !== undefined) throw new UsageError('--rollback takes a slot, not a model id', 'use pulse promote --rollback SLOT');
    const r = await rollback(store, opts.rollback, ctx.now(), ctx.lock);
    await ctx.notify({ type: 'rollback', title: `rollback of ${r.slot}`, message: `${r.activated} is active again${r.retired ? `; ${r.retired} retired` : ''}`, fields: { slot: r.slot, modelId: r.activated, retired: r.retired } });
    emit(ctx, r, (x) => `rolled back ${x.slot}: ${x.activated} is active again${x.retired ? ` (${x.retired} retired)` : ''}`);
    return;
  }
  if (id === undefined) throw new UsageError('name the model to promote', 'e.g. pulse promote ridge-ACME-1d-v2, or pulse promote --rollback SLOT');
  const clm = ctx.config().clm;
  const r = await promote(store, {
    id,
    dryRun: opts.dryRun ?? false,
    force: opts.force ?? false,
    policy: { shadowMin: clm.shadowMin, alpha: clm.promoteAlpha, minImprovementPct: clm.minImprovementPct },
    now: ctx.now(),
    lock: ctx.lock,
  });
  const refused = r.decision === 'refuse' && !r.forced;
  if (!opts.dryRun) {
    const fields = { slot: r.slot, modelId: r.candidate, activeId: r.active, n: r.n, pValue: r.test?.pValue ?? null, forced: r.forced };
    if (refused) await ctx.notify({ type: 'refusal', title: `promotion of ${r.candidate} refused`, message: r.reasons.join('; '), fields });
    else await ctx.notify({ type: 'promotion', severity: r.forced ? 'warn' : 'info', title: `${r.candidate} promoted${r.forced ? ' (forced)' : ''}`, message: r.reasons.join('; '), fields });
  }
  emit(
    ctx,
    r,
    (x) =>
      [
        `${x.decision === 'promote' ? 'promote' : 'refuse'}: ${x.candidate} against ${x.active ?? 'no active model'} in ${x.slot}${x.forced ? ' (forced)' : ''}${x.applied ? '' : ' - nothing changed'}`,
        ...x.reasons.map((reason) => `  ${reason}`),
      ].join('\n'),
    { always: refused },
  );
  if (refused) throw new ReportedError(`promotion of ${r.candidate} refused: ${r.reasons.join('; ')}`, ExitCode.checkFailed, 'wait for more outcomes, or pass --force to override (recorded)');
}
