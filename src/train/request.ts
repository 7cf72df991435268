/**
 * The TrainRequest of `pulse train`: flags over the configuration (`train.*`, `seed`) over built-in defaults.
 */
import { UsageError } from '../core/errors.js';
import { resolveFeatureSet, withContext } from '../dataset/feature-set-files.js';
import { readParamsFile } from '../models/params-text.js';
import { parseTrainWindow, type TrainOptions } from './options.js';
import type { TrainSettings } from './settings.js';
import { parseTarget } from '../lifecycle/targets.js';
import type { TrainRequest } from './train-job.js';

/** The best parameters of a study (`--params-from`), as src/optimize/results.ts reads them. */
export interface StudyParamsSource {
  study: string;
  /** The family the study tuned. */
  family: string;
  params: Readonly<Record<string, unknown>>;
}

/** What a training request takes from the configuration. */
export interface TrainConfig {
  seed: number;
  train: TrainSettings;
}

/**
 * The TrainRequest of `pulse train SYMBOLS ...`: flags over `config` over built-in defaults; the feature set is
 * resolved in `home`. With `fromStudy` (`--params-from`), the study's best parameters come first (the family
 * defaults to the study's and must match it), then `--params-file`, then `--params`.
 * @throws UsageError for missing symbols, a bad combination or a bad value; ConfigError for an unreadable params file.
 */
export function trainRequest(symbols: readonly string[], opts: TrainOptions, config: TrainConfig, home: string, fromStudy?: StudyParamsSource): TrainRequest {
  if (symbols.length === 0) throw new UsageError('name at least one symbol', 'e.g. pulse train AAPL --interval 1d --model lightgbm');
  const s = config.train;
  const horizon = opts.horizon ?? s.horizon;
  const target = parseTarget(opts.target ?? s.target, { horizon, deadZone: opts.deadZone, classes: opts.classes });
  const { spec, references } = withContext(resolveFeatureSet(home, opts.set ?? s.set), opts.context ?? []);
  if (opts.from !== undefined && opts.to !== undefined && opts.from >= opts.to) throw new UsageError('--from must be before --to', 'the training window is [--from, --to)');
  const family = opts.model ?? (fromStudy ? (fromStudy.family as TrainRequest['family']) : s.model);
  if (fromStudy && family !== fromStudy.family) {
    throw new UsageError(`study "${fromStudy.study}" tuned ${fromStudy.family} parameters, not ${family}`, `train with --model ${fromStudy.family}, or pick a study of ${family} (pulse optimize ls)`);
  }
  return {
    symbols: symbols.map((x) => x.toUpperCase()),
    interval: opts.interval,
    family,
    target,
    set: spec,
    references,
    params: { ...(fromStudy?.params ?? {}), ...(opts.paramsFile ? readParamsFile(opts.paramsFile) : {}), ...(opts.params ?? {}) },
    cv: opts.cv ?? s.cv,
    folds: opts.folds ?? s.folds,
    window: opts.window ?? parseTrainWindow(s.window),
    embargo: opts.embargo ?? horizon,
    testSize: opts.testSize ?? s.testSize,
    pooled: opts.pooled ?? false,
    seed: opts.seed ?? config.seed,
    activate: opts.activate ?? false,
    trigger: opts.trigger,
    ...(fromStudy ? { study: fromStudy.study } : {}),
    from: opts.from,
    to: opts.to,
  };
}
