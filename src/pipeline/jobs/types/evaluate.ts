/**
 * `evaluate`: `pulse evaluate` as a job: the paired metrics of a slot's active and shadow models on the bars they
 * all predicted with the outcome known (optionally per day, week or month, recorded as the performance history).
 * The parameters are its flags plus an optional `symbol`.
 */
import { parseOptions } from '../../../core/option-schema.js';
import { EVALUATE_OPTIONS, evaluateWindow } from '../../../monitor/evaluate-options.js';
import { defineJobType } from '../job-type.js';
import { optionParams, splitParams } from '../option-params.js';

export const evaluateJobType = defineJobType({
  name: 'evaluate',
  description: "evaluate a symbol's active and shadow models on their paired predictions with outcomes, as `pulse evaluate` does",
  paramsHelp: 'interval=1d (required), symbol=ACME (default: every symbol), last=N or from=DATE to=DATE, by=day|week|month',
  params: optionParams(EVALUATE_OPTIONS, { name: 'symbol', list: false, required: false }),
  describe: (p) => `${String(p.symbol ?? 'all')} ${String(p.interval)}${p.by ? ` by ${String(p.by)}` : ''}`,
  async check(params) {
    evaluateWindow(parseOptions(EVALUATE_OPTIONS, splitParams(params, 'symbol').options));
  },
  async run(params, ctx) {
    const { value: symbol, options } = splitParams<string | undefined>(params, 'symbol');
    const opts = parseOptions(EVALUATE_OPTIONS, options);
    const { evaluate } = await import('../../../monitor/evaluate.js');
    const result = await evaluate(ctx.store, {
      symbol,
      interval: opts.interval,
      ...evaluateWindow(opts),
      by: opts.by,
      degradation: { degradationPct: ctx.config.clm.degradationPct, degradationMin: ctx.config.clm.degradationMin },
      now: ctx.now(),
      lock: ctx.lock,
      signal: ctx.signal,
    });
    return {
      result: {
        recorded: result.recorded,
        slots: result.slots.map((s) => ({ slot: s.slot, symbol: s.symbol, n: s.n, metrics: s.metrics, degraded: s.degradation })),
      },
    };
  },
});
