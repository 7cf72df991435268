/**
 * argv -> options, for every command: each row runs the real command tree (commands/program.ts) on an argv, with
 * the domain functions mocked, and states the exact request the domain function receives, or the exact one-line
 * UsageError. Defaults, configuration file and PULSE__* overrides, refused ranges and conflicting flags.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { DEFAULT_FEATURE_SET } from '../../src/features/feature-set.js';
import { ConfigError, UsageError } from '../../src/core/errors.js';

const { Captured, capture, afterStore } = vi.hoisted(() => {
  /** Thrown by a mocked domain function: the call it received. */
  class Captured extends Error {
    constructor(
      readonly fn: string,
      readonly args: unknown[],
    ) {
      super(`captured ${fn}`);
    }
  }
  /** A mock that throws the call; `pick` keeps what the options decide (not the store or the deps). */
  const capture =
    (fn: string, pick: (args: unknown[]) => unknown[] = (a) => [a[0]]) =>
    (...args: unknown[]): never => {
      throw new Captured(fn, pick(args));
    };
  /** Drop the leading store argument. */
  const afterStore = (args: unknown[]) => args.slice(1);
  return { Captured, capture, afterStore };
});

vi.mock('../../src/train/train-job.js', async (orig) => ({ ...(await orig<object>()), trainJob: capture('trainJob') }));
vi.mock('../../src/backtest/run.js', async (orig) => ({ ...(await orig<object>()), runStoredBacktest: capture('runStoredBacktest'), listRecordedBacktests: capture('listRecordedBacktests', afterStore) }));
vi.mock('../../src/predict/predict.js', async (orig) => ({ ...(await orig<object>()), predict: capture('predict'), storedPredictions: capture('storedPredictions', afterStore) }));

vi.mock('../../src/market/inventory.js', async (orig) => ({
  ...(await orig<object>()),
  inventory: capture('inventory', (a) => [a[1]]),
  recentBars: capture('recentBars', afterStore),
  exportBars: capture('exportBars', (a) => a.slice(1, 5)),
  removeSeries: capture('removeSeries', (a) => a.slice(1, 3)),
}));
vi.mock('../../src/market/stored-resample.js', async (orig) => ({ ...(await orig<object>()), resampleSeries: capture('resampleSeries', (a) => a.slice(1, 4)) }));
vi.mock('../../src/market/audit.js', async (orig) => ({
  ...(await orig<object>()),
  recentRuns: capture('recentRuns', afterStore),
  quarantined: capture('quarantined', afterStore),
  quarantinedRow: capture('quarantinedRow', afterStore),
  purgeQuarantined: capture('purgeQuarantined', afterStore),
}));

vi.mock('../../src/registry/registry.js', async (orig) => ({
  ...(await orig<object>()),
  modelSummaries: capture('modelSummaries', afterStore),
  getModel: capture('getModel', afterStore),
  activateModel: capture('activateModel', (a) => [a[1]]),
  removeModel: capture('removeModel', afterStore),
  underSlotLock: (_store: unknown, _id: string, _lock: unknown, fn: () => unknown) => fn(),
}));
vi.mock('../../src/pipeline/jobs/queue.js', async (orig) => ({
  ...(await orig<object>()),
  addJob: capture('addJob', (a) => {
    const { env, ...input } = a[1] as { env: { home: string } };
    return [{ ...input, envHome: typeof env.home }];
  }),
  cancelJob: capture('cancelJob', (a) => [a[1]]),
  retryJob: capture('retryJob', (a) => [a[1]]),
  listJobs: capture('listJobs', (a) => [a[1]]),
  showJob: capture('showJob', afterStore),
}));
vi.mock('../../src/pipeline/jobs/runner.js', async (orig) => ({
  ...(await orig<object>()),
  runQueue: capture('runQueue', (a) => {
    const o = a[1] as { workers: number; untilEmpty: boolean; pollMs: number };
    return [{ workers: o.workers, untilEmpty: o.untilEmpty, pollMs: o.pollMs }];
  }),
}));
vi.mock('../../src/lifecycle/explain.js', async (orig) => ({ ...(await orig<object>()), explainModel: capture('explainModel', afterStore) }));
vi.mock('../../src/lifecycle/compress.js', async (orig) => ({ ...(await orig<object>()), compressModel: capture('compressModel', (a) => { const r = a[1] as { id: string; level: string }; return [r.id, r.level]; }) }));
vi.mock('../../src/lifecycle/export-model.js', async (orig) => ({ ...(await orig<object>()), exportModel: capture('exportModel', afterStore) }));
vi.mock('../../src/lifecycle/import-model.js', async (orig) => ({ ...(await orig<object>()), importModel: capture('importModel', (a) => [a[1]]) }));

vi.mock('../../src/dataset/feature-frame.js', async (orig) => ({ ...(await orig<object>()), buildFeatureFrame: capture('buildFeatureFrame', afterStore) }));
vi.mock('../../src/features/feature-set.js', async (orig) => ({ ...(await orig<object>()), listFeatures: capture('listFeatures', (a) => a) }));
vi.mock('../../src/market/collect.js', async (orig) => ({ ...(await orig<object>()), collect: capture('collect') }));
vi.mock('../../src/pipeline/demo.js', async (orig) => ({ ...(await orig<object>()), runDemo: capture('runDemo', (a) => [{ home: (a[0] as { home?: string }).home, seed: (a[0] as { seed: number }).seed }]) }));
vi.mock('../../src/ops/backup/backup.js', async (orig) => ({
  ...(await orig<object>()),
  createBackup: capture('createBackup', (a) => [{ ...(a[2] as object), now: undefined, lock: undefined, signal: undefined }]),
  listBackups: capture('listBackups', afterStore),
  pruneBackups: capture('pruneBackups', (a) => [a[1], a[2]]),
}));
vi.mock('../../src/ops/backup/restore.js', async (orig) => ({
  ...(await orig<object>()),
  verifyBackup: capture('verifyBackup'),
  restoreBackup: capture('restoreBackup', (a) => [a[0], a[1], (a[2] as { force: boolean }).force]),
}));
vi.mock('../../src/ops/health/health.js', async (orig) => ({
  ...(await orig<object>()),
  runHealth: capture('runHealth', (a) => [(a[2] as { only?: unknown }).only ?? 'all']),
  healthHistory: capture('healthHistory', afterStore),
}));
vi.mock('../../src/monitor/promotion.js', async (orig) => ({
  ...(await orig<object>()),
  promote: capture('promote', (a) => [{ ...(a[1] as object), now: undefined, lock: undefined }]),
  rollback: capture('rollback', (a) => [a[1]]),
}));
vi.mock('../../src/predict/replay.js', async (orig) => ({ ...(await orig<object>()), replay: capture('replay') }));
vi.mock('../../src/monitor/evaluate.js', async (orig) => ({
  ...(await orig<object>()),
  evaluate: capture('evaluate', (a) => [{ ...(a[1] as object), now: undefined, lock: undefined, signal: undefined }]),
}));
vi.mock('../../src/monitor/drift-check.js', async (orig) => ({
  ...(await orig<object>()),
  driftCheck: capture('driftCheck', (a) => [{ ...(a[1] as object), now: undefined }]),
}));
vi.mock('../../src/monitor/ab-test.js', async (orig) => ({
  ...(await orig<object>()),
  startAbTest: capture('startAbTest', (a) => [{ ...(a[1] as object), now: undefined, lock: undefined }]),
  abStatus: capture('abStatus', (a) => [{ ...(a[1] as object), now: undefined, lock: undefined }]),
  stopAbTest: capture('stopAbTest', (a) => [a[1]]),
}));
vi.mock('../../src/ops/maintain/maintain.js', async (orig) => ({
  ...(await orig<object>()),
  maintain: capture('maintain', (a) => [{ settings: (a[1] as { settings: unknown }).settings, dryRun: (a[1] as { dryRun: boolean }).dryRun }]),
}));
vi.mock('../../src/ops/serve/serve.js', async (orig) => ({
  ...(await orig<object>()),
  serve: capture('serve', (a) => [{ host: (a[1] as { host: string }).host, port: (a[1] as { port: number }).port, token: (a[1] as { token?: string }).token }]),
}));
vi.mock('../../src/pipeline/status.js', async (orig) => ({ ...(await orig<object>()), statusDocument: capture('statusDocument', (a) => [(a[0] as { clm: unknown }).clm]) }));
vi.mock('../../src/optimize/run-study.js', async (orig) => ({ ...(await orig<object>()), runOptimize: capture('runOptimize') }));
vi.mock('../../src/optimize/walk-forward/run.js', async (orig) => ({ ...(await orig<object>()), runWalkForward: capture('runWalkForward') }));
vi.mock('../../src/optimize/results.js', async (orig) => ({
  ...(await orig<object>()),
  studySummaries: capture('studySummaries', afterStore),
  studyReport: capture('studyReport', afterStore),
  // The study a `--params-from` row names: what the store would hold.
  bestParamsOf: async (_store: unknown, study: string) => ({ study, family: 'ridge', symbol: 'ACME', interval: '1d', trial: 3, value: 0.01, params: { alpha: 5, clip: 4 } }),
}));
vi.mock('../../src/pipeline/cycle.js', async (orig) => ({ ...(await orig<object>()), runCycle: capture('runCycle', (a) => [a[0]]) }));
vi.mock('../../src/pipeline/simulate.js', async (orig) => ({ ...(await orig<object>()), simulate: capture('simulate', (a) => [a[0]]) }));
vi.mock('../../src/ops/dashboard/snapshot.js', async (orig) => ({ ...(await orig<object>()), dashboardSnapshot: capture('dashboardSnapshot', () => []) }));
vi.mock('../../src/config/home.js', async (orig) => ({ ...(await orig<object>()), initHome: capture('initHome', (a) => a) }));

