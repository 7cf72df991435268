/** `maintain`: `pulse maintain` as a job (retention by the `maintain` settings, then the store's housekeeping). */
import { parseOptions } from '../../../core/option-schema.js';
import { MAINTAIN_OPTIONS } from '../../../ops/maintain/options.js';
import { defineJobType } from '../job-type.js';
import { optionParams } from '../option-params.js';

export const maintainJobType = defineJobType({
  name: 'maintain',
  description: 'retention and store housekeeping (ANALYZE, VACUUM when worth it), as `pulse maintain` does',
  paramsHelp: 'dry-run=true (optional)',
  params: optionParams(MAINTAIN_OPTIONS),
  describe: (p) => (p.dryRun ? 'dry run' : 'retention and housekeeping'),
  async run(params, ctx) {
    const opts = parseOptions(MAINTAIN_OPTIONS, params);
    const { maintain } = await import('../../../ops/maintain/maintain.js');
    const report = await maintain(ctx.store, { settings: ctx.config.maintain, dryRun: opts.dryRun ?? false, now: ctx.now(), lock: ctx.lock, signal: ctx.signal });
    return { result: { deleted: report.deleted, archived: report.archived.length, reclaimedBytes: report.storeBytes.reclaimed + report.modelFileBytes, vacuumed: report.vacuum.ran } };
  },
});
