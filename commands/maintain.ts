/** `pulse maintain [--dry-run]`: retention and store housekeeping under the home lock. */
import { parseOptions } from '../src/core/option-schema.js';
import { maintain } from '../src/ops/maintain/maintain.js';
import { MAINTAIN_OPTIONS } from '../src/ops/maintain/options.js';
import type { Context } from './context.js';
import { emit, formatCount, table } from './ui/output.js';

const size = (bytes: number) => (Math.abs(bytes) < 2 ** 20 ? `${(bytes / 1024).toFixed(1)} KiB` : `${(bytes / 2 ** 20).toFixed(1)} MiB`);

export async function maintainCommand(ctx: Context, raw: Record<string, unknown>): Promise<void> {
  const opts = parseOptions(MAINTAIN_OPTIONS, raw);
  const settings = ctx.config().maintain;
  const report = await maintain(await ctx.store(), { settings, dryRun: opts.dryRun ?? false, now: ctx.now(), lock: ctx.lock, signal: ctx.signal });
  emit(ctx, report, (r) => {
    const verb = r.dryRun ? 'would delete' : 'deleted';
    const d = r.deleted;
    return [
      table(
        ['', r.dryRun ? 'would go' : 'removed', 'kept for'],
        [
          ['predictions with outcomes', formatCount(d.predictionsWithOutcome), `bars from ${new Date(r.cutoffs.predictionsWithOutcome).toISOString().slice(0, 10)}`],
          ['collect runs', formatCount(d.collectRuns), `${settings.collectRunDays} d`],
          ['training jobs', formatCount(d.jobs), `${settings.jobDays} d`],
          ['health runs', formatCount(d.healthRuns), `${settings.healthRunDays} d`],
          ['retired models archived', `${r.archived.length} (${size(r.modelFileBytes)} of files)`, `${settings.retiredModelDays} d`],
        ],
        ['l', 'r', 'r'],
      ),
      `${r.dryRun ? 'would fold' : 'folded'} ${formatCount(r.folded.predictions)} predictions into ${formatCount(r.folded.periods)} monthly performance-history rows` +
        (r.folded.kept > 0 ? `; kept ${formatCount(r.folded.kept)} of months folded before or of unregistered models` : ''),
      `${r.vacuum.ran ? (r.dryRun ? 'would VACUUM' : 'VACUUM ran') : 'no VACUUM'}: ${size(r.vacuum.freeBytes)} free of ${size(r.vacuum.fileBytes)}${r.dryRun ? ' now (the deletes free more)' : ''}`,
      r.dryRun
        ? `dry run: nothing changed (${verb} the rows above); store ${size(r.storeBytes.before)} with its WAL`
        : `store ${size(r.storeBytes.before)} -> ${size(r.storeBytes.after)} with its WAL: ${size(r.storeBytes.reclaimed)} reclaimed${r.checkpointed === false ? ' (a reader held off the WAL checkpoint; run again later)' : ''}`,
    ].join('\n');
  });
}
