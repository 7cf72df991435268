/**
 * Calendar benchmark: the work that leans on trading ordinals, on 1,000,000 one-minute bars, per calendar. The
 * anchor is the `crypto` calendar, whose ordinals are plain arithmetic; exchange (XNYS) and FX calendars answer
 * the same questions from precomputed session tables (binary search plus arithmetic), and the ratios say what that
 * costs. Cases: generating the series (bulk bar placement), gap detection on a series with every 7th bar removed
 * (two ordinal look-ups per gap, about 143,000 gaps), and resampling 1m -> 1h (a floor per bucket).
 * Run compiled: `node dist/bench/calendars.js [bars] [runs]`. Prints best-of-N wall times and ratios to crypto.
 */
import { cpus, loadavg } from 'node:os';
import type { Calendar } from '../src/market/calendars/calendar.js';
import { loadCalendar } from '../src/market/calendars/registry.js';
import { findGaps } from '../src/market/gaps.js';
import { resampleBars } from '../src/market/resample.js';
import { generateSeries } from '../src/market/sources/synthetic.js';
import type { BarSeries } from '../src/core/bars.js';

function best(runs: number, f: () => unknown): number {
  let wall = Infinity;
  for (let r = 0; r < runs; r++) {
    const t0 = process.hrtime.bigint();
    f();
    wall = Math.min(wall, Number(process.hrtime.bigint() - t0) / 1e6);
  }
  return wall;
}

function measure(calendar: Calendar, bars: number, runs: number): Record<string, number> {
  calendar.tradingOrdinal(0, '1m'); // session tables are built once per process, outside the timings
  let series: BarSeries | undefined;
  const generate = best(runs, () => {
    series = generateSeries({ symbol: 'BENCH', interval: '1m', bars, seed: 1, start: Date.UTC(2015, 0, 1), calendar });
  });
  const s = series as BarSeries;
  const thinned = s.time.filter((_, i) => i % 7 !== 3);
  const gaps = best(runs, () => findGaps(thinned, '1m', calendar));
  const resample = best(runs, () => resampleBars(s, '1h', { calendar }));
  return { generate, gaps, resample };
}

function main(): void {
  const bars = Number(process.argv[2] ?? 1_000_000);
  const runs = Number(process.argv[3] ?? 5);
  console.log(`calendars bench: ${bars} 1m bars, best of ${runs}; ${cpus().length} cpus, load ${loadavg().map((x) => x.toFixed(2)).join(' ')}`);
  const anchor = measure(loadCalendar('crypto'), bars, runs);
  for (const name of ['crypto', 'XNYS', 'fx']) {
    const m = name === 'crypto' ? anchor : measure(loadCalendar(name), bars, runs);
    const cells = Object.entries(m).map(([k, v]) => `${k} ${v.toFixed(1)} ms (x${(v / anchor[k]).toFixed(2)})`);
    console.log(`${name.padEnd(6)} ${cells.join('  ')}`);
  }
}

main();