const { buildProgram, namedCommand, runProgram } = await import('../../commands/program.js');
const tables = await (await import('../../commands/options/tables.js')).loadTables();

/** One row: argv (after `pulse`), optional environment and config file, and the call or the usage message. */
interface Row {
  argv: string[];
  env?: Record<string, string>;
  config?: Record<string, unknown>;
  /** The domain function and the argument it must receive (several arguments: an array; the store is left out). */
  call?: [string, unknown];
  /** The exact one-line usage error (message and hint as printed: `message (hint)`). */
  usage?: string;
  /** The exact configuration error (message only). */
  configError?: string;
}

let home: string;
beforeAll(() => {
  // A home is a directory with a config file (each row writes its own).
  home = mkdtempSync(join(tmpdir(), 'pulse-argv-'));
});
afterAll(() => rmSync(home, { recursive: true, force: true }));

/** Run a row; the domain call's first argument, or the usage line. */
async function run(row: Row): Promise<{ fn: string; arg: unknown } | { usage: string } | { configError: string }> {
  writeFileSync(join(home, 'pulse.config.json'), JSON.stringify(row.config ?? {}));
  const saved = { ...process.env };
  for (const k of Object.keys(process.env)) if (k.startsWith('PULSE')) delete process.env[k];
  Object.assign(process.env, row.env ?? {});
  try {
    await runProgram([...row.argv, '--home', home, '-q'], { signal: new AbortController().signal });
    throw new Error('no domain function was called');
  } catch (err) {
    if (err instanceof Captured) return { fn: err.fn, arg: err.args.length === 1 ? err.args[0] : err.args };
    if (err instanceof UsageError) return { usage: `${err.message}${err.hint ? ` (${err.hint})` : ''}` };
    if (err instanceof ConfigError) return { configError: err.message };
    throw err;
  } finally {
    process.env = saved;
  }
}

async function check(row: Row): Promise<void> {
  const got = await run(row);
  if (row.usage !== undefined) expect(got).toEqual({ usage: row.usage });
  else if (row.configError !== undefined) expect(got).toEqual({ configError: row.configError });
  else expect(got).toEqual({ fn: row.call![0], arg: row.call![1] });
}

const MAINTAIN_DEFAULT = { predictionDays: 90, retiredModelDays: 180, collectRunDays: 180, jobDays: 180, healthRunDays: 90, vacuumMinFreeMiB: 64, vacuumMinFreePct: 20 };

const defaultSet = expect.objectContaining({ name: DEFAULT_FEATURE_SET.name, version: DEFAULT_FEATURE_SET.version });

/** `pulse train ACME --interval 1d` with nothing else. */
const TRAIN_DEFAULT = {
  symbols: ['ACME'],
  interval: '1d',
  family: 'lightgbm',
  target: { name: 'return', horizon: 1, deadZone: 0, classes: 'binary', profitTake: 2, stopLoss: 2, volWindow: 20 },
  set: defaultSet,
  references: {},
  params: {},
  cv: 'walk-forward',
  folds: 5,
  window: { kind: 'expanding' },
  embargo: 1,
  testSize: 0.15,
  pooled: false,
  seed: 42,
  activate: false,
  trigger: 'manual',
  from: undefined,
  to: undefined,
};
const train = (...a: string[]) => ['train', 'ACME', '--interval', '1d', ...a];

const TRAIN: [string, Row][] = [
  ['defaults', { argv: train(), call: ['trainJob', TRAIN_DEFAULT] }],
  [
    'every flag',
    {
      argv: ['train', 'acme', 'spy', '-i', '1h', '-m', 'xgboost', '-t', 'direction', '--horizon', '5', '--dead-zone', '0.001', '--classes', 'ternary', '--context', 'qqq, dia', '--params', 'eta=0.05,max_depth=4,x=true', '--cv', 'purged-kfold', '--folds', '8', '--window', 'rolling:500', '--embargo', '3', '--test-size', '0.2', '--pooled', '--seed', '7', '--from', '2020-01-01', '--to', '2021-01-01', '--activate', '--trigger', 'drift'],
      call: [
        'trainJob',
        {
          ...TRAIN_DEFAULT,
          symbols: ['ACME', 'SPY'],
          interval: '1h',
          family: 'xgboost',
          target: { ...TRAIN_DEFAULT.target, name: 'direction', horizon: 5, deadZone: 0.001, classes: 'ternary' },
          set: expect.objectContaining({ name: 'default.ctx', references: [expect.objectContaining({ name: 'qqq' }), expect.objectContaining({ name: 'dia' })] }),
          references: { qqq: 'QQQ', dia: 'DIA' },
          params: { eta: 0.05, max_depth: 4, x: true },
          cv: 'purged-kfold',
          folds: 8,
          window: { kind: 'rolling', size: 500 },
          embargo: 3,
          testSize: 0.2,
          pooled: true,
          seed: 7,
          activate: true,
          trigger: 'drift',
          from: Date.UTC(2020, 0, 1),
          to: Date.UTC(2021, 0, 1),
        },
      ],
    },
  ],
  ['embargo follows the horizon', { argv: train('--horizon', '3'), call: ['trainJob', { ...TRAIN_DEFAULT, target: { ...TRAIN_DEFAULT.target, horizon: 3 }, embargo: 3 }] }],
  [
    'config file',
    {
      argv: train(),
      config: { seed: 9, train: { model: 'ridge', horizon: 4, folds: 3, window: 'rolling:50', testSize: 0.1, cv: 'purged-kfold' } },
      call: ['trainJob', { ...TRAIN_DEFAULT, family: 'ridge', target: { ...TRAIN_DEFAULT.target, horizon: 4 }, embargo: 4, folds: 3, window: { kind: 'rolling', size: 50 }, testSize: 0.1, cv: 'purged-kfold', seed: 9 }],
    },
  ],
  ['env over config', { argv: train(), config: { train: { model: 'ridge' } }, env: { PULSE__TRAIN__MODEL: 'xgboost', PULSE__TRAIN__TEST_SIZE: '0.3' }, call: ['trainJob', { ...TRAIN_DEFAULT, family: 'xgboost', testSize: 0.3 }] }],
  ['flag over env', { argv: train('--model', 'naive', '--folds', '4'), env: { PULSE__TRAIN__MODEL: 'xgboost', PULSE__TRAIN__FOLDS: '9' }, call: ['trainJob', { ...TRAIN_DEFAULT, family: 'naive', folds: 4 }] }],
  ['config out of range', { argv: train(), config: { train: { folds: 1 } }, configError: 'invalid configuration: train.folds must be at least 2 (got 1)' }],
  ['env unknown key', { argv: train(), env: { PULSE__TRAIN__LEARNING_RATE: '0.1' }, configError: 'unknown setting in environment variable PULSE__TRAIN__LEARNING_RATE' }],
  ['env bad value', { argv: train(), env: { PULSE__TRAIN__MODEL: 'gpt' }, configError: 'invalid configuration: train.model must be one of "lightgbm", "xgboost", "rf", "ridge", "logistic", "naive", "ensemble" (got "gpt")' }],
  ['folds below range', { argv: train('--folds', '1'), usage: '--folds "1" is not valid (use a whole number from 2 to 100)' }],
  ['folds above range', { argv: train('--folds', '101'), usage: '--folds "101" is not valid (use a whole number from 2 to 100)' }],
  ['horizon', { argv: train('--horizon', '0'), usage: '--horizon "0" is not valid (use a whole number from 1 to 10000)' }],
  ['unknown model', { argv: train('--model', 'gpt'), usage: 'unknown model "gpt" (use one of: lightgbm, xgboost, rf, ridge, logistic, naive, ensemble)' }],
  ['unknown target', { argv: train('--target', 'price'), usage: 'unknown target "price" (use one of: return, direction, triple-barrier)' }],
  ['test size', { argv: train('--test-size', '0.95'), usage: '--test-size 0.95 is out of range (use a share between 0 and 0.9, e.g. 0.15)' }],
  ['window', { argv: train('--window', 'rolling:5'), usage: '--window "rolling:5" is not valid (use expanding or rolling:N with N >= 10 bars)' }],
  ['embargo', { argv: train('--embargo', '-1'), usage: '--embargo "-1" is not valid (use a whole number >= 0)' }],
  ['seed', { argv: train('--seed', '4294967296'), usage: '--seed "4294967296" is not valid (use an integer between 0 and 4294967295)' }],
  ['params', { argv: train('--params', 'eta'), usage: '--params item "eta" is not key=value (e.g. --params learning_rate=0.05,num_leaves=15)' }],
  ['dead zone range', { argv: train('--dead-zone', '2'), usage: '--dead-zone 2 is out of range (use a log-return between 0 and 1, e.g. 0.001)' }],
  ['window of dates', { argv: train('--from', '2022-01-01', '--to', '2021-01-01'), usage: '--from must be before --to (the training window is [--from, --to))' }],
  ['interval', { argv: ['train', 'ACME', '--interval', '2h'], usage: 'unknown interval "2h" (use one of: 1m, 5m, 15m, 30m, 1h, 4h, 1d, 1wk, 1mo)' }],
  ['missing interval', { argv: ['train', 'ACME'], usage: "required option '-i, --interval <interval>' not specified (see `pulse --help` or `pulse <command> --help`)" }],
];

