/** `health`: the checks of `pulse health`, recorded; a critical result fails the job. */
import { CheckFailedError } from '../../../core/errors.js';
import { parseOptions, defineOptions } from '../../../core/option-schema.js';
import { HEALTH_OPTIONS } from '../../../ops/health/options.js';
import { resolve } from 'node:path';
import { defineJobType } from '../job-type.js';
import { optionParams } from '../option-params.js';

/** The health flags that make sense in a job. */
const HEALTH_JOB_OPTIONS = defineOptions({ prometheus: HEALTH_OPTIONS.prometheus });

export const healthJobType = defineJobType({
  name: 'health',
  description: 'run the health checks and record them, as `pulse health` does (critical: the job fails)',
  paramsHelp: 'prometheus=FILE (optional: also write the textfile-collector file)',
  params: optionParams(HEALTH_JOB_OPTIONS),
  describe: () => 'checks',
  async run(params, ctx) {
    const opts = parseOptions(HEALTH_JOB_OPTIONS, params);
    const [{ runHealth }, { writePrometheusFile }] = await Promise.all([
      import('../../../ops/health/health.js'),
      import('../../../ops/health/prometheus.js'),
    ]);
    const report = await runHealth(ctx.store, ctx.home, { policy: ctx.config.health, now: ctx.now });
    if (opts.prometheus !== undefined) await writePrometheusFile(report, resolve(ctx.home, opts.prometheus));
    if (report.status === 'critical') {
      throw new CheckFailedError(`health is critical: ${report.results.filter((x) => x.state === 'critical').map((x) => x.message).join('; ')}`);
    }
    return { result: { status: report.status, counts: report.counts } };
  },
});
