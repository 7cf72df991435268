/**
 * Feature benchmark: eight classic indicators with pulse and with technicalindicators on 1,000,000 synthetic
 * bars, then pulse's whole default set. Run compiled: `node dist/bench/features.js [bars]`.
 * Prints one line per indicator with both times and the speed-up, then the default-set time.
 */
import { loadavg } from 'node:os';
import * as ti from 'technicalindicators';
import type { BarSeries } from '../src/market/bars.js';
import { generateSeries } from '../src/market/sources/synthetic.js';
import { computeFeatureSet, createComputeContext } from '../src/features/compute.js';
import { DEFAULT_FEATURE_SET } from '../src/features/feature-set.js';
import { builtinRegistry } from '../src/features/registry.js';

/** Hourly 24/7 bars from pulse's seeded market simulator. */
function syntheticBars(n: number, seed: number): BarSeries {
  return generateSeries({ symbol: 'BENCH-USD', interval: '1h', bars: n, seed, start: Date.UTC(2000, 0, 1) });
}

interface Case {
  label: string;
  /** pulse feature names computed together (one shared memo, as the library computes them). */
  features: string[];
  /** The same with technicalindicators on plain arrays. */
  reference: (a: Arrays) => unknown;
}

interface Arrays {
  open: number[];
  high: number[];
  low: number[];
  close: number[];
  volume: number[];
}

const cases: Case[] = [
  { label: 'SMA20', features: ['sma_20'], reference: (a) => ti.SMA.calculate({ period: 20, values: a.close }) },
  { label: 'EMA20', features: ['ema_20'], reference: (a) => ti.EMA.calculate({ period: 20, values: a.close }) },
  { label: 'RSI14', features: ['rsi_14'], reference: (a) => ti.RSI.calculate({ period: 14, values: a.close }) },
  {
    label: 'MACD 12/26/9',
    features: ['macd_12_26', 'macd_signal_12_26_9', 'macd_hist_12_26_9'],
    reference: (a) =>
      ti.MACD.calculate({ fastPeriod: 12, slowPeriod: 26, signalPeriod: 9, values: a.close, SimpleMAOscillator: false, SimpleMASignal: false }),
  },
  {
    label: 'Bollinger 20/2',
    features: ['bb_middle_20', 'bb_upper_20_2', 'bb_lower_20_2', 'bb_pctb_20_2'],
    reference: (a) => ti.BollingerBands.calculate({ period: 20, stdDev: 2, values: a.close }),
  },
  { label: 'ATR14', features: ['atr_14'], reference: (a) => ti.ATR.calculate({ period: 14, high: a.high, low: a.low, close: a.close }) },
  {
    label: 'Stochastic 14/3',
    features: ['stoch_k_14', 'stoch_d_14_3'],
    reference: (a) => ti.Stochastic.calculate({ period: 14, signalPeriod: 3, high: a.high, low: a.low, close: a.close }),
  },
  { label: 'OBV', features: ['obv'], reference: (a) => ti.OBV.calculate({ close: a.close, volume: a.volume }) },
];

function runPulse(series: BarSeries, names: string[]): void {
  const ctx = createComputeContext(series);
  for (const n of names) {
    const r = builtinRegistry.resolve(n);
    r.family.compute(ctx, r.params);
  }
}

/** Wall-clock and process CPU milliseconds of one call (CPU time is less distorted on a shared, loaded machine). */
interface Timing {
  wall: number;
  cpu: number;
}

function time(f: () => void): Timing {
  const c0 = process.cpuUsage();
  const t0 = process.hrtime.bigint();
  f();
  const wall = Number(process.hrtime.bigint() - t0) / 1e6;
  const c = process.cpuUsage(c0);
  return { wall, cpu: (c.user + c.system) / 1000 };
}

function bestOf(runs: number, f: () => void): Timing {
  let best: Timing = { wall: Infinity, cpu: Infinity };
  for (let i = 0; i < runs; i++) {
    const t = time(f);
    best = { wall: Math.min(best.wall, t.wall), cpu: Math.min(best.cpu, t.cpu) };
  }
  return best;
}

const ms = (t: number) => t.toFixed(1).padStart(8);

function main(): void {
  const n = Number(process.argv[2] ?? 1_000_000);
  const series = syntheticBars(n, 42);
  const arrays: Arrays = {
    open: Array.from(series.open),
    high: Array.from(series.high),
    low: Array.from(series.low),
    close: Array.from(series.close),
    volume: Array.from(series.volume),
  };
  // warm both JITs up on a small series first
  const small = syntheticBars(20_000, 7);
  const smallArrays: Arrays = { open: Array.from(small.open), high: Array.from(small.high), low: Array.from(small.low), close: Array.from(small.close), volume: Array.from(small.volume) };
  for (const c of cases) {
    runPulse(small, c.features);
    c.reference(smallArrays);
  }
  console.log(`features benchmark on ${n.toLocaleString('en-US')} synthetic bars (node ${process.version}, load average ${loadavg()[0].toFixed(1)})`);
  console.log('pulse: best of 5 runs; technicalindicators: one run (its runs take seconds)');
  // pulse first, then technicalindicators, so that each runs on a heap of its own making
  const pulseTimes = cases.map((c) => bestOf(5, () => runPulse(series, c.features)));
  const refTimes = cases.map((c) => time(() => c.reference(arrays)));
  console.log('indicator          pulse wall/cpu ms   technicalindicators wall/cpu ms   speed-up wall/cpu');
  const total = { pw: 0, pc: 0, rw: 0, rc: 0 };
  let worst = Infinity;
  cases.forEach((c, k) => {
    const p = pulseTimes[k];
    const r = refTimes[k];
    total.pw += p.wall;
    total.pc += p.cpu;
    total.rw += r.wall;
    total.rc += r.cpu;
    worst = Math.min(worst, r.cpu / p.cpu);
    console.log(
      `${c.label.padEnd(18)} ${ms(p.wall)} /${ms(p.cpu)}   ${ms(r.wall)} /${ms(r.cpu)}               ${(r.wall / p.wall).toFixed(0).padStart(5)}x /${(r.cpu / p.cpu).toFixed(0).padStart(5)}x`,
    );
  });
  console.log(
    `${'all eight'.padEnd(18)} ${ms(total.pw)} /${ms(total.pc)}   ${ms(total.rw)} /${ms(total.rc)}               ${(total.rw / total.pw).toFixed(0).padStart(5)}x /${(total.rc / total.pc).toFixed(0).padStart(5)}x`,
  );
  console.log(`slowest speed-up (cpu): ${worst.toFixed(0)}x (goal: >= 30x each)`);
  computeFeatureSet(DEFAULT_FEATURE_SET, small);
  let cols = 0;
  const full = bestOf(3, () => {
    cols = computeFeatureSet(DEFAULT_FEATURE_SET, series).names.length;
  });
  console.log(
    `default set: ${cols} features in ${full.wall.toFixed(0)} ms wall / ${full.cpu.toFixed(0)} ms cpu, best of 3 (goal: <= 1000 ms), validation included`,
  );
}

main();