describe('pulse train', () => {
  it.each(TRAIN)('%s', async (_name, row) => check(row));
});

/** `pulse backtest ACME --interval 1d --strategy sma-cross` with nothing else. */
const BACKTEST_DEFAULT = {
  symbol: 'ACME',
  interval: '1d',
  from: undefined,
  to: undefined,
  source: { kind: 'strategy', name: 'sma-cross' },
  signal: { threshold: undefined, quantile: undefined },
  options: {
    capital: 10_000,
    feeBps: 10,
    slippage: { kind: 'bps', bps: 5 },
    direction: 'long-only',
    sizing: { kind: 'fixed', fraction: 1 },
    stopLossAtr: null,
    takeProfitAtr: null,
    periodsPerYear: undefined,
    seed: 42,
    bootstrapDraws: 1000,
  },
  outputs: { trades: undefined, equity: undefined, report: undefined, junit: undefined },
  assert: undefined,
  cwd: process.cwd(),
};
const WALK_FORWARD = {
  kind: 'walk-forward',
  family: 'lightgbm',
  target: TRAIN_DEFAULT.target,
  set: defaultSet,
  references: {},
  params: {},
  retrainEvery: undefined,
  trainWindow: 'expanding',
  workers: undefined,
};
const bt = (...a: string[]) => ['backtest', 'acme', '--interval', '1d', ...a];
const withOptions = (o: object) => ({ ...BACKTEST_DEFAULT, options: { ...BACKTEST_DEFAULT.options, ...o } });

const BACKTEST: [string, Row][] = [
  ['strategy, defaults', { argv: bt('--strategy', 'sma-cross'), call: ['runStoredBacktest', BACKTEST_DEFAULT] }],
  ['explicit run subcommand', { argv: ['backtest', 'run', 'ACME', '-i', '1d', '--strategy', 'sma-cross'], call: ['runStoredBacktest', BACKTEST_DEFAULT] }],
  ['stored model', { argv: bt('--model', 'lgbm-ACME-1d-v1'), call: ['runStoredBacktest', { ...BACKTEST_DEFAULT, source: { kind: 'model', model: 'lgbm-ACME-1d-v1' } }] }],
  ['family: walk-forward', { argv: bt('--model', 'ridge'), call: ['runStoredBacktest', { ...BACKTEST_DEFAULT, source: { ...WALK_FORWARD, family: 'ridge' } }] }],
  [
    'walk-forward flags',
    {
      argv: bt('--walk-forward', '--retrain-every', '20', '--train-window', '500', '--target', 'direction', '--horizon', '5', '--params', 'alpha=2'),
      env: { PULSE_BACKTEST_WORKERS: '2' },
      call: ['runStoredBacktest', { ...BACKTEST_DEFAULT, source: { ...WALK_FORWARD, target: { ...WALK_FORWARD.target, name: 'direction', horizon: 5 }, params: { alpha: 2 }, retrainEvery: 20, trainWindow: 500, workers: 2 } }],
    },
  ],
  [
    'every engine flag',
    {
      argv: bt('--strategy', 'buy-and-hold', '--from', '2020-01-01', '--to', '2021-01-01', '--fee-bps', '2', '--slippage-atr', '0.1', '--long-short', '--quantile', '0.2', '--sizing', 'vol-target:0.15', '--stop-loss-atr', '2', '--take-profit-atr', '3', '--capital', '500', '--periods-per-year', '252', '--bootstrap', '0', '--seed', '3', '--trades', 't.csv', '--equity', 'e.csv', '--report', 'r.html', '--assert', 'sharpe > 1', '--junit', 'j.xml'),
      call: [
        'runStoredBacktest',
        {
          ...BACKTEST_DEFAULT,
          from: Date.UTC(2020, 0, 1),
          to: Date.UTC(2021, 0, 1),
          source: { kind: 'strategy', name: 'buy-and-hold' },
          signal: { threshold: undefined, quantile: 0.2 },
          options: {
            capital: 500,
            feeBps: 2,
            slippage: { kind: 'atr', fraction: 0.1 },
            direction: 'long-short',
            sizing: { kind: 'vol-target', targetVolPct: 15, lookbackBars: 20, maxLeverage: 2 },
            stopLossAtr: 2,
            takeProfitAtr: 3,
            periodsPerYear: 252,
            seed: 3,
            bootstrapDraws: 0,
          },
          outputs: { trades: 't.csv', equity: 'e.csv', report: 'r.html', junit: 'j.xml' },
          assert: 'sharpe > 1',
        },
      ],
    },
  ],
  [
    'config file',
    {
      argv: bt('--strategy', 'sma-cross'),
      config: { seed: 5, backtest: { feeBps: 1, slippageBps: 2, direction: 'long-short', sizing: 'fixed:0.5', capital: 1000, bootstrap: 10 } },
      call: ['runStoredBacktest', withOptions({ feeBps: 1, slippage: { kind: 'bps', bps: 2 }, direction: 'long-short', sizing: { kind: 'fixed', fraction: 0.5 }, capital: 1000, bootstrapDraws: 10, seed: 5 })],
    },
  ],
  ['env over config', { argv: bt('--strategy', 'sma-cross'), config: { backtest: { feeBps: 1 } }, env: { PULSE__BACKTEST__FEE_BPS: '3', PULSE__BACKTEST__SIZING: 'vol-target:0.1' }, call: ['runStoredBacktest', withOptions({ feeBps: 3, sizing: { kind: 'vol-target', targetVolPct: 10, lookbackBars: 20, maxLeverage: 2 } })] }],
  ['flag over env', { argv: bt('--strategy', 'sma-cross', '--long-only', '--fee-bps', '0'), env: { PULSE__BACKTEST__DIRECTION: 'long-short', PULSE__BACKTEST__FEE_BPS: '3' }, call: ['runStoredBacktest', withOptions({ feeBps: 0 })] }],
  ['config sizing', { argv: bt('--strategy', 'sma-cross'), config: { backtest: { sizing: 'kelly' } }, configError: 'invalid configuration: backtest.sizing: use fixed, fixed:0.5 or vol-target:0.15 (got "kelly")' }],
  ['config fee range', { argv: bt('--strategy', 'sma-cross'), env: { PULSE__BACKTEST__FEE_BPS: '2000' }, configError: 'invalid configuration: backtest.feeBps must be at most 1000 (got 2000)' }],
  ['long-only and long-short', { argv: bt('--strategy', 'sma-cross', '--long-only', '--long-short'), usage: '--long-only and --long-short contradict each other (give one of them)' }],
  ['strategy and model', { argv: bt('--strategy', 'sma-cross', '--model', 'active'), usage: '--strategy and --model/--walk-forward are different backtests (give one of them)' }],
  ['stored model walk-forward', { argv: bt('--model', 'lgbm-ACME-1d-v1', '--walk-forward'), usage: '--walk-forward retrains a model family, but "lgbm-ACME-1d-v1" is a stored model (use --model FAMILY (lightgbm, xgboost, rf, ridge, logistic, naive, ensemble) with --walk-forward, or drop --walk-forward)' }],
  ['stored model retrain flag', { argv: bt('--model', 'active', '--retrain-every', '5'), usage: '--retrain-every applies to walk-forward backtests only (a stored model is backtested as it was trained)' }],
  ['nothing to backtest', { argv: bt(), usage: 'name what to backtest (use --strategy NAME, --model ID|active, or --model FAMILY (walk-forward))' }],
  ['fee not a number', { argv: bt('--strategy', 'sma-cross', '--fee-bps', 'ten'), usage: '--fee-bps "ten" is not a number (give a number, e.g. --fee-bps 10)' }],
  ['capital', { argv: bt('--strategy', 'sma-cross', '--capital', '0'), usage: '--capital 0 is out of range (give a positive amount, e.g. --capital 10000)' }],
  ['bootstrap', { argv: bt('--strategy', 'sma-cross', '--bootstrap', '-1'), usage: '--bootstrap "-1" is not valid (use a whole number >= 0)' }],
  ['sizing', { argv: bt('--strategy', 'sma-cross', '--sizing', 'vol-target:9'), usage: '--sizing vol-target:9 is out of range (give the annualised target as a fraction, e.g. vol-target:0.15)' }],
  ['sizing syntax', { argv: bt('--strategy', 'sma-cross', '--sizing', 'kelly'), usage: '--sizing "kelly" is not valid (use fixed, fixed:0.5 or vol-target:0.15)' }],
  ['train window', { argv: bt('--model', 'ridge', '--train-window', '0'), usage: '--train-window "0" is not valid (use a whole number from 1 to 1000000000)' }],
  ['workers', { argv: bt('--model', 'ridge'), env: { PULSE_BACKTEST_WORKERS: '0' }, usage: 'PULSE_BACKTEST_WORKERS "0" is not valid (use a whole number from 1 to 256)' }],
  ['backtest ls', { argv: ['backtest', 'ls', '--symbol', 'acme', '--limit', '5'], call: ['listRecordedBacktests', { symbol: 'ACME', limit: 5 }] }],
  ['backtest ls defaults', { argv: ['backtest', 'ls'], call: ['listRecordedBacktests', { symbol: undefined, limit: 20 }] }],
  ['backtest ls limit', { argv: ['backtest', 'ls', '--limit', '100001'], usage: '--limit "100001" is not valid (use a whole number from 1 to 100000)' }],
];

