/**
 * The StoredBacktestRequest of `pulse backtest run`: a flag wins, then the configuration (`backtest.*`, `seed`),
 * then the built-in default.
 *
 * Which backtest runs:
 * - `--strategy NAME`: a rule strategy;
 * - `--model ID|active`: a stored model's out-of-sample predictions (only bars after its training data);
 * - `--model FAMILY` or `--walk-forward` (family lightgbm unless `--model FAMILY`): walk-forward retraining.
 * The walk-forward worker count is the number of cores unless `PULSE_BACKTEST_WORKERS` sets it (results are
 * identical for every count).
 */
import { UsageError } from '../core/errors.js';
import { resolveFeatureSet } from '../dataset/feature-set-files.js';
import { MODEL_FAMILIES, type ModelFamily } from '../models/model.js';
import { parseTarget } from '../lifecycle/targets.js';
import type { BacktestRunOptions } from './options.js';
import type { BacktestSourceRequest, StoredBacktestRequest } from './run.js';
import type { BacktestSettings } from './settings.js';
import { parseSizing } from './sizing.js';
import type { SlippageSpec } from './types.js';

/** What a backtest request takes from its surroundings. */
export interface BacktestEnvironment {
  config: { seed: number; backtest: BacktestSettings };
  home: string;
  cwd: string;
  /** `PULSE_BACKTEST_WORKERS`: walk-forward worker threads. */
  workers?: string;
}

/**
 * The StoredBacktestRequest of `pulse backtest SYMBOL ...` (see the module note).
 * @throws UsageError for contradictory or misplaced flags or a bad value.
 */
export function backtestRequest(symbol: string, opts: BacktestRunOptions, env: BacktestEnvironment): StoredBacktestRequest {
  const s = env.config.backtest;
  if (opts.longOnly && opts.longShort) throw new UsageError('--long-only and --long-short contradict each other', 'give one of them');
  // --slippage-atr replaces the bps model.
  const slippage: SlippageSpec = opts.slippageAtr !== undefined ? { kind: 'atr', fraction: opts.slippageAtr } : { kind: 'bps', bps: opts.slippageBps ?? s.slippageBps };
  const direction = opts.longShort ? 'long-short' : opts.longOnly ? 'long-only' : s.direction;
  return {
    symbol: symbol.toUpperCase(),
    interval: opts.interval,
    from: opts.from,
    to: opts.to,
    source: backtestSource(opts, env),
    signal: { threshold: opts.threshold, quantile: opts.quantile },
    options: {
      capital: opts.capital ?? s.capital,
      feeBps: opts.feeBps ?? s.feeBps,
      slippage,
      direction,
      sizing: opts.sizing ?? parseSizing(s.sizing),
      stopLossAtr: opts.stopLossAtr ?? null,
      takeProfitAtr: opts.takeProfitAtr ?? null,
      periodsPerYear: opts.periodsPerYear,
      seed: opts.seed ?? env.config.seed,
      bootstrapDraws: opts.bootstrap ?? s.bootstrap,
    },
    outputs: { trades: opts.trades, equity: opts.equity, report: opts.report, junit: opts.junit },
    assert: opts.assert,
    cwd: env.cwd,
  };
}

function backtestSource(opts: BacktestRunOptions, env: BacktestEnvironment): BacktestSourceRequest {
  if (opts.strategy !== undefined) {
    if (opts.model !== undefined || opts.walkForward) throw new UsageError('--strategy and --model/--walk-forward are different backtests', 'give one of them');
    return { kind: 'strategy', name: opts.strategy };
  }
  const family = opts.model !== undefined && (MODEL_FAMILIES as readonly string[]).includes(opts.model) ? (opts.model as ModelFamily) : undefined;
  if (opts.model !== undefined && family === undefined) {
    if (opts.walkForward) {
      throw new UsageError(`--walk-forward retrains a model family, but "${opts.model}" is a stored model`, `use --model FAMILY (${MODEL_FAMILIES.join(', ')}) with --walk-forward, or drop --walk-forward`);
    }
    for (const flag of ['retrainEvery', 'trainWindow', 'params'] as const) {
      if (opts[flag] !== undefined) throw new UsageError(`--${flag.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)} applies to walk-forward backtests only`, 'a stored model is backtested as it was trained');
    }
    return { kind: 'model', model: opts.model };
  }
  if (family === undefined && !opts.walkForward) {
    throw new UsageError('name what to backtest', 'use --strategy NAME, --model ID|active, or --model FAMILY (walk-forward)');
  }
  const horizon = opts.horizon;
  return {
    kind: 'walk-forward',
    family: family ?? 'lightgbm',
    target: parseTarget(opts.target, { horizon }),
    set: resolveFeatureSet(env.home, opts.set),
    references: {},
    params: opts.params ?? {},
    retrainEvery: opts.retrainEvery,
    trainWindow: opts.trainWindow ?? 'expanding',
    workers: env.workers === undefined || env.workers === '' ? undefined : parseWorkers(env.workers),
  };
}

function parseWorkers(text: string): number {
  const n = Number(text);
  if (!Number.isInteger(n) || n < 1 || n > 256) throw new UsageError(`PULSE_BACKTEST_WORKERS "${text}" is not valid`, 'use a whole number from 1 to 256');
  return n;
}
