/** `train`: `pulse train` as a job; the parameters are its flags plus `symbols`. */
import { DataError } from '../../../core/errors.js';
import { parseOptions } from '../../../core/option-schema.js';
import { TRAIN_OPTIONS } from '../../../train/options.js';
import { defineJobType } from '../job-type.js';
import { optionParams, splitParams } from '../option-params.js';
import { trainOutput } from './train-output.js';

export const trainJobType = defineJobType({
  name: 'train',
  description: 'train and register a model, as `pulse train` does (first of its slot: active; later: shadow)',
  paramsHelp: 'symbols=ACME[,MSFT] interval=1d and any `pulse train` flag without dashes: model=ridge target=return horizon=5 folds=3 seed=7 ...',
  params: optionParams(TRAIN_OPTIONS, { name: 'symbols', list: true }),
  describe: (p) => `${[p.symbols].flat().join(' ')} ${String(p.interval ?? '')} ${String(p.family ?? p.model ?? '')}`.trim(),
  async check(params, env) {
    const { value: symbols, options } = splitParams<string[]>(params, 'symbols');
    (await import('../../../train/request.js')).trainRequest(symbols, parseOptions(TRAIN_OPTIONS, options), env.config, env.home);
  },
  async run(params, ctx) {
    const { value: symbols, options } = splitParams<string[]>(params, 'symbols');
    // The domain modules load when a job runs, not when the queue is listed.
    const [{ trainRequest }, { trainJob }] = await Promise.all([import('../../../train/request.js'), import('../../../train/train-job.js')]);
    const request = trainRequest(symbols, parseOptions(TRAIN_OPTIONS, options), ctx.config, ctx.home);
    const run = await trainJob(request, { store: ctx.store, home: ctx.home, now: ctx.now, log: ctx.log, lock: ctx.lock, signal: ctx.signal, jobId: ctx.jobId });
    if (run.status === 'failed') throw new DataError(`every training failed: ${run.failures.map((f) => `${f.symbols.join('+')}: ${f.error}`).join('; ')}`);
    return trainOutput(run);
  },
});