describe('pulse backtest', () => {
  it.each(BACKTEST)('%s', async (_name, row) => check(row));
});

const PREDICT: [string, Row][] = [
  ['defaults', { argv: ['predict', 'acme', 'spy', '--interval', '1d'], call: ['predict', { symbols: ['ACME', 'SPY'], interval: '1d', model: undefined, threshold: undefined }] }],
  ['flags', { argv: ['predict', 'ACME', '-i', '1h', '--model', 'active', '--threshold', '0.01'], call: ['predict', { symbols: ['ACME'], interval: '1h', model: 'active', threshold: 0.01 }] }],
  ['config', { argv: ['predict', 'ACME', '-i', '1d'], config: { predict: { threshold: 0.2 } }, call: ['predict', { symbols: ['ACME'], interval: '1d', model: undefined, threshold: 0.2 }] }],
  ['env', { argv: ['predict', 'ACME', '-i', '1d'], env: { PULSE__PREDICT__THRESHOLD: '0.3' }, call: ['predict', { symbols: ['ACME'], interval: '1d', model: undefined, threshold: 0.3 }] }],
  ['flag over config', { argv: ['predict', 'ACME', '-i', '1d', '--threshold', '0'], config: { predict: { threshold: 0.2 } }, call: ['predict', { symbols: ['ACME'], interval: '1d', model: undefined, threshold: 0 }] }],
  ['threshold', { argv: ['predict', 'ACME', '-i', '1d', '--threshold', '-1'], usage: '--threshold "-1" is not a number >= 0' }],
  ['config threshold range', { argv: ['predict', 'ACME', '-i', '1d'], env: { PULSE__PREDICT__THRESHOLD: '-1' }, configError: 'invalid configuration: predict.threshold must be at least 0 (got -1)' }],
  ['replay', { argv: ['predict', 'acme', '-i', '1d', '--replay-from', '2023-01-01', '--replay-to', '2024-01-01'], call: ['replay', { symbols: ['ACME'], interval: '1d', model: undefined, threshold: undefined, from: Date.UTC(2023, 0, 1), to: Date.UTC(2024, 0, 1) }] }],
  ['replay open-ended, one model', { argv: ['predict', 'ACME', '-i', '1h', '--model', 'm1', '--replay-from', '2023-01-01T12:00'], call: ['replay', { symbols: ['ACME'], interval: '1h', model: 'm1', threshold: undefined, from: Date.UTC(2023, 0, 1, 12), to: undefined }] }],
  ['replay-to alone', { argv: ['predict', 'ACME', '-i', '1d', '--replay-to', '2024-01-01'], usage: '--replay-to needs --replay-from (e.g. pulse predict ACME --interval 1d --replay-from 2023-01-01 --replay-to 2024-01-01)' }],
  ['replay bad date', { argv: ['predict', 'ACME', '-i', '1d', '--replay-from', 'yesterday-ish'], usage: expect.stringContaining('--replay-from') }],
  ['predictions ls', { argv: ['predictions', 'ls', 'acme', '-i', '1d', '--model', 'm1', '--limit', '3'], call: ['storedPredictions', ['ACME', { interval: '1d', modelId: 'm1', limit: 3 }]] }],
  ['predictions ls defaults', { argv: ['predictions', 'ls', 'ACME'], call: ['storedPredictions', ['ACME', { interval: undefined, modelId: undefined, limit: 30 }]] }],
  ['predictions ls limit', { argv: ['predictions', 'ls', 'ACME', '--limit', '0'], usage: '--limit "0" is not valid (use a whole number from 1 to 1000000000)' }],
];

describe('pulse predict', () => {
  it.each(PREDICT)('%s', async (_name, row) => check(row));
});

const DATA: [string, Row][] = [
  ['ls', { argv: ['data', 'ls', '--symbol', 'acme'], call: ['inventory', { symbol: 'ACME' }] }],
  ['ls, all', { argv: ['data', 'ls'], call: ['inventory', { symbol: undefined }] }],
  ['show', { argv: ['data', 'show', 'acme', '-i', '1h', '--tail', '3'], call: ['recentBars', ['ACME', '1h', 3]] }],
  ['show defaults', { argv: ['data', 'show', 'ACME', '-i', '1d'], call: ['recentBars', ['ACME', '1d', 20]] }],
  ['show tail', { argv: ['data', 'show', 'ACME', '-i', '1d', '--tail', '0'], usage: '--tail "0" is not valid (use a whole number from 1 to 1000000000)' }],
  ['export', { argv: ['data', 'export', 'acme', '-i', '1d', '--from', '2020-01-01', '--to', '2020-02-01', '--format', 'json'], call: ['exportBars', ['ACME', '1d', { from: Date.UTC(2020, 0, 1), to: Date.UTC(2020, 1, 1) }, 'json']] }],
  ['export defaults', { argv: ['data', 'export', 'ACME', '-i', '1d'], call: ['exportBars', ['ACME', '1d', { from: undefined, to: undefined }, 'csv']] }],
  ['export format', { argv: ['data', 'export', 'ACME', '-i', '1d', '--format', 'xml'], usage: 'option \'--format <format>\' argument \'xml\' is invalid. Allowed choices are csv, json. (see `pulse --help` or `pulse <command> --help`)' }],
  ['export date', { argv: ['data', 'export', 'ACME', '-i', '1d', '--from', 'yesterday'], usage: '--from "yesterday" is not a date (use YYYY-MM-DD, an ISO-8601 date-time, or epoch seconds)' }],
  ['resample', { argv: ['data', 'resample', 'acme', '--from-interval', '1h', '--to-interval', '4h'], call: ['resampleSeries', ['ACME', '1h', '4h']] }],
  ['resample interval', { argv: ['data', 'resample', 'ACME', '--from-interval', '1h', '--to-interval', '3h'], usage: 'unknown interval "3h" (use one of: 1m, 5m, 15m, 30m, 1h, 4h, 1d, 1wk, 1mo)' }],
  ['rm', { argv: ['data', 'rm', 'acme', '-i', '1d'], call: ['removeSeries', ['ACME', '1d']] }],
  ['runs', { argv: ['data', 'runs', '--limit', '2'], call: ['recentRuns', 2] }],
  ['runs default', { argv: ['data', 'runs'], call: ['recentRuns', 20] }],
  ['quarantine', { argv: ['data', 'quarantine', '--symbol', 'acme'], call: ['quarantined', { symbol: 'ACME', limit: 50 }] }],
  ['quarantine ls', { argv: ['data', 'quarantine', 'ls', '--limit', '5'], call: ['quarantined', { symbol: undefined, limit: 5 }] }],
  ['quarantine show', { argv: ['data', 'quarantine', 'show', '12'], call: ['quarantinedRow', 12] }],
  ['quarantine show id', { argv: ['data', 'quarantine', 'show', 'x'], usage: 'quarantine id "x" is not valid (use a whole number from 1 to 1000000000)' }],
  ['quarantine purge', { argv: ['data', 'quarantine', 'purge', '--before', '2026-01-01', '--symbol', 'acme'], call: ['purgeQuarantined', [Date.UTC(2026, 0, 1), 'ACME']] }],
  ['quarantine purge before', { argv: ['data', 'quarantine', 'purge'], usage: "required option '--before <date>' not specified (see `pulse --help` or `pulse <command> --help`)" }],
];

describe('pulse data', () => {
  it.each(DATA)('%s', async (_name, row) => check(row));
});

