/**
 * `pulse demo`: the main job end to end on the embedded default — a local SQLite store and seeded synthetic data,
 * no network. Each stage of the pipeline adds its step here as it lands.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Config } from '../config/config.js';
import type { Logger } from '../core/logger.js';
import { collect, type CollectResult } from '../market/collect.js';
import { inventory, type SeriesInventory } from '../market/inventory.js';
import { openStore, type Store } from '../store/store.js';
import { buildFeatureFrame } from '../dataset/feature-frame.js';
import { DEFAULT_FEATURE_SET } from '../features/feature-set.js';
import { runStoredBacktest } from '../backtest/run.js';
import { predict } from '../predict/predict.js';
import { parseTarget } from '../lifecycle/targets.js';
import { trainJob } from '../train/train-job.js';
import { simulate, type SimulateResult } from './simulate.js';

export interface DemoOptions {
  /** Home to use; a fresh temporary directory when undefined. */
  home?: string;
  seed: number;
  config: Config;
  now: () => number;
  log: Logger;
  signal?: AbortSignal;
}

/** A short summary of the demo's feature matrix. */
export interface DemoFeatures {
  symbol: string;
  interval: string;
  set: string;
  rows: number;
  features: number;
  lookback: number;
  lookaheadChecked: boolean;
  /** A few of the newest bar's feature values. */
  latest: { name: string; value: number | null }[];
}

/** The demo's model step: a trained and activated model, its newest prediction and a walk-forward backtest. */
export interface DemoModelStep {
  modelId: string;
  family: string;
  target: string;
  horizon: number;
  /** Labelled rows the model was trained on. */
  trainRows: number;
  /** Test-tail RMSE of the model and of the naive baseline (log-return units). */
  testRmse: number | null;
  naiveTestRmse: number | null;
  prediction: { barTs: number; value: number; signal: string } | null;
  backtest: {
    recordId: number;
    source: string;
    retrainEvery: number;
    retrainings: number;
    fromMs: number;
    toMs: number;
    bars: number;
    returnPct: number | null;
    buyAndHoldReturnPct: number | null;
    sharpe: number | null;
    maxDrawdownPct: number | null;
    trades: number;
    /** Random-entry bootstrap p-value of the Sharpe (null when not meaningful). */
    pValue: number | null;
    reportPath: string;
  };
}

export interface DemoResult {
  home: string;
  seed: number;
  collects: CollectResult[];
  series: SeriesInventory[];
  features: DemoFeatures;
  model: DemoModelStep;
  /** The continuous-learning loop simulated over the newest months (pulse cycle --simulate). */
  loop: SimulateResult;
}

/** The demo's loop: the newest six months, bar by bar, with weekly drift checks and candidates judged on 20 outcomes. */
const DEMO_LOOP_MONTHS = 6;
const DAY = 86_400_000;
const DEMO_CLM = { driftHours: 168, perfHours: 168, retrainHours: 720, shadowMin: 20 };

/** Demo walk-forward: the last three years of ACME, retrained every quarter (63 bars), so the demo stays quick. */
const DEMO_BACKTEST_YEARS = 3;
const DEMO_RETRAIN_EVERY = 63;

/** The features the demo prints for the newest bar. */
const SHOWN = ['rsi_14', 'macd_hist_12_26_9', 'bb_pctb_20_2', 'atr_14', 'vol_20', 'volratio_20', 'zscore_20'];

/** The demo's symbols: two daily series on the NYSE calendar and a 24/7 hourly series resampled to 4h and 1d. */
export const DEMO_PLAN = [
  { symbols: ['ACME', 'GLOBEX'], interval: '1d', resample: [], calendar: 'XNYS' },
  { symbols: ['BTC-USD'], interval: '1h', resample: ['4h', '1d'], calendar: 'crypto' },
] as const;

