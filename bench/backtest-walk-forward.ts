/**
 * Walk-forward retraining backtest: time and thread scaling.
 *
 * Ten years of synthetic daily bars (seeded), the default feature set, target return h=1, a model retrained every
 * 21 bars (monthly) on the expanding window and predicting only the next 21 bars, run with 1 and with 2 worker
 * threads. Prints the wall time of each, the speed-up, and checks that both give bit-identical predictions.
 *
 * Run from the compiled JavaScript (workers load the compiled module):
 *   npx tsc -p tsconfig.build.json && node dist/bench/backtest-walk-forward.js [--family lightgbm] [--years 10] [--keep]
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { defaultRetrainEvery, minimumTrainRows } from '../src/backtest/run.js';
import { periodsPerYear } from '../src/backtest/stats/annualisation.js';
import { loadCalendar } from '../src/market/calendars/registry.js';
import { runWalkForward } from '../src/backtest/walk-forward.js';
import { defaultConfig } from '../src/config/config.js';
import { silentLogger } from '../src/core/logger.js';
import { buildFeatureFrame } from '../src/dataset/feature-frame.js';
import { DEFAULT_FEATURE_SET } from '../src/features/feature-set.js';
import { collect } from '../src/market/collect.js';
import type { ModelFamily } from '../src/models/model.js';
import { openStore } from '../src/store/store.js';
import { parseTarget, targetLabel } from '../src/lifecycle/targets.js';

const args = process.argv.slice(2);
const opt = (name: string, fallback: string) => (args.includes(name) ? args[args.indexOf(name) + 1] : fallback);
const family = opt('--family', 'lightgbm') as ModelFamily;
const years = Number(opt('--years', '10'));
const keep = args.includes('--keep');
const dir = mkdtempSync(join(tmpdir(), 'pulse-bench-wf-'));

try {
  const store = await openStore(dir);
  const to = Date.UTC(2026, 0, 1);
  await collect(
    { symbols: ['ACME'], sources: ['synthetic'], interval: '1d', resample: [], acceptOutliers: false, seed: 42, from: Date.UTC(2026 - years, 0, 1), to, calendar: 'XNYS' },
    { store, settings: defaultConfig().collect, now: () => to, log: silentLogger },
  );
  const target = parseTarget('return', { horizon: 1 });
  const { label, task } = targetLabel(target);
  const frame = await buildFeatureFrame(store, { symbol: 'ACME', interval: '1d', set: DEFAULT_FEATURE_SET, labels: [label] });
  const perYear = periodsPerYear(loadCalendar('XNYS'), '1d');
  const retrainEvery = defaultRetrainEvery(perYear);
  const start = frame.lookback + minimumTrainRows(perYear, 'expanding') + target.horizon;
  const input = {
    columns: frame.columns,
    names: frame.names,
    labels: frame.labels[0],
    lookback: frame.lookback,
    horizon: target.horizon,
    task,
    family,
    params: {},
    seed: 42,
    retrainEvery,
    trainWindow: 'expanding' as const,
    start,
    end: frame.rows,
  };
  console.log(
    `walk-forward ${family}: ${frame.rows} daily bars x ${frame.names.length} features, retrain every ${retrainEvery} bars (expanding window), ` +
      `${frame.rows - start} bars predicted; ${availableParallelism()} cores available`,
  );
  // 1 worker with single-threaded fits is the serial baseline; 1 worker with default fits lets a boosting family
  // spread its histogram building over the cores; 2 workers fit two segments at once, one thread each.
  const gbdt = family === 'lightgbm' || family === 'xgboost' || family === 'rf';
  const runs = [
    { label: '1 worker, 1-thread fits', workers: 1, params: gbdt ? { num_threads: 1 } : {} },
    ...(gbdt ? [{ label: '1 worker, multi-threaded fits', workers: 1, params: {} }] : []),
    { label: '2 workers', workers: 2, params: {} },
  ];
  const results: { s: number; predictions: Float64Array }[] = [];
  for (const run of runs) {
    const t0 = performance.now();
    const out = await runWalkForward({ ...input, workers: run.workers, params: run.params });
    const s = (performance.now() - t0) / 1000;
    results.push({ s, predictions: out.predictions });
    console.log(`  ${run.label}: ${out.segments.length} retrainings in ${s.toFixed(2)} s (${((s / out.segments.length) * 1000).toFixed(0)} ms each), worker threads used ${out.workersUsed}`);
  }
  const serial = results[0];
  let identical = true;
  for (const r of results.slice(1)) {
    console.log(`  speed-up vs the serial baseline: ${(serial.s / r.s).toFixed(2)}x`);
    for (let i = 0; identical && i < serial.predictions.length; i++) identical = Object.is(serial.predictions[i], r.predictions[i]);
  }
  console.log(`  predictions bit-identical across all runs: ${identical ? 'yes' : 'NO'}`);
  await store.close();
  if (!identical) process.exitCode = 1;
} finally {
  if (!keep) rmSync(dir, { recursive: true, force: true });
}