const MODELS: [string, Row][] = [
  ['ls', { argv: ['models', 'ls', '--status', 'active', '--symbol', 'acme'], call: ['modelSummaries', { status: 'active', symbol: 'ACME' }] }],
  ['ls, all', { argv: ['models', 'ls'], call: ['modelSummaries', { status: undefined, symbol: undefined }] }],
  ['ls status', { argv: ['models', 'ls', '--status', 'live'], usage: 'unknown status "live" (use one of: shadow, active, retired, archived)' }],
  ['show', { argv: ['models', 'show', 'm1'], call: ['getModel', 'm1'] }],
  ['compare', { argv: ['models', 'compare', 'm1', 'm2'], call: ['getModel', 'm1'] }],
  ['activate', { argv: ['models', 'activate', 'm1'], call: ['activateModel', 'm1'] }],
  ['rm', { argv: ['models', 'rm', 'm1'], call: ['removeModel', ['m1', { force: undefined }]] }],
  ['rm --force', { argv: ['models', 'rm', 'm1', '--force'], call: ['removeModel', ['m1', { force: true }]] }],
  ['explain', { argv: ['models', 'explain', 'm1', '--at', '2026-11-20', '--top', '3', '--symbol', 'spy'], call: ['explainModel', ['m1', { at: Date.UTC(2026, 10, 20), top: 3, symbol: 'SPY' }]] }],
  ['explain defaults', { argv: ['models', 'explain', 'm1'], call: ['explainModel', ['m1', { at: undefined, top: 10, symbol: undefined }]] }],
  ['explain top', { argv: ['models', 'explain', 'm1', '--top', '10001'], usage: '--top "10001" is not valid (use a whole number from 1 to 10000)' }],
  ['export', { argv: ['models', 'export', 'm1', '--format', 'lightgbm', '--out', 'm.txt'], call: ['exportModel', ['m1', 'lightgbm']] }],
  ['export default format', { argv: ['models', 'export', 'm1', '--out', 'm.json'], call: ['exportModel', ['m1', 'pulse']] }],
  ['compress', { argv: ['models', 'compress', 'm1', '--level', 'moderate'], call: ['compressModel', ['m1', 'moderate']] }],
  ['compress json', { argv: ['models', 'compress', 'm1', '--level', 'aggressive', '--json'], call: ['compressModel', ['m1', 'aggressive']] }],
  ['compress level required', { argv: ['models', 'compress', 'm1'], usage: "required option '--level <level>' not specified (see `pulse --help` or `pulse <command> --help`)" }],
  ['compress bad level', { argv: ['models', 'compress', 'm1', '--level', 'extreme'], usage: "option '--level <level>' argument 'extreme' is invalid. Allowed choices are conservative, moderate, aggressive. (see `pulse --help` or `pulse <command> --help`)" }],
  [
    'import',
    {
      argv: ['models', 'import', 'model.json', '--format', 'xgboost', '--symbol', 'acme', '-i', '1d', '--target', 'direction', '--horizon', '5', '--activate'],
      call: ['importModel', { file: 'model.json', format: 'xgboost', symbol: 'ACME', interval: '1d', set: defaultSet, references: {}, target: { ...TRAIN_DEFAULT.target, name: 'direction', horizon: 5 }, activate: true }],
    },
  ],
  ['import defaults', { argv: ['models', 'import', 'm.txt', '--format', 'lightgbm', '--symbol', 'ACME', '-i', '1h'], call: ['importModel', { file: 'm.txt', format: 'lightgbm', symbol: 'ACME', interval: '1h', set: defaultSet, references: {}, target: TRAIN_DEFAULT.target, activate: false }] }],
  ['import target', { argv: ['models', 'import', 'm.txt', '--format', 'lightgbm', '--symbol', 'ACME', '-i', '1h', '--target', 'triple-barrier'], usage: '--target "triple-barrier" cannot be imported (use return (regression models) or direction (binary models))' }],
  ['import format', { argv: ['models', 'import', 'm.txt', '--symbol', 'ACME', '-i', '1h'], usage: "required option '--format <format>' not specified (see `pulse --help` or `pulse <command> --help`)" }],
  ['jobs ls', { argv: ['jobs', 'ls', '--limit', '5'], call: ['listJobs', { status: undefined, limit: 5 }] }],
  ['jobs ls default', { argv: ['jobs', 'ls'], call: ['listJobs', { status: undefined, limit: 20 }] }],
  ['jobs ls status', { argv: ['jobs', 'ls', '--status', 'failed,interrupted'], call: ['listJobs', { status: ['failed', 'interrupted'], limit: 20 }] }],
  ['jobs ls bad status', { argv: ['jobs', 'ls', '--status', 'done'], usage: 'unknown job status "done" (use one or more of: pending, running, completed, failed, cancelled, interrupted)' }],
  ['jobs show', { argv: ['jobs', 'show', '7'], call: ['showJob', 7] }],
  [
    'jobs add',
    {
      argv: ['jobs', 'add', 'train', '--param', 'symbols=ACME', '--param', 'interval=1d', '--priority', '5', '--after', '3', '--after', '4', '--retries', '2', '--timeout', '90s', '--backoff', '2s'],
      call: ['addJob', { type: 'train', params: { symbols: 'ACME', interval: '1d' }, priority: 5, after: [3, 4], retries: 2, timeoutMs: 90_000, backoffMs: 2000, seed: 42, envHome: 'string' }],
    },
  ],
  [
    'jobs add defaults',
    { argv: ['jobs', 'add', 'health'], config: { seed: 9 }, call: ['addJob', { type: 'health', params: {}, priority: 0, after: undefined, retries: 0, timeoutMs: undefined, backoffMs: 30_000, seed: 9, envHome: 'string' }] },
  ],
  [
    'jobs add json params, a --param overrides a key',
    {
      argv: ['jobs', 'add', 'backtest', '--params', '{"symbol":"ACME","interval":"1d","fee-bps":5}', '--param', 'interval=1h', '--seed', '3'],
      call: ['addJob', { type: 'backtest', params: { symbol: 'ACME', interval: '1h', 'fee-bps': 5 }, priority: 0, after: undefined, retries: 0, timeoutMs: undefined, backoffMs: 30_000, seed: 3, envHome: 'string' }],
    },
  ],
  ['jobs add param', { argv: ['jobs', 'add', 'train', '--param', 'symbols'], usage: '--param "symbols" is not key=value (e.g. --param interval=1d (repeat --param for more))' }],
  ['jobs add params json', { argv: ['jobs', 'add', 'train', '--params', '{symbols'], usage: `--params is not valid JSON (give one JSON object, e.g. --params '{"symbols":["ACME"],"interval":"1d"}')` }],
  ['jobs add params object', { argv: ['jobs', 'add', 'train', '--params', '[1]'], usage: `--params must be a JSON object (e.g. --params '{"symbols":["ACME"],"interval":"1d"}')` }],
  ['jobs add timeout', { argv: ['jobs', 'add', 'health', '--timeout', '5x'], usage: '--timeout "5x" is not a duration (use a number with a unit: 90m, 12h, 30d, 2w)' }],
  ['jobs add retries', { argv: ['jobs', 'add', 'health', '--retries', '101'], usage: '--retries "101" is not valid (use a whole number from 0 to 100)' }],
  ['jobs add after', { argv: ['jobs', 'add', 'health', '--after', '0'], usage: 'job id "0" is not valid (use a whole number from 1 to 1000000000)' }],
  ['jobs run', { argv: ['jobs', 'run', '--workers', '2', '--until-empty'], call: ['runQueue', { workers: 2, untilEmpty: true, pollMs: 1000 }] }],
  ['jobs run defaults', { argv: ['jobs', 'run', '--poll', '250ms'], call: ['runQueue', { workers: 1, untilEmpty: false, pollMs: 250 }] }],
  ['jobs run workers', { argv: ['jobs', 'run', '--workers', '0'], usage: '--workers "0" is not valid (use a whole number from 1 to 64)' }],
  ['jobs cancel', { argv: ['jobs', 'cancel', '12'], call: ['cancelJob', 12] }],
  ['jobs retry', { argv: ['jobs', 'retry', '12'], call: ['retryJob', 12] }],
  ['jobs retry id', { argv: ['jobs', 'retry', 'x'], usage: 'job id "x" is not valid (use a whole number from 1 to 1000000000)' }],
  ['jobs show id', { argv: ['jobs', 'show', '0'], usage: 'job id "0" is not valid (use a whole number from 1 to 1000000000)' }],
];

describe('pulse models, pulse jobs', () => {
  it.each(MODELS)('%s', async (_name, row) => check(row));
});

/** `pulse collect ACME` with nothing else. */
const COLLECT_DEFAULT = {
  symbols: ['ACME'],
  sources: undefined,
  interval: '1d',
  align: 'none',
  allowSourceChange: false,
  from: undefined,
  to: undefined,
  csv: undefined,
  series: undefined,
  timeColumn: undefined,
  tz: undefined,
  resample: [],
  acceptOutliers: false,
  seed: 42,
  calendar: undefined,
};