export async function runDemo(options: DemoOptions): Promise<DemoResult> {
  const home = options.home ?? mkdtempSync(join(tmpdir(), 'pulse-demo-'));
  const store = await openStore(home, { busyTimeoutMs: options.config.store.busyTimeoutMs });
  try {
    const collects: CollectResult[] = [];
    for (const step of DEMO_PLAN) {
      options.log.info(`collecting ${step.symbols.join(', ')} ${step.interval} synthetic bars (seed ${options.seed})`);
      collects.push(
        await collect(
          { symbols: [...step.symbols], sources: ['synthetic'], interval: step.interval, resample: [...step.resample], acceptOutliers: false, seed: options.seed, calendar: step.calendar },
          { store, settings: options.config.collect, now: options.now, log: options.log, signal: options.signal },
        ),
      );
    }
    options.log.info('building the default feature set for ACME 1d (with the look-ahead check)');
    const frame = await buildFeatureFrame(store, { symbol: 'ACME', interval: '1d', set: DEFAULT_FEATURE_SET, checkLookahead: true });
    const last = frame.rows - 1;
    const features: DemoFeatures = {
      symbol: frame.symbol,
      interval: frame.interval,
      set: frame.set.name,
      rows: frame.rows,
      features: frame.names.length,
      lookback: frame.lookback,
      lookaheadChecked: true,
      latest: SHOWN.map((name) => {
        const v = frame.columns[frame.names.indexOf(name)]?.[last];
        return { name, value: v === undefined || Number.isNaN(v) ? null : v };
      }),
    };
    const model = await modelStep(store, home, options);
    const series = await inventory(store, {}, options.now());
    const newest = series.find((s) => s.symbol === 'ACME' && s.interval === '1d')?.last ?? options.now();
    options.log.info(`simulating the continuous-learning loop over the newest ${DEMO_LOOP_MONTHS} months of ACME, bar by bar`);
    const loop = await simulate(
      { from: Math.floor((newest - DEMO_LOOP_MONTHS * 30.44 * DAY) / DAY) * DAY, to: newest + DAY },
      { store, home, clm: { ...options.config.clm, ...DEMO_CLM }, log: options.log, signal: options.signal },
    );
    return { home, seed: options.seed, collects, series, features, model, loop };
  } finally {
    await store.close();
  }
}

/**
 * Train LightGBM on ACME 1d (return, h=1) and activate it, predict the next bar with it, then backtest the same
 * family, target and feature set walk-forward over the last years (retrained every quarter, predicting only out
 * of sample), writing the HTML report into the demo home.
 */
async function modelStep(store: Store, home: string, options: DemoOptions): Promise<DemoModelStep> {
  const target = parseTarget('return', { horizon: 1 });
  options.log.info('training lightgbm on ACME 1d (return, h=1) with walk-forward cross-validation');
  const job = await trainJob(
    {
      symbols: ['ACME'], interval: '1d', family: 'lightgbm', target, set: DEFAULT_FEATURE_SET, references: {}, params: {},
      cv: 'walk-forward', folds: 3, window: { kind: 'expanding' }, embargo: target.horizon, testSize: 0.15, pooled: false,
      seed: options.seed, activate: true, trigger: 'manual',
    },
    { store, home, now: options.now, log: options.log },
  );
  const trained = job.models[0];
  options.log.info(`predicting the next ACME bar with ${trained.model.id}`);
  const predicted = await predict({ symbols: ['ACME'], interval: '1d', model: trained.model.id }, { store, now: options.now, log: options.log });
  const p = predicted.predictions[0];
  const bars = (await inventory(store, { symbol: 'ACME' }, options.now())).find((s) => s.interval === '1d');
  const lastMs = bars?.last ?? options.now();
  const from = lastMs - DEMO_BACKTEST_YEARS * 365.25 * 86_400_000;
  const reportPath = join(home, 'backtest-ACME-1d.html');
  options.log.info(`backtesting lightgbm walk-forward on ACME 1d, retrained every ${DEMO_RETRAIN_EVERY} bars`);
  const run = await runStoredBacktest(
    {
      symbol: 'ACME',
      interval: '1d',
      from,
      source: { kind: 'walk-forward', family: 'lightgbm', target, set: DEFAULT_FEATURE_SET, references: {}, params: {}, retrainEvery: DEMO_RETRAIN_EVERY },
      signal: {},
      options: { seed: options.seed, bootstrapDraws: 500 },
      outputs: { report: reportPath },
      cwd: home,
    },
    { store, now: options.now, log: options.log },
  );
  const stats = run.result.stats;
  const test = trained.testMetrics as Record<string, number> | null;
  const naive = trained.baselineTestMetrics as Record<string, number> | null;
  return {
    modelId: trained.model.id,
    family: trained.model.family,
    target: trained.model.target,
    horizon: trained.model.horizon,
    trainRows: trained.rows.development,
    testRmse: test?.rmse ?? null,
    naiveTestRmse: naive?.rmse ?? null,
    prediction: p ? { barTs: p.barTs, value: p.value, signal: p.signal } : null,
    backtest: {
      recordId: run.recordId,
      source: run.source,
      retrainEvery: DEMO_RETRAIN_EVERY,
      retrainings: run.walkForward?.segments.length ?? 0,
      fromMs: run.bars.time[0],
      toMs: run.bars.time[run.bars.length - 1],
      bars: run.bars.length,
      returnPct: stats.returnPct,
      buyAndHoldReturnPct: stats.buyAndHoldReturnPct,
      sharpe: stats.sharpe,
      maxDrawdownPct: stats.maxDrawdownPct,
      trades: stats.trades ?? 0,
      pValue: run.result.baselines.random?.pValue ?? null,
      reportPath: run.files.report ?? reportPath,
    },
  };
}
