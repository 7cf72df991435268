/**
 * Backtest benchmark: the engine over one symbol's precomputed signals on 1,000,000 synthetic bars (goal <= 100 ms),
 * then the same with ATR stops and vol-target sizing, the statistics, and a complete run with its baselines.
 * Run compiled: `node dist/bench/backtest.js [bars] [draws]`. Prints best-of-N wall and CPU times per case.
 */
import { cpus, loadavg } from 'node:os';
import { averageTrueRange } from '../src/backtest/costs.js';
import { runBacktest } from '../src/backtest/backtest.js';
import { runEngine, type EngineInput } from '../src/backtest/engine.js';
import { sizingFractions } from '../src/backtest/sizing.js';
import { computeStats } from '../src/backtest/stats/compute.js';
import { STRATEGIES } from '../src/backtest/strategies/registry.js';
import type { BarSeries } from '../src/core/bars.js';
import { generateSeries } from '../src/market/sources/synthetic.js';

/** Hourly 24/7 bars from pulse's seeded market simulator. */
function syntheticBars(n: number, seed: number): BarSeries {
  return generateSeries({ symbol: 'BENCHUSDT', interval: '1h', bars: n, seed, start: Date.UTC(2000, 0, 1) });
}

function time(runs: number, f: () => unknown): { wall: number; cpu: number; value: unknown } {
  let wall = Infinity;
  let cpu = Infinity;
  let value: unknown;
  for (let r = 0; r < runs; r++) {
    const c0 = process.cpuUsage();
    const t0 = process.hrtime.bigint();
    value = f();
    const w = Number(process.hrtime.bigint() - t0) / 1e6;
    const c = process.cpuUsage(c0);
    wall = Math.min(wall, w);
    cpu = Math.min(cpu, (c.user + c.system) / 1000);
  }
  return { wall, cpu, value };
}

function main(): void {
  const n = Number(process.argv[2] ?? 1_000_000);
  const draws = Number(process.argv[3] ?? 100);
  const series = syntheticBars(n, 1);
  const signal = STRATEGIES['sma-cross'].signals(series, { fast: 10, slow: 40 });
  const atr = averageTrueRange(series, 14);
  const base: EngineInput = {
    series,
    signal,
    fractions: new Float64Array(n).fill(1),
    capital: 10_000,
    feeRate: 0.001,
    slippage: { rate: 0.0005, abs: null },
    direction: 'long-short',
    stopDistance: null,
    takeDistance: null,
  };
  const withStops: EngineInput = {
    ...base,
    fractions: sizingFractions(series, { kind: 'vol-target', targetVolPct: 15, lookbackBars: 20, maxLeverage: 2 }, 8760),
    stopDistance: atr.map((a) => 2 * a),
    takeDistance: atr.map((a) => 4 * a),
  };
  console.log(`backtest benchmark on ${n.toLocaleString('en-US')} synthetic bars (node ${process.version}, ${cpus().length} cores, load ${loadavg()[0].toFixed(1)})`);
  console.log('case                                         best wall ms   best cpu ms   trades');
  const row = (label: string, t: { wall: number; cpu: number }, trades: number | string): void => {
    console.log(`${label.padEnd(44)} ${t.wall.toFixed(1).padStart(12)} ${t.cpu.toFixed(1).padStart(13)}   ${trades}`);
  };
  const plain = time(7, () => runEngine(base));
  const out = plain.value as ReturnType<typeof runEngine>;
  row('engine: precomputed signals', plain, out.trades.count);
  const stops = time(7, () => runEngine(withStops));
  row('engine: vol-target sizing, ATR stop and take', stops, (stops.value as ReturnType<typeof runEngine>).trades.count);
  row(
    'statistics of the first run',
    time(5, () => computeStats({ time: series.time, close: series.close, engine: out, capital: 10_000, periodsPerYear: 8760, riskFreePct: 0 })),
    '',
  );
  const full = time(1, () =>
    runBacktest(series, { signal: { kind: 'strategy', name: 'sma-cross', params: { fast: 10, slow: 40 } }, direction: 'long-short', bootstrapDraws: draws }),
  );
  row(`runBacktest with ${draws} random draws`, full, '');
  if (n === 1_000_000) console.log(`goal: engine <= 100 ms on 1,000,000 bars -> ${plain.wall <= 100 ? 'met' : 'missed'} (${plain.wall.toFixed(1)} ms)`);
}

main();