const COLLECT: [string, Row][] = [
  ['defaults', { argv: ['collect', 'acme'], call: ['collect', COLLECT_DEFAULT] }],
  [
    'every flag',
    {
      argv: ['collect', 'acme', 'spy', '-s', 'yahoo,binance', '-i', '1h', '--from', '2020-01-01', '--to', '2020-02-01', '--allow-source-change', '--align', 'floor', '--resample', '4h, 1d', '--accept-outliers', '--seed', '7', '--calendar', 'XNYS'],
      call: ['collect', { ...COLLECT_DEFAULT, symbols: ['ACME', 'SPY'], sources: ['yahoo', 'binance'], interval: '1h', from: Date.UTC(2020, 0, 1), to: Date.UTC(2020, 1, 1), allowSourceChange: true, align: 'floor', resample: ['4h', '1d'], acceptOutliers: true, seed: 7, calendar: 'XNYS' }],
    },
  ],
  ['config interval and seed', { argv: ['collect', 'ACME'], config: { seed: 3, collect: { interval: '1h' } }, call: ['collect', { ...COLLECT_DEFAULT, interval: '1h', seed: 3 }] }],
  ['env interval', { argv: ['collect', 'ACME'], env: { PULSE__COLLECT__INTERVAL: '5m' }, call: ['collect', { ...COLLECT_DEFAULT, interval: '5m' }] }],
  ['stdin csv: the file gives the interval', { argv: ['collect', 'ACME', '--file', '-', '--tz', 'America/New_York', '--time-column', 'Date'], call: ['collect', { ...COLLECT_DEFAULT, sources: ['csv'], interval: undefined, csv: expect.anything(), tz: 'America/New_York', timeColumn: 'Date' }] }],
  ['series import', { argv: ['collect', '--series', 'sentiment', '--file', '-'], call: ['collect', { ...COLLECT_DEFAULT, symbols: [], sources: ['csv'], interval: undefined, csv: expect.anything(), series: 'sentiment' }] }],
  ['interval', { argv: ['collect', 'ACME', '--interval', '2h'], usage: 'unknown interval "2h" (use one of: 1m, 5m, 15m, 30m, 1h, 4h, 1d, 1wk, 1mo)' }],
  ['resample interval', { argv: ['collect', 'ACME', '--resample', '1h,3h'], usage: 'unknown interval "3h" (use one of: 1m, 5m, 15m, 30m, 1h, 4h, 1d, 1wk, 1mo)' }],
  ['align', { argv: ['collect', 'ACME', '--align', 'ceil'], usage: '--align "ceil" is not valid (use --align floor to snap off-grid timestamps to the bar that contains them)' }],
  ['time zone', { argv: ['collect', 'ACME', '--file', '-', '--tz', 'Mars/Olympus'], usage: 'unknown time zone "Mars/Olympus" (use an IANA name such as UTC, America/New_York or Europe/London)' }],
  ['seed', { argv: ['collect', 'ACME', '--seed', '1.5'], usage: '--seed "1.5" is not valid (use an integer between 0 and 4294967295)' }],
];

describe('pulse collect', () => {
  it.each(COLLECT)('%s', async (_name, row) => check(row));
});

const FEATURES: [string, Row][] = [
  ['build', { argv: ['features', 'acme', '-i', '1d', '--from', '2020-01-01', '--labels', 'return:h=1', '--check'], call: ['buildFeatureFrame', { symbol: 'ACME', interval: '1d', set: defaultSet, references: {}, labels: [{ kind: 'forwardReturn', horizon: 1 }], from: Date.UTC(2020, 0, 1), to: undefined, checkLookahead: true }] }],
  ['build defaults', { argv: ['features', 'ACME', '-i', '1h'], call: ['buildFeatureFrame', { symbol: 'ACME', interval: '1h', set: defaultSet, references: {}, labels: [], from: undefined, to: undefined, checkLookahead: undefined }] }],
  ['context', { argv: ['features', 'ACME', '-i', '1h', '--context', 'spy'], call: ['buildFeatureFrame', expect.objectContaining({ set: expect.objectContaining({ name: 'default.ctx' }), references: { spy: 'SPY' } })] }],
  ['list', { argv: ['features', '--list', '-i', '1h'], call: ['listFeatures', [defaultSet, { interval: '1h' }]] }],
  ['no symbol', { argv: ['features'], usage: 'name a symbol, or use --list (e.g. pulse features AAPL --interval 1d)' }],
  ['no interval', { argv: ['features', 'ACME'], usage: '--interval is required to build features (e.g. --interval 1d)' }],
  ['labels', { argv: ['features', 'ACME', '-i', '1d', '--labels', 'price:h=1'], usage: 'unknown label kind "price" in --labels (use return, direction, triple-barrier, e.g. return:h=1)' }],
  ['format', { argv: ['features', 'ACME', '-i', '1d', '--format', 'xml'], usage: "option '--format <format>' argument 'xml' is invalid. Allowed choices are csv, json. (see `pulse --help` or `pulse <command> --help`)" }],
];

describe('pulse features', () => {
  it.each(FEATURES)('%s', async (_name, row) => check(row));
});

const OTHERS: [string, Row][] = [
  ['demo', { argv: ['demo'], call: ['runDemo', { home: expect.any(String), seed: 42 }] }],
  ['demo seed', { argv: ['demo', '--seed', '7'], config: { seed: 9 }, call: ['runDemo', { home: expect.any(String), seed: 7 }] }],
  ['demo bad seed', { argv: ['demo', '--seed', 'x'], usage: '--seed "x" is not valid (use an integer between 0 and 4294967295)' }],
  ['init', { argv: ['init'], call: ['initHome', [expect.any(String), { force: undefined }]] }],
  ['init --force', { argv: ['init', '--force'], call: ['initHome', [expect.any(String), { force: true }]] }],
];

describe('pulse demo, pulse init', () => {
  it.each(OTHERS)('%s', async (_name, row) => check(row));
});

