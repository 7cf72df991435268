/**
 * The OptimizeRequest of `pulse optimize SYMBOL ...`: flags over the configuration (`train.*` for the target and
 * the cross-validation, `backtest.*` for the costs of the backtest objectives, `seed`) over built-in defaults.
 */
import { UsageError } from '../core/errors.js';
import { resolveFeatureSet, withContext } from '../dataset/feature-set-files.js';
import { parseTrainWindow } from '../train/options.js';
import type { TrainSettings } from '../train/settings.js';
import type { BacktestSettings } from '../backtest/settings.js';
import { parseSizing } from '../backtest/sizing.js';
import { parseTarget } from '../lifecycle/targets.js';
import { DEFAULT_TRIALS, type OptimizeOptions } from './options.js';
import type { OptimizeRequest } from './run-study.js';

/** What an optimize request takes from the configuration. */
export interface OptimizeConfig {
  seed: number;
  train: TrainSettings;
  backtest: BacktestSettings;
}

/** The default name of a study: `SYMBOL-INTERVAL-MODEL-OBJECTIVE`, e.g. `ACME-1d-lightgbm-cv-loss`. */
export function defaultStudyName(symbol: string, interval: string, family: string, objective: string): string {
  return `${symbol}-${interval}-${family}-${objective}`.replace(/[^A-Za-z0-9._-]/g, '_');
}

/**
 * The request of `pulse optimize SYMBOL` (see the module note).
 * @throws UsageError for a bad value or feature set.
 */
export function optimizeRequest(symbol: string, opts: OptimizeOptions, config: OptimizeConfig, home: string): OptimizeRequest {
  const s = config.train;
  const b = config.backtest;
  const horizon = opts.horizon ?? s.horizon;
  const target = parseTarget(opts.target ?? s.target, { horizon });
  const { spec, references } = withContext(resolveFeatureSet(home, opts.set ?? s.set), []);
  const sym = symbol.toUpperCase();
  const objective = opts.objective ?? 'cv-loss';
  if (opts.wfAnchored && opts.walkForward === undefined) throw new UsageError('--wf-anchored chooses the in-sample bars of --walk-forward windows', 'pass --walk-forward N with it');
  if (opts.register && opts.walkForward !== undefined) {
    throw new UsageError('--register does not go with --walk-forward: each window\'s model is trained on its in-sample bars only', 'register a model with pulse train --params-from NAME.wf<k>, or run pulse optimize without --walk-forward');
  }
  const walkForward = opts.walkForward === undefined ? undefined : { windows: opts.walkForward, scheme: opts.wfAnchored ? 'anchored' as const : 'rolling' as const };
  return {
    symbol: sym,
    interval: opts.interval,
    family: opts.model,
    target,
    set: spec,
    references,
    cv: opts.cv ?? s.cv,
    folds: opts.folds ?? s.folds,
    window: opts.window ?? parseTrainWindow(s.window),
    embargo: horizon,
    testSize: s.testSize,
    study: opts.study ?? `${defaultStudyName(sym, opts.interval, opts.model, objective)}${walkForward ? '-wf' : ''}`,
    trials: opts.trials ?? DEFAULT_TRIALS,
    timeoutMs: opts.timeout,
    sampler: opts.sampler ?? 'tpe',
    pruner: opts.pruner ?? 'median',
    objective,
    spaceFile: opts.space,
    seed: opts.seed,
    defaultSeed: config.seed,
    register: opts.register ?? false,
    jobs: opts.jobs ?? 1,
    backtest: { capital: b.capital, feeBps: b.feeBps, slippage: { kind: 'bps', bps: b.slippageBps }, direction: b.direction, sizing: parseSizing(b.sizing) },
    walkForward,
  };
}
