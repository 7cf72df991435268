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

export interface DemoOptions {
  /** Home to use; a fresh temporary directory when undefined. */
  home?: string;
  seed: number;
  config: Config;
  now: () => number;
  log: Logger;
  signal?: AbortSignal;
}

export interface DemoResult {
  home: string;
  seed: number;
  collects: CollectResult[];
  series: SeriesInventory[];
}

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
    return { home, seed: options.seed, collects, series: inventory(store) };
  } finally {
    store.close();
  }
}