const OPS: [string, Row][] = [
  ['backup create', { argv: ['backup', 'create'], call: ['createBackup', { dir: undefined, keep: undefined, passphrase: undefined, pulseVersion: '0.1.0', now: undefined, lock: undefined, signal: undefined }] }],
  ['backup create --to --keep', { argv: ['backup', 'create', '--to', '/b', '--keep', '3'], call: ['createBackup', { dir: '/b', keep: 3, passphrase: undefined, pulseVersion: '0.1.0', now: undefined, lock: undefined, signal: undefined }] }],
  ['backup create --encrypt', { argv: ['backup', 'create', '--encrypt'], env: { PULSE_BACKUP_PASSPHRASE: 'pw' }, call: ['createBackup', expect.objectContaining({ passphrase: 'pw' })] }],
  ['backup create --encrypt without a passphrase', { argv: ['backup', 'create', '--encrypt'], usage: '--encrypt needs a passphrase (set PULSE_BACKUP_PASSPHRASE in the environment (it is never printed or logged))' }],
  ['backup create --keep 0', { argv: ['backup', 'create', '--keep', '0'], usage: '--keep "0" is not valid (use a whole number from 1 to 100000)' }],
  ['backup ls', { argv: ['backup', 'ls', '--dir', '/b'], call: ['listBackups', '/b'] }],
  ['backup prune default', { argv: ['backup', 'prune', '--dir', '/b'], call: ['pruneBackups', ['/b', 10]] }],
  ['backup prune --keep', { argv: ['backup', 'prune', '--dir', '/b', '--keep', '2'], call: ['pruneBackups', ['/b', 2]] }],
  ['backup verify', { argv: ['backup', 'verify', '/b/x.tar.gz'], call: ['verifyBackup', '/b/x.tar.gz'] }],
  ['backup restore', { argv: ['backup', 'restore', '/b/x.tar.gz', '--to', '/h'], call: ['restoreBackup', ['/b/x.tar.gz', '/h', false]] }],
  ['backup restore --force', { argv: ['backup', 'restore', '/b/x.tar.gz', '--to', '/h', '--force'], call: ['restoreBackup', ['/b/x.tar.gz', '/h', true]] }],
  ['health', { argv: ['health'], call: ['runHealth', 'all'] }],
  ['promote', { argv: ['promote', 'm2'], call: ['promote', { id: 'm2', dryRun: false, force: false, policy: { shadowMin: 100, alpha: 0.05, minImprovementPct: 0 }, now: undefined, lock: undefined }] }],
  ['promote: clm from config and env', { argv: ['promote', 'm2', '--dry-run', '--force'], config: { clm: { shadowMin: 30 } }, env: { PULSE__CLM__PROMOTEALPHA: '0.01' }, call: ['promote', { id: 'm2', dryRun: true, force: true, policy: { shadowMin: 30, alpha: 0.01, minImprovementPct: 0 }, now: undefined, lock: undefined }] }],
  ['drift-check with a model', { argv: ['drift-check', 'acme', '-i', '1d', '--model', 'active'], call: ['driftCheck', { symbol: 'ACME', interval: '1d', model: 'active', set: undefined, reference: undefined, current: undefined, method: 'auto', driftShare: 0.5, pValueThreshold: 0.05, now: undefined, distributions: false, retrain: false }] }],
  ['drift-check windows and method', { argv: ['drift-check', 'ACME', '-i', '1h', '--set', 'default', '--reference', '2020-01-01..2021-01-01', '--current', '250', '--method', 'psi'], env: { PULSE__CLM__DRIFTSHARE: '0.3' }, call: ['driftCheck', { symbol: 'ACME', interval: '1h', model: undefined, set: { spec: defaultSet, references: {} }, reference: { from: Date.UTC(2020, 0, 1), to: Date.UTC(2021, 0, 1) }, current: { bars: 250 }, method: 'psi', driftShare: 0.3, pValueThreshold: 0.05, now: undefined, distributions: false, retrain: false }] }],
  ['drift-check open range', { argv: ['drift-check', 'ACME', '-i', '1d', '--current', '2024-01-01..'], call: ['driftCheck', expect.objectContaining({ current: { from: Date.UTC(2024, 0, 1), to: undefined } })] }],
  ['drift-check --report', { argv: ['drift-check', 'ACME', '-i', '1d', '--model', 'active', '--report', 'drift.html'], call: ['driftCheck', expect.objectContaining({ model: 'active', distributions: true })] }],
  ['drift-check --retrain', { argv: ['drift-check', 'ACME', '-i', '1d', '--model', 'active', '--retrain'], call: ['driftCheck', expect.objectContaining({ model: 'active', retrain: true })] }],
  ['drift-check --retrain without a model', { argv: ['drift-check', 'ACME', '-i', '1d', '--retrain'], usage: "--retrain needs a model: it retrains the model's slot (add --model ID|active)" }],
  ['drift-check bad window', { argv: ['drift-check', 'ACME', '-i', '1d', '--current', '1'], usage: '--current "1" is not valid (use a number of bars (at least 2) or FROM..TO)' }],
  ['drift-check bad range', { argv: ['drift-check', 'ACME', '-i', '1d', '--reference', 'last-year'], usage: '--reference "last-year" is not a range (use FROM..TO with dates, e.g. --reference 2024-01-01..2024-07-01)' }],
  ['drift-check model and set', { argv: ['drift-check', 'ACME', '-i', '1d', '--model', 'm', '--set', 'default'], usage: '--model and --set both name the features to check (give one: a model checks its own feature set)' }],
  ['evaluate defaults', { argv: ['evaluate', 'acme', '-i', '1d'], call: ['evaluate', { symbol: 'ACME', interval: '1d', last: undefined, from: undefined, to: undefined, by: undefined, degradation: { degradationPct: 25, degradationMin: 30 }, now: undefined, lock: undefined, signal: undefined }] }],
  ['evaluate every symbol, a window, by month, clm from env', { argv: ['evaluate', '-i', '1h', '--from', '2024-01-01', '--to', '2024-07-01', '--by', 'month'], env: { PULSE__CLM__DEGRADATIONPCT: '10' }, config: { clm: { degradationMin: 50 } }, call: ['evaluate', { symbol: undefined, interval: '1h', last: undefined, from: Date.UTC(2024, 0, 1), to: Date.UTC(2024, 6, 1), by: 'month', degradation: { degradationPct: 10, degradationMin: 50 }, now: undefined, lock: undefined, signal: undefined }] }],
  ['evaluate --last', { argv: ['evaluate', 'ACME', '-i', '1d', '--last', '250', '--by', 'week'], call: ['evaluate', expect.objectContaining({ last: 250, by: 'week' })] }],
  ['evaluate --last and --from', { argv: ['evaluate', 'ACME', '-i', '1d', '--last', '5', '--from', '2024-01-01'], usage: '--last and --from/--to both choose the window (give --last N, or --from DATE --to DATE)' }],
  ['evaluate empty range', { argv: ['evaluate', 'ACME', '-i', '1d', '--from', '2024-01-01', '--to', '2024-01-01'], usage: '--to is not after --from (give a window FROM < TO)' }],
  ['evaluate bad period', { argv: ['evaluate', 'ACME', '-i', '1d', '--by', 'year'], usage: "option '--by <period>' argument 'year' is invalid. Allowed choices are day, week, month. (see `pulse --help` or `pulse <command> --help`)" }],
  ['evaluate --last 0', { argv: ['evaluate', 'ACME', '-i', '1d', '--last', '0'], usage: '--last "0" is not valid (use a whole number from 1 to 1000000000)' }],
  ['evaluate no interval', { argv: ['evaluate', 'ACME'], usage: expect.stringContaining('--interval') }],
  ['promote --rollback', { argv: ['promote', '--rollback', 'A|1d|return|h1'], call: ['rollback', 'A|1d|return|h1'] }],
  ['promote: no id', { argv: ['promote'], usage: 'name the model to promote (e.g. pulse promote ridge-ACME-1d-v2, or pulse promote --rollback SLOT)' }],
  ['promote: id and --rollback', { argv: ['promote', 'm2', '--rollback', 'S'], usage: '--rollback takes a slot, not a model id (use pulse promote --rollback SLOT)' }],
  ['health --history', { argv: ['health', '--history', '--last', '5'], call: ['healthHistory', 5] }],
  ['health --last 0', { argv: ['health', '--history', '--last', '0'], usage: '--last "0" is not valid (use a whole number from 1 to 10000)' }],
  ['ab start defaults', { argv: ['ab', 'start', 'S', '--challenger', 'm2'], config: { seed: 11 }, call: ['startAbTest', { slot: 'S', challenger: 'm2', split: 50, minDays: 7, minN: 100, seed: 11, now: undefined, lock: undefined }] }],
  ['ab start options', { argv: ['ab', 'start', 'S', '--challenger', 'm2', '--split', '20', '--min-days', '0.5', '--min-n', '30', '--seed', '3'], call: ['startAbTest', { slot: 'S', challenger: 'm2', split: 20, minDays: 0.5, minN: 30, seed: 3, now: undefined, lock: undefined }] }],
  ['ab start --split 100', { argv: ['ab', 'start', 'S', '--challenger', 'm2', '--split', '100'], usage: '--split "100" is not valid (use a whole number from 1 to 99)' }],
  ['ab start --min-n 1', { argv: ['ab', 'start', 'S', '--challenger', 'm2', '--min-n', '1'], usage: '--min-n "1" is not valid (use a whole number >= 3)' }],
  ['ab start without a challenger', { argv: ['ab', 'start', 'S'], usage: "required option '--challenger <id>' not specified (see `pulse --help` or `pulse <command> --help`)" }],
  ['ab status', { argv: ['ab', 'status'], call: ['abStatus', { slot: undefined, all: false, autoWinner: false, now: undefined, lock: undefined }] }],
  ['ab status --auto-winner', { argv: ['ab', 'status', 'S', '--all', '--auto-winner'], call: ['abStatus', { slot: 'S', all: true, autoWinner: true, now: undefined, lock: undefined }] }],
  ['ab stop', { argv: ['ab', 'stop', '7'], call: ['stopAbTest', '7'] }],
  ['cycle', { argv: ['cycle'], call: ['runCycle', { dryRun: false }] }],
  ['cycle --dry-run', { argv: ['cycle', '--dry-run'], call: ['runCycle', { dryRun: true }] }],
  ['cycle --simulate --keep', { argv: ['cycle', '--simulate', '2023-01-01..2024-01-01', '--keep', 'sim'], call: ['simulate', { from: Date.UTC(2023, 0, 1), to: Date.UTC(2024, 0, 1), keep: 'sim' }] }],
  ['cycle --simulate open range', { argv: ['cycle', '--simulate', '2023-01-01..'], usage: '--simulate "2023-01-01.." is not a range (use FROM..TO with dates, e.g. --simulate 2023-01-01..2025-01-01)' }],
  ['cycle --keep alone', { argv: ['cycle', '--keep', 'sim'], usage: '--keep goes with --simulate (e.g. pulse cycle --simulate 2023-01-01..2025-01-01 --keep ./sim)' }],
  ['status', { argv: ['status'], config: { clm: { enabled: false } }, call: ['statusDocument', expect.objectContaining({ enabled: false, shadowMin: 100, promoteAlpha: 0.05, driftShare: 0.5, minImprovementPct: 0, retrainHours: 168 })] }],
  ['maintain', { argv: ['maintain'], call: ['maintain', { settings: MAINTAIN_DEFAULT, dryRun: false }] }],
  ['maintain --dry-run: settings from config and env', { argv: ['maintain', '--dry-run'], config: { maintain: { jobDays: 30 } }, env: { PULSE__MAINTAIN__PREDICTION_DAYS: '14', PULSE__MAINTAIN__VACUUM_MIN_FREE_PCT: '5' }, call: ['maintain', { settings: { ...MAINTAIN_DEFAULT, jobDays: 30, predictionDays: 14, vacuumMinFreePct: 5 }, dryRun: true }] }],
  ['maintain: bad setting', { argv: ['maintain'], env: { PULSE__MAINTAIN__RETIRED_MODEL_DAYS: '0' }, configError: 'invalid configuration: maintain.retiredModelDays must be at least 1 (got 0)' }],
  ['serve', { argv: ['serve'], call: ['serve', { host: '127.0.0.1', port: 9464, token: undefined }] }],
  ['serve --port 0 --host, token from env', { argv: ['serve', '--port', '0', '--host', '0.0.0.0'], env: { PULSE_SERVE_TOKEN: 's3cret' }, call: ['serve', { host: '0.0.0.0', port: 0, token: 's3cret' }] }],
  ['serve --port 70000', { argv: ['serve', '--port', '70000'], usage: '--port "70000" is not valid (use a port number from 0 to 65535 (0 picks a free one))' }],
  ['dashboard', { argv: ['dashboard'], call: ['dashboardSnapshot', []] }],
  ['dashboard --refresh', { argv: ['dashboard', '--refresh', '30'], call: ['dashboardSnapshot', []] }],
  ['dashboard --refresh 0', { argv: ['dashboard', '--refresh', '0'], usage: '--refresh "0" is not valid (use a whole number from 1 to 3600)' }],
  ['dashboard --refresh 1.5', { argv: ['dashboard', '--refresh', '1.5'], usage: '--refresh "1.5" is not valid (use a whole number from 1 to 3600)' }],
];

