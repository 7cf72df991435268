/** `backtest`: `pulse backtest run` as a job; the parameters are its flags plus `symbol`. Relative paths resolve in the home. */
import { BACKTEST_RUN_OPTIONS } from '../../../backtest/options.js';
import { parseOptions } from '../../../core/option-schema.js';
import { defineJobType } from '../job-type.js';
import { optionParams, splitParams } from '../option-params.js';

export const backtestJobType = defineJobType({
  name: 'backtest',
  description: 'backtest a model or a rule strategy and record it, as `pulse backtest run` does (a failed --assert fails the job)',
  paramsHelp: 'symbol=ACME interval=1d and any `pulse backtest run` flag without dashes: model=active strategy=sma-cross fee-bps=5 assert="sharpe > 0" ...',
  params: optionParams(BACKTEST_RUN_OPTIONS, { name: 'symbol', list: false }),
  describe: (p) => `${String(p.symbol)} ${String(p.interval)} ${String(p.model ?? p.strategy ?? (p.walkForward ? 'walk-forward' : ''))}`.trim(),
  async check(params, env) {
    const { value: symbol, options } = splitParams<string>(params, 'symbol');
    (await import('../../../backtest/request.js')).backtestRequest(symbol, parseOptions(BACKTEST_RUN_OPTIONS, options), { config: env.config, home: env.home, cwd: env.home });
  },
  async run(params, ctx) {
    const { value: symbol, options } = splitParams<string>(params, 'symbol');
    const [{ backtestRequest }, { runStoredBacktest }, { throwIfAssertionFailed }] = await Promise.all([
      import('../../../backtest/request.js'),
      import('../../../backtest/run.js'),
      import('../../../backtest/assert.js'),
    ]);
    const request = backtestRequest(symbol, parseOptions(BACKTEST_RUN_OPTIONS, options), { config: ctx.config, home: ctx.home, cwd: ctx.home, workers: ctx.env.PULSE_BACKTEST_WORKERS });
    const run = await runStoredBacktest(request, { store: ctx.store, now: ctx.now, log: ctx.log, signal: ctx.signal });
    for (const w of run.result.warnings) ctx.log.warn(w);
    if (run.assertion) throwIfAssertionFailed(run.assertion);
    const s = run.result.stats as unknown as Record<string, unknown>;
    return { result: { backtestId: run.recordId, source: run.source, stats: { totalReturnPct: s.totalReturnPct, sharpe: s.sharpe, maxDrawdownPct: s.maxDrawdownPct, trades: s.trades }, files: run.files } };
  },
});
