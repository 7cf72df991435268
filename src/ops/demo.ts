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
import { openStore } from '../store/store.js';
import { buildFeatureFrame } from '../dataset/feature-frame.js';
import { DEFAULT_FEATURE_SET } from '../features/feature-set.js';

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

export interface DemoResult {
  home: string;
  seed: number;
  collects: CollectResult[];
  series: SeriesInventory[];
  features: DemoFeatures;
}

/** The features the demo prints for the newest bar. */
const SHOWN = ['rsi_14', 'macd_hist_12_26_9', 'bb_pctb_20_2', 'atr_14', 'vol_20', 'volratio_20', 'zscore_20'];

/** The demo's symbols: an equities-like daily series and a 24/7 crypto-like hourly series resampled to 4h and 1d. */
export const DEMO_PLAN = [
  { symbols: ['ACME', 'GLOBEX'], interval: '1d', resample: [] },
  { symbols: ['BTC-USD'], interval: '1h', resample: ['4h', '1d'] },
] as const;

export async function runDemo(options: DemoOptions): Promise<DemoResult> {
  const home = options.home ?? mkdtempSync(join(tmpdir(), 'pulse-demo-'));
  const store = openStore(home, { busyTimeoutMs: options.config.store.busyTimeoutMs });
  try {
    const collects: CollectResult[] = [];
    for (const step of DEMO_PLAN) {
      options.log.info(`collecting ${step.symbols.join(', ')} ${step.interval} synthetic bars (seed ${options.seed})`);
      collects.push(
        await collect(
          { symbols: [...step.symbols], sources: ['synthetic'], interval: step.interval, resample: [...step.resample], acceptOutliers: false, seed: options.seed },
          { store, settings: options.config.collect, now: options.now, log: options.log, signal: options.signal },
        ),
      );
    }
    options.log.info('building the default feature set for ACME 1d (with the look-ahead check)');
    const frame = buildFeatureFrame(store, { symbol: 'ACME', interval: '1d', set: DEFAULT_FEATURE_SET, checkLookahead: true });
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
    return { home, seed: options.seed, collects, series: inventory(store), features };
  } finally {
    store.close();
  }
}