describe('pulse backup, health, promote, status, maintain, serve', () => {
  it.each(OPS)('%s', async (_name, row) => check(row));
});

/** `pulse optimize ACME --interval 1d --model ridge` with nothing else. */
const OPTIMIZE_DEFAULT = {
  symbol: 'ACME',
  interval: '1d',
  family: 'ridge',
  target: TRAIN_DEFAULT.target,
  set: defaultSet,
  references: {},
  cv: 'walk-forward',
  folds: 5,
  window: { kind: 'expanding' },
  embargo: 1,
  testSize: 0.15,
  study: 'ACME-1d-ridge-cv-loss',
  trials: 20,
  timeoutMs: undefined,
  sampler: 'tpe',
  pruner: 'median',
  objective: 'cv-loss',
  spaceFile: undefined,
  seed: undefined,
  defaultSeed: 42,
  register: false,
  jobs: 1,
  backtest: { capital: 10_000, feeBps: 10, slippage: { kind: 'bps', bps: 5 }, direction: 'long-only', sizing: { kind: 'fixed', fraction: 1 } },
};
const opt = (...a: string[]) => ['optimize', 'acme', '-i', '1d', '--model', 'ridge', ...a];

const OPTIMIZE: [string, Row][] = [
  ['defaults', { argv: opt(), call: ['runOptimize', OPTIMIZE_DEFAULT] }],
  ['explicit run subcommand', { argv: ['optimize', 'run', 'ACME', '-i', '1d', '-m', 'ridge'], call: ['runOptimize', OPTIMIZE_DEFAULT] }],
  [
    'every flag',
    {
      argv: ['optimize', 'acme', '-i', '1h', '-m', 'lightgbm', '-t', 'direction', '--horizon', '3', '--trials', '50', '--timeout', '2h', '--study', 'my.study_1', '--sampler', 'random', '--pruner', 'hyperband', '--objective', 'sharpe', '--space', 'space.json', '--seed', '7', '--set', 'default', '--cv', 'walk-forward', '--folds', '4', '--window', 'rolling:300', '--register', '--jobs', '2'],
      config: { backtest: { feeBps: 2 } },
      call: ['runOptimize', {
        ...OPTIMIZE_DEFAULT, interval: '1h', family: 'lightgbm', target: { ...TRAIN_DEFAULT.target, name: 'direction', horizon: 3 }, folds: 4, window: { kind: 'rolling', size: 300 }, embargo: 3,
        study: 'my.study_1', trials: 50, timeoutMs: 7_200_000, sampler: 'random', pruner: 'hyperband', objective: 'sharpe', spaceFile: 'space.json', seed: 7, register: true, jobs: 2,
        backtest: { ...OPTIMIZE_DEFAULT.backtest, feeBps: 2 },
      }],
    },
  ],
  ['study name from the objective', { argv: opt('--objective', 'cv-ic'), call: ['runOptimize', { ...OPTIMIZE_DEFAULT, objective: 'cv-ic', study: 'ACME-1d-ridge-cv-ic' }] }],
  ['config: train settings and seed', { argv: opt(), config: { seed: 9, train: { folds: 3, horizon: 2 } }, call: ['runOptimize', { ...OPTIMIZE_DEFAULT, folds: 3, embargo: 2, target: { ...TRAIN_DEFAULT.target, horizon: 2 }, defaultSeed: 9 }] }],
  ['--trials 0', { argv: opt('--trials', '0'), usage: '--trials "0" is not valid (use a whole number from 1 to 100000)' }],
  ['bad --timeout', { argv: opt('--timeout', '10'), usage: '--timeout "10" is not a duration (use a number with a unit: 90m, 12h, 30d, 2w)' }],
  ['bad study name', { argv: opt('--study', '../x'), usage: '--study "../x" is not a valid study name (use up to 100 letters, digits, dots, dashes and underscores, starting with a letter or digit)' }],
  ['naive', { argv: ['optimize', 'ACME', '-i', '1d', '--model', 'naive'], usage: 'unknown model "naive" (use one of: lightgbm, xgboost, rf, ridge, logistic, ensemble (naive has no parameters))' }],
  ['unknown objective', { argv: opt('--objective', 'profit'), usage: "option '--objective <name>' argument 'profit' is invalid. Allowed choices are cv-loss, cv-ic, sharpe, sortino, calmar, profit-drawdown. (see `pulse --help` or `pulse <command> --help`)" }],
  ['--walk-forward', { argv: opt('--walk-forward', '4'), call: ['runWalkForward', { ...OPTIMIZE_DEFAULT, study: 'ACME-1d-ridge-cv-loss-wf', walkForward: { windows: 4, scheme: 'rolling' } }] }],
  ['--walk-forward --wf-anchored --study', { argv: opt('--walk-forward', '3', '--wf-anchored', '--study', 'wf', '--objective', 'sharpe'), call: ['runWalkForward', { ...OPTIMIZE_DEFAULT, study: 'wf', objective: 'sharpe', walkForward: { windows: 3, scheme: 'anchored' } }] }],
  ['--walk-forward 1', { argv: opt('--walk-forward', '1'), usage: '--walk-forward "1" is not valid (use a whole number from 2 to 100)' }],
  ['--walk-forward 101', { argv: opt('--walk-forward', '101'), usage: '--walk-forward "101" is not valid (use a whole number from 2 to 100)' }],
  ['--wf-anchored alone', { argv: opt('--wf-anchored'), usage: '--wf-anchored chooses the in-sample bars of --walk-forward windows (pass --walk-forward N with it)' }],
  ['--walk-forward --register', { argv: opt('--walk-forward', '3', '--register'), usage: "--register does not go with --walk-forward: each window's model is trained on its in-sample bars only (register a model with pulse train --params-from NAME.wf<k>, or run pulse optimize without --walk-forward)" }],
  ['optimize ls', { argv: ['optimize', 'ls', '--symbol', 'acme'], call: ['studySummaries', { symbol: 'ACME' }] }],
  ['optimize show', { argv: ['optimize', 'show', 'S1', '-f', 'json'], call: ['studyReport', 'S1'] }],
  ['optimize show: bad format', { argv: ['optimize', 'show', 'S1', '-f', 'xml'], usage: "option '-f, --format <format>' argument 'xml' is invalid. Allowed choices are table, json, yaml, value. (see `pulse --help` or `pulse <command> --help`)" }],
  ['train --params-from', { argv: train('--params-from', 'S1'), call: ['trainJob', { ...TRAIN_DEFAULT, family: 'ridge', params: { alpha: 5, clip: 4 }, study: 'S1' }] }],
  ['train --params-from, --params wins', { argv: train('--params-from', 'S1', '--params', 'alpha=7', '-m', 'ridge'), call: ['trainJob', { ...TRAIN_DEFAULT, family: 'ridge', params: { alpha: 7, clip: 4 }, study: 'S1' }] }],
  ['train --params-from, another family', { argv: train('--params-from', 'S1', '-m', 'lightgbm'), usage: 'study "S1" tuned ridge parameters, not lightgbm (train with --model ridge, or pick a study of lightgbm (pulse optimize ls))' }],
];

describe('pulse optimize, pulse train --params-from', () => {
  it.each(OPTIMIZE)('%s', async (_name, row) => check(row));
});

describe('declarations', () => {
  it('are left out of the bare command tree (`pulse --help` lists commands only)', () => {
    const bare = buildProgram();
    expect(bare.commands.find((c) => c.name() === 'train')?.options.map((o) => o.hidden)).toEqual([true]);
    expect(buildProgram(tables).commands.find((c) => c.name() === 'train')?.options.length).toBe(Object.keys(tables.TRAIN_OPTIONS!).length);
  });

  it.each([
    [['predict', 'ACME', '--interval', '1d'], 'predict'],
    [['--home', 'train', '--json', 'predict', 'ACME'], 'predict'],
    [['--wait', '10', 'backup', 'create', '--keep', '3'], 'create'],
    [['backtest', 'ACME', '--strategy', 'sma-cross'], 'backtest'],
    [['data', 'quarantine', '--symbol', 'X'], 'quarantine'],
    [['train', 'predict'], 'train'],
    [['--help'], undefined],
    [[], undefined],
  ])('are loaded for the command argv names: %j -> %s', (argv, name) => {
    expect(namedCommand(buildProgram(), argv)?.name()).toBe(name);
  });

  it('come from the option tables: each configurable default is shown with its setting', () => {
    const program = buildProgram(tables);
    const find = (path: string[]) => path.reduce((c, name) => c.commands.find((x) => x.name() === name)!, program);
    const help = (path: string[], flag: string) => find(path).options.find((o) => o.long === flag)?.description;
    expect(help(['train'], '--model')).toBe('lightgbm | xgboost | rf | ridge | logistic | naive | ensemble (default: "lightgbm", config train.model)');
    expect(help(['backtest', 'run'], '--fee-bps')).toBe('fee per side in basis points (default: 10, config backtest.feeBps)');
    expect(help(['predict'], '--threshold')).toBe('signal threshold (see README: defaults per target) (config predict.threshold)');
    expect(find(['data', 'show']).options.find((o) => o.long === '--tail')?.defaultValue).toBe('20');
  });
});
